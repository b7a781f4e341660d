import type { CaptureFailureKind } from '../errors.js';
import type { RevisionDiff, RevisionDiffSummary, SectionChange, SectionChangeKind, Triviality } from '../domain/revision-diff.js';
import type { SeriesLineageRecords } from './series-lineage-records.js';

/**
 * The table of watched pages, their revisions and their capture failures (README, "Data model").
 * One revision is one item, written once with a conditional put; the latest revision is read newest-first.
 */

/** A watched page (the `PAGE#<page>` / `META` item). */
export interface PageRecord {
  page: string;
  url: string;
  series?: string;
  edition?: number;
  /** Profile name ("state-hrr", "generic"). */
  profile: string;
  title?: string;
  createdAt: string;
  lastCheckedAt?: string;
  etag?: string;
  lastModified?: string;
  /** sha256 of the last stored Document (compare a new capture with it to skip unchanged pages). */
  lastDocumentHash?: string;
  consecutiveFailures: number;
  lastFailureAt?: string;
  /** Fetch even where robots.txt disallows it (set by an operator for pages the owner asked us to watch). */
  robotsOverride?: boolean;
  intervalMinutes?: number;
  nextDueAt?: string;
  /** When the dispatcher last put the page on the capture queue. */
  dispatchedAt?: string;
  /** Set once the alert about the current run of failures was delivered; cleared by the next successful check. */
  alertedAt?: string;
  /** How the page came to be watched: asked for, found by probing for a series' next edition, or read from an archive. */
  origin?: 'watch' | 'probe' | 'import';
}

export interface SeriesRecord {
  series: string;
  profile: string;
  firstSeenAt: string;
  /** The other series of its lineage (slugs the site used before or after), when it has any. */
  aliases?: string[];
}

export interface EditionEntry {
  /** The series asked for, resolved through its lineage. */
  series: string;
  /** The page's own series, when it is another member of the lineage (an older or newer slug). */
  pageSeries?: string;
  edition?: number;
  page: string;
  url: string;
  title?: string;
}

/** One changed section of a revision, compact enough to keep in the revision item and the notification. */
export interface RevisionSectionChange {
  key: string;
  previousKey?: string;
  heading: string;
  kind: SectionChangeKind;
  kinds: SectionChangeKind[];
  wordsAdded: number;
  wordsRemoved: number;
  significance: number;
  trivial?: Triviality;
}

export interface RevisionRecord {
  page: string;
  /** 1 for the first capture of the page, then +1 per revision. */
  seq: number;
  capturedAt: string;
  documentHash: string;
  documentKey: string;
  rawKey?: string;
  previousSeq?: number;
  diffKey?: string;
  series?: string;
  edition?: number;
  url: string;
  title: string;
  /** Null for the first (baseline) revision. */
  summary: RevisionDiffSummary | null;
  /** Changed sections only (never `unchanged`), in document order, at most MAX_REVISION_SECTIONS. */
  sections: RevisionSectionChange[];
  /** Set when `sections` was cut to the cap; the full list is in the diff at `diffKey`. */
  sectionsTruncated?: boolean;
  significance: number;
  /** Audit terms that occur in the changed text, when the use case computed them. */
  terms?: string[];
}

export interface CheckResult {
  checkedAt: string;
  etag?: string;
  lastModified?: string;
  documentHash?: string;
  nextDueAt?: string;
}

export interface CaptureFailure {
  kind: CaptureFailureKind;
  message: string;
  httpStatus?: number;
  capturedAt: string;
  url: string;
  /** Also set on the page (when the failure is counted): the backoff chosen by the caller. */
  nextDueAt?: string;
}

export interface PageOfItems<T> {
  items: T[];
  /** Opaque; pass it back to get the next page. Absent on the last page. */
  cursor?: string;
}

export interface ListOptions {
  cursor?: string;
  /** 1..1000; adapters clamp to their own maximum. */
  limit?: number;
}

export interface ListRevisionsOptions extends ListOptions {
  /** Default true. */
  newestFirst?: boolean;
}

export interface ListRecentRevisionsOptions extends ListOptions {
  /** ISO-8601 lower bound (inclusive) on capturedAt. Default: 30 days before `until`. */
  since?: string;
  /** ISO-8601 upper bound (inclusive) on capturedAt. Default: now. */
  until?: string;
}

/**
 * Series names resolve through lineage (docs/page-identity.md): listPages({ series }), listEditions and listSeries
 * answer for the whole lineage, whichever member's name is given; the series listing names each lineage once.
 */
