import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_SYNC_REPORT_SERIES } from '../../shared/use-cases/queries/edition-report-jobs.js';
import { bindBucket, bindQueue, bindTable } from './bindings.js';
import type { TrackerFunction } from './tracker-function.js';
import { WorkQueue } from './work-queue.js';

export interface EditionReportJobsProps {
  /** The function that computes the reports (functions/report): this construct's queue is its only event source. */
  readonly consumer: TrackerFunction;
  /** The function that enqueues them (the api function, when a report has too many series for a request). */
  readonly producer: TrackerFunction;
  readonly table: dynamodb.ITable;
  readonly bucket: s3.IBucket;
  /** The consumer's timeout (the visibility timeout is six times it). */
  readonly consumerTimeout: Duration;
  /** Deliveries of a job before it goes to the DLQ; the last one marks the job failed. Default 3. */
  readonly maxReceiveCount?: number;
  /** Series the api function diffs within a request (REDLINE_SYNC_REPORT_SERIES). Default DEFAULT_SYNC_REPORT_SERIES. */
  readonly syncSeriesLimit?: number;
}

export const REPORT_JOB_MAX_RECEIVES = 3;

/**
 * Edition reports computed off the request path (docs/edition-report.md): a work queue (SSE, SSL-only, DLQ after
 * `maxReceiveCount` deliveries) from the api function to the report function, one job per message, and the grants
 * of both. The report function reads what buildEditionReport reads (the series, editions and latest revisions; the
 * Documents under docs/; the edition maps under maps/, listed and read) and writes only under reports/ (the report
 * and its job's marker). A map it learns is not cached (no write on maps/): the report is what is kept.
 * The api function may send to the queue, and learns the bound and a job's deadline (visibility timeout x receives:
 * a job pending past it has gone to the DLQ) from its environment.
 */
export class EditionReportJobs extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** When a pending job counts as failed. */
  readonly jobDeadline: Duration;

  constructor(scope: Construct, id: string, props: EditionReportJobsProps) {
    super(scope, id);
    const { consumer, producer, table, bucket } = props;
    const maxReceiveCount = props.maxReceiveCount ?? REPORT_JOB_MAX_RECEIVES;
    const work = new WorkQueue(this, 'Jobs', { consumerTimeout: props.consumerTimeout, maxReceiveCount });
    this.queue = work.queue;
    this.deadLetterQueue = work.deadLetterQueue;
    this.jobDeadline = Duration.seconds(props.consumerTimeout.toSeconds() * 6 * maxReceiveCount);

    // editionMapInputs: listSeries (gsi2), listEditions (resolveSeries: GetItem; member pages on gsi1), latestRevision
    // (Query on the table).
    bindTable(consumer, table, { access: ['GetItem', 'Query'], indexes: ['gsi1', 'gsi2'] });
    bindBucket(consumer, bucket, { prefixes: ['docs/'], access: 'read' });
    bindBucket(consumer, bucket, { prefixes: ['maps/'], access: ['get', 'list'] });
    // The report (put, stale ones deleted) and the job's marker; looked up by listing.
    bindBucket(consumer, bucket, { prefixes: ['reports/'], access: ['get', 'put', 'list', 'delete'] });
    consumer.addEnvironment('REDLINE_REPORT_JOB_MAX_RECEIVES', String(maxReceiveCount));
    // One job per invocation: a job is a whole edition, the function's time is its.
    consumer.addEventSource(new eventSources.SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }));

    bindQueue(producer, this.queue, { access: 'send', environmentName: 'REDLINE_REPORT_JOB_QUEUE_URL' });
    producer.addEnvironment('REDLINE_SYNC_REPORT_SERIES', String(props.syncSeriesLimit ?? DEFAULT_SYNC_REPORT_SERIES));
    producer.addEnvironment('REDLINE_REPORT_JOB_DEADLINE_SECONDS', String(this.jobDeadline.toSeconds()));
  }
}
