import type { RevisionRecord } from '../../domain/revision-records.js';
import type { PageRecord } from '../../domain/page-records.js';
import type { TrackerDependencies } from '../tracker-dependencies.js';

/** What the read use cases need: the two stores. */
export type QueryDependencies = Pick<TrackerDependencies, 'revisions' | 'snapshots'>;

/** The fields of a watched page that clients see: its identity and check state, no fetch validators or storage keys. */
const PAGE_VIEW_FIELDS = [
  'page',
  'url',
  'series',
  'edition',
  'profile',
  'title',
  'createdAt',
  'origin',
  'intervalMinutes',
  'lastCheckedAt',
  'nextDueAt',
  'consecutiveFailures',
  'lastFailureAt',
] as const satisfies readonly (keyof PageRecord)[];

/** The fields of a revision that clients see (storage keys left out: the diff and the document have their own routes). */
const REVISION_VIEW_FIELDS = [
  'page',
  'seq',
  'previousSeq',
  'capturedAt',
  'url',
  'title',
  'series',
  'edition',
  'documentHash',
  'summary',
  'sections',
  'sectionsTruncated',
  'significance',
  'terms',
] as const satisfies readonly (keyof RevisionRecord)[];

/** A watched page as clients see it. */
export type PageView = Pick<PageRecord, (typeof PAGE_VIEW_FIELDS)[number]>;

/** A revision as clients see it. */
export type RevisionView = Pick<RevisionRecord, (typeof REVISION_VIEW_FIELDS)[number]>;

export function pageView(record: PageRecord): PageView {
  return pick(record, PAGE_VIEW_FIELDS);
}

export function revisionView(record: RevisionRecord): RevisionView {
  return pick(record, REVISION_VIEW_FIELDS);
}

/** The named fields of a record, leaving out those that are undefined. */
function pick<T extends object, K extends keyof T>(record: T, names: readonly K[]): Pick<T, K> {
  const picked: Partial<Pick<T, K>> = {};
  for (const name of names) if (record[name] !== undefined) picked[name] = record[name];
  return picked as Pick<T, K>;
}
