import { TABLE_DEFINITION, keyAttributeNames } from './table-definition.js';

/** Key values of the table's items (docs/data-model.md). */

export const SEQ_DIGITS = 10;
export const EDITION_DIGITS = 6;

export const itemKeys = {
  pagePk: (page: string) => `PAGE#${page}`,
  pageSk: 'META',
  revisionSk: (seq: number) => `REV#${String(seq).padStart(SEQ_DIGITS, '0')}`,
  revisionSkPrefix: 'REV#',
  failureSk: (capturedAt: string) => `FAIL#${capturedAt}`,
  failureSkPrefix: 'FAIL#',
  /** gsi1: the pages of a series, ordered by edition (zero-padded so string order is numeric order). */
  seriesPartition: (series: string) => `SERIES#${series}`,
  editionSort: (edition: number | undefined) => `EDITION#${edition === undefined ? '-' : String(edition).padStart(EDITION_DIGITS, '0')}`,
  /** gsi2: revisions sharded by UTC day, newest first by `<capturedAt>#<page>`. */
  recentPartition: (day: string) => `RECENT#${day}`,
  recentSort: (capturedAtIso: string, page: string) => `${capturedAtIso}#${page}`,
  /** gsi2: the registries of pages and series (small, read by the API and the dispatcher). */
  allPagesPartition: 'PAGES',
  allSeriesPartition: 'SERIES',
  seriesPk: (series: string) => `SERIES#${series}`,
  /** gsi2: series that are aliases of a lineage leave the `SERIES` registry for this one (docs/page-identity.md). */
  aliasSeriesPartition: 'SERIES_ALIAS',
  /** A page's lineage signals (`PAGE#<page>` / `SIGNALS`), all of them listed in gsi2 `PAGE_SIGNALS` by page. */
  signalsSk: 'SIGNALS',
  allSignalsPartition: 'PAGE_SIGNALS',
  /** A lineage of more than one series (`SERIES#<id>` / `LINEAGE`), all of them listed in gsi2 `LINEAGES` by id. */
  lineageSk: 'LINEAGE',
  allLineagesPartition: 'LINEAGES',
  /** Manual link/unlink overrides: one partition, one item per pair of series. */
  overridesPk: 'LINEAGE_OVERRIDES',
  overrideSk: (a: string, b: string) => `OVERRIDE#${JSON.stringify([a, b])}`,
  overrideSkPrefix: 'OVERRIDE#',
  /** The counter of changes to lineage facts (`LINEAGE_OVERRIDES` / `VERSION`). */
  factsVersionSk: 'VERSION',
};

export const itemTypes = {
  page: 'page',
  series: 'series',
  revision: 'revision',
  failure: 'failure',
  pageSignals: 'page-signals',
  lineage: 'lineage',
  lineageOverride: 'lineage-override',
} as const;

const KEY_ATTRIBUTES = new Set([...keyAttributeNames(TABLE_DEFINITION), TABLE_DEFINITION.typeAttribute]);

/** An item without the table's key and type attributes: the record the adapters hand out. */
export function withoutKeyAttributes(item: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) if (!KEY_ATTRIBUTES.has(name)) record[name] = value;
  return record;
}
