import { currentJobState, EDITION_REPORT_JOB_VERSION, parseEditionReportJob, type EditionReportJob } from '../../domain/edition-report-job.js';
import type { EditionReport } from '../../domain/edition-report.js';
import { NotFoundError, RedlineError, ValidationError } from '../../errors.js';
import type { ReportJobMessage, ReportJobQueue } from '../../ports/report-job-queue.js';
import type { EditionMapScope } from '../../ports/snapshot-store.js';
import { editionMapInputs, type EditionMapRequest } from './edition-map.js';
import { buildEditionReport, hashInputs, parseStoredReport } from './edition-report.js';
import type { QueryDependencies } from './views.js';

/**
 * Edition reports too large for a request (API Gateway stops waiting at 29 s): decided by work, never by time. A
 * report that is not cached and has more series to diff than `syncSeriesLimit` is put on the report job queue and
 * answered as a job (202 and a status URL); the report function computes it with buildEditionReport, which caches
 * it under the hash of its inputs. The job's marker (reports/_jobs/..., keyed by that hash) makes a repeated request
 * idempotent while the job is pending, reports a failure, and lets a later request retry a failed job.
 */
export interface EditionReportJobSettings {
  /** Series a request may diff itself; more (and not cached) goes to the queue. */
  syncSeriesLimit: number;
  /** How long a job may stay pending before it counts as failed (the queue's visibility timeout x receives). */
  jobDeadlineMs: number;
}

/**
 * 30 series: the sample's cold report costs 134 ms a series on a 2-core machine with local S3 (docs/benchmarks.md),
 * map and report both computed. The api function (1024 MB, about 0.6 vCPU) runs that at about 1.7x, and on AWS each
 * series reads its two Documents from S3 twice (map, then report), about 150 ms more: about 0.4 s a series, so 30
 * series take about 12 s, half of the gateway's 29 s left for cold start, listing, the cache writes and variance.
 */
export const DEFAULT_SYNC_REPORT_SERIES = 30;
/** The CDK's queue: 15-minute function, visibility timeout 6x, 3 receives (infra/constructs/edition-report-jobs.ts). */
export const DEFAULT_REPORT_JOB_DEADLINE_MS = 3 * 6 * 15 * 60_000;

export const DEFAULT_REPORT_JOB_SETTINGS: EditionReportJobSettings = {
  syncSeriesLimit: DEFAULT_SYNC_REPORT_SERIES,
  jobDeadlineMs: DEFAULT_REPORT_JOB_DEADLINE_MS,
};

export interface EditionReportJobDependencies extends QueryDependencies {
  now: () => Date;
  /** Without a queue every report is computed in the request (as before). */
  reportJobs?: ReportJobQueue;
}

export type EditionReportRequestResult =
  | { state: 'ready'; report: EditionReport; cached: boolean }
  /** Pending (enqueued now, or by an earlier request) or failed (the enqueue itself failed). */
  | { state: 'pending' | 'failed'; job: EditionReportJob; enqueued: boolean };

/**
 * The report when it is cached or small enough to compute now; otherwise its job, enqueued unless one is already
 * pending for the same inputs. A failed job (or a done one whose report is no longer stored) is enqueued again.
 * Errors as buildEditionReport's, before anything is enqueued.
 */
