import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createApiHandler } from '../../functions/api/api-handler.js';
import { createCaptureHandler } from '../../functions/capture/capture-handler.js';
import { createDiffHandler } from '../../functions/diff/diff-handler.js';
import { createDispatchHandler } from '../../functions/dispatch/dispatch-handler.js';
import { createNotifyHandler } from '../../functions/notify/notify-handler.js';
import { createProvenanceHandler } from '../../functions/provenance/provenance-handler.js';
import { createReportHandler } from '../../functions/report/report-handler.js';
import { ConsoleNotifier, type LineWriter } from '../../shared/adapters/console/console-notifier.js';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { DynamoSubscriptionStore } from '../../shared/adapters/dynamodb/dynamo-subscription-store.js';
import { allowLoopbackOrigins, assertPublicUrl } from '../../shared/adapters/outbound-http/address-guard.js';
import type { HostLookup } from '../../shared/adapters/outbound-http/guarded-connector.js';
import { HttpFetcher, type HttpFetcherOptions } from '../../shared/adapters/outbound-http/http-fetcher.js';
import { writeFileAtomic } from './atomic-file.js';
import { localDynamoDbClientConfig, localS3ClientConfig, startLocalAwsServers, type LocalAwsServers } from './local-aws-servers.js';
import { LocalSubscriptionGateway, SubscriptionNotifier } from './subscription-notifier.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { WebhookNotifier } from '../../shared/adapters/webhook/webhook-notifier.js';
import type { CaptureMessage } from '../../shared/ports/capture-queue.js';
import type { Fetcher } from '../../shared/ports/fetcher.js';
import { FanoutNotifier } from '../../shared/adapters/fanout/fanout-notifier.js';
import type { Notifier } from '../../shared/ports/notifier.js';
import type { Notification } from '../../shared/domain/notification.js';
import type { RevisionRecord } from '../../shared/domain/revision-records.js';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';
import { addWatch, type AddWatchRequest, type AddWatchResult } from '../../shared/use-cases/add-watch.js';
import type { CaptureOutcome } from '../../shared/use-cases/capture-page.js';
import type { DispatchResult } from '../../shared/use-cases/dispatch-due.js';
import { DEFAULT_SYNC_REPORT_SERIES, type EditionReportJobSettings } from '../../shared/use-cases/queries/edition-report-jobs.js';
import { DEFAULT_TRACKER_SETTINGS, type TrackerDependencies, type TrackerSettings } from '../../shared/use-cases/tracker-dependencies.js';
import { startApiServer, type ApiServer } from './api-server.js';
import { objectCreatedFromS3rver, scheduledEvent } from './aws-event-shapes.js';
import { localObservability, type LogEntry } from './local-observability.js';
import {
  LocalQueue,
  LogicalTimeline,
  QueueEventSource,
  RealTimeline,
  sqsRecord,
  type DeadLetter,
  type InvocationReport,
  type QueueTimeline,
} from './local-queue.js';
import { LOCAL_REPORT_JOB_RECEIVES } from './local-report-jobs.js';
import { FilteredNotifier, NotificationRecorder } from './notification-recorder.js';
import { CallTimings, interceptPort } from './port-interceptor.js';
import { RevisionStream } from './revision-stream.js';
import { RuntimeClock } from './runtime-clock.js';
import type { FilterPolicy } from '../../shared/adapters/sns/filter-policy.js';

/**
 * The whole event flow on one machine (docs/architecture.md, "The same flow on one machine"): dynalite and s3rver
 * in-process, the real adapters against them, and the same handler factories Lambda runs, fed the same event
 * shapes: a ScheduledEvent from a timer, SQSEvent batches from an in-process capture queue (visibility timeout,
 * redelivery of partial batch failures, DLQ), S3 "Object Created" events through EventBridge's shape on a diff
 * queue, and DynamoDB stream records of new revisions on a stream channel with retries.
 */
export interface WebhookSubscription {
  url: string;
  secret: string;
  /** An SNS filter policy (message attributes), evaluated in process. */
  filterPolicy?: FilterPolicy;
}

