/**
 * The state of an edition report computed off the request path (a job): pending from the request that enqueued it
 * until the report function stores the report (done) or gives up (failed). Pure: the marker is stored as JSON under
 * reports/ by the snapshot store, and read back through `parseEditionReportJob`.
 */
import * as z from 'zod/mini';

export const EDITION_REPORT_JOB_VERSION = 1;

export type EditionReportJobState = 'pending' | 'done' | 'failed';

export interface EditionReportJob {
  version: typeof EDITION_REPORT_JOB_VERSION;
  report: string;
  from: number;
  to: number;
  /** The hash of the report's inputs when the job was requested: the job's id. */
  inputsHash: string;
  state: EditionReportJobState;
  /** Series to diff (the work that sent the request off the request path). */
  series: number;
  /** Requests that enqueued this job (1, then one more per retry after a failure). */
  requests: number;
  requestedAt: string;
  /**
   * A pending job still pending at this time is failed: the queue has stopped delivering it (the function timed out
   * on every delivery and the message went to the dead-letter queue), so nothing will ever finish it.
   */
  deadline: string;
  updatedAt: string;
  /** Why it failed (failed only). */
  error?: string;
}

const jobSchema = z.object({
  version: z.literal(EDITION_REPORT_JOB_VERSION),
  report: z.string(),
  from: z.number(),
  to: z.number(),
  inputsHash: z.string(),
  state: z.enum(['pending', 'done', 'failed']),
  series: z.number(),
  requests: z.number(),
  requestedAt: z.string(),
  deadline: z.string(),
  updatedAt: z.string(),
  error: z.optional(z.string()),
});

/** A stored marker as a job; undefined when none is stored, or it is of another version or shape (then ignored). */
export function parseEditionReportJob(stored: unknown): EditionReportJob | undefined {
  if (stored === undefined) return undefined;
  const parsed = jobSchema.safeParse(stored);
  return parsed.success ? (parsed.data as EditionReportJob) : undefined;
}

/** The job as it stands at `now`: a pending job past its deadline is failed (see `deadline`). */
export function currentJobState(job: EditionReportJob, now: Date): EditionReportJob {
  if (job.state !== 'pending' || now.getTime() <= Date.parse(job.deadline)) return job;
  return { ...job, state: 'failed', error: `not finished by its deadline (${job.deadline}): the job is on the dead-letter queue` };
}
