import type { Document } from '../domain/document.js';

/**
 * A cloud backfill's way into a deployed stack. The CLI stages each capture's Document (no S3 event reads the
 * staging prefix) and sends one message per capture on the import queue, an SQS FIFO queue with one message group
 * per page: pages are recorded in parallel, each page's captures one at a time in the order they were sent (capture
 * order), and a message sent again is dropped by its deduplication id (page and Document hash).
 */
export interface ImportMessage {
  page: string;
  /** sha256 of the Document's canonical JSON (its docs/ key); with the page, the message's deduplication id. */
  documentHash: string;
  /** imports/<page>/<sha256>.json: the staged Document. */
  stagedKey: string;
  capturedAt: string;
  /** The saved file (or WARC record) it came from, for messages. */
  source: string;
}

export interface ImportQueue {
  /** Sends a page's messages in the order given (its captures, oldest first). */
  sendInOrder(messages: readonly ImportMessage[]): Promise<void>;
}

/** What the import consumer decided for one staged capture (imports/<page>/<sha256>.outcome.json). */
export interface ImportOutcome {
  page: string;
  documentHash: string;
  capturedAt: string;
  source: string;
  /** recordRevision's outcome: recorded, duplicate, stale, no-change, or skipped (page not watched). */
  outcome: 'recorded' | 'duplicate' | 'stale' | 'no-change' | 'skipped';
  /** The revision recorded, or the latest one that decided it. */
  seq?: number;
  reason?: string;
  decidedAt: string;
}

/** The staging prefix of the bucket: staged Documents and the consumer's outcomes, both keyed by page and hash. */
export interface ImportStaging {
  /** Stores (or overwrites with the same bytes) a Document under imports/; returns its key and hash. */
  putDocument(page: string, document: Document): Promise<{ key: string; sha256: string }>;
  getDocument(key: string): Promise<Document>;
  putOutcome(outcome: ImportOutcome): Promise<void>;
  /** Undefined while the capture is not decided yet. */
  getOutcome(page: string, documentHash: string): Promise<ImportOutcome | undefined>;
}