export interface RevisionStore extends SeriesLineageRecords {
  /** Creates or replaces the page item. With `onlyIfNew`, an existing page is left alone and `written` is false. */
  putPage(page: PageRecord, options?: { onlyIfNew?: boolean }): Promise<{ written: boolean }>;
  getPage(page: string): Promise<PageRecord | undefined>;
  /**
   * Stops watching: deletes the page item only. Its revisions, failures and stored objects stay, and watching the
   * page again continues its history. False when the page was not watched.
   */
  removePage(page: string): Promise<boolean>;
  /** All pages (by page id), or one series' pages ordered by edition. */
  listPages(options?: ListOptions & { series?: string }): Promise<PageOfItems<PageRecord>>;
  listSeries(options?: ListOptions): Promise<PageOfItems<SeriesRecord>>;
  /** The pages of a series, oldest edition first. */
  listEditions(series: string): Promise<EditionEntry[]>;

  latestRevision(page: string): Promise<RevisionRecord | undefined>;
  /** Conditional put: throws ConflictError when (page, seq) already exists. */
  putRevision(revision: RevisionRecord): Promise<void>;
  getRevision(page: string, seq: number): Promise<RevisionRecord | undefined>;
  listRevisions(page: string, options?: ListRevisionsOptions): Promise<PageOfItems<RevisionRecord>>;
  /** Revisions of every page, newest first. */
  listRecentRevisions(options?: ListRecentRevisionsOptions): Promise<PageOfItems<RevisionRecord>>;

  /** Records that the page was put on the capture queue. NotFoundError for an unknown page. */
  markDispatched(page: string, dispatchedAt: string): Promise<void>;
  /** The alert about the current run of failures was delivered; recordCheck clears it. */
  markAlerted(page: string, alertedAt: string): Promise<void>;
  /** A successful check: stores the validators and resets consecutiveFailures. NotFoundError for an unknown page. */
  recordCheck(page: string, check: CheckResult): Promise<void>;
  /**
   * Records a failure item and increments consecutiveFailures; returns the new count. Recording the same failure
   * (same capturedAt) twice counts it once. NotFoundError for an unknown page.
   */
  recordFailure(page: string, failure: CaptureFailure): Promise<number>;
  /** Newest first. */
  listFailures(page: string, options?: ListOptions): Promise<PageOfItems<CaptureFailure>>;
}

/** Caps that keep a revision item far below DynamoDB's 400 KB. */
export const MAX_REVISION_SECTIONS = 200;
export const MAX_REVISION_TERMS = 100;
export const MAX_HEADING_LENGTH = 300;

/**
 * The compact changed-section list for a RevisionRecord or a notification: unchanged sections dropped, at most
 * `max` entries (the most significant ones, kept in document order).
 */
export function revisionSectionsFrom(
  changes: readonly SectionChange[] | RevisionDiff,
  max: number = MAX_REVISION_SECTIONS,
): { sections: RevisionSectionChange[]; truncated: boolean } {
  const list = 'sections' in changes ? changes.sections : changes;
  const changed = list.filter((change) => change.kind !== 'unchanged').map(compactSectionChange);
  return capSectionChanges(changed, max);
}

export function capSectionChanges<T extends { significance: number }>(
  sections: readonly T[],
  max: number = MAX_REVISION_SECTIONS,
): { sections: T[]; truncated: boolean } {
  if (sections.length <= max) return { sections: [...sections], truncated: false };
  const keep = new Set(
    sections
      .map((section, index) => ({ index, significance: section.significance }))
      .sort((a, b) => b.significance - a.significance || a.index - b.index)
      .slice(0, max)
      .map((entry) => entry.index),
  );
  return { sections: sections.filter((_, index) => keep.has(index)), truncated: true };
}

function compactSectionChange(change: SectionChange): RevisionSectionChange {
  const compact: RevisionSectionChange = {
    key: change.key,
    heading: change.heading.length > MAX_HEADING_LENGTH ? change.heading.slice(0, MAX_HEADING_LENGTH) : change.heading,
    kind: change.kind,
    kinds: [...change.kinds],
    wordsAdded: change.wordsAdded,
    wordsRemoved: change.wordsRemoved,
    significance: change.significance,
  };
  if (change.previousKey !== undefined && change.previousKey !== change.key) compact.previousKey = change.previousKey;
  if (change.trivial !== undefined) compact.trivial = change.trivial;
  return compact;
}
