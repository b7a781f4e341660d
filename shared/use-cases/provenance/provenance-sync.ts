import pLimit from 'p-limit';
import type { Document } from '../../domain/document.js';
import { isCurrentIndexData, ProvenanceIndex, type ProvenanceIndexData, type VersionRef } from '../../domain/provenance/provenance-index.js';
import { versionSentences } from '../../domain/provenance/version-sentences.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { RevisionRecord } from '../../domain/revision-records.js';
import type { PageRecord } from '../../domain/page-records.js';
import type { TrackerDependencies } from '../tracker-dependencies.js';

/**
 * Keeping a scope's provenance index in step with the store. The index is derived data: the revisions in the table
 * and the Documents in S3 are the truth, and the index is caught up from them whenever it lacks a version. So an
 * update lost to a crash or a race is repaired by the next one (or by the next read), and nothing else ever needs
 * to be recomputed; a full rebuild happens only when asked for (or when the stored index was built by another
 * algorithm).
 */
export type ProvenanceDependencies = Pick<TrackerDependencies, 'revisions' | 'snapshots'>;

/** A series, or a page that belongs to none (its revisions are its whole timeline). */
export type ProvenanceScope = { kind: 'series'; series: string } | { kind: 'page'; page: string };

export function scopeId(scope: ProvenanceScope): string {
  return scope.kind === 'series' ? `series:${scope.series}` : `page:${scope.page}`;
}

export function scopeOfPageRecord(record: Pick<PageRecord, 'page' | 'series'>): ProvenanceScope {
  return record.series ? { kind: 'series', series: record.series } : { kind: 'page', page: record.page };
}

/**
 * A series scope is its lineage (docs/page-identity.md): every member's name gives the one index, named after the
 * lineage. When a link makes a new lineage, its index is caught up from the store like any index that lacks versions.
 */
export async function lineageScope(dependencies: ProvenanceDependencies, scope: ProvenanceScope): Promise<ProvenanceScope> {
  if (scope.kind !== 'series') return scope;
  const { id } = await dependencies.revisions.resolveSeries(scope.series);
  return id === scope.series ? scope : { kind: 'series', series: id };
}

/** A version the store lists, with the key of its Document. */
export interface ScopeVersion extends VersionRef {
  documentKey: string;
}

const LIST_BATCH = 500;
const PAGE_READS = 4;
const DOCUMENT_READS = 4;
const MAX_ATTEMPTS = 5;

/** Every captured version of the scope, from the revision table, in no particular order. */
export async function listScopeVersions(dependencies: ProvenanceDependencies, scope: ProvenanceScope): Promise<ScopeVersion[]> {
  return pageVersions(dependencies, await scopePages(dependencies, scope));
}

/** The scope's watched pages (their items: edition, latest revision seq): one listing of the series. */
async function scopePages(dependencies: ProvenanceDependencies, scope: ProvenanceScope): Promise<PageRecord[]> {
  const { revisions } = dependencies;
  if (scope.kind === 'page') {
    const record = await revisions.getPage(scope.page);
    if (!record) throw new NotFoundError(`No page ${scope.page}`);
    return [record];
  }
  const pages: PageRecord[] = [];
  let cursor: string | undefined;
  do {
    const batch = await revisions.listPages({ series: scope.series, limit: LIST_BATCH, cursor });
    pages.push(...batch.items);
    cursor = batch.cursor;
  } while (cursor);
  if (pages.length === 0) throw new NotFoundError(`No series ${scope.series}`);
  return pages;
}

/** Every revision of the given pages, a Query (or a few) a page; a version's edition is its page's. */
async function pageVersions(dependencies: ProvenanceDependencies, pages: readonly PageRecord[]): Promise<ScopeVersion[]> {
  const limit = pLimit(PAGE_READS);
  const perPage = await Promise.all(
    pages.map((page) =>
      limit(async () => (await allRevisions(dependencies, page.page)).map((revision) => scopeVersion(revision, page.edition ?? revision.edition))),
    ),
  );
  return perPage.flat();
}

async function allRevisions(dependencies: ProvenanceDependencies, page: string): Promise<RevisionRecord[]> {
  const records: RevisionRecord[] = [];
  let cursor: string | undefined;
  do {
    const batch = await dependencies.revisions.listRevisions(page, { newestFirst: false, limit: LIST_BATCH, cursor });
    records.push(...batch.items);
    cursor = batch.cursor;
  } while (cursor);
  return records;
}

function scopeVersion(revision: RecordedRevision, edition: number | undefined): ScopeVersion {
  return {
    page: revision.page,
    seq: revision.seq,
    ...(edition !== undefined ? { edition } : {}),
    documentHash: revision.documentHash,
    capturedAt: revision.capturedAt,
    documentKey: revision.documentKey,
  };
}

