import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { StageSettings } from '../config/stages.js';
import type { WatchList } from '../config/watch-list.js';
import { bindBucket, bindQueue, bindTable, bindTopic } from '../constructs/bindings.js';
import { DispatchSchedule } from '../constructs/dispatch-schedule.js';
import { DocumentEvents } from '../constructs/document-events.js';
import { EditionReportJobs } from '../constructs/edition-report-jobs.js';
import { ImportQueue } from '../constructs/import-queue.js';
import { Monitoring } from '../constructs/monitoring.js';
import { RevisionStreamTrigger } from '../constructs/revision-stream-trigger.js';
import { TrackerApi } from '../constructs/tracker-api.js';
import { PROJECT_ROOT, TrackerFunction, type TrackerFunctionProps } from '../constructs/tracker-function.js';
import { WatchListSeed } from '../constructs/watch-list-seed.js';
import { WorkQueue } from '../constructs/work-queue.js';
import type { StatefulKeys } from './stateful-stack.js';

export type FunctionName = 'dispatch' | 'capture' | 'diff' | 'notify' | 'provenance' | 'report' | 'api';

export const FUNCTION_NAMES: readonly FunctionName[] = ['dispatch', 'capture', 'diff', 'notify', 'provenance', 'report', 'api'];

/** Lambda entry points, relative to the repository root. */
export const FUNCTION_ENTRIES: Readonly<Record<FunctionName, string>> = Object.freeze({
  dispatch: 'functions/dispatch/handler.ts',
  capture: 'functions/capture/handler.ts',
  diff: 'functions/diff/handler.ts',
  notify: 'functions/notify/handler.ts',
  provenance: 'functions/provenance/handler.ts',
  report: 'functions/report/handler.ts',
  api: 'functions/api/handler.ts',
});

/** Entries not written yet (the app builds the stateless stack only when there are none). */
export function missingFunctionEntries(entries: Readonly<Record<FunctionName, string>> = FUNCTION_ENTRIES): string[] {
  return FUNCTION_NAMES.map((name) => entries[name]).filter((entry) => !existsSync(join(PROJECT_ROOT, entry)));
}

/** Capture fetches with a 30 s timeout (REDLINE_FETCH_TIMEOUT_MS), then extracts and stores: 90 s leaves room. */
export const CAPTURE_TIMEOUT = Duration.seconds(90);
export const DIFF_TIMEOUT = Duration.seconds(60);
/** An edition report job is a whole edition (~195 series, about 0.4 s each on AWS): Lambda's 15 minutes. */
export const REPORT_TIMEOUT = Duration.minutes(15);

export interface StatelessStackProps extends StackProps {
  readonly stage: StageSettings;
  readonly watchList: WatchList;
  // The stateful resources, typed: this stack only references them.
  readonly table: dynamodb.ITable;
  readonly bucket: s3.IBucket;
  readonly topic: sns.ITopic;
  readonly keys: StatefulKeys;
  /** Override entries (tests). */
  readonly entries?: Partial<Record<FunctionName, string>>;
}

/**
 * Everything that runs: the seven functions with least-privilege bindings, the capture, diff and report job queues, the
 * schedule, the S3 -> EventBridge -> SQS and DynamoDB stream triggers, the HTTP API, alarms and a dashboard.
 * It holds no data, so it can be destroyed and redeployed without losing any.
 */
