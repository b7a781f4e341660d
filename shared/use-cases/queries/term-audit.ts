import pLimit from 'p-limit';
import { auditTermCounts, auditToCsv, checkTerms, countDocumentTerms, type AuditTable, type DocumentTermCounts } from '../../domain/audit.js';
import { countIndexedTerms, indexAnswers } from '../../domain/term-index.js';
import { NotFoundError } from '../../errors.js';
import { storedTermIndex } from '../term-index.js';
import type { PageRecord } from '../../domain/page-records.js';
import { listAllSeries } from './series.js';
import type { QueryDependencies } from './views.js';
import { LruMap } from '../../lru-map.js';

export interface StoredAuditRequest {
  terms: string[];
  /** One series; every series in the store when absent (pages without a series are not audited). */
  series?: string;
  by: 'edition' | 'section';
  wholeWord?: boolean;
}

/**
 * Pages read at once: each is one small term-index read (a Document only when unindexed; first a revision query when
 * the page item does not name its latest Document).
 */
const PAGE_READS = 16;

export interface StoredAuditOptions {
  /** Counts kept in a long-lived process across audits. */
  cache?: AuditCountsCache;
  /**
   * Count from each Document's stored term index (default), building and storing the missing ones; false counts in
   * the Documents themselves (the reference path: the tables are the same).
   */
  termIndex?: boolean;
}

type SectionShape = Omit<DocumentTermCounts['sections'][number], 'counts'>;

interface CachedCounts {
  edition: number | null;
  canonicalUrl: string;
  sections: SectionShape[];
  /** Per `${wholeWord}\u0000${term}`: the term's matches in each section, in section order. */
  counts: Map<string, number[]>;
}

/**
 * Per-Document term counts kept in process, keyed by the Document's storage key (which carries its content hash, so
 * an entry never goes stale), least recently used dropped first. One entry is a few hundred bytes, not a Document.
 * A long-lived process (the API, `redline serve`) passes one cache to every audit; a second audit then reads only
 * the Documents it has not counted for these terms.
 */
export class AuditCountsCache extends LruMap<string, CachedCounts> {
  constructor(maxEntries = 20_000) {
    super(maxEntries);
  }
}

const termKey = (wholeWord: boolean, term: string) => `${wholeWord}\u0000${term}`;

/** Entries of a long-lived process's counts cache: every page of a ~1,750-page archive, a few kilobytes each. */
const PROCESS_CACHE_ENTRIES = 4_000;
const processCaches = new WeakMap<object, AuditCountsCache>();

/**
 * The counts cache of a long-lived process (the API function, `redline serve`): one per set of dependencies, so the
 * API's routes and the web UI's audit page share it. Entries never go stale (keyed by content hash).
 */
export function processAuditCountsCache(dependencies: object): AuditCountsCache {
  let cache = processCaches.get(dependencies);
  if (!cache) {
    cache = new AuditCountsCache(PROCESS_CACHE_ENTRIES);
    processCaches.set(dependencies, cache);
  }
  return cache;
}

/**
 * Term audit over stored Documents: the latest revision of every page of the series (or of every series), counted
 * per edition or per edition and section (audit.ts). Pages never captured are left out. Terms are counted from each
 * Document's term index (term-index.ts) where the index answers them, else in the Document; with a cache, Documents
 * whose counts for every term are cached are not read again. The table is the same on every path.
 */
