import { blameVersion, type Blame, type BlamedSentence } from '../../domain/provenance/blame.js';
import { isCurrentIndexData, PROVENANCE_ALGORITHM, ProvenanceIndex } from '../../domain/provenance/provenance-index.js';
import {
  editionPairs,
  REMOVAL_FATES,
  removalLedger,
  type LedgerTransition,
  type RemovalFate,
  type RemovedSentence,
} from '../../domain/provenance/removal-ledger.js';
import { fnv1a64 } from '../../domain/sentences.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { PageOfItems } from '../../ports/revision-store.js';
import {
  lineageScope,
  listScopeVersions,
  scopeId,
  scopeOfPageRecord,
  syncProvenance,
  type ProvenanceDependencies,
  type ProvenanceScope,
  type ProvenanceState,
  type StoredIndexState,
} from './provenance-sync.js';

/**
 * The provenance reads (blame, removal ledger, index status) and the on-demand rebuild, shared by the API and the
 * CLI. Every read first catches the index up with the store, so answers are never stale; with `persist` (the CLI on
 * a store it may write) the caught-up index is stored too.
 */
export interface ProvenanceReadOptions {
  persist?: boolean;
}

export const DEFAULT_PROVENANCE_LIMIT = 100;
export const MAX_PROVENANCE_LIMIT = 1000;

/** How the answer's index was obtained. */
export interface IndexInfo {
  generation: number;
  storedIndex: StoredIndexState;
  /** Versions the stored index lacked, added from their Documents for this answer. */
  caughtUp: number;
}

export interface BlameRequest {
  page: string;
  /** A revision of the page (default: its latest). */
  seq?: number;
  /** Another edition of the page's series: blame that edition's page instead (its latest revision unless `seq`). */
  edition?: number;
  sectionPrefix?: string;
  cursor?: string;
  limit?: number;
}

export interface BlamePage extends Omit<Blame, 'sentences'>, PageOfItems<BlamedSentence> {
  page: string;
  series?: string;
  index: IndexInfo;
}

/** Blame of one revision of a page (by default its latest), a page of sentences at a time. */
export async function blamePage(
  dependencies: ProvenanceDependencies,
  request: BlameRequest,
  options: ProvenanceReadOptions = {},
): Promise<BlamePage> {
  const record = await dependencies.revisions.getPage(request.page);
  if (!record) throw new NotFoundError(`No page ${request.page}`);
  const state = await syncProvenance(dependencies, scopeOfPageRecord(record), { persist: options.persist ?? false });
  const { index, scope } = state;

  let page = request.page;
  if (request.edition !== undefined && request.edition !== record.edition) {
    if (scope.kind !== 'series') throw new ValidationError(`edition: page ${request.page} belongs to no series`);
    const entry = state.listed.find((version) => version.edition === request.edition);
    if (!entry) throw new NotFoundError(`No captured edition ${request.edition} of series ${scope.series}`);
    page = entry.page;
  }
  const position = versionPosition(index, page, request.seq);
  const blame = blameVersion(index, position, { ...(request.sectionPrefix !== undefined ? { sectionPrefix: request.sectionPrefix } : {}) });
  const fingerprint = cursorFingerprint(['blame', index.scope, page, blame.version.seq, blame.version.documentHash, request.sectionPrefix ?? '']);
  const { sentences, ...rest } = blame;
  return {
    page,
    ...(scope.kind === 'series' ? { series: scope.series } : {}),
    ...rest,
    ...paginate(sentences, fingerprint, request),
    index: indexInfo(state),
  };
}

function versionPosition(index: ProvenanceIndex, page: string, seq: number | undefined): number {
  if (seq !== undefined) {
    const position = index.indexOf({ page, seq });
    if (position === -1) throw new NotFoundError(`No revision ${seq} of page ${page}`);
    return position;
  }
  let latest = -1;
  index.versions.forEach((version, position) => {
    if (version.page === page && (latest === -1 || version.seq > index.version(latest).seq)) latest = position;
  });
  if (latest === -1) throw new NotFoundError(`Page ${page} has not been captured yet`);
  return latest;
}

export interface RemovedRequest {
  /** A series: `from` and `to` are editions (their latest revisions are compared). */
  series?: string;
  /** Or one page: `from` and `to` are revisions of it. */
  page?: string;
  /** Both or neither: without them, every edition (or revision) is compared with the next one. */
  from?: number;
  to?: number;
  term?: string;
  sectionPrefix?: string;
  /** Default: removed and reworded (moves are not removals). */
  fates?: RemovalFate[];
  cursor?: string;
  limit?: number;
}