export async function requestEditionReport(
  dependencies: EditionReportJobDependencies,
  request: EditionMapRequest,
  settings: EditionReportJobSettings = DEFAULT_REPORT_JOB_SETTINGS,
): Promise<EditionReportRequestResult> {
  const { report, from, to } = request;
  if (!(from < to)) throw new ValidationError(`from: must be an earlier edition than to (got from ${from}, to ${to})`);
  const inputs = await editionMapInputs(dependencies, request);
  const scope: EditionMapScope = { report, from, to };
  const inputsHash = hashInputs(scope, inputs);
  const stored = parseStoredReport(await dependencies.snapshots.getEditionReport(scope, inputsHash), scope);
  if (stored) return { state: 'ready', report: stored, cached: true };
  if (!dependencies.reportJobs || inputs.length <= settings.syncSeriesLimit) {
    const built = await buildEditionReport(dependencies, request, inputs);
    return { state: 'ready', ...built };
  }

  const now = dependencies.now();
  const previous = parseEditionReportJob(await dependencies.snapshots.getEditionReportJob(scope, inputsHash));
  const current = previous && currentJobState(previous, now);
  if (current?.state === 'pending') return { state: 'pending', job: current, enqueued: false };
  const job: EditionReportJob = {
    version: EDITION_REPORT_JOB_VERSION,
    ...scope,
    inputsHash,
    state: 'pending',
    series: inputs.length,
    requests: (previous?.requests ?? 0) + 1,
    requestedAt: now.toISOString(),
    deadline: new Date(now.getTime() + settings.jobDeadlineMs).toISOString(),
    updatedAt: now.toISOString(),
  };
  // The marker first: a request that comes while this one enqueues finds the job pending and enqueues nothing. Two
  // requests racing past the read above both enqueue; the second computation rewrites the same cached report.
  await dependencies.snapshots.putEditionReportJob(scope, inputsHash, job);
  try {
    await dependencies.reportJobs.enqueue({ ...scope, inputsHash, requestedAt: job.requestedAt });
  } catch (error) {
    const failed: EditionReportJob = { ...job, state: 'failed', error: `could not be enqueued: ${errorText(error)}` };
    await dependencies.snapshots.putEditionReportJob(scope, inputsHash, failed).catch(() => undefined);
    throw new RedlineError(`The edition report could not be queued: ${errorText(error)}`, { cause: error });
  }
  return { state: 'pending', job, enqueued: true };
}

export type EditionReportJobStatus =
  | { state: 'done'; report: EditionReport }
  /** Done, but the report stored is of newer inputs (a page was revised since): the report URL gives it. */
  | { state: 'done'; report?: undefined; job: EditionReportJob }
  | { state: 'pending' | 'failed'; job: EditionReportJob };

/** The job of these inputs: its report once stored, else its marker as it stands now; NotFoundError when neither. */
export async function editionReportJobStatus(
  dependencies: EditionReportJobDependencies,
  scope: EditionMapScope,
  inputsHash: string,
): Promise<EditionReportJobStatus> {
  const stored = parseStoredReport(await dependencies.snapshots.getEditionReport(scope, inputsHash), scope);
  if (stored) return { state: 'done', report: stored };
  const job = parseEditionReportJob(await dependencies.snapshots.getEditionReportJob(scope, inputsHash));
  if (!job) throw new NotFoundError(`No edition report job ${inputsHash} for ${scope.report} ${scope.from}-${scope.to}: request the report again`);
  const current = currentJobState(job, dependencies.now());
  return current.state === 'done' ? { state: 'done', job: current } : { state: current.state, job: current };
}

export type ReportJobOutcome = { state: 'done'; inputsHash: string; series: number } | { state: 'failed'; error: string };

/**
 * The report function's work: compute (and cache) the report with buildEditionReport, then mark the job done. An
 * error of the request itself (400/404: an edition no longer stored) fails the job at once; any other error is
 * thrown for the queue to redeliver, and marks the job failed on the last delivery (`finalAttempt`). A delivery
 * that times out marks nothing: the job's deadline reports it failed.
 */
export async function runEditionReportJob(
  dependencies: EditionReportJobDependencies,
  message: ReportJobMessage,
  options: { finalAttempt: boolean },
): Promise<ReportJobOutcome> {
  const scope: EditionMapScope = { report: message.report, from: message.from, to: message.to };
  const mark = async (state: 'done' | 'failed', error?: string) => {
    const previous = parseEditionReportJob(await dependencies.snapshots.getEditionReportJob(scope, message.inputsHash));
    if (!previous) return; // a job nobody asks about (its marker gone): the report is cached, nothing to report
    const { error: _previousError, ...rest } = previous;
    const job: EditionReportJob = { ...rest, state, updatedAt: dependencies.now().toISOString(), ...(error ? { error } : {}) };
    await dependencies.snapshots.putEditionReportJob(scope, message.inputsHash, job);
  };
  try {
    const { report } = await buildEditionReport(dependencies, scope);
    await mark('done');
    return { state: 'done', inputsHash: message.inputsHash, series: report.series.length };
  } catch (error) {
    const requestError = error instanceof ValidationError || error instanceof NotFoundError;
    if (!requestError && !options.finalAttempt) throw error;
    await mark('failed', errorText(error));
    if (requestError) return { state: 'failed', error: errorText(error) };
    throw error;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
