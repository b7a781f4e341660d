import pLimit from 'p-limit';
import type { Document } from '../domain/document.js';
import type { ResolvedPageIdentity } from '../domain/identity/resolve-page-identity.js';
import { pageIdFor } from '../domain/page-identity.js';
import { genericProfile, PROFILES } from '../domain/profiles/index.js';
import { ArchiveUrlError, ExtractionError, RedlineError, ValidationError } from '../errors.js';
import type { PageRecord } from '../domain/page-records.js';
import type { RevisionRecord } from '../domain/revision-records.js';
import type { TermIndex } from '../domain/term-index.js';
import type { SerializedDocument } from '../ports/snapshot-store.js';
import { addWatch } from './add-watch.js';
import { inProcessCaptureReader, type CaptureReader } from './capture-reading.js';
import { recordRevision, type LatestRevision } from './record-revision.js';
import { recordPagesSignals, refreshSeriesLineage, type LineageRefresh } from './series-lineage.js';
import { storeTermIndex } from './term-index.js';
import type { TrackerDependencies } from './tracker-dependencies.js';

/**
 * Backfill: saved pages and archived responses become captures, so a page's history (and its series' editions) can
 * start before redline watched it.
 *
 * Two passes, so that thousands of inputs never sit in memory at once and every page's revisions are still recorded
 * in capture-time order (history is append-only: a capture older than a page's latest revision cannot follow it):
 *
 * 1. read: captures stream in one at a time (at most ~2x `concurrency` in memory); each is extracted (by `reader`:
 *    in process, or on worker threads so that extraction uses every core), its page is watched if it was not (origin
 *    `import`), and its raw body, Document and term index are stored, content-addressed, at once. Only a
 *    small descriptor per capture is kept. A capture whose Document is already a revision of its page is skipped
 *    here (so a second run stores nothing), as is a second copy of one Document within the run.
 * 2. record: per page (pages in parallel), the descriptors sorted by capture time go through recordRevision, the
 *    diff function's use case: diff against the previous revision, full diff to S3, one conditional revision put.
 *
 * Capture time: the page's own modified date, else its published date, else the archive's time; with
 * `timeSource: 'archive'` the archive's time only. None may be later than the import itself (`now`). The archive's time is the capture time a web archive states (the
 * Wayback timestamp of an archive-wrapped URL, or its closing comment), else the WARC-Date or the file's mtime.
 *
 * Each page is identified from its own evidence (docs/page-identity.md); the pages nothing identifies fail, and
 * those read only by the generic profile though they come from a site with a profile are listed as `unplaced`. At
 * the end the pages' lineage signals are stored and series lineage is decided again.
 */

/** One saved page, as a capture source yields it. */
export interface ArchivedCapture {
  /** Where it came from, for messages: a file path, or `<file.warc.gz>#<record offset>`. */
  source: string;
  /** The body as saved, decompressed (what gets archived under raw/). */
  body: Uint8Array;
  /** The body decoded as text (BOM, Content-Type charset, <meta charset>, else UTF-8). */
  text: string;
  /** Media type without parameters (`text/html` for saved files). */
  contentType: string;
  /** The URL the archive says the page came from (WARC-Target-URI); saved files have none. */
  url?: string;
  /** ISO-8601: the WARC-Date of the record, or the file's modification time. */
  archivedAt: string;
}

/** An input that could not be read as a capture (an unreadable file, a broken WARC record, a size cap). */
export interface UnreadableInput {
  source: string;
  error: string;
  /** The input itself is bad (truncated, corrupt, over the size cap), not just unreadable here: the CLI exits 2. */
  badInput?: boolean;
}

export type CaptureSourceItem = { capture: ArchivedCapture; unreadable?: never } | { unreadable: UnreadableInput; capture?: never };

export type ImportDependencies = Pick<TrackerDependencies, 'revisions' | 'snapshots' | 'now' | 'settings'>;

