import type { EditionReportJob } from '../../../shared/domain/edition-report-job.js';
import { requestBaseUrl, type ApiEvent } from './api-request.js';
import { jsonResult, type ApiResult } from './api-response.js';

/**
 * The HTTP shape of an edition report job (edition-report-jobs.ts): 202 Accepted with the status URL in Location and
 * Retry-After while it is pending, and a small JSON body saying its state (no problem document: nothing went wrong).
 */

/** Seconds a client should wait before asking again (a hint: a whole edition takes a minute or two). */
export const REPORT_JOB_RETRY_AFTER_SECONDS = 10;

export interface ReportJobQuery {
  from: number;
  to: number;
  by: 'series' | 'section';
  format: 'json' | 'csv';
}

export interface ReportJobBody {
  state: EditionReportJob['state'];
  report: string;
  from: number;
  to: number;
  /** The job's id: the hash of the report's inputs. */
  job: string;
  /** Series to diff. */
  series: number;
  requestedAt: string;
  updatedAt: string;
  /** When a job still pending counts as failed. */
  deadline: string;
  /** Failed only: why. Request the report again to retry. */
  error?: string;
  /** Where to ask for the job's state (and get the report once done). */
  statusUrl: string;
  /** The report itself: requesting it again retries a failed job. */
  reportUrl: string;
}

/** The status and report URLs of a job, absolute, keeping the request's format and table. */
export function reportJobLocation(event: ApiEvent, configuredBaseUrl: string | undefined, job: EditionReportJob, query: ReportJobQuery) {
  const base = `${requestBaseUrl(event, configuredBaseUrl)}/editions/${encodeURIComponent(job.report.replaceAll('/', '~'))}/report`;
  const search = new URLSearchParams({ from: String(job.from), to: String(job.to) });
  if (query.format !== 'json') search.set('format', query.format);
  if (query.by !== 'series') search.set('by', query.by);
  return { status: `${base}/jobs/${job.inputsHash}?${search}`, report: `${base}?${search}` };
}

export function reportJobBody(event: ApiEvent, configuredBaseUrl: string | undefined, job: EditionReportJob, query: ReportJobQuery): ReportJobBody {
  const urls = reportJobLocation(event, configuredBaseUrl, job, query);
  return {
    state: job.state,
    report: job.report,
    from: job.from,
    to: job.to,
    job: job.inputsHash,
    series: job.series,
    requestedAt: job.requestedAt,
    updatedAt: job.updatedAt,
    deadline: job.deadline,
    ...(job.error ? { error: job.error } : {}),
    statusUrl: urls.status,
    reportUrl: urls.report,
  };
}

/** 202 Accepted for a pending job: Location (the status URL), Retry-After, never cached. */
export function reportJobAccepted(event: ApiEvent, configuredBaseUrl: string | undefined, job: EditionReportJob, query: ReportJobQuery): ApiResult {
  const result = jsonResult(reportJobBody(event, configuredBaseUrl, job, query), 'private', 202);
  result.headers.location = reportJobLocation(event, configuredBaseUrl, job, query).status;
  result.headers['retry-after'] = String(REPORT_JOB_RETRY_AFTER_SECONDS);
  return result;
}
