import pLimit from 'p-limit';
import { foldQuery, searchSentences, type SentenceHit } from '../../domain/provenance/sentence-search.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { lineageScope, scopeId, syncProvenance, type ProvenanceDependencies, type ProvenanceScope } from './provenance-sync.js';

/**
 * Sentence search across the store: every series (each lineage once) and every page that belongs to none, searched
 * in its provenance index (caught up in memory from the store, never written: a reader). The hits of all scopes
 * together, series by series; at most `limit` returned, with the total.
 */
export interface SentenceSearchRequest {
  query: string;
  /** Only this series. */
  series?: string;
  limit?: number;
}

export interface SentenceSearchResult {
  query: string;
  total: number;
  hits: SentenceHit[];
  /** The scopes searched (`series:hrr/kazakhstan`, `page:...`). */
  scopes: string[];
}

export const MIN_SEARCH_LENGTH = 3;
export const MAX_SEARCH_LENGTH = 300;
const DEFAULT_SEARCH_LIMIT = 100;
const SCOPE_READS = 4;
const LIST_BATCH = 500;

export async function searchStoredSentences(dependencies: ProvenanceDependencies, request: SentenceSearchRequest): Promise<SentenceSearchResult> {
  const folded = foldQuery(request.query);
  if (folded.length < MIN_SEARCH_LENGTH) throw new ValidationError(`q: give at least ${MIN_SEARCH_LENGTH} characters`);
  if (folded.length > MAX_SEARCH_LENGTH) throw new ValidationError(`q: at most ${MAX_SEARCH_LENGTH} characters`);
  const scopes = await searchScopes(dependencies, request.series);
  const limit = pLimit(SCOPE_READS);
  const perScope = await Promise.all(
    scopes.map((scope) =>
      limit(async () => {
        try {
          const state = await syncProvenance(dependencies, scope, { persist: false });
          return searchSentences(state.index, request.query);
        } catch (error) {
          // A series listed but emptied since (its pages unwatched) holds nothing to find; an asked-for one is a 404.
          if (error instanceof NotFoundError && request.series === undefined) return [];
          throw error;
        }
      }),
    ),
  );
  const hits = perScope.flat();
  return { query: request.query, total: hits.length, hits: hits.slice(0, request.limit ?? DEFAULT_SEARCH_LIMIT), scopes: scopes.map(scopeId) };
}

/** Each series lineage once, then the pages of no series. */
async function searchScopes(dependencies: ProvenanceDependencies, series: string | undefined): Promise<ProvenanceScope[]> {
  if (series !== undefined) return [await lineageScope(dependencies, { kind: 'series', series })];
  const { revisions } = dependencies;
  const scopes = new Map<string, ProvenanceScope>();
  let cursor: string | undefined;
  do {
    const batch = await revisions.listSeries({ limit: LIST_BATCH, ...(cursor ? { cursor } : {}) });
    for (const item of batch.items) {
      const scope = await lineageScope(dependencies, { kind: 'series', series: item.series });
      scopes.set(scopeId(scope), scope);
    }
    cursor = batch.cursor;
  } while (cursor);
  cursor = undefined;
  do {
    const batch = await revisions.listPages({ limit: LIST_BATCH, ...(cursor ? { cursor } : {}) });
    for (const page of batch.items) if (!page.series) scopes.set(`page:${page.page}`, { kind: 'page', page: page.page });
    cursor = batch.cursor;
  } while (cursor);
  return [...scopes.values()];
}
