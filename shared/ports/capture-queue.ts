/**
 * The capture queue (SQS in AWS, an in-process queue locally): dispatch puts messages on it, capture takes them.
 * Delivery is at least once, so capture is idempotent.
 */
export interface CaptureMessage {
  /** Page id; for a probe, the id the page will get if it exists. */
  page: string;
  url: string;
  /** scheduled: a watched page is due; manual: `redline run` or the API; probe: looking for a new edition. */
  reason: 'scheduled' | 'manual' | 'probe';
  requestedAt: string;
  /** For probes: the series and the edition looked for. */
  series?: string;
  edition?: number;
}

export interface CaptureQueue {
  enqueue(messages: readonly CaptureMessage[]): Promise<void>;
}