export interface ImportOptions {
  /** Captures read, extracted and stored at once, and pages recorded at once (default 4). */
  concurrency?: number;
  /** `page` (default): modified, else published, else the archive's time. `archive`: the archive's time only. */
  timeSource?: 'page' | 'archive';
  /** Minutes between checks of pages this import starts watching (default: the tracker's default). */
  intervalMinutes?: number;
  /**
   * The check a page's URL passes before it is watched or stored, as a URL submitted to `watch add` or the API does
   * (the CLI passes the public-URL check: no private, loopback or link-local hosts). It throws why not; that capture
   * fails with the reason and the import goes on. Default: any URL.
   */
  assertUrl?: (url: string) => URL;
  onProgress?: (progress: ImportProgress) => void;
  /**
   * Stops the import cleanly: no more input is read and the writes under way finish. Stopped while reading, nothing
   * is recorded (a page's unread captures might be older than its read ones); stopped while recording, each page
   * stops after its current revision. Either way, running the same import again completes it.
   */
  signal?: AbortSignal;
  /**
   * Where the captures go (default: the local store, recorded here by recordRevision). A cloud backfill stages them
   * and sends them on the deployed stack's FIFO import queue instead (cloud-import.ts).
   */
  destination?: ImportDestination;
  /**
   * Extraction, identity and term index of each capture (default: in process). The CLI passes a pool of worker
   * threads (adapters/workers/capture-reader-pool.ts); the report and the store are the same either way.
   */
  reader?: CaptureReader;
}

export type StoreDocumentResult =
  /** termIndexStored: the Document's term index is stored too (else recording builds it). */
  | { kind: 'stored'; key: string; storedBefore: boolean; termIndexStored: boolean }
  /** An earlier run decided it already (the message says how): nothing to store or record. */
  | { kind: 'skipped'; message: string }
  | { kind: 'failed'; message: string };

export type RecordResult = ImportItemResult | { outcome: 'imported' };

/** The two steps an import hands over: storing a capture's Document (pass 1) and recording a page's captures (pass 2). */
export interface ImportDestination {
  /** Stores the Document of a capture of `page` (its raw body is stored meanwhile), and its term index where it can. */
  storeDocument(page: string, document: Document, serialized: SerializedDocument, termIndex: TermIndex): Promise<StoreDocumentResult>;
  /**
   * Pass 2 for one page: its captures, oldest first. Resolves once they are handed over (recorded, or sent); `settled`
   * resolves with one result per capture once each is decided. `onDecided` is called for each as it is. `latestSeq`:
   * the page's latest revision as its recording last saw it, when it saw it (else the import reads it at the end).
   */
  recordPage(
    state: { page: string; watchedNow: boolean },
    captures: readonly PendingCapture[],
    onDecided: () => void,
    signal?: AbortSignal,
  ): Promise<{ settled: Promise<RecordResult[]>; latestSeq?: number }>;
}

export interface ImportProgress {
  phase: 'read' | 'record';
  /** Captures read so far (including skipped and failed ones). */
  read: number;
  /** Decompressed bytes of the captures read. */
  bytes: number;
  /** Revisions to record (known once reading is done) and those done so far. */
  toRecord: number;
  recorded: number;
  elapsedMs: number;
}

export type ImportItemOutcome =
  /** Recorded as revision `seq`. */
  | 'imported'
  /** Its Document is already a revision of the page (an earlier run, or a copy within this run). */
  | 'skipped'
  /** Same sections and text as the revision before it (only metadata differs): no revision. */
  | 'unchanged'
  /** Captured before the page's latest revision, which an earlier run or a live capture recorded. */
  | 'out-of-order'
  /** Sent on a deployed stack's import queue and not decided yet (a cloud import that did not wait). */
  | 'queued'
  | 'failed';

export interface ImportItemResult {
  source: string;
  outcome: Exclude<ImportItemOutcome, 'imported'>;
  page?: string;
  capturedAt?: string;
  message: string;
  /** Failed because the input is bad (a truncated WARC, corrupt or over-cap compressed data). */
  badInput?: true;
}

export interface ImportedPage {
  page: string;
  url: string;
  series?: string;
  edition?: number;
  /** True when this import started watching it. */
  watched: boolean;
  imported: number;
  skipped: number;
  /** Seq of the page's latest revision after the import. */
  latestSeq?: number;
}

/** A page the import could not place as a report: nothing identifies it, or only the generic profile reads it. */
export interface UnplacedPage {
  source: string;
  /** The URL it was read as, when it has one. */
  url?: string;
  /** The profile that read it (absent when nothing identified it). */
  profile?: string;
  reason: string;
  /** What was looked at and could not be used. */
  tried: string[];
}