export class StatelessStack extends Stack {
  readonly functions: Readonly<Record<FunctionName, TrackerFunction>>;
  readonly captureQueue: WorkQueue;
  readonly diffQueue: WorkQueue;
  /** A cloud backfill's FIFO queue (one group per page), consumed by the diff function; with the importer role. */
  readonly importQueue: ImportQueue;
  /** Edition reports too large for a request: the api function's job queue to the report function. */
  readonly reportJobs: EditionReportJobs;
  readonly api: TrackerApi;
  readonly monitoring: Monitoring;
  readonly revisionStream: RevisionStreamTrigger;
  /** The provenance consumer's own mapping on the same stream, with its own failure queue. */
  readonly provenanceStream: RevisionStreamTrigger;
  readonly watchListSeed: WatchListSeed;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    const { stage, watchList, table, bucket, topic, keys, entries: entryOverrides, ...stackProps } = props;
    super(scope, id, stackProps);
    const entries = { ...FUNCTION_ENTRIES, ...entryOverrides };
    const defaults = {
      logLevel: stage.logLevel,
      logRetention: stage.logRetention,
      logRemovalPolicy: stage.removalPolicy,
    } satisfies Partial<TrackerFunctionProps>;
    const trackerFunction = (name: FunctionName, props: Omit<TrackerFunctionProps, 'entry' | 'serviceName' | keyof typeof defaults>) =>
      new TrackerFunction(this, `${name.charAt(0).toUpperCase()}${name.slice(1)}Function`, {
        entry: entries[name],
        serviceName: name,
        ...defaults,
        ...props,
      });

    const dispatch = trackerFunction('dispatch', {
      description: 'redline: enqueue a capture for every due page (EventBridge Scheduler)',
      timeout: Duration.seconds(60),
      memorySize: 256,
    });
    const capture = trackerFunction('capture', {
      description: 'redline: fetch, extract and store pages from the capture queue',
      timeout: CAPTURE_TIMEOUT,
      memorySize: 1024,
      // Caps concurrent requests to the watched sites (one page per invocation).
      reservedConcurrentExecutions: stage.captureReservedConcurrency,
    });
    const diff = trackerFunction('diff', {
      description: 'redline: diff each new Document against the latest revision and record the next revision',
      timeout: DIFF_TIMEOUT,
      memorySize: 1024,
    });
    const notify = trackerFunction('notify', {
      description: 'redline: publish notifications for new revisions (DynamoDB stream)',
      timeout: Duration.seconds(30),
      memorySize: 256,
    });
    const provenance = trackerFunction('provenance', {
      description: "redline: bring the sentence provenance index of each new revision's series up to date (DynamoDB stream)",
      timeout: Duration.seconds(60),
      memorySize: 1024,
    });
    const report = trackerFunction('report', {
      description: 'redline: compute and cache edition reports too large for a request (report job queue)',
      timeout: REPORT_TIMEOUT,
      // One vCPU: diffing is CPU-bound.
      memorySize: 1769,
    });
    const api = trackerFunction('api', {
      description: 'redline: HTTP API (pages, revisions, diffs, audits, feeds, watches, subscriptions)',
      timeout: Duration.seconds(29),
      memorySize: 1024,
    });
    this.functions = Object.freeze({ dispatch, capture, diff, notify, provenance, report, api });

    // Queues
    this.captureQueue = new WorkQueue(this, 'CaptureQueue', { consumerTimeout: CAPTURE_TIMEOUT });
    this.diffQueue = new WorkQueue(this, 'DiffQueue', { consumerTimeout: DIFF_TIMEOUT });
    this.importQueue = new ImportQueue(this, 'ImportQueue', { consumerTimeout: DIFF_TIMEOUT, table, bucket });

    // Least privilege, from what each function's use cases call (shared/use-cases, shared/adapters).
    // dispatch: listPages (Query on gsi2), markDispatched (UpdateItem), enqueue (SendMessageBatch).
    bindTable(dispatch, table, { access: ['Query', 'UpdateItem'], indexes: ['gsi2'], queryTable: false });
    bindQueue(dispatch, this.captureQueue.queue, { access: 'send' });

    // capture: getPage, latestRevision (Query on the table), recordCheck/recordFailure, addWatch for probes (the
    // series' watched editions: Query on gsi1), and recordRevision when a stored Document was never recorded; alerts
    // after repeated failures. A page whose lineage signals changed decides series lineage again (every page and
    // signal: Query on gsi2; the lineage items, a lineage no longer decided deleted under SERIES#; docs/ read).
    bindTable(capture, table, {
      access: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
      indexes: ['gsi1', 'gsi2'],
      deleteKeyPrefixes: ['SERIES#'],
    });
    bindBucket(capture, bucket, { prefixes: ['raw/'], access: ['head', 'put'] });
    bindBucket(capture, bucket, { prefixes: ['docs/'], access: ['head', 'get', 'put'] });
    bindBucket(capture, bucket, { prefixes: ['diffs/', 'sections/', 'terms/'], access: 'write' });
    bindTopic(capture, topic, { access: 'publish', masterKey: keys.messaging });

