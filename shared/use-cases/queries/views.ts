import type { RevisionRecord, RevisionSectionChange } from '../../domain/revision-records.js';
import type { PageRecord } from '../../domain/page-records.js';
import type { RevisionDiffSummary } from '../../domain/revision-diff.js';
import type { TrackerDependencies } from '../tracker-dependencies.js';

/** What the read use cases need: the two stores. */
export type QueryDependencies = Pick<TrackerDependencies, 'revisions' | 'snapshots'>;

/** A watched page as clients see it: its identity and check state, without fetch validators or storage keys. */
export interface PageView {
  page: string;
  url: string;
  series?: string;
  edition?: number;
  profile: string;
  title?: string;
  createdAt: string;
  origin?: 'watch' | 'probe' | 'import';
  intervalMinutes?: number;
  lastCheckedAt?: string;
  nextDueAt?: string;
  consecutiveFailures: number;
  lastFailureAt?: string;
}

/** A revision as clients see it (storage keys left out: the diff and the document have their own routes). */
export interface RevisionView {
  page: string;
  seq: number;
  previousSeq?: number;
  capturedAt: string;
  url: string;
  title: string;
  series?: string;
  edition?: number;
  documentHash: string;
  /** Null for the first (baseline) revision. */
  summary: RevisionDiffSummary | null;
  sections: RevisionSectionChange[];
  sectionsTruncated?: boolean;
  significance: number;
  terms?: string[];
}

export function pageView(record: PageRecord): PageView {
  return pick(record, [
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
  ]) as unknown as PageView;
}

export function revisionView(record: RevisionRecord): RevisionView {
  return pick(record, [
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
  ]) as unknown as RevisionView;
}

function pick<T extends object>(record: T, names: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) {
    const value = (record as Record<string, unknown>)[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