export interface LocalRuntimeOptions {
  /** Data folder (default `.redline`): dynamodb/, s3/, logs/. */
  dataDir?: string;
  /** Keep nothing: DynamoDB in memory, S3 in a temporary folder removed on close (tests, benchmarks). */
  ephemeral?: boolean;
  /** Loopback origins the fetcher may reach (the local report site); every other private address stays blocked. */
  allowedOrigins?: readonly string[];
  /** Where the console subscriber writes; false for none (the default). */
  console?: LineWriter | false;
  webhooks?: readonly WebhookSubscription[];
  /**
   * Where the stored subscriptions' e-mail and SQS deliveries are written (default: the console writer, else nowhere).
   * The runtime has the one subscription notifier: callers pass this instead of adding another (which would deliver
   * every notification twice).
   */
  subscriptionOutput?: LineWriter;
  /** Resolves webhook hostnames for the address guard (tests). Default: the system resolver. */
  webhookLookup?: HostLookup;
  /** More subscribers, each with an optional filter policy. */
  subscribers?: readonly { notifier: Notifier; filterPolicy?: FilterPolicy }[];
  settings?: Partial<TrackerSettings>;
  clock?: RuntimeClock;
  /** Fetcher options over the local defaults, or a Fetcher to use instead. */
  fetcher?: Partial<HttpFetcherOptions> | Fetcher;
  queues?: {
    visibilityTimeoutMs?: number;
    maxReceiveCount?: number;
    captureBatchSize?: number;
    diffBatchSize?: number;
    concurrency?: number;
    /** Stream retries before a record goes to the failure queue (infra: 3). */
    streamRetryAttempts?: number;
    /**
     * What visibility timeouts run on. `logical` (the default): time stands still while a handler works and moves to
     * the next redelivery once nothing runs, so outcomes never depend on the machine's speed. `real`: the process's
     * clock, for a long-running `serve` whose failed messages should wait out their timeout in real time.
     */
    timeline?: 'logical' | 'real';
  };
  /** Wraps the dependencies the handlers get (tests inject crashes here, benchmarks timings). */
  decorate?: (dependencies: TrackerDependencies) => TrackerDependencies;
  /** Start the event sources (default true); tests that deliver events by hand pass false. */
  startEventSources?: boolean;
  /** Write <dataDir>/runtime.json with the endpoints (and the API's URL and token) while running (default: not when ephemeral). */
  writeRuntimeFile?: boolean;
  /** s3rver's paged listings need --openssl-legacy-provider; nothing in the pipeline lists, so this may be false. */
  requireListPaging?: boolean;
  /**
   * Serve dynalite and s3rver from a worker thread of their own (default true), so that the handlers and the servers
   * each have a core; false keeps them in this thread (startLocalAwsServers' `thread`).
   */
  serversThread?: boolean;
  /**
   * Serve the HTTP API (the same api handler as Lambda) on 127.0.0.1. Write routes take `Authorization: Bearer
   * <token>`. URLs submitted to it (watches, webhook subscriptions) must be public, or on one of `allowedUrlOrigins`.
   */
  api?: {
    port?: number;
    token?: string;
    allowedUrlOrigins?: readonly string[];
    /** Series an uncached edition report may diff in a request (default DEFAULT_SYNC_REPORT_SERIES); more is a job. */
    syncReportSeries?: number;
  };
}

export type RuntimeActivity =
  | { type: 'dispatch'; result: DispatchResult; scheduledAt: string }
  | { type: 'capture'; outcome: CaptureOutcome; messageId?: string }
  | { type: 'revision'; revision: RevisionRecord }
  | { type: 'no-revision'; page: string; outcome: string; detail: Record<string, unknown> }
  | { type: 'notification'; notification: Notification }
  | { type: 'retry'; source: string; messageIds: string[]; error?: string }
  | { type: 'dead-letter'; source: string; messageId: string }
  | { type: 'error'; where: string; message: string };

export interface CycleReport {
  scheduledAt: string;
  dispatch: DispatchResult;
  captures: CaptureOutcome[];
  revisions: RevisionRecord[];
  noRevisions: { page: string; outcome: string; detail: Record<string, unknown> }[];
  /** Notifications published in the cycle (first delivery of each id). */
  notifications: Notification[];
  retries: number;
  deadLetters: number;
  errors: string[];
  durationMs: number;
}