/** Where the stored index stood when it was read. */
export type StoredIndexState = 'current' | 'absent' | 'outdated' | 'unreadable';

export interface ProvenanceState {
  scope: ProvenanceScope;
  index: ProvenanceIndex;
  /** The stored generation this state was built on (0: none). */
  generation: number;
  storedIndex: StoredIndexState;
  /** Versions added now from their Documents (missing from the stored index, or all of them on a rebuild). */
  added: number;
  /** The generation written, when one was. */
  written?: number;
  /**
   * What the store lists (the index may hold more: versions of pages no longer watched stay in the history). With
   * `recorded`, only what was listed: the versions of the pages the stored index could not vouch for, and the recorded one.
   */
  listed: ScopeVersion[];
}

/** A revision as its recording stored it (the stream image carries all of it). */
export type RecordedRevision = Pick<RevisionRecord, 'page' | 'seq' | 'edition' | 'documentHash' | 'capturedAt' | 'documentKey'>;

export interface SyncOptions {
  /** Write the caught-up index as the next generation (when it changed). Readers that may not write pass false. */
  persist: boolean;
  /** Ignore the stored index and rebuild from every Document (the on-demand full recompute). */
  rebuild?: boolean;
  /** Documents already in hand, by their docs/ key (the hook passes the one just recorded). */
  documents?: ReadonlyMap<string, Document>;
  /**
   * The revision whose recording asked for this sync (the stream consumer's). It narrows the listing to the pages
   * the stored index cannot vouch for (see `unvouchedPages`): in the steady state none, and the sync costs the one
   * listing of the scope's pages instead of a revision Query per page.
   */
  recorded?: RecordedRevision;
}

/**
 * Loads the scope's index and adds the versions the store lists but the index lacks, reading only their Documents.
 * With `persist`, writes the result as the next generation; a writer that loses the race for that generation reads
 * the winner's index and tries again. A reader (`persist: false`) that cannot read the stored index (missing
 * permission, corrupt object) carries on from the Documents alone.
 */
export async function syncProvenance(dependencies: ProvenanceDependencies, asked: ProvenanceScope, options: SyncOptions): Promise<ProvenanceState> {
  return syncLineageProvenance(dependencies, await lineageScope(dependencies, asked), options);
}

/** syncProvenance for a scope already resolved to its lineage (lineageScope). */
export async function syncLineageProvenance(
  dependencies: ProvenanceDependencies,
  scope: ProvenanceScope,
  options: SyncOptions,
): Promise<ProvenanceState> {
  const id = scopeId(scope);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const [stored, pages] = await Promise.all([readStored(dependencies, id, options.persist), scopePages(dependencies, scope)]);
    const usable = !options.rebuild && stored.state === 'current' && !(await holdsOtherLineages(dependencies, stored.data, pages));
    const index = usable ? ProvenanceIndex.fromData(stored.data as never) : new ProvenanceIndex(id);
    const listed =
      usable && options.recorded
        ? await narrowedListing(dependencies, stored.data as ProvenanceIndexData, pages, options.recorded)
        : await pageVersions(dependencies, pages);
    const missing = listed.filter((version) => !index.has(version));
    await addVersions(dependencies, index, missing, options.documents);
    const state: ProvenanceState = { scope, index, generation: stored.generation, storedIndex: stored.state, added: missing.length, listed };
    if (!options.persist || (usable && missing.length === 0)) return state;
    const generation = stored.generation + 1;
    if (await dependencies.snapshots.putProvenanceIndex(id, generation, index.toData())) return { ...state, written: generation };
  }
  throw new ConflictError(`Could not update the provenance index of ${id} after ${MAX_ATTEMPTS} attempts`);
}

/**
 * The pages whose revisions must be listed because the stored index cannot vouch for them. Seqs are contiguous and
 * revision items written once (record-revision.ts), so an index that holds a page's revisions 1..n holds every
 * revision up to n. A page is vouched for when the index holds 1..latestRevisionSeq (its page item's, written by the
 * recording's last step) and, for the recorded revision's page, every seq below the recorded one too. A page item
 * without latestRevisionSeq (no recording finished yet, or recorded before the field existed) is not vouched for.
 *
 * The repair property this keeps: an update lost for revision k of page P (a failed stream record past its retries)
 * is repaired by the next update of any page of the scope once P's item says latestRevisionSeq >= k, since P is then
 * not vouched for and its revisions are listed; if P's recording itself stopped before that write, by P's next
 * recording (seq k + 1 needs k). Readers catch up on what the index lacks as before, from the full listing.
 */