export async function auditStoredTerms(
  dependencies: QueryDependencies,
  request: StoredAuditRequest,
  options: StoredAuditOptions = {},
): Promise<AuditTable> {
  checkTerms(request.terms);
  const { cache } = options;
  const series = request.series !== undefined ? [(await dependencies.revisions.resolveSeries(request.series)).id] : await listAllSeries(dependencies);
  const pages: Array<PageRecord & { lineage: string }> = [];
  for (const one of series) pages.push(...(await seriesPages(dependencies, one)).map((page) => ({ ...page, lineage: one })));
  if (request.series !== undefined && pages.length === 0) throw new NotFoundError(`No series ${request.series}`);

  const auditOptions = { by: request.by, ...(request.wholeWord !== undefined ? { wholeWord: request.wholeWord } : {}) };
  const wholeWord = request.wholeWord ?? false;
  // Checked before any read (a blank term would match everywhere); the distinct terms, in the order given.
  const terms = checkTerms(request.terms);
  const limit = pLimit(PAGE_READS);
  const counted = await Promise.all(
    pages.map((page) =>
      limit(async (): Promise<DocumentTermCounts | undefined> => {
        // The page item names its latest revision's Document (set as each recording completes); a page recorded
        // before it did is read the older way, one revision query.
        const latest =
          page.latestDocumentKey !== undefined ? { documentKey: page.latestDocumentKey } : await dependencies.revisions.latestRevision(page.page);
        if (!latest) return undefined;
        let entry = cache?.get(latest.documentKey);
        const missing = entry ? terms.filter((term) => !entry!.counts.has(termKey(wholeWord, term))) : terms;
        if (!entry || missing.length > 0) {
          const fresh = await countStoredTerms(dependencies, latest.documentKey, missing, wholeWord, options.termIndex ?? true);
          entry ??= {
            edition: fresh.edition,
            canonicalUrl: fresh.canonicalUrl,
            sections: fresh.sections.map(({ key, heading, wordCount }) => ({ key, heading, wordCount })),
            counts: new Map(),
          };
          missing.forEach((term, index) =>
            entry!.counts.set(
              termKey(wholeWord, term),
              fresh.sections.map((section) => section.counts[index]!),
            ),
          );
          cache?.set(latest.documentKey, entry);
        }
        const known = entry;
        // Counted under the series users see (its lineage), whatever slug the edition had.
        return {
          edition: known.edition,
          canonicalUrl: known.canonicalUrl,
          series: page.lineage,
          sections: known.sections.map((section, at) => ({
            ...section,
            counts: terms.map((term) => known.counts.get(termKey(wholeWord, term))![at]!),
          })),
        };
      }),
    ),
  );
  return auditTermCounts(
    counted.filter((document): document is DocumentTermCounts => document !== undefined),
    terms,
    auditOptions,
  );
}

/** countDocumentTerms of one stored Document: from its term index for the terms it answers, else from the Document. */
async function countStoredTerms(
  dependencies: QueryDependencies,
  documentKey: string,
  terms: string[],
  wholeWord: boolean,
  useIndex: boolean,
): Promise<DocumentTermCounts> {
  if (!useIndex) return countDocumentTerms(await dependencies.snapshots.getDocument(documentKey), terms, wholeWord);
  const { index, document: read } = await storedTermIndex(dependencies.snapshots, documentKey);
  const indexed = terms.filter((term) => indexAnswers(term));
  const fromIndex = countIndexedTerms(index, indexed, wholeWord);
  if (indexed.length === terms.length) return fromIndex;
  const rest = terms.filter((term) => !indexAnswers(term));
  const document = read ?? (await dependencies.snapshots.getDocument(documentKey));
  const fromDocument = countDocumentTerms(document, rest, wholeWord);
  // Both from the same Document: the same sections in the same order; the columns back in the order of `terms`.
  return {
    ...fromIndex,
    sections: fromIndex.sections.map((section, at) => ({
      ...section,
      counts: terms.map((term) => {
        const column = indexed.indexOf(term);
        return column !== -1 ? section.counts[column]! : fromDocument.sections[at]!.counts[rest.indexOf(term)]!;
      }),
    })),
  };
}

async function seriesPages(dependencies: QueryDependencies, series: string): Promise<PageRecord[]> {
  const pages: PageRecord[] = [];
  let cursor: string | undefined;
  do {
    const batch = await dependencies.revisions.listPages({ series, cursor, limit: 500 });
    pages.push(...batch.items);
    cursor = batch.cursor;
  } while (cursor);
  return pages;
}

/** `year,reports,word_count,count_<term>...,rate_<term>...` (section rows add `section_key,heading`). */
export { auditToCsv };