export interface LocalHandlers {
  dispatch(event: ReturnType<typeof scheduledEvent>, context: Context): Promise<DispatchResult>;
  capture(event: SQSEvent, context: Context): Promise<SQSBatchResponse>;
  diff(event: SQSEvent, context: Context): Promise<SQSBatchResponse>;
  notify(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse>;
  provenance(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse>;
  report(event: SQSEvent, context: Context): Promise<SQSBatchResponse>;
}

export interface LocalRuntime {
  readonly dataDir: string;
  readonly servers: LocalAwsServers;
  readonly clients: { dynamodb: DynamoDBClient; s3: S3Client };
  readonly dependencies: TrackerDependencies;
  readonly handlers: LocalHandlers;
  readonly clock: RuntimeClock;
  readonly queues: {
    capture: LocalQueue<string>;
    captureDeadLetters: LocalQueue<string>;
    diff: LocalQueue<string>;
    diffDeadLetters: LocalQueue<string>;
    stream: LocalQueue<DynamoDBRecord>;
    streamFailures: LocalQueue<DynamoDBRecord>;
    /** The provenance consumer's own reading of the same stream (each consumer has its own position and retries). */
    provenanceStream: LocalQueue<DynamoDBRecord>;
    provenanceStreamFailures: LocalQueue<DynamoDBRecord>;
    /** Edition report jobs (the api function -> the report function), as the report job queue in AWS. */
    reportJobs: LocalQueue<string>;
    reportJobDeadLetters: LocalQueue<string>;
  };
  readonly notifications: NotificationRecorder;
  /** The event source mappings (queue -> handler); startEventSources() starts them all. */
  readonly eventSources: {
    capture: QueueEventSource<string, SQSEvent, SQSBatchResponse>;
    diff: QueueEventSource<string, SQSEvent, SQSBatchResponse>;
    stream: QueueEventSource<DynamoDBRecord, DynamoDBStreamEvent, DynamoDBBatchResponse>;
    provenance: QueueEventSource<DynamoDBRecord, DynamoDBStreamEvent, DynamoDBBatchResponse>;
    report: QueueEventSource<string, SQSEvent, SQSBatchResponse>;
  };
  readonly activity: readonly RuntimeActivity[];
  /** Time spent in each port method (`fetcher.fetchPage`, `snapshots.putDocument`, ...) and handler invocation (`handler.<queue>`). */
  readonly timings: CallTimings;
  readonly logFile: string | undefined;
  /** The local HTTP API, when started (options.api). */
  readonly api: { url: string; token: string } | undefined;
  watch(request: AddWatchRequest): Promise<AddWatchResult>;
  /** Invokes the dispatch handler with a ScheduledEvent for the runtime clock's now. */
  dispatch(): Promise<DispatchResult>;
  /** Dispatch, then deliver everything that follows until every channel is idle. */
  runCycle(options?: { timeoutMs?: number }): Promise<CycleReport>;
  /** Waits until the running channels (capture, diff, the stream's two consumers) are all idle at once. */
  drain(options?: { timeoutMs?: number }): Promise<void>;
  startEventSources(): void;
  /** Invokes dispatch every `everyMs` (the EventBridge Scheduler's rate). */
  startScheduler(everyMs: number): void;
  /** Stops the timer; resolves once the dispatches it started have finished. */
  stopScheduler(): Promise<void>;
  onActivity(listener: (activity: RuntimeActivity) => void): () => void;
  close(): Promise<void>;
}

export const LOCAL_USER_AGENT = 'redline-local/0.1 (+local runtime; fetches only the local report site)';

export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const ephemeral = options.ephemeral ?? false;
  const temporaryDir = ephemeral ? await mkdtemp(join(tmpdir(), 'redline-runtime-')) : undefined;
  const dataDir = resolve(temporaryDir ?? options.dataDir ?? '.redline');
  // Metrics are not published locally unless the environment asks for them.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const runCleanups = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  };
  if (temporaryDir) cleanups.push(() => rm(temporaryDir, { recursive: true, force: true }));

  try {
    const servers = await startLocalAwsServers({
      dataDir,
      dynamodbInMemory: ephemeral,
      resetS3OnClose: ephemeral,
      thread: options.serversThread ?? true,
      ...(options.requireListPaging !== undefined ? { requireListPaging: options.requireListPaging } : {}),
    });
    cleanups.push(() => servers.close());
    const dynamodb = new DynamoDBClient(localDynamoDbClientConfig(servers.endpoints.dynamodb, servers.region));
    const s3 = new S3Client(localS3ClientConfig(servers.endpoints.s3, servers.region));
    cleanups.push(() => {
      dynamodb.destroy();
      s3.destroy();
    });

    let logStream: WriteStream | undefined;
    let logFile: string | undefined;
    if (!ephemeral) {
      await mkdir(join(dataDir, 'logs'), { recursive: true });
      logFile = join(dataDir, 'logs', 'functions.jsonl');
      const stream = createWriteStream(logFile, { flags: 'a' });
      logStream = stream;
      cleanups.push(() => new Promise<void>((done) => stream.end(done)));
    }

    const runtime = new Runtime(options, dataDir, servers, { dynamodb, s3 }, logStream, logFile);
    cleanups.push(() => runtime.shutdown());
    if (options.api) await runtime.startApi(options.api, options.allowedOrigins ?? []);
    if (options.writeRuntimeFile ?? !ephemeral) {
      const file = join(dataDir, 'runtime.json');
      // It holds the API's bearer token: readable by the owner only.
      await writeFileAtomic(
        file,
        `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), dataDir, endpoints: servers.endpoints, region: servers.region, table: servers.tableName, bucket: servers.bucketName, ...(runtime.api ? { api: runtime.api } : {}) }, null, 2)}\n`,
        { mode: 0o600 },
      );
      // Only our own file: another process may have replaced it meanwhile.
      cleanups.push(async () => {
        const current = await readFile(file, 'utf8').then(
          (text) => JSON.parse(text) as { pid?: number },
          () => undefined,
        );
        if (current?.pid === process.pid) await rm(file, { force: true });
      });
    }
    runtime.closer = runCleanups;
    if (options.startEventSources ?? true) runtime.startEventSources();
    return runtime;
  } catch (error) {
    await runCleanups().catch(() => undefined);
    throw error;
  }
}

class Runtime implements LocalRuntime {
  readonly dependencies: TrackerDependencies;
  readonly handlers: LocalHandlers;
  readonly clock: RuntimeClock;
  readonly queues: LocalRuntime['queues'];
  readonly notifications: NotificationRecorder;
  readonly activity: RuntimeActivity[] = [];
  readonly timings = new CallTimings();
  closer: (() => Promise<void>) | undefined;
  readonly eventSources: LocalRuntime['eventSources'];
  /** What the queues' visibility timeouts run on (see `queues.timeline`). */
  readonly timeline: QueueTimeline;
  private readonly sources: { readonly isRunning: boolean; isIdle(): boolean; idle(): Promise<void>; start(): void; stop(): Promise<void> }[];
  private readonly listeners = new Set<(activity: RuntimeActivity) => void>();
  private readonly fetcherToClose: HttpFetcher | undefined;
  private readonly webhookNotifiers: WebhookNotifier[] = [];
  private readonly unsubscribeS3: () => void;
  private scheduler: NodeJS.Timeout | undefined;
  private readonly scheduledDispatches = new Set<Promise<void>>();
  private closed = false;
  /** A pending report job past this counts as failed: the local queue's visibility timeout x receives. */
  private readonly reportJobDeadlineMs: number;
  private readonly revisionStream: RevisionStream;
  private apiServer: ApiServer | undefined;
  api: { url: string; token: string } | undefined;
  private readonly sink: (entry: LogEntry) => void;

