import { SqsReportJobQueue } from '../../adapters/sqs/sqs-report-job-queue.js';
import type { RedlineConfig } from '../../config.js';
import type { ReportJobQueue } from '../../ports/report-job-queue.js';
import type { EditionReportJobSettings } from '../../use-cases/queries/edition-report-jobs.js';

/**
 * The edition report job queue for the api function, when the stack gives one (REDLINE_REPORT_JOB_QUEUE_URL). The
 * SQS client is imported on the first enqueue (a cold report job), not when the function loads (see lazy-sns.ts).
 */
export function sqsReportJobQueue(config: RedlineConfig): ReportJobQueue | undefined {
  const queueUrl = config.REDLINE_REPORT_JOB_QUEUE_URL;
  if (!queueUrl) return undefined;
  let adapter: Promise<SqsReportJobQueue> | undefined;
  const load = async () => {
    const { SQSClient } = await import('@aws-sdk/client-sqs');
    const endpoint = config.REDLINE_SQS_ENDPOINT ? { endpoint: config.REDLINE_SQS_ENDPOINT } : {};
    return new SqsReportJobQueue({ client: new SQSClient({ region: config.AWS_REGION, ...endpoint }), queueUrl });
  };
  return {
    enqueue: async (message) => {
      adapter ??= load().catch((error: unknown) => {
        adapter = undefined;
        throw error;
      });
      return (await adapter).enqueue(message);
    },
  };
}

/** The api function's bound and the jobs' deadline, from the configuration. */
export function reportJobSettings(config: RedlineConfig): EditionReportJobSettings {
  return { syncSeriesLimit: config.REDLINE_SYNC_REPORT_SERIES, jobDeadlineMs: config.REDLINE_REPORT_JOB_DEADLINE_SECONDS * 1000 };
}
