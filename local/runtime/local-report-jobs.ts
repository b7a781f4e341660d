import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createReportHandler } from '../../functions/report/report-handler.js';
import type { Observability } from '../../shared/observability.js';
import type { ReportJobQueue } from '../../shared/ports/report-job-queue.js';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';
import {
  DEFAULT_SYNC_REPORT_SERIES,
  type EditionReportJobDependencies,
  type EditionReportJobSettings,
} from '../../shared/use-cases/queries/edition-report-jobs.js';
import { LocalQueue, QueueEventSource, sqsRecord } from './local-queue.js';

/** Deliveries of a report job before its DLQ, as the CDK's queue (infra/constructs/edition-report-jobs.ts). */
export const LOCAL_REPORT_JOB_RECEIVES = 3;

export interface LocalReportJobs {
  /** What the api handler enqueues on (ApiDependencies.reportJobs). */
  readonly enqueuer: ReportJobQueue;
  /** The api handler's bound and the jobs' deadline (ApiSettings.reportJobs). */
  readonly settings: EditionReportJobSettings;
  readonly queue: LocalQueue<string>;
  readonly deadLetters: LocalQueue<string>;
  readonly source: QueueEventSource<string, SQSEvent, SQSBatchResponse>;
  stop(): Promise<void>;
}

/**
 * The report job queue and the report function in-process (`redline serve`): a LocalQueue with its DLQ after three
 * receives, and an event source that hands each job, as an SQS record, to the same handler the Lambda runs.
 */
export function startLocalReportJobs(options: {
  dependencies: EditionReportJobDependencies;
  observability: Observability;
  syncSeriesLimit?: number;
  visibilityTimeoutMs?: number;
}): LocalReportJobs {
  const visibilityTimeoutMs = options.visibilityTimeoutMs ?? 60_000;
  const deadLetters = new LocalQueue<string>({ name: 'redline-report-jobs-dlq' });
  const queue = new LocalQueue<string>({
    name: 'redline-report-jobs',
    visibilityTimeoutMs,
    maxReceiveCount: LOCAL_REPORT_JOB_RECEIVES,
    deadLetterQueue: deadLetters,
  });
  const handler = createReportHandler(options.dependencies, { maxReceiveCount: LOCAL_REPORT_JOB_RECEIVES }, options.observability);
  const source = new QueueEventSource<string, SQSEvent, SQSBatchResponse>({
    queue,
    batchSize: 1,
    concurrency: 1,
    toEvent: (messages) => ({ Records: messages.map((message) => sqsRecord(queue, message)) }),
    invoke: (event) => handler(event, localLambdaContext('redline-report')) as Promise<SQSBatchResponse>,
    failedIds: (result) => (result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier),
  });
  source.start();
  return {
    enqueuer: {
      enqueue: async (message) => {
        queue.send([JSON.stringify(message)]);
      },
    },
    settings: {
      syncSeriesLimit: options.syncSeriesLimit ?? DEFAULT_SYNC_REPORT_SERIES,
      jobDeadlineMs: visibilityTimeoutMs * LOCAL_REPORT_JOB_RECEIVES,
    },
    queue,
    deadLetters,
    source,
    stop: () => source.stop(),
  };
}
