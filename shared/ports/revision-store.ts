import type { CaptureFailure, CheckResult, EditionEntry, PageRecord, SeriesRecord } from '../domain/page-records.js';
import type { RevisionRecord } from '../domain/revision-records.js';
import type { SeriesLineageRecords } from './series-lineage-records.js';

/**
 * The table of watched pages, their revisions and their capture failures (docs/data-model.md).
 * One revision is one item, written once with a conditional put; the latest revision is read newest-first.
 */

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
   * Forgets the page's validators (ETag, Last-Modified): a Document fetched with them was not recorded, so the next
   * check must fetch in full instead of being told "304 not modified" about a text that never made it into history.
   */
  forgetValidators(page: string): Promise<void>;
  /**
   * Records a failure item and increments consecutiveFailures; returns the new count. Recording the same failure
   * (same capturedAt) twice counts it once. NotFoundError for an unknown page.
   */
  recordFailure(page: string, failure: CaptureFailure): Promise<number>;
  /** Newest first. */
  listFailures(page: string, options?: ListOptions): Promise<PageOfItems<CaptureFailure>>;
}
