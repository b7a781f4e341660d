/**
 * The edition report job queue (SQS in AWS, an in-process queue locally): the API puts a job on it when a report is
 * too large to compute within a request, the report function takes it. Delivery is at least once, and computing a
 * report is idempotent (the result is cached under the hash of its inputs), so a duplicate costs time only.
 */
export interface ReportJobMessage {
  /** The report (a series prefix, or one series) and its two editions. */
  report: string;
  from: number;
  to: number;
  /** The hash of the inputs the API saw (the job's id at the status URL). */
  inputsHash: string;
  requestedAt: string;
}

export interface ReportJobQueue {
  enqueue(message: ReportJobMessage): Promise<void>;
}
