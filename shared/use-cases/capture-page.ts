import type { Document } from '../domain/document.js';
import type { ResolvedPageIdentity } from '../domain/identity/resolve-page-identity.js';
import { CaptureError, ExtractionError, type CaptureFailureKind } from '../errors.js';
import type { CaptureMessage } from '../ports/capture-queue.js';
import { notificationIds } from '../domain/notification.js';
import type { PageRecord } from '../domain/page-records.js';
import { addWatch } from './add-watch.js';
import { recordRevision, type RecordRevisionOutcome } from './record-revision.js';
import { recordPageSignals, refreshSeriesLineage, type LineageDependencies } from './series-lineage.js';
import { addMinutes, type TrackerDependencies } from './tracker-dependencies.js';

/** What capturing a page needs: no capture queue (dispatch fills it), no subscriptions. */
export type CaptureDependencies = Pick<TrackerDependencies, 'revisions' | 'snapshots' | 'fetcher' | 'notifier' | 'now' | 'settings'>;

export type CaptureOutcome =
  | {
      outcome: 'captured';
      page: string;
      documentKey: string;
      documentHash: string;
      rawKey: string;
      created: boolean;
      /**
       * What recording it decided, when it happened here (a Document stored before, so no storage event comes):
       * `stale` means it was NOT recorded (a later capture is the latest revision).
       */
      recording?: RecordRevisionOutcome['outcome'];
      /** The page's lineage signals changed and series lineage was decided again (or could not be: the error). */
      lineage?: 'refreshed' | { error: string };
    }
  | { outcome: 'unchanged'; page: string; documentHash: string }
  | { outcome: 'not-modified'; page: string }
  | {
      outcome: 'failed';
      page: string;
      kind: CaptureFailureKind;
      message: string;
      httpStatus?: number;
      consecutiveFailures: number;
      alerted: boolean;
      nextDueAt: string;
    }
  | { outcome: 'skipped'; page: string; reason: string };

/**
 * Captures one page: conditional fetch, extraction, and storage of the raw body and the Document (content-addressed).
 * Storing a new Document is what triggers the diff (S3 ObjectCreated on docs/). Nothing here writes a revision,
 * except when the Document was already stored but never recorded (an earlier run crashed after storing it, and S3
 * sends no new event for a write that does not happen): then the revision is recorded here, idempotently.
 *
 * A failed fetch or an unreadable page is recorded as a capture failure, never as a revision, and the page is
 * rescheduled with backoff (honouring Retry-After). Errors of redline's own storage are thrown, so the queue retries.
 */
export async function capturePage(dependencies: CaptureDependencies, message: CaptureMessage): Promise<CaptureOutcome> {
  const { revisions, snapshots, fetcher } = dependencies;
  // The HTML reader (htmlparser2, entities, the profiles) is imported on the first capture, while the page is read and
  // fetched, not when the capture function starts: a cold start does not evaluate it (function-imports.test.ts).
  const reader = import('../domain/extract.js');
  reader.catch(() => undefined); // an early return leaves it unawaited; a failure is thrown where it is awaited
  let page = await revisions.getPage(message.page);
  if (!page && message.reason !== 'probe') return { outcome: 'skipped', page: message.page, reason: 'not watched' };

  const attemptedAt = dependencies.now();
  let fetched;
  try {
    fetched = await fetcher.fetchPage({
      url: page?.url ?? message.url,
      ...(page?.etag ? { etag: page.etag } : {}),
      ...(page?.lastModified ? { lastModified: page.lastModified } : {}),
      ...(page?.robotsOverride ? { ignoreRobots: true } : {}),
    });
  } catch (error) {
    if (!(error instanceof CaptureError)) throw error;
    if (!page) return { outcome: 'skipped', page: message.page, reason: `probe found nothing (${error.message})` };
    return recordCaptureFailure(dependencies, page, attemptedAt, error.kind, error.message, error.details);
  }

  if (fetched.status === 'not-modified') {
    if (!page) return { outcome: 'skipped', page: message.page, reason: 'probe answered 304' };
    await revisions.recordCheck(page.page, {
      checkedAt: attemptedAt.toISOString(),
      ...validators(fetched),
      nextDueAt: nextCheck(dependencies, page, attemptedAt),
    });
    return { outcome: 'not-modified', page: page.page };
  }

  let document: Document;
  let identity: ResolvedPageIdentity;
  const { readPage } = await reader;
  try {
    ({ document, identity } = readPage(fetched.text, { url: page?.url ?? message.url, ...(page ? { profile: page.profile } : {}) }));
  } catch (error) {
    if (!(error instanceof ExtractionError)) throw error;
    if (!page) return { outcome: 'skipped', page: message.page, reason: `probe found no report (${error.message})` };
    return recordCaptureFailure(dependencies, page, attemptedAt, 'body-missing', error.message, {});
  }

  if (!page) {
    // A probe found the next edition: watch it from now on.
    page = (await addWatch(dependencies, { url: message.url, origin: 'probe' })).page;
  }

  const documentHash = snapshots.documentHash(document);
  const latest = await revisions.latestRevision(page.page);
  const check = {
    checkedAt: attemptedAt.toISOString(),
    ...validators(fetched),
    nextDueAt: nextCheck(dependencies, page, attemptedAt),
  };
  if (documentHash === latest?.documentHash || documentHash === page.lastDocumentHash) {
    if (latest && documentHash === latest.documentHash && page.lastDocumentHash !== documentHash) {
      // The latest revision's recording was cut short after its put (a crash). For a Document stored before (the page
      // went back to an older text) no S3 event will come to finish it, and a stale lastDocumentHash would hide the
      // next change back: finish it here (idempotent).
      await recordRevision(dependencies, { page: page.page, documentKey: latest.documentKey, capturedAt: check.checkedAt });
    }
    await revisions.recordCheck(page.page, check);
    return { outcome: 'unchanged', page: page.page, documentHash };
  }

  const raw = await snapshots.putRaw(page.page, fetched.body, fetched.contentType);
  const stored = await snapshots.putDocument(page.page, document);
  let recording: RecordRevisionOutcome['outcome'] | undefined;
  if (!stored.created) {
    recording = (await recordRevision(dependencies, { page: page.page, documentKey: stored.key, capturedAt: check.checkedAt })).outcome;
  }
  // The validators vouch for this Document: kept only when it was recorded (or is about to be, by the storage event).
  const { etag: _etag, lastModified: _lastModified, ...withoutValidators } = check;
  await revisions.recordCheck(page.page, recording === 'stale' || recording === 'skipped' ? withoutValidators : check);
  const lineage = await updateLineage(dependencies, page, identity, check.checkedAt);
  return {
    outcome: 'captured',
    page: page.page,
    documentKey: stored.key,
    documentHash,
    rawKey: raw.key,
    created: stored.created,
    ...(recording ? { recording } : {}),
    ...(lineage ? { lineage } : {}),
  };
}