export interface ImportReport {
  /** Captures read (saved files and WARC response records), unreadable inputs included. */
  read: number;
  /** Decompressed bytes of the captures read. */
  bytes: number;
  imported: number;
  skipped: number;
  unchanged: number;
  outOfOrder: number;
  failed: number;
  /** Of the failed, the inputs that are bad (truncated, corrupt, over the size cap). */
  badInput: number;
  /** Sent on the import queue and not decided by the end of the import (a cloud import; 0 otherwise). */
  queued: number;
  /** Pages this import started watching. */
  watched: number;
  pages: ImportedPage[];
  /** Set when `signal` stopped the import before the end: run it again to complete it. */
  interrupted?: 'while reading' | 'while recording';
  /** Every capture that was not imported, with why (skips included). */
  notImported: ImportItemResult[];
  /** Pages that matched no profile, or only the generic one though their site has a profile. */
  unplaced: UnplacedPage[];
  /** Series links this import's pages made (or undid), with their evidence. */
  lineage?: Pick<LineageRefresh, 'linked' | 'unlinked'>;
  durationMs: number;
}

/** A capture stored by pass 1 and waiting for pass 2. */
export interface PendingCapture {
  source: string;
  page: string;
  capturedAt: string;
  archivedAt: string;
  documentKey: string;
  documentHash: string;
  /** Stored by an earlier run (content-addressed), which decided it already if a later capture was recorded since. */
  storedBefore: boolean;
  /** Its term index was stored with it (recording then does not build it again). */
  termIndexStored: boolean;
}

interface PageState {
  record: PageRecord;
  watched: boolean;
  /** The identity of the page's newest capture in this run (its lineage signals are stored at the end). */
  newest?: { capturedAt: string; identity: ResolvedPageIdentity };
  /** Document hashes that are revisions of the page already, or stored in this run. */
  known: Set<string>;
  pending: PendingCapture[];
  imported: number;
}

const DEFAULT_CONCURRENCY = 4;