    // diff: recordRevision (getPage, latestRevision, putRevision conditional, recordCheck). The provenance update is
    // the provenance function's (below), off this path.
    // It also records a cloud backfill's captures (the import queue): the staged Document under imports/ is put
    // to docs/ written once (HEAD before PUT) with its capture time; the outcome is put beside it under imports/.
    // HEAD on docs/ also gives an imported Document's capture time to its S3 event.
    bindTable(diff, table, { access: 'readwrite', indexes: [] });
    bindBucket(diff, bucket, { prefixes: ['docs/', 'imports/'], access: ['head', 'get', 'put'] });
    // terms/: the recorded Document's term index (derived, for whole-store audits), written beside its section lines.
    bindBucket(diff, bucket, { prefixes: ['diffs/', 'sections/', 'terms/'], access: 'write' });

    // provenance: getPage and resolveSeries (GetItem), the lineage's editions (Query on gsi1) and each page's
    // revisions (Query on the table); the Documents of the versions the index lacks (docs/); the index itself, a new
    // generation written once (HEAD before PUT), older ones deleted.
    bindTable(provenance, table, { access: 'read', indexes: ['gsi1'] });
    bindBucket(provenance, bucket, { prefixes: ['docs/'], access: 'read' });
    bindBucket(provenance, bucket, { prefixes: ['provenance/'], access: ['head', 'get', 'put', 'delete'] });

    // notify: getPage and listEditions (Query on gsi1) for new-edition notices; for term filters, the subscriptions
    // (Query on gsi2), the previous revision (GetItem) and both Documents (docs/); publish.
    bindTable(notify, table, { access: 'read', indexes: ['gsi1', 'gsi2'], queryTable: false });
    bindBucket(notify, bucket, { prefixes: ['docs/'], access: 'read' });
    bindTopic(notify, topic, { access: 'publish', masterKey: keys.messaging });

