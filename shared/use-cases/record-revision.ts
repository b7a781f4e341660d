import type { Document } from '../domain/document.js';
import { diffDocuments } from '../domain/diff-documents.js';
import { ConflictError } from '../errors.js';
import { revisionSectionsFrom, type RevisionRecord } from '../domain/revision-records.js';
import { buildTermIndex } from '../domain/term-index.js';
import { storeTermIndex } from './term-index.js';
import type { PageRecord } from '../domain/page-records.js';
import type { TrackerDependencies } from './tracker-dependencies.js';

export interface RecordRevisionRequest {
  page: string;
  /** docs/<page>/<sha256>.json of the newly stored Document. */
  documentKey: string;
  capturedAt: string;
  /** The Document's term index is stored already (an import builds it while extracting): not built again here. */
  termIndexStored?: boolean;
  /**
   * The page's latest revision as the caller knows it (null: none), when the caller has just recorded it or has just
   * created the page: the page item and the latest revision are then not read first. A new revision is then put on
   * that belief (its conditional put proves it); a Document found already recorded, stale or unchanged is decided on
   * a read, as without it. Omitted: both are read.
   */
  expectedLatest?: LatestRevision | null;
}

/** What recording needs of the latest revision. */
export type LatestRevision = Pick<RevisionRecord, 'seq' | 'documentKey' | 'documentHash' | 'capturedAt'>;

export type RecordRevisionOutcome =
  | { outcome: 'recorded'; revision: RevisionRecord }
  /** This Document is already the latest revision (a duplicate event, or a retry after a crash). */
  | { outcome: 'duplicate'; seq: number }
  /**
   * Captured before the latest revision (a late duplicate, or events delivered out of order): recording it now would
   * put an older text after a newer one. Its change, if any, is part of the latest revision's diff.
   */
  | { outcome: 'stale'; seq: number }
  /** The Document differs from the latest only outside its sections (e.g. metadata dates): no revision. */
  | { outcome: 'no-change'; seq: number }
  | { outcome: 'skipped'; reason: string };

const MAX_ATTEMPTS = 5;

/** What recording needs; `now` (the recording's clock) tells a revision dated in the future (default: the system clock). */
export type RecordDependencies = Pick<TrackerDependencies, 'revisions' | 'snapshots'> & Partial<Pick<TrackerDependencies, 'now'>>;

/** How far ahead of the recording clock a revision's time may be and still be believed (clock skew between hosts). */
export const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

/**
 * A capture is stale when the latest revision was captured after it. A latest revision dated beyond the recording
 * clock's now (by more than clock skew) cannot have been captured after anything (a page's own date in the future,
 * taken as its capture time by an import before imports bounded it): it never makes a capture stale, or that page
 * would record nothing until the date passed.
 */
export function isStale(capturedAt: string, latestCapturedAt: string, now: number): boolean {
  const latest = Date.parse(latestCapturedAt);
  return Date.parse(capturedAt) < latest && latest <= now + FUTURE_TOLERANCE_MS;
}

/**
 * Diffs a newly stored Document against the page's latest revision and records the next revision: the full diff is
 * put to S3 first, then ONE conditional put of the revision item. Two workers racing for the same seq cannot both
 * win; the loser re-reads, and either finds its own Document there (done) or diffs against the winner and tries
 * the next seq. Every outcome is idempotent under duplicate delivery.
 */