  constructor(
    options: LocalRuntimeOptions,
    readonly dataDir: string,
    readonly servers: LocalAwsServers,
    readonly clients: { dynamodb: DynamoDBClient; s3: S3Client },
    private readonly logStream: WriteStream | undefined,
    readonly logFile: string | undefined,
  ) {
    this.clock = options.clock ?? new RuntimeClock();
    const wallClock = this.clock.nowMs;
    const queueOptions = options.queues ?? {};
    // Lambda's advice is six times the function timeout; batches here take a second or two at most.
    const visibilityTimeoutMs = queueOptions.visibilityTimeoutMs ?? 10_000;
    const maxReceiveCount = queueOptions.maxReceiveCount ?? 5;
    const region = servers.region;
    const timeline = (this.timeline = queueOptions.timeline === 'real' ? new RealTimeline() : new LogicalTimeline());
    const captureDeadLetters = new LocalQueue<string>({ name: 'redline-capture-dlq', clock: wallClock, region, timeline });
    const diffDeadLetters = new LocalQueue<string>({ name: 'redline-diff-dlq', clock: wallClock, region, timeline });
    const reportJobDeadLetters = new LocalQueue<string>({ name: 'redline-report-jobs-dlq', clock: wallClock, region, timeline });
    const streamFailures = new LocalQueue<DynamoDBRecord>({ name: 'redline-notify-stream-failures', clock: wallClock, region, timeline });
    const provenanceStreamFailures = new LocalQueue<DynamoDBRecord>({
      name: 'redline-provenance-stream-failures',
      clock: wallClock,
      region,
      timeline,
    });
    // A stream retries a record `retryAttempts` times after the first attempt, then describes it on the failure queue.
    const streamReading = (name: string, failures: LocalQueue<DynamoDBRecord>) =>
      new LocalQueue<DynamoDBRecord>({
        name,
        visibilityTimeoutMs: Math.min(visibilityTimeoutMs, 1_000),
        maxReceiveCount: (queueOptions.streamRetryAttempts ?? 3) + 1,
        deadLetterQueue: failures,
        clock: wallClock,
        region,
        timeline,
      });
    this.queues = {
      capture: new LocalQueue({
        name: 'redline-capture',
        visibilityTimeoutMs,
        maxReceiveCount,
        deadLetterQueue: captureDeadLetters,
        clock: wallClock,
        region,
        timeline,
      }),
      captureDeadLetters,
      diff: new LocalQueue({
        name: 'redline-diff',
        visibilityTimeoutMs,
        maxReceiveCount,
        deadLetterQueue: diffDeadLetters,
        clock: wallClock,
        region,
        timeline,
      }),
      diffDeadLetters,
      stream: streamReading('redline-revisions-stream', streamFailures),
      streamFailures,
      provenanceStream: streamReading('redline-revisions-stream-provenance', provenanceStreamFailures),
      provenanceStreamFailures,
      reportJobs: new LocalQueue({
        name: 'redline-report-jobs',
        visibilityTimeoutMs,
        maxReceiveCount: LOCAL_REPORT_JOB_RECEIVES,
        deadLetterQueue: reportJobDeadLetters,
        clock: wallClock,
        region,
        timeline,
      }),
      reportJobDeadLetters,
    };
    this.reportJobDeadlineMs = visibilityTimeoutMs * LOCAL_REPORT_JOB_RECEIVES;

    // Ports: the same adapters as in Lambda, behind taps for timings and the activity log.
    const timed = this.timings.interceptor();
    const revisionStream = (this.revisionStream = new RevisionStream({
      client: clients.dynamodb,
      tableName: servers.tableName,
      region,
      clock: this.clock.now,
      // Every consumer of the stream reads every record.
      emit: (record) => {
        this.queues.stream.send([record]);
        this.queues.provenanceStream.send([record]);
      },
      onPut: (revision) => this.record({ type: 'revision', revision }),
      onError: (error, revision) => this.record({ type: 'error', where: `stream ${revision.page}#${revision.seq}`, message: errorMessage(error) }),
    }));
    const revisions = interceptPort(
      revisionStream.wrap(new DynamoRevisionStore({ client: clients.dynamodb, tableName: servers.tableName, clock: this.clock.now })),
      'revisions',
      timed,
    );
    const snapshots = interceptPort(new S3SnapshotStore({ client: clients.s3, bucket: servers.bucketName }), 'snapshots', timed);
    let fetcher: Fetcher;
    if (options.fetcher && 'fetchPage' in options.fetcher) {
      fetcher = options.fetcher;
    } else {
      this.fetcherToClose = new HttpFetcher({
        userAgent: LOCAL_USER_AGENT,
        allowPrivateAddresses: allowLoopbackOrigins(options.allowedOrigins ?? []),
        perHostConcurrency: 4,
        perHostDelayMs: 0,
        totalTimeoutMs: 15_000,
        ...(options.fetcher as Partial<HttpFetcherOptions> | undefined),
      });
      fetcher = this.fetcherToClose;
    }

    this.notifications = new NotificationRecorder(this.clock.now);
    this.notifications.onDelivery(({ notification }) => this.record({ type: 'notification', notification }));
    const subscribers: Notifier[] = [];
    if (options.console) subscribers.push(new ConsoleNotifier(options.console));
    // Webhook POSTs pass the fetcher's connect-time address guard: public addresses only, and loopback only for the
    // origins this runtime was explicitly given (the local report site, the demo's receiver, a configured webhook).
    const explicitOrigins = [...(options.allowedOrigins ?? []), ...(options.api?.allowedUrlOrigins ?? [])];
    const webhookNotifier = (url: string, secret: string, origins: readonly string[]) => {
      const notifier = new WebhookNotifier({
        url,
        secret,
        retries: 2,
        minRetryDelayMs: 50,
        maxRetryDelayMs: 250,
        timeoutMs: 5_000,
        privateAddresses: allowLoopbackOrigins(origins),
        ...(options.webhookLookup ? { lookup: options.webhookLookup } : {}),
      });
      this.webhookNotifiers.push(notifier);
      return notifier;
    };
    for (const webhook of options.webhooks ?? []) {
      const notifier = webhookNotifier(webhook.url, webhook.secret, [...explicitOrigins, new URL(webhook.url).origin]);
      subscribers.push(new FilteredNotifier(notifier, webhook.filterPolicy));
    }
    for (const subscriber of options.subscribers ?? []) subscribers.push(new FilteredNotifier(subscriber.notifier, subscriber.filterPolicy));
    // Subscriptions made through the API (or the CLI) get their deliveries here, as SNS would deliver them.
    const subscriptions = new DynamoSubscriptionStore({ client: clients.dynamodb, tableName: servers.tableName });
    subscribers.push(
      new SubscriptionNotifier({
        subscriptions,
        output: options.subscriptionOutput ?? (options.console || { write: () => true }),
        webhookNotifier: (delivery) => webhookNotifier(delivery.url, delivery.secret, explicitOrigins),
      }),
    );
    subscribers.push(this.notifications);

    const built: TrackerDependencies = {
      revisions,
      snapshots,
      fetcher: interceptPort(fetcher, 'fetcher', timed),
      captureQueue: {
        enqueue: async (messages: readonly CaptureMessage[]) => {
          this.queues.capture.send(messages.map((message) => JSON.stringify(message)));
        },
      },
      notifier: interceptPort(new FanoutNotifier(subscribers, { name: 'local-topic' }), 'notifier', timed),
      now: this.clock.now,
      settings: { ...DEFAULT_TRACKER_SETTINGS, ...options.settings },
      subscriptions: interceptPort(subscriptions, 'subscriptions', timed),
    };
    this.dependencies = options.decorate ? options.decorate(built) : built;

    const sink = (this.sink = (entry: LogEntry) => this.onLog(entry));
    const dependencies = this.dependencies;
    this.handlers = {
      dispatch: createDispatchHandler(dependencies, localObservability('dispatch', sink)) as LocalHandlers['dispatch'],
      capture: createCaptureHandler(dependencies, localObservability('capture', sink)) as LocalHandlers['capture'],
      diff: createDiffHandler(dependencies, localObservability('diff', sink)) as LocalHandlers['diff'],
      notify: createNotifyHandler(dependencies, localObservability('notify', sink)) as LocalHandlers['notify'],
      provenance: createProvenanceHandler(dependencies, localObservability('provenance', sink)) as LocalHandlers['provenance'],
      report: createReportHandler(
        dependencies,
        { maxReceiveCount: LOCAL_REPORT_JOB_RECEIVES },
        localObservability('report', sink),
      ) as LocalHandlers['report'],
    };

    // S3 -> EventBridge rule (docs/ prefix) -> diff queue.
    this.unsubscribeS3 = servers.onS3Event((event) => {
      const created = objectCreatedFromS3rver(event, this.clock.now(), region).filter(
        (entry) => entry.detail.bucket.name === servers.bucketName && entry.detail.object.key.startsWith('docs/'),
      );
      if (created.length > 0) this.queues.diff.send(created.map((entry) => JSON.stringify(entry)));
    });

    const concurrency = queueOptions.concurrency ?? 2;
    const onInvocation = (report: InvocationReport<unknown>) => this.onInvocation(report);
    this.eventSources = {
      capture: new QueueEventSource<string, SQSEvent, SQSBatchResponse>({
        queue: this.queues.capture,
        batchSize: queueOptions.captureBatchSize ?? 5,
        concurrency,
        toEvent: (messages) => ({ Records: messages.map((message) => sqsRecord(this.queues.capture, message)) }),
        invoke: (event) => this.handlers.capture(event, localLambdaContext('redline-capture')),
        failedIds: (result) => sqsFailures(result),
        onInvocation,
      }),
      diff: new QueueEventSource<string, SQSEvent, SQSBatchResponse>({
        queue: this.queues.diff,
        batchSize: queueOptions.diffBatchSize ?? 10,
        concurrency,
        toEvent: (messages) => ({ Records: messages.map((message) => sqsRecord(this.queues.diff, message)) }),
        invoke: (event) => this.handlers.diff(event, localLambdaContext('redline-diff')),
        failedIds: (result) => sqsFailures(result),
        onInvocation,
      }),
      // One shard: one invocation at a time, records in write order.
      stream: new QueueEventSource<DynamoDBRecord, DynamoDBStreamEvent, DynamoDBBatchResponse>({
        queue: this.queues.stream,
        batchSize: 10,
        concurrency: 1,
        toEvent: (messages) => ({ Records: messages.map((message) => message.payload) }),
        invoke: (event) => this.handlers.notify(event, localLambdaContext('redline-notify')),
        failedIds: streamFailedIds,
        onInvocation,
      }),
      // The provenance consumer: the same records, its own position, retries and failure queue.
      provenance: new QueueEventSource<DynamoDBRecord, DynamoDBStreamEvent, DynamoDBBatchResponse>({
        queue: this.queues.provenanceStream,
        batchSize: 10,
        concurrency: 1,
        toEvent: (messages) => ({ Records: messages.map((message) => message.payload) }),
        invoke: (event) => this.handlers.provenance(event, localLambdaContext('redline-provenance')),
        failedIds: streamFailedIds,
        onInvocation,
      }),
      // One job per invocation, as the report function's event source mapping.
      report: new QueueEventSource<string, SQSEvent, SQSBatchResponse>({
        queue: this.queues.reportJobs,
        batchSize: 1,
        concurrency: 1,
        toEvent: (messages) => ({ Records: messages.map((message) => sqsRecord(this.queues.reportJobs, message)) }),
        invoke: (event) => this.handlers.report(event, localLambdaContext('redline-report')),
        failedIds: (result) => sqsFailures(result),
        onInvocation,
      }),
    };
    this.sources = Object.values(this.eventSources);
    if (timeline instanceof LogicalTimeline) {
      timeline.whenQuiescent(() => !this.revisionStream.busy && Object.values(this.eventSources).every((source) => source.isQuiescent()));
    }
  }