export async function importPages(
  dependencies: ImportDependencies,
  source: AsyncIterable<CaptureSourceItem>,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new ValidationError('concurrency must be an integer from 1 to 64');
  }
  const started = performance.now();
  const destination = options.destination ?? localDestination(dependencies);
  const reader = options.reader ?? inProcessCaptureReader;
  const pages = new Map<string, Promise<PageState>>();
  const notImported: ImportItemResult[] = [];
  const unplaced: UnplacedPage[] = [];
  const progress: ImportProgress = { phase: 'read', read: 0, bytes: 0, toRecord: 0, recorded: 0, elapsedMs: 0 };
  const report = () => options.onProgress?.({ ...progress, elapsedMs: performance.now() - started });

  const pageState = (url: string, page: string, identity: WatchIdentity): Promise<PageState> => {
    let state = pages.get(page);
    if (!state) {
      state = loadPageState(dependencies, url, page, identity, options.intervalMinutes);
      pages.set(page, state);
      // A failed lookup is retried by the next capture of the page rather than cached.
      state.catch(() => pages.delete(page));
    }
    return state;
  };

  const readOne = async (capture: ArchivedCapture): Promise<void> => {
    try {
      const result = await storeCapture(
        dependencies,
        destination,
        reader,
        capture,
        pageState,
        options.timeSource ?? 'page',
        (page) => unplaced.push(page),
        options.assertUrl,
      );
      if (result) notImported.push(result);
    } catch (error) {
      notImported.push({ source: capture.source, outcome: 'failed', message: errorMessage(error) });
    }
  };

  // Pass 1: read, extract and store, with backpressure on the source.
  const limit = pLimit(concurrency);
  const inFlight = new Set<Promise<void>>();
  for await (const item of source) {
    if (options.signal?.aborted) break;
    progress.read++;
    if (item.unreadable) {
      notImported.push({
        source: item.unreadable.source,
        outcome: 'failed',
        message: item.unreadable.error,
        ...(item.unreadable.badInput ? { badInput: true as const } : {}),
      });
      report();
      continue;
    }
    progress.bytes += item.capture.body.byteLength;
    const task = limit(() => readOne(item.capture)).finally(() => {
      inFlight.delete(task);
      report();
    });
    inFlight.add(task);
    while (inFlight.size >= concurrency * 2) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const interruptedReading = options.signal?.aborted === true;

  // Pass 2: per page, in capture-time order.
  const states = await settledStates(pages);
  if (interruptedReading) for (const state of states) state.pending = [];
  progress.phase = 'record';
  progress.toRecord = states.reduce((sum, state) => sum + state.pending.length, 0);
  report();
  const onDecided = () => {
    progress.recorded++;
    report();
  };
  const handedOver = await Promise.all(
    states.map((state) =>
      limit(async () => {
        state.pending.sort(
          (a, b) => a.capturedAt.localeCompare(b.capturedAt) || a.archivedAt.localeCompare(b.archivedAt) || a.source.localeCompare(b.source),
        );
        try {
          return await destination.recordPage({ page: state.record.page, watchedNow: state.watched }, state.pending, onDecided, options.signal);
        } catch (error) {
          const failed = state.pending.map((capture): RecordResult => ({
            source: capture.source,
            page: capture.page,
            capturedAt: capture.capturedAt,
            outcome: 'failed',
            message: errorMessage(error),
          }));
          return { settled: Promise.resolve(failed) };
        }
      }),
    ),
  );
  const recorded = await Promise.all(handedOver.map((handover) => handover.settled));
  recorded.forEach((results, index) => {
    for (const result of results) {
      if (result.outcome === 'imported') states[index]!.imported++;
      else notImported.push(result);
    }
  });

  // A page whose recording saw its latest revision last is not asked again.
  const latest = await Promise.all(
    states.map((state, index) => {
      const seq = handedOver[index]?.latestSeq;
      return seq !== undefined ? { seq } : limit(() => dependencies.revisions.latestRevision(state.record.page));
    }),
  );
  // Stopped (Ctrl-C, a full disk): no lineage writes; the next run decides lineage from its captures.
  const lineage = options.signal?.aborted ? undefined : await updateLineage(dependencies, states);
  const placedHosts = new Set(
    states.filter((state) => state.record.profile !== genericProfile.name).flatMap((state) => hostOf(state.record.url) ?? []),
  );
  const unplacedPages: UnplacedPage[] = unplaced.filter((page) => page.profile !== genericProfile.name || siteHost(page.url, placedHosts));
  const skippedByPage = new Map<string, number>();
  for (const item of notImported) {
    if (item.outcome === 'skipped' && item.page !== undefined) skippedByPage.set(item.page, (skippedByPage.get(item.page) ?? 0) + 1);
  }
  const importedPages = states
    .map((state, index): ImportedPage => {
      const { record } = state;
      const seq = latest[index]?.seq;
      return {
        page: record.page,
        url: record.url,
        ...(record.series !== undefined ? { series: record.series } : {}),
        ...(record.edition !== undefined ? { edition: record.edition } : {}),
        watched: state.watched,
        imported: state.imported,
        skipped: skippedByPage.get(record.page) ?? 0,
        ...(seq !== undefined ? { latestSeq: seq } : {}),
      };
    })
    .sort((a, b) => a.page.localeCompare(b.page));
  const count = (outcome: ImportItemOutcome) => notImported.filter((item) => item.outcome === outcome).length;
  return {
    read: progress.read,
    bytes: progress.bytes,
    imported: importedPages.reduce((sum, page) => sum + page.imported, 0),
    skipped: count('skipped'),
    unchanged: count('unchanged'),
    outOfOrder: count('out-of-order'),
    failed: count('failed'),
    badInput: notImported.filter((item) => item.badInput).length,
    queued: count('queued'),
    watched: importedPages.filter((page) => page.watched).length,
    pages: importedPages,
    ...(interruptedReading ? { interrupted: 'while reading' as const } : options.signal?.aborted ? { interrupted: 'while recording' as const } : {}),
    notImported,
    unplaced: unplacedPages.sort((a, b) => a.source.localeCompare(b.source)),
    ...(lineage ? { lineage } : {}),
    durationMs: performance.now() - started,
  };
}

/** Stores each page's lineage signals (from its newest capture) and decides series lineage again when they changed. */
async function updateLineage(
  dependencies: ImportDependencies,
  states: readonly PageState[],
): Promise<Pick<LineageRefresh, 'linked' | 'unlinked'> | undefined> {
  const entries = states.flatMap((state) =>
    state.newest && state.record.series ? [{ page: state.record, identity: state.newest.identity, recordedAt: state.newest.capturedAt }] : [],
  );
  if (!(await recordPagesSignals(dependencies, entries))) return undefined;
  const { linked, unlinked } = await refreshSeriesLineage(dependencies);
  return { linked, unlinked };
}