export async function recordRevision(dependencies: RecordDependencies, request: RecordRevisionRequest): Promise<RecordRevisionOutcome> {
  const { revisions, snapshots } = dependencies;
  const now = (dependencies.now ?? (() => new Date()))().getTime();
  let expected = request.expectedLatest;
  let page: PageRecord | undefined;
  /** The page item, read once; false when the page is not watched. */
  const readPage = async () => {
    page ??= await revisions.getPage(request.page);
    return page !== undefined;
  };
  if (expected === undefined && !(await readPage())) return notWatched(request);
  const document = await snapshots.getDocument(request.documentKey);
  const documentHash = snapshots.documentHash(document);

  let conflicts = 0;
  while (conflicts < MAX_ATTEMPTS) {
    // What the caller believes is the latest decides a new revision only, which the conditional put then proves: seqs
    // are contiguous, so revision n existing and seq n + 1 free means n is the latest. Anything else is decided on a read.
    const believed = expected !== undefined;
    const latest = believed ? (expected ?? undefined) : await revisions.latestRevision(request.page);
    expected = undefined;
    if (believed && (latest?.documentHash === documentHash || (latest && isStale(request.capturedAt, latest.capturedAt, now)))) {
      if (!(await readPage())) return notWatched(request);
      continue;
    }
    if (latest?.documentHash === documentHash) {
      // A crash after the revision put may have left the rest undone: finish it (every step is idempotent). A page
      // recorded before it carried its latest revision's key gets it here too.
      if (page!.lastDocumentHash !== documentHash || page!.latestRevisionSeq !== latest.seq || page!.latestDocumentKey !== latest.documentKey)
        await completeRecording(dependencies, request, document, documentHash, latest);
      return { outcome: 'duplicate', seq: latest.seq };
    }
    if (latest && isStale(request.capturedAt, latest.capturedAt, now)) {
      // Not recorded. The validators it was fetched with must not turn the next check into a 304 about it.
      await revisions.forgetValidators(request.page);
      return { outcome: 'stale', seq: latest.seq };
    }
    const seq = (latest?.seq ?? 0) + 1;
    let revision: RevisionRecord;
    if (latest) {
      const previous = await snapshots.getDocument(latest.documentKey);
      const diff = diffDocuments(previous, document);
      const { sections, truncated } = revisionSectionsFrom(diff);
      if (sections.length === 0) {
        if (believed) {
          if (!(await readPage())) return notWatched(request);
          continue;
        }
        // Same sections, same text: only metadata moved. Remember the hash so the next capture stops here.
        await revisions.recordCheck(request.page, { checkedAt: request.capturedAt, documentHash });
        return { outcome: 'no-change', seq: latest.seq };
      }
      const diffKey = await snapshots.putDiff(request.page, latest.seq, seq, diff, documentHash);
      revision = {
        ...baseRevision(request, document, documentHash, seq),
        previousSeq: latest.seq,
        diffKey,
        summary: diff.summary,
        sections,
        ...(truncated ? { sectionsTruncated: true } : {}),
        significance: diff.summary.significance,
      };
    } else {
      revision = { ...baseRevision(request, document, documentHash, seq), summary: null, sections: [], significance: 0 };
    }
    try {
      await revisions.putRevision(revision);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      conflicts++;
      // Lost a race, or believed an outdated latest: decided again on a read, on a watched page.
      if (!(await readPage())) return notWatched(request);
      continue;
    }
    await completeRecording(dependencies, request, document, documentHash, revision);
    return { outcome: 'recorded', revision };
  }
  throw new ConflictError(`Could not record a revision of ${request.page} after ${MAX_ATTEMPTS} attempts`);
}

function notWatched(request: RecordRevisionRequest): RecordRevisionOutcome {
  return { outcome: 'skipped', reason: `page ${request.page} is not watched` };
}

/**
 * What follows the revision put: the Athena section lines and the Document's term index (derived, best effort: a
 * whole-store query builds a missing one), then the page's last document hash (the marker of done) with its latest
 * revision's seq and Document key, in one update.
 */
async function completeRecording(
  { revisions, snapshots }: RecordDependencies,
  request: RecordRevisionRequest,
  document: Document,
  documentHash: string,
  latest: Pick<RevisionRecord, 'seq' | 'documentKey'>,
): Promise<void> {
  await Promise.all([
    snapshots.putSectionLines(document, request.page),
    request.termIndexStored ? undefined : storeTermIndex(snapshots, request.documentKey, buildTermIndex(document)),
  ]);
  await revisions.recordCheck(request.page, {
    checkedAt: request.capturedAt,
    documentHash,
    latestRevision: { seq: latest.seq, documentKey: latest.documentKey },
  });
}

function baseRevision(
  request: RecordRevisionRequest,
  document: { url: string; canonicalUrl: string; title: string; series?: string; edition?: number },
  documentHash: string,
  seq: number,
) {
  return {
    page: request.page,
    seq,
    capturedAt: request.capturedAt,
    documentHash,
    documentKey: request.documentKey,
    url: document.url,
    title: document.title,
    ...(document.series !== undefined ? { series: document.series } : {}),
    ...(document.edition !== undefined ? { edition: document.edition } : {}),
  };
}