export interface RemovedLedger {
  scope: string;
  series?: string;
  page?: string;
  transitions: LedgerTransition[];
  sentences: RemovedSentence[];
  index: IndexInfo;
}

export interface RemovedPage extends Omit<RemovedLedger, 'sentences'>, PageOfItems<RemovedSentence> {}

/** The whole removal ledger (CSV exports and the CLI take it at once). */
export async function removedSentences(
  dependencies: ProvenanceDependencies,
  request: RemovedRequest,
  options: ProvenanceReadOptions = {},
): Promise<RemovedLedger> {
  if ((request.series === undefined) === (request.page === undefined)) throw new ValidationError('give a series or a page');
  if ((request.from === undefined) !== (request.to === undefined))
    throw new ValidationError(request.from === undefined ? 'from: missing' : 'to: missing');
  if (request.from !== undefined && request.from === request.to) throw new ValidationError('to: must differ from from');
  for (const fate of request.fates ?? []) if (!REMOVAL_FATES.includes(fate)) throw new ValidationError(`fate: unknown fate ${fate}`);

  let scope: ProvenanceScope;
  if (request.series !== undefined) scope = { kind: 'series', series: request.series };
  else {
    const record = await dependencies.revisions.getPage(request.page!);
    if (!record) throw new NotFoundError(`No page ${request.page}`);
    scope = scopeOfPageRecord(record);
  }
  const state = await syncProvenance(dependencies, scope, { persist: options.persist ?? false });
  const { index } = state;

  let pairs: Array<[number, number]>;
  if (request.series !== undefined) {
    pairs = editionPairs(index, request.from, request.to);
    for (const edition of request.from !== undefined ? [request.from, request.to!] : []) {
      if (index.latestOfEdition(edition) === -1) throw new NotFoundError(`No captured edition ${edition} of series ${request.series}`);
    }
  } else {
    const page = request.page!;
    if (request.from !== undefined) {
      pairs = [[index.indexOf({ page, seq: request.from }), index.indexOf({ page, seq: request.to! })]];
      for (const seq of [request.from, request.to!])
        if (index.indexOf({ page, seq }) === -1) throw new NotFoundError(`No revision ${seq} of page ${page}`);
    } else {
      const positions = index.versions.flatMap((version, position) => (version.page === page ? [position] : []));
      pairs = positions.slice(1).map((position, at) => [positions[at]!, position]);
    }
  }
  if (pairs.some(([from, to]) => from > to)) throw new ValidationError(`to: must come after from`);

  const ledger = removalLedger(index, pairs, {
    ...(request.term !== undefined ? { term: request.term } : {}),
    ...(request.sectionPrefix !== undefined ? { sectionPrefix: request.sectionPrefix } : {}),
    ...(request.fates !== undefined ? { fates: request.fates } : {}),
  });
  return {
    scope: index.scope,
    ...(state.scope.kind === 'series' ? { series: state.scope.series } : {}),
    ...(request.page !== undefined ? { page: request.page } : {}),
    transitions: ledger.transitions,
    sentences: ledger.sentences,
    index: indexInfo(state),
  };
}

/** The removal ledger a page of sentences at a time. */
export async function removedSentencesPage(
  dependencies: ProvenanceDependencies,
  request: RemovedRequest,
  options: ProvenanceReadOptions = {},
): Promise<RemovedPage> {
  const { sentences, ...rest } = await removedSentences(dependencies, request, options);
  const fingerprint = cursorFingerprint([
    'removed',
    rest.scope,
    request.page ?? '',
    request.from ?? '',
    request.to ?? '',
    request.term ?? '',
    request.sectionPrefix ?? '',
    (request.fates ?? []).join(','),
    // A new version changes the ledger: a cursor of the old one is refused rather than skipping or repeating.
    rest.transitions.map((transition) => `${transition.from.page}#${transition.from.seq}..${transition.to.page}#${transition.to.seq}`).join(','),
  ]);
  return { ...rest, ...paginate(sentences, fingerprint, request) };
}

export interface ProvenanceStatus {
  scope: string;
  algorithm: string;
  /** The stored index: its generation (0: none) and state. */
  generation: number;
  storedIndex: StoredIndexState;
  /** Versions in the stored index, versions the store lists, and those the index lacks. */
  indexedVersions: number;
  listedVersions: number;
  missing: Array<{ page: string; seq: number; edition?: number }>;
  sentences: number;
}