/** A host a site profile names as its own, or one this import placed pages of. */
function siteHost(url: string | undefined, placedHosts: ReadonlySet<string>): boolean {
  const host = url ? hostOf(url) : undefined;
  if (!host) return false;
  return placedHosts.has(host) || PROFILES.some((profile) => profile.hosts?.includes(host));
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

async function settledStates(pages: Map<string, Promise<PageState>>): Promise<PageState[]> {
  const results = await Promise.allSettled(pages.values());
  return results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}

/** The page of a URL, watched now if it was not, with the Document hashes it already has. */
type WatchIdentity = { profile: string; series?: string; edition?: number };

async function loadPageState(
  dependencies: ImportDependencies,
  url: string,
  page: string,
  identity: WatchIdentity,
  intervalMinutes: number | undefined,
): Promise<PageState> {
  // Read first: on a resumed import every page exists, and a read is one call where addWatch takes three.
  const existing = await dependencies.revisions.getPage(page);
  const { page: record, created } = existing
    ? { page: existing, created: false }
    : await addWatch(dependencies, { url, origin: 'import', identity, ...(intervalMinutes !== undefined ? { intervalMinutes } : {}) });
  const known = new Set<string>();
  if (record.lastDocumentHash) known.add(record.lastDocumentHash);
  if (!created) {
    let cursor: string | undefined;
    do {
      const batch = await dependencies.revisions.listRevisions(record.page, { cursor, limit: 500, newestFirst: false });
      for (const revision of batch.items) known.add(revision.documentHash);
      cursor = batch.cursor;
    } while (cursor);
  }
  return { record, watched: created, known, pending: [], imported: 0 };
}

/** Pass 1 for one capture: undefined when it is stored and waits for pass 2, else why not. */
async function storeCapture(
  dependencies: ImportDependencies,
  destination: ImportDestination,
  reader: CaptureReader,
  capture: ArchivedCapture,
  pageState: (url: string, page: string, identity: WatchIdentity) => Promise<PageState>,
  timeSource: 'page' | 'archive',
  onUnplaced: (page: UnplacedPage) => void,
  assertUrl?: (url: string) => URL,
): Promise<ImportItemResult | undefined> {
  let document: Document;
  let identity: ResolvedPageIdentity;
  let termIndex: TermIndex;
  try {
    ({ document, identity, termIndex } = await reader.read(capture.text, capture.url));
  } catch (error) {
    if (error instanceof ExtractionError)
      return { source: capture.source, outcome: 'failed', message: `not a readable report page: ${error.message}` };
    if (error instanceof ArchiveUrlError) return { source: capture.source, outcome: 'failed', message: `the archive record's URL: ${error.message}` };
    throw error;
  }
  const pageUrl = identity.canonicalUrl;
  if (!pageUrl) {
    const tried = identity.tried.join('; ');
    onUnplaced({ source: capture.source, reason: 'nothing in the page or its URL says which page it is', tried: identity.tried });
    return {
      source: capture.source,
      outcome: 'failed',
      message: `nothing identifies this page (tried: ${tried || 'no URL and no recognisable content'})`,
    };
  }
  // A page cannot make itself a watch of a private host by what it says its URL is: refused before anything is stored.
  try {
    assertUrl?.(pageUrl);
  } catch (error) {
    return { source: capture.source, outcome: 'failed', message: `refused: the page says it is ${pageUrl}: ${errorMessage(error)}` };
  }
  if (identity.profile.name === genericProfile.name || identity.series === undefined) {
    onUnplaced({
      source: capture.source,
      url: pageUrl,
      profile: identity.profile.name,
      reason:
        identity.profile.name === genericProfile.name
          ? 'no site profile reads it: imported as a generic page, with no series or edition'
          : `the ${identity.profile.name} profile reads it but cannot tell its series: ${identity.evidence.join('; ')}`,
      tried: identity.tried,
    });
  }
  const watchIdentity: WatchIdentity = {
    profile: identity.profile.name,
    ...(identity.series !== undefined ? { series: identity.series } : {}),
    ...(identity.edition !== undefined ? { edition: identity.edition } : {}),
  };
  const state = await pageState(pageUrl, pageIdFor(pageUrl, identity), watchIdentity);
  const page = state.record;
  // Read it as a live capture of the watched URL would be, so the Document (and its hash) is the same.
  if (document.url !== page.url || document.profile !== page.profile)
    ({ document, termIndex } = await reader.extract(capture.text, page.url, page.profile));
  const capturedAt = captureTime(document, capture, timeSource, identity, dependencies.now().getTime());
  if (!state.newest || state.newest.capturedAt < capturedAt) state.newest = { capturedAt, identity };

  // Serialised once: its hash now, its JSON for the store (a report page's Document is ~100 KB of JSON).
  const serialized = dependencies.snapshots.serializeDocument(document);
  const documentHash = serialized.sha256;
  if (state.known.has(documentHash)) {
    return { source: capture.source, outcome: 'skipped', page: page.page, message: 'already stored: this Document is a revision of the page' };
  }
  state.known.add(documentHash);
  // The raw body and the Document at once (each is content-addressed, so any order is safe to redo).
  const [, stored] = await Promise.all([
    dependencies.snapshots.putRaw(page.page, capture.body, capture.contentType),
    destination.storeDocument(page.page, document, serialized, termIndex),
  ]);
  if (stored.kind === 'skipped') return { source: capture.source, outcome: 'skipped', page: page.page, message: stored.message };
  if (stored.kind === 'failed') {
    state.known.delete(documentHash);
    return { source: capture.source, outcome: 'failed', page: page.page, message: stored.message };
  }
  state.pending.push({
    source: capture.source,
    page: page.page,
    capturedAt,
    archivedAt: capture.archivedAt,
    documentKey: stored.key,
    documentHash,
    storedBefore: stored.storedBefore,
    termIndexStored: stored.termIndexStored,
  });
  return undefined;
}

/** The local store: Documents under docs/, each page's captures recorded here, one after the other. */
function localDestination(dependencies: ImportDependencies): ImportDestination {
  return {
    async storeDocument(page, document, serialized, termIndex) {
      const stored = await dependencies.snapshots.putDocument(page, document, { serialized });
      const termIndexStored = await storeTermIndex(dependencies.snapshots, stored.key, termIndex);
      if (!stored.created) {
        // Stored by an earlier run that was never recorded: check that run finished writing it (the local s3rver writes
        // objects in place, so a killed process can leave half of one, and content-addressed writes never redo it).
        try {
          await dependencies.snapshots.getDocument(stored.key);
        } catch (error) {
          return {
            kind: 'failed',
            message:
              `the stored copy ${stored.key} is damaged (${errorMessage(error)}), probably by an interrupted earlier run: ` +
              'delete that object and import again',
          };
        }
      }
      return { kind: 'stored', key: stored.key, storedBefore: !stored.created, termIndexStored };
    },
    async recordPage(state, captures, onDecided, signal) {
      const results: RecordResult[] = [];
      /** The page's latest revision as its recording last saw it (seq undefined: none), undefined when not seen. */
      let seen: { seq?: number } | undefined;
      if (!state.watchedNow && !signal?.aborted) {
        try {
          seen = { seq: (await finishLatestRecording(dependencies, state.page))?.seq };
        } catch (error) {
          results.push({ source: state.page, page: state.page, outcome: 'failed', message: `finishing its latest revision: ${errorMessage(error)}` });
        }
      }
      // A page this import created has no revision (one recorded meanwhile by another process makes the first put
      // conflict, and recordRevision reads then); after that, only a revision this recording put is passed on.
      let expectedLatest: LatestRevision | null | undefined = state.watchedNow ? null : undefined;
      for (const capture of captures) {
        if (signal?.aborted) break;
        const recorded = await recordCapture(dependencies, capture, expectedLatest);
        results.push(recorded.result);
        expectedLatest = recorded.revision;
        seen = recorded.seq !== undefined ? { seq: recorded.seq } : undefined;
        onDecided();
      }
      return { settled: Promise.resolve(results), ...(seen?.seq !== undefined ? { latestSeq: seen.seq } : {}) };
    },
  };
}

/**
 * A run killed between a revision's put and the rest of its recording (the sections/ lines, then the page's
 * lastDocumentHash, the marker of done) left the page stale; its Document is a revision, so this run skips it in
 * pass 1. Finish it here: recordRevision's duplicate path completes it, idempotently.
 */
async function finishLatestRecording(dependencies: ImportDependencies, page: string): Promise<RevisionRecord | undefined> {
  const [record, latest] = await Promise.all([dependencies.revisions.getPage(page), dependencies.revisions.latestRevision(page)]);
  if (!record || !latest || record.lastDocumentHash === latest.documentHash) return latest;
  await recordRevision(dependencies, { page, documentKey: latest.documentKey, capturedAt: latest.capturedAt });
  return latest;
}

/**
 * Pass 2 for one capture, in its page's capture-time order. `expectedLatest`: the page's latest revision when this
 * recording knows it (recordRevision's). Returns, besides the result, the revision recorded (the next capture's
 * expected latest) and the page's latest seq as recording saw it.
 */
async function recordCapture(
  dependencies: ImportDependencies,
  capture: PendingCapture,
  expectedLatest: LatestRevision | null | undefined,
): Promise<{ result: RecordResult; revision?: RevisionRecord; seq?: number }> {
  const base = { source: capture.source, page: capture.page, capturedAt: capture.capturedAt };
  try {
    const result = await recordRevision(dependencies, {
      page: capture.page,
      documentKey: capture.documentKey,
      capturedAt: capture.capturedAt,
      termIndexStored: capture.termIndexStored,
      ...(expectedLatest !== undefined ? { expectedLatest } : {}),
    });
    switch (result.outcome) {
      case 'recorded':
        return { result: { outcome: 'imported' }, revision: result.revision, seq: result.revision.seq };
      case 'duplicate':
        return { result: { ...base, outcome: 'skipped', message: `already stored as revision ${result.seq}` }, seq: result.seq };
      case 'no-change': {
        const message = capture.storedBefore
          ? `already imported by an earlier run (same sections and text as revision ${result.seq})`
          : `same sections and text as revision ${result.seq} (only metadata differs)`;
        return { result: { ...base, outcome: capture.storedBefore ? 'skipped' : 'unchanged', message }, seq: result.seq };
      }
      case 'stale': {
        if (capture.storedBefore) {
          // An earlier run stored this Document and recorded a later capture after it: it was decided then (only its
          // metadata differed, or it came out of order then and was reported so). Nothing to store, nothing wrong.
          const message = `already imported by an earlier run (not a revision: revision ${result.seq} is later)`;
          return { result: { ...base, outcome: 'skipped', message }, seq: result.seq };
        }
        const latest = await dependencies.revisions.getRevision(capture.page, result.seq);
        return {
          result: {
            ...base,
            outcome: 'out-of-order',
            message:
              `captured ${capture.capturedAt}, before the page's latest revision ${result.seq} (${latest?.capturedAt ?? 'later'}); ` +
              'history is append-only, so older captures must be imported before newer ones (all of them in one run are sorted)',
          },
          seq: result.seq,
        };
      }
      case 'skipped':
        return { result: { ...base, outcome: 'failed', message: result.reason } };
    }
  } catch (error) {
    return { result: { ...base, outcome: 'failed', message: errorMessage(error) } };
  }
}

/**
 * A capture's time, bounded by the import's: a date later than `importedAt` (a page dated 2099, a WARC-Date ahead of
 * the clock) cannot be when the page was captured, so it counts as the import time (the latest it can be, which keeps
 * it after the page's other captures). Were it believed, the page's revision would sit in the future, and every live
 * capture before that date would be older than it (stale): change detection would stop.
 */
function captureTime(
  document: Document,
  capture: ArchivedCapture,
  timeSource: 'page' | 'archive',
  identity: ResolvedPageIdentity,
  importedAt: number,
): string {
  const bounded = (time: number) => new Date(Math.min(time, importedAt)).toISOString();
  if (timeSource === 'page') {
    for (const candidate of [document.modified, document.published]) {
      const time = candidate !== undefined ? Date.parse(candidate) : Number.NaN;
      if (!Number.isNaN(time)) return bounded(time);
    }
  }
  // A web archive's own capture time says when the page looked like this; a WARC-Date or a file time only when it was saved.
  const archived = Date.parse(identity.archive?.capturedAt ?? capture.archivedAt);
  return bounded(Number.isNaN(archived) ? importedAt : archived);
}

function errorMessage(error: unknown): string {
  if (error instanceof RedlineError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