/**
 * A new text of the page: its lineage signals are stored when they changed (a first capture, a renamed country),
 * and then lineage is decided again. Derived data: a failure here is reported, not thrown, so it never costs the
 * capture; the next change of signals, an import or `redline series` decides again.
 */
async function updateLineage(
  dependencies: LineageDependencies,
  page: PageRecord,
  identity: ResolvedPageIdentity,
  capturedAt: string,
): Promise<'refreshed' | { error: string } | undefined> {
  try {
    if (!(await recordPageSignals(dependencies, page, identity, capturedAt))) return undefined;
    await refreshSeriesLineage(dependencies);
    return 'refreshed';
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function recordCaptureFailure(
  dependencies: Pick<TrackerDependencies, 'revisions' | 'notifier' | 'settings'>,
  page: PageRecord,
  attemptedAt: Date,
  kind: CaptureFailureKind,
  message: string,
  details: { httpStatus?: number; retryAfterSeconds?: number },
): Promise<CaptureOutcome> {
  const { revisions, notifier, settings } = dependencies;
  const failuresSoFar = page.consecutiveFailures ?? 0;
  const backoffMinutes = Math.min(settings.failureBackoffMinutes * 2 ** failuresSoFar, page.intervalMinutes ?? settings.defaultIntervalMinutes);
  const retryAfterMinutes = (details.retryAfterSeconds ?? 0) / 60;
  const nextDueAt = addMinutes(attemptedAt, Math.max(backoffMinutes, retryAfterMinutes));
  const capturedAt = attemptedAt.toISOString();
  const consecutiveFailures = await revisions.recordFailure(page.page, {
    kind,
    message,
    ...(details.httpStatus !== undefined ? { httpStatus: details.httpStatus } : {}),
    capturedAt,
    url: page.url,
    nextDueAt,
  });
  // Alert once per run of failures, when it reaches the threshold. The page remembers a delivered alert (until the
  // next success), so a publish that failed is retried with the next failure instead of being lost past the threshold.
  const alerted = consecutiveFailures >= settings.failureAlertThreshold && !page.alertedAt;
  if (alerted) {
    await notifier.publish({
      type: 'alert',
      id: notificationIds.alert(page.page, capturedAt),
      page: page.page,
      url: page.url,
      ...(page.series ? { series: page.series } : {}),
      ...(page.edition !== undefined ? { edition: page.edition } : {}),
      ...(page.title ? { title: page.title } : {}),
      occurredAt: capturedAt,
      kind,
      message,
      ...(details.httpStatus !== undefined ? { httpStatus: details.httpStatus } : {}),
      consecutiveFailures,
    });
    await revisions.markAlerted(page.page, capturedAt);
  }
  return {
    outcome: 'failed',
    page: page.page,
    kind,
    message,
    ...(details.httpStatus !== undefined ? { httpStatus: details.httpStatus } : {}),
    consecutiveFailures,
    alerted,
    nextDueAt,
  };
}

function nextCheck(dependencies: Pick<TrackerDependencies, 'settings'>, page: PageRecord, from: Date): string {
  return addMinutes(from, page.intervalMinutes ?? dependencies.settings.defaultIntervalMinutes);
}

function validators(result: { etag?: string; lastModified?: string }): { etag?: string; lastModified?: string } {
  return {
    ...(result.etag ? { etag: result.etag } : {}),
    ...(result.lastModified ? { lastModified: result.lastModified } : {}),
  };
}