/** How far the stored index is behind the store (no Document is read). */
export async function provenanceStatus(dependencies: ProvenanceDependencies, target: { series?: string; page?: string }): Promise<ProvenanceStatus> {
  const scope = await scopeOf(dependencies, target);
  const id = scopeId(scope);
  const [stored, listed] = await Promise.all([dependencies.snapshots.getProvenanceIndex(id), listScopeVersions(dependencies, scope)]);
  const current = stored && isCurrentIndexData(stored.data, id) ? ProvenanceIndex.fromData(stored.data) : undefined;
  const missing = listed
    .filter((version) => !current?.has(version))
    .map(({ page, seq, edition }) => ({ page, seq, ...(edition !== undefined ? { edition } : {}) }));
  return {
    scope: id,
    algorithm: PROVENANCE_ALGORITHM,
    generation: stored?.generation ?? 0,
    storedIndex: !stored ? 'absent' : current ? 'current' : 'outdated',
    indexedVersions: current?.versionCount ?? 0,
    listedVersions: listed.length,
    missing,
    sentences: current?.sentenceCount ?? 0,
  };
}

export interface RebuildResult {
  scope: string;
  generation: number;
  versions: number;
  sentences: number;
  milliseconds: number;
}

/** The on-demand full recompute: every version re-read from its Document, every link recomputed, a new generation. */
export async function rebuildProvenance(
  dependencies: ProvenanceDependencies,
  target: { series?: string; page?: string },
  now: () => number = Date.now,
): Promise<RebuildResult> {
  const started = now();
  const scope = await scopeOf(dependencies, target);
  const state = await syncProvenance(dependencies, scope, { persist: true, rebuild: true });
  return {
    scope: scopeId(scope),
    generation: state.written ?? state.generation,
    versions: state.index.versionCount,
    sentences: state.index.sentenceCount,
    milliseconds: now() - started,
  };
}

/** Catches the stored index up with the store (what the pipeline hook does), on demand. */
export async function syncProvenanceIndex(
  dependencies: ProvenanceDependencies,
  target: { series?: string; page?: string },
): Promise<{ scope: string; added: number; generation: number }> {
  const scope = await scopeOf(dependencies, target);
  const state = await syncProvenance(dependencies, scope, { persist: true });
  return { scope: scopeId(scope), added: state.added, generation: state.written ?? state.generation };
}

/** The scope of a series (its lineage) or of a page (its series' lineage, or the page alone). */
async function scopeOf(dependencies: ProvenanceDependencies, target: { series?: string; page?: string }): Promise<ProvenanceScope> {
  if (target.series !== undefined) return lineageScope(dependencies, { kind: 'series', series: target.series });
  if (target.page === undefined) throw new ValidationError('give a series or a page');
  const record = await dependencies.revisions.getPage(target.page);
  if (!record) throw new NotFoundError(`No page ${target.page}`);
  return lineageScope(dependencies, scopeOfPageRecord(record));
}

function indexInfo(state: ProvenanceState): IndexInfo {
  return { generation: state.written ?? state.generation, storedIndex: state.storedIndex, caughtUp: state.added };
}

// Offset cursors, bound to the listing they came from.

function cursorFingerprint(parts: ReadonlyArray<string | number>): string {
  return fnv1a64(parts.join('\u0000'));
}

function paginate<T>(items: readonly T[], fingerprint: string, request: { cursor?: string; limit?: number }): PageOfItems<T> {
  const limit = request.limit ?? DEFAULT_PROVENANCE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PROVENANCE_LIMIT)
    throw new ValidationError(`limit: expected 1 to ${MAX_PROVENANCE_LIMIT}`);
  const offset = request.cursor !== undefined ? decodeOffsetCursor(request.cursor, fingerprint) : 0;
  const end = offset + limit;
  return { items: items.slice(offset, end), ...(end < items.length ? { cursor: encodeOffsetCursor(end, fingerprint) } : {}) };
}

function encodeOffsetCursor(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint }), 'utf8').toString('base64url');
}

function decodeOffsetCursor(cursor: string, fingerprint: string): number {
  let value: unknown;
  try {
    if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new ValidationError('cursor: invalid', { cause: error });
  }
  const { o, f } = (value ?? {}) as { o?: unknown; f?: unknown };
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0 || f !== fingerprint) {
    throw new ValidationError('cursor: invalid, or from another listing (or the index changed since): start again without it');
  }
  return o;
}