    // api: the queries (pages, revisions, series, editions, recent revisions on both indexes), addWatch,
    // subscriptions (stored as SUB# items, delivered as SNS subscriptions); stored Documents and diffs.
    bindTable(api, table, { access: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], deleteKeyPrefixes: ['SUB#'] });
    bindBucket(api, bucket, { prefixes: ['docs/', 'diffs/'], access: 'read' });
    // blame and removal ledgers read the newest generation of a series' provenance index.
    bindBucket(api, bucket, { prefixes: ['provenance/'], access: ['get', 'list'] });
    // The UI's raw HTML download: the page's raw bodies are listed and read to find the revision's own.
    bindBucket(api, bucket, { prefixes: ['raw/'], access: ['get', 'list'] });
    // Edition maps (derived, cached by the hash of their inputs): looked up by listing, replaced when inputs change.
    bindBucket(api, bucket, { prefixes: ['maps/'], access: ['get', 'put', 'list', 'delete'] });
    // Edition reports (derived, cached by the hash of their inputs alike).
    bindBucket(api, bucket, { prefixes: ['reports/'], access: ['get', 'put', 'list', 'delete'] });
    // Term indexes (derived, keyed by their Document's hash): read by audits, built and stored where missing. No
    // ListBucket: a missing index answers 403, which the audit treats as missing (it rebuilds from the Document).
    bindBucket(api, bucket, { prefixes: ['terms/'], access: ['get', 'put'] });
    bindTopic(api, topic, { access: ['subscribe', 'unsubscribe'] });
    // report (and the api function's side of it: send, the bound, the deadline): edition-report-jobs.ts.
    this.reportJobs = new EditionReportJobs(this, 'ReportJobs', { consumer: report, producer: api, table, bucket, consumerTimeout: REPORT_TIMEOUT });

    // Triggers
    new DispatchSchedule(this, 'DispatchSchedule', {
      dispatchFunction: dispatch,
      rate: stage.dispatchRate,
      description: `redline ${stage.name}: dispatch due pages`,
    });
    capture.addEventSource(
      new eventSources.SqsEventSource(this.captureQueue.queue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        // At most the reserved concurrency: more pollers would be throttled, and throttled messages count as
        // receives, pushing good messages to the DLQ.
        maxConcurrency: Math.max(2, stage.captureReservedConcurrency),
      }),
    );
    new DocumentEvents(this, 'DocumentEvents', {
      bucket,
      queue: this.diffQueue.queue,
      deadLetterQueue: this.diffQueue.deadLetterQueue,
    });
    diff.addEventSource(
      new eventSources.SqsEventSource(this.diffQueue.queue, {
        batchSize: 5,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
      }),
    );
    diff.addEventSource(
      // FIFO: the mapping hands over one batch per message group at a time, in order (no batching window on FIFO).
      new eventSources.SqsEventSource(this.importQueue.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    this.revisionStream = new RevisionStreamTrigger(this, 'RevisionStream', { table, consumer: notify });
    // A second consumer of the stream (DynamoDB streams serve two per shard without throttling).
    this.provenanceStream = new RevisionStreamTrigger(this, 'ProvenanceStream', { table, consumer: provenance });

    this.api = new TrackerApi(this, 'Api', {
      handler: api,
      name: `redline-${stage.name}`,
      throttle: stage.apiThrottle,
      logRetention: stage.logRetention,
      logRemovalPolicy: stage.removalPolicy,
    });

    this.watchListSeed = new WatchListSeed(this, 'WatchListSeed', {
      table,
      watches: watchList,
      logLevel: stage.logLevel,
      logRetention: stage.logRetention,
      logRemovalPolicy: stage.removalPolicy,
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      dashboardName: `redline-${stage.name}`,
      functions: [dispatch, capture, diff, notify, provenance, report, api],
      workQueues: [
        { name: 'Capture', queue: this.captureQueue.queue },
        { name: 'Diff', queue: this.diffQueue.queue },
        { name: 'Import', queue: this.importQueue.queue },
        { name: 'Report', queue: this.reportJobs.queue },
      ],
      deadLetterQueues: [
        { name: 'Capture', queue: this.captureQueue.deadLetterQueue },
        { name: 'Diff', queue: this.diffQueue.deadLetterQueue },
        { name: 'Import', queue: this.importQueue.deadLetterQueue },
        { name: 'Report', queue: this.reportJobs.deadLetterQueue },
        { name: 'Notify', queue: this.revisionStream.failureQueue },
        { name: 'Provenance', queue: this.provenanceStream.failureQueue },
      ],
      api: this.api,
      masterKey: keys.messaging,
      alarmEmail: stage.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'API base URL (REDLINE_API_URL for the CLI)' });
    new CfnOutput(this, 'BucketName', { value: bucket.bucketName, description: 'Snapshot bucket (REDLINE_BUCKET)' });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'Revision table (REDLINE_TABLE)' });
    new CfnOutput(this, 'TopicArn', { value: topic.topicArn, description: 'Notification topic (REDLINE_TOPIC_ARN)' });
    new CfnOutput(this, 'CaptureQueueUrl', { value: this.captureQueue.queue.queueUrl, description: 'Capture queue (REDLINE_CAPTURE_QUEUE_URL)' });
    new CfnOutput(this, 'ImportQueueUrl', {
      value: this.importQueue.queue.queueUrl,
      description: 'Import queue of a cloud backfill (REDLINE_IMPORT_QUEUE_URL for redline import)',
    });
    new CfnOutput(this, 'ImporterRoleArn', {
      value: this.importQueue.importerRole.roleArn,
      description: 'Role with exactly the permissions redline import needs (role_arn of an AWS CLI profile)',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.alarmTopic.topicArn, description: 'Alarm topic: subscribe operators here' });
    new CfnOutput(this, 'DashboardName', { value: `redline-${stage.name}` });
  }
}
