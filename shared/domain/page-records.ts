import type { CaptureFailureKind } from '../errors.js';

/** What redline keeps about a watched page: the page itself, its series and editions, its checks and failures. */

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
  /**
   * seq and Document key of the page's latest revision, written with the check that completes its recording (never
   * moved back to an older seq). Whole-store reads (the term audit) take the latest Document from here instead of one
   * revision query a page; absent on pages recorded before it existed (read the latest revision then).
   */
  latestRevisionSeq?: number;
  latestDocumentKey?: string;
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

export interface CheckResult {
  checkedAt: string;
  etag?: string;
  lastModified?: string;
  documentHash?: string;
  nextDueAt?: string;
  /** The revision this check completed the recording of: becomes the page's latest unless a newer one is there. */
  latestRevision?: { seq: number; documentKey: string };
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