  watch(request: AddWatchRequest): Promise<AddWatchResult> {
    return addWatch(this.dependencies, request);
  }

  async startApi(options: NonNullable<LocalRuntimeOptions['api']>, fetchOrigins: readonly string[]): Promise<void> {
    const token = options.token ?? randomBytes(18).toString('base64url');
    const allowed = new Set([...fetchOrigins, ...(options.allowedUrlOrigins ?? [])].map((origin) => new URL(origin).origin));
    const { revisions, snapshots, now, settings, subscriptions } = this.dependencies;
    const handler = createApiHandler(
      {
        revisions,
        snapshots,
        now,
        settings,
        subscriptions: subscriptions!,
        subscriptionGateway: new LocalSubscriptionGateway(),
        // Edition reports over the bound: the in-process report job queue and report function, as in AWS.
        reportJobs: {
          enqueue: async (message) => {
            this.queues.reportJobs.send([JSON.stringify(message)]);
          },
        },
        api: {
          token,
          reportJobs: this.reportJobSettings(options),
          // The local site and receivers are on loopback, which the public-URL guard refuses.
          assertPublicUrl: (url) => {
            const parsed = new URL(url);
            return allowed.has(parsed.origin) ? parsed : assertPublicUrl(url);
          },
        },
      },
      localObservability('api', this.sink),
    );
    const start = (port: number) => startApiServer({ handler, port });
    try {
      this.apiServer = await start(options.port ?? 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      this.apiServer = await start(0);
    }
    this.api = { url: this.apiServer.url, token };
  }

  private reportJobSettings(options: NonNullable<LocalRuntimeOptions['api']>): EditionReportJobSettings {
    return { syncSeriesLimit: options.syncReportSeries ?? DEFAULT_SYNC_REPORT_SERIES, jobDeadlineMs: this.reportJobDeadlineMs };
  }

  async dispatch(): Promise<DispatchResult> {
    const event = scheduledEvent(this.clock.now(), { region: this.servers.region });
    const result = await this.handlers.dispatch(event, localLambdaContext('redline-dispatch'));
    this.record({ type: 'dispatch', result, scheduledAt: event.time });
    return result;
  }

  async runCycle(options: { timeoutMs?: number } = {}): Promise<CycleReport> {
    const started = performance.now();
    const from = this.activity.length;
    const dispatch = await this.dispatch();
    await this.drain(options);
    const window = this.activity.slice(from);
    const of = <K extends RuntimeActivity['type']>(type: K) =>
      window.filter((entry): entry is Extract<RuntimeActivity, { type: K }> => entry.type === type);
    const seen = new Set<string>();
    return {
      scheduledAt: of('dispatch')[0]?.scheduledAt ?? this.clock.now().toISOString(),
      dispatch,
      captures: of('capture').map((entry) => entry.outcome),
      revisions: of('revision').map((entry) => entry.revision),
      noRevisions: of('no-revision').map(({ page, outcome, detail }) => ({ page, outcome, detail })),
      notifications: of('notification')
        .map((entry) => entry.notification)
        .filter((notification) => !seen.has(notification.id) && seen.add(notification.id)),
      retries: of('retry').reduce((sum, entry) => sum + entry.messageIds.length, 0),
      deadLetters: of('dead-letter').length,
      errors: of('error').map((entry) => `${entry.where}: ${entry.message}`),
      durationMs: performance.now() - started,
    };
  }

  async drain(options: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`The local channels did not drain within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      // Channels whose event source is stopped keep their messages for later and are not waited for.
      const running = () => this.sources.filter((source) => source.isRunning);
      while (this.revisionStream.busy || !running().every((source) => source.isIdle())) {
        // Only redeliveries are left when nothing runs: a logical timeline moves on to them.
        this.timeline.poke();
        await Promise.race([Promise.all([this.revisionStream.settled(), ...running().map((source) => source.idle())]), timeout]);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  startEventSources(): void {
    for (const source of this.sources) source.start();
  }

  startScheduler(everyMs: number): void {
    clearInterval(this.scheduler);
    this.scheduler = setInterval(() => {
      const dispatch = this.dispatch()
        .then(() => undefined)
        .catch((error: unknown) => this.record({ type: 'error', where: 'scheduler', message: errorMessage(error) }));
      this.scheduledDispatches.add(dispatch);
      void dispatch.finally(() => this.scheduledDispatches.delete(dispatch));
    }, everyMs);
  }

  async stopScheduler(): Promise<void> {
    clearInterval(this.scheduler);
    this.scheduler = undefined;
    await Promise.allSettled([...this.scheduledDispatches]);
  }

  onActivity(listener: (activity: RuntimeActivity) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.closer?.();
  }

  /** Stops the timers and event sources, then the fetcher (called by close before the servers stop). */
  async shutdown(): Promise<void> {
    await this.stopScheduler();
    await this.apiServer?.close();
    this.unsubscribeS3();
    await Promise.all(this.sources.map((source) => source.stop()));
    await this.revisionStream.settled();
    await this.fetcherToClose?.close();
    await Promise.all(this.webhookNotifiers.map((notifier) => notifier.close()));
  }

  private record(activity: RuntimeActivity): void {
    this.activity.push(activity);
    for (const listener of [...this.listeners]) {
      try {
        listener(activity);
      } catch {
        // A listener's failure is its own business.
      }
    }
  }

  private onInvocation(report: InvocationReport<unknown>): void {
    this.timings.record(`handler.${report.source}`, report.durationMs);
    if (report.failedMessageIds.length > 0) {
      this.record({
        type: 'retry',
        source: report.source,
        messageIds: report.failedMessageIds,
        ...(report.error !== undefined ? { error: errorMessage(report.error) } : {}),
      });
    }
    const failed = new Set(report.failedMessageIds);
    for (const message of report.messages) {
      const queue = Object.values(this.queues).find((candidate) => candidate.name === report.source);
      if (failed.has(message.messageId) && queue && message.receiveCount >= queue.maxReceiveCount) {
        // The next receive moves it to the dead-letter queue.
        this.record({ type: 'dead-letter', source: report.source, messageId: message.messageId });
      }
    }
  }

  /** The handlers' structured logs: kept in the log file, and read for their outcomes. */
  private onLog(entry: LogEntry): void {
    this.logStream?.write(`${JSON.stringify(entry.attributes)}\n`);
    const attributes = entry.attributes;
    const outcome = attributes.outcome;
    if (typeof outcome !== 'string' || typeof attributes.page !== 'string') return;
    if (entry.service === 'capture') {
      const { failure, ...rest } = pickOutcome(attributes);
      const captured = { ...rest, ...(failure !== undefined ? { message: failure } : {}) } as unknown as CaptureOutcome;
      this.record({ type: 'capture', outcome: captured, ...(typeof attributes.capture === 'string' ? { messageId: attributes.capture } : {}) });
    } else if (entry.service === 'diff' && outcome !== 'recorded') {
      this.record({ type: 'no-revision', page: attributes.page, outcome, detail: pickOutcome(attributes) });
    }
  }
}

/** The use case's result fields of a handler's log line (without Powertools' own keys). */
const POWERTOOLS_KEYS = new Set([
  'level',
  'message',
  'service',
  'timestamp',
  'xray_trace_id',
  'sampling_rate',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'revision',
  'capture',
]);

function pickOutcome(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => !POWERTOOLS_KEYS.has(key)));
}

/** The messages of the stream records a batch response names (by sequence number). */
function streamFailedIds(result: DynamoDBBatchResponse | undefined, messages: readonly { messageId: string; payload: DynamoDBRecord }[]): string[] {
  const failed = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  return messages.filter((message) => failed.has(message.payload.dynamodb?.SequenceNumber ?? '')).map((message) => message.messageId);
}

function sqsFailures(result: SQSBatchResponse | undefined): string[] {
  return (result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type { DeadLetter };
