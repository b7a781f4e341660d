import type { LineageOverride, SeriesLink } from '../domain/identity/series-lineage.js';
import type { LineageSignals } from '../domain/profiles/index.js';
import type { ListOptions, PageOfItems } from './revision-store.js';

/**
 * What the store keeps about series lineage (docs/page-identity.md): each page's lineage signals, the lineages
 * decided from them (materialised so that every query by series resolves an alias in one read), and the manual
 * overrides. Part of the RevisionStore port: the same table holds it.
 */

/** A page's identity evidence, from its latest capture or import. */
export interface PageSignalsRecord {
  page: string;
  series: string;
  edition?: number;
  profile: string;
  signals: LineageSignals;
  /** What identified the page (e.g. "canonical link (archive-wrapped)"), and how its URL was read. */
  identifiedBy?: string;
  notes?: string[];
  recordedAt: string;
}

/** A stored lineage of more than one series (a series alone needs no record). */
export interface StoredLineage {
  id: string;
  profile: string;
  members: string[];
  links: SeriesLink[];
  decidedAt: string;
}

/** How a series name resolves: the lineage id and its member series (itself alone when it is not linked). */
export interface SeriesResolution {
  id: string;
  members: string[];
}

export interface SeriesLineageRecords {
  /** Creates or replaces the page's signals. */
  putPageSignals(record: PageSignalsRecord): Promise<void>;
  getPageSignals(page: string): Promise<PageSignalsRecord | undefined>;
  /** Creates or replaces several pages' signals (at most one record a page counts), in as few requests as the store allows. */
  putPageSignalsBatch(records: readonly PageSignalsRecord[]): Promise<void>;
  /** The stored signals of the given pages, by page (those with none are absent). */
  getPageSignalsBatch(pages: readonly string[]): Promise<Map<string, PageSignalsRecord>>;
  listPageSignals(options?: ListOptions): Promise<PageOfItems<PageSignalsRecord>>;
  /** Any member's name, or the lineage id, gives the lineage; a series that is in none resolves to itself. */
  resolveSeries(series: string): Promise<SeriesResolution>;
  listLineages(): Promise<StoredLineage[]>;
  /**
   * Makes `lineages` the stored set: members point at their lineage (aliases leave the series listing), lineages no
   * longer decided are removed and their series listed on their own again. Idempotent; a crash half-way leaves a
   * state the next call repairs.
   */
  saveLineages(lineages: readonly StoredLineage[]): Promise<void>;
  listLineageOverrides(): Promise<LineageOverride[]>;
  /** Creates or replaces the override of the pair (a, b in sorted order). */
  putLineageOverride(override: LineageOverride): Promise<void>;
  deleteLineageOverride(a: string, b: string): Promise<boolean>;
  /**
   * A counter that every change of signals or overrides increases: a lineage decision saved while it moved was made
   * on facts already out of date, and is made again.
   */
  lineageFactsVersion(): Promise<number>;
}