export function unvouchedPages(
  indexed: ProvenanceIndexData,
  pages: readonly PageRecord[],
  recorded: Pick<RevisionRecord, 'page' | 'seq'>,
): PageRecord[] {
  const held = new Set(indexed.versions.map((version) => `${version.seq}#${version.page}`));
  return pages.filter((page) => {
    const own = page.page === recorded.page;
    const upTo = own ? Math.max(page.latestRevisionSeq ?? 0, recorded.seq) : page.latestRevisionSeq;
    if (upTo === undefined) return true;
    for (let seq = 1; seq <= upTo; seq++) if (!(own && seq === recorded.seq) && !held.has(`${seq}#${page.page}`)) return true;
    return false;
  });
}

/** The versions of the unvouched pages, from the table, and the recorded one (in hand) when its page is vouched for. */
async function narrowedListing(
  dependencies: ProvenanceDependencies,
  indexed: ProvenanceIndexData,
  pages: readonly PageRecord[],
  recorded: RecordedRevision,
): Promise<ScopeVersion[]> {
  const unvouched = unvouchedPages(indexed, pages, recorded);
  const listed = await pageVersions(dependencies, unvouched);
  const page = pages.find((candidate) => candidate.page === recorded.page);
  if (page && !unvouched.includes(page)) listed.push(scopeVersion(recorded, page.edition ?? recorded.edition));
  return listed;
}

/**
 * An index that holds versions of pages that are watched but belong to another scope now (an unlink split the
 * lineage) is rebuilt rather than extended. Versions of pages no longer watched stay: they are history.
 */
async function holdsOtherLineages(dependencies: ProvenanceDependencies, data: unknown, pages: readonly PageRecord[]): Promise<boolean> {
  const scopePages = new Set(pages.map((page) => page.page));
  const indexed = new Set((data as ProvenanceIndexData).versions.map((version) => version.page));
  for (const page of indexed) {
    if (scopePages.has(page)) continue;
    if (await dependencies.revisions.getPage(page)) return true;
  }
  return false;
}

async function readStored(
  dependencies: ProvenanceDependencies,
  id: string,
  mustRead: boolean,
): Promise<{ state: StoredIndexState; generation: number; data?: unknown }> {
  try {
    const stored = await dependencies.snapshots.getProvenanceIndex(id);
    if (!stored) return { state: 'absent', generation: 0 };
    return { state: isCurrentIndexData(stored.data, id) ? 'current' : 'outdated', generation: stored.generation, data: stored.data };
  } catch (error) {
    // A writer must not build on a guess: it would only lose the race for generation 1 again and again.
    if (mustRead) throw error;
    return { state: 'unreadable', generation: 0 };
  }
}

/** Reads the missing versions' Documents (a few at a time) and adds them to the index. */
async function addVersions(
  dependencies: ProvenanceDependencies,
  index: ProvenanceIndex,
  versions: readonly ScopeVersion[],
  known: ReadonlyMap<string, Document> | undefined,
): Promise<void> {
  const limit = pLimit(DOCUMENT_READS);
  await Promise.all(
    versions.map((version) =>
      limit(async () => {
        const document = known?.get(version.documentKey) ?? (await dependencies.snapshots.getDocument(version.documentKey));
        const { documentKey: _documentKey, ...ref } = version;
        index.addVersion(ref, versionSentences(document));
      }),
    ),
  );
  // Adding in any order gives the same index; settling here keeps the expensive part out of the callers' reads.
  index.settle();
}

/**
 * Runs work for one scope of one store at a time within this process, and folds callers that arrive while a run is
 * waiting to start into that run: it starts after they recorded their revision, so it picks it up. Parallel
 * recordings of one series (an import, a batch of diff events) cost at most two updates in a row.
 */
export class ScopeSerializer {
  private readonly entries = new WeakMap<object, Map<string, { tail: Promise<unknown>; queued?: Promise<unknown> }>>();

  run<T>(store: object, scope: string, work: () => Promise<T>): Promise<T> {
    let scopes = this.entries.get(store);
    if (!scopes) {
      scopes = new Map();
      this.entries.set(store, scopes);
    }
    let entry = scopes.get(scope);
    if (!entry) {
      entry = { tail: Promise.resolve() };
      scopes.set(scope, entry);
    }
    if (entry.queued) return entry.queued as Promise<T>;
    const current = entry;
    const queued = current.tail.then(() => {
      current.queued = undefined;
      return work();
    });
    current.queued = queued;
    const tail = queued.then(
      () => undefined,
      () => undefined,
    );
    current.tail = tail;
    void tail.then(() => {
      if (scopes.get(scope) === current && current.tail === tail && !current.queued) scopes.delete(scope);
    });
    return queued;
  }
}
