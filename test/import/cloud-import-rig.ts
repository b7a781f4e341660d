import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createDiffHandler } from '../../functions/diff/diff-handler.js';
import { createImportHandler } from '../../functions/diff/import-handler.js';
import { objectCreatedFromS3rver } from '../../local/runtime/aws-event-shapes.js';
import { localCredentials } from '../../local/runtime/local-aws-servers.js';
import { startSqsEventSource } from '../../local/runtime/sqs-event-source.js';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3ImportStaging } from '../../shared/adapters/s3/s3-import-staging.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import type { Observability } from '../../shared/observability.js';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';
import { replaceText, withModifiedDate } from '../cli/cli-fixture.js';
import { loadCorpusPage, type CorpusCountry } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

/**
 * A deployed stack on one machine, for cloud imports: dynalite and s3rver (table and bucket), fauxqs for the FIFO
 * import queue and its FIFO DLQ, and the diff function's import handler polling that queue as the Lambda event
 * source mapping would. The S3 "Object Created" events of docs/ are kept, to be delivered to the diff handler when a
 * test chooses (as late as it likes).
 */
export interface CloudStack {
  aws: LocalAws;
  sqs: SQSClient;
  fauxqs: FauxqsServer;
  queueUrl: string;
  queueArn: string;
  deadLetterQueueUrl: string;
  revisions: DynamoRevisionStore;
  snapshots: S3SnapshotStore;
  staging: S3ImportStaging;
  /** The environment `redline import` is given (a deployed stack behind endpoint overrides). */
  env: NodeJS.ProcessEnv;
  /** Message bodies the import handler was given, in delivery order. */
  delivered: string[];
  startConsumer(): void;
  stopConsumer(): Promise<void>;
  /** Delivers the docs/ Object Created events so far to the diff handler; returns how many. */
  deliverDocumentEvents(): Promise<number>;
  close(): Promise<void>;
}

export const REGION = 'us-east-1';

function quietObservability(): Observability {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const logger = new Logger({ serviceName: 'diff', logLevel: 'SILENT' });
  return { logger, metrics: new Metrics({ serviceName: 'diff', namespace: 'redline-test', logger }) };
}

export async function startCloudStack(options: { maxReceiveCount?: number } = {}): Promise<CloudStack> {
  const aws = await startLocalAws();
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const endpoint = `http://127.0.0.1:${fauxqs.port}`;
  const sqs = new SQSClient({ endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  // fauxqs answers with a sqs.<region>.localhost host: keep the local address.
  const local = (url: string) => new URL(new URL(url).pathname, endpoint).href;
  const arnOf = async (queueUrl: string) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const deadLetterQueueUrl = local(
    (await sqs.send(new CreateQueueCommand({ QueueName: 'redline-import-dlq.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl!,
  );
  const queueUrl = local(
    (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: 'redline-import.fifo',
          Attributes: {
            FifoQueue: 'true',
            VisibilityTimeout: '60',
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(deadLetterQueueUrl), maxReceiveCount: options.maxReceiveCount ?? 5 }),
          },
        }),
      )
    ).QueueUrl!,
  );
  const queueArn = await arnOf(queueUrl);
  const revisions = new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName });
  const snapshots = new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName });
  const staging = new S3ImportStaging({ client: aws.s3, bucket: aws.bucketName });
  const observability = quietObservability();
  const importHandler = createImportHandler({ revisions, snapshots, staging }, observability);
  const diffHandler = createDiffHandler({ revisions, snapshots }, observability);
  const delivered: string[] = [];
  const documentEvents: string[] = [];
  const unsubscribe = aws.onS3Event((event) => {
    for (const created of objectCreatedFromS3rver(event, new Date(), REGION)) {
      if (created.detail.object.key.startsWith('docs/')) documentEvents.push(JSON.stringify(created));
    }
  });
  let consumer: { stop(): Promise<void> } | undefined;
  const credentials = localCredentials();
  return {
    aws,
    sqs,
    fauxqs,
    queueUrl,
    queueArn,
    deadLetterQueueUrl,
    revisions,
    snapshots,
    staging,
    delivered,
    env: {
      REDLINE_TABLE: aws.tableName,
      REDLINE_BUCKET: aws.bucketName,
      REDLINE_IMPORT_QUEUE_URL: queueUrl,
      REDLINE_DYNAMODB_ENDPOINT: aws.endpoints.dynamodb,
      REDLINE_S3_ENDPOINT: aws.endpoints.s3,
      REDLINE_SQS_ENDPOINT: endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    startConsumer() {
      consumer ??= startSqsEventSource({
        client: sqs,
        queueUrl,
        queueArn,
        functionName: 'diff',
        batchSize: 10,
        pollers: 2,
        handler: async (event: SQSEvent) => {
          for (const record of event.Records) delivered.push(record.body);
          return (await importHandler(event, localLambdaContext('diff'))) as SQSBatchResponse;
        },
      });
    },
    async stopConsumer() {
      const running = consumer;
      consumer = undefined;
      await running?.stop();
    },
    async deliverDocumentEvents() {
      const events = documentEvents.splice(0);
      if (events.length === 0) return 0;
      const event: SQSEvent = {
        Records: events.map((body, index) => ({
          messageId: `document-event-${index}`,
          receiptHandle: `document-event-${index}`,
          body,
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: '0',
            SenderId: 'local',
            ApproximateFirstReceiveTimestamp: '0',
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:${REGION}:000000000000:redline-diff`,
          awsRegion: REGION,
        })),
      };
      const response = (await diffHandler(event, localLambdaContext('diff'))) as SQSBatchResponse;
      if (response.batchItemFailures.length > 0) throw new Error(`the diff handler failed ${response.batchItemFailures.length} event(s)`);
      return events.length;
    },
    async close() {
      unsubscribe();
      try {
        await consumer?.stop();
      } finally {
        sqs.destroy();
        await fauxqs.stop();
        await aws.close();
      }
    },
  };
}

const CHANGES_SENTENCE = (country: string) => `There were no significant changes in the human rights situation in ${country} during the year.`;

/** A real 2023 page with sentence `n` added after its "no significant changes" sentence, modified at `modified`. */
export function editedPage(country: CorpusCountry, name: string, n: number, modified: string): string {
  const sentence = CHANGES_SENTENCE(name);
  return withModifiedDate(replaceText(loadCorpusPage(country, 2023), sentence, `${sentence} Addendum number ${n}.`), modified);
}

/**
 * Saved pages of three series (Tuvalu 2023 in four captures, the last changed only in its dates; Andorra 2023 in
 * two; Kazakhstan 2022, 2023 and 2024), written under names that put them in no particular time order.
 */
export async function writeSavedPages(folder: string): Promise<{ files: number; pages: string[] }> {
  const captures: Array<[string, string]> = [
    ['tuvalu-v2', editedPage('tuvalu', 'Tuvalu', 2, '2025-04-01T00:00:00+00:00')],
    ['kazakhstan-2024', loadCorpusPage('kazakhstan', 2024)],
    ['andorra-v2', editedPage('andorra', 'Andorra', 2, '2025-06-01T00:00:00+00:00')],
    ['tuvalu-v3', editedPage('tuvalu', 'Tuvalu', 3, '2025-05-01T00:00:00+00:00')],
    ['kazakhstan-2022', loadCorpusPage('kazakhstan', 2022)],
    ['tuvalu-v1', editedPage('tuvalu', 'Tuvalu', 1, '2025-03-01T00:00:00+00:00')],
    // Tuvalu v3's text again, dated later: the same sections and text (unchanged), not a revision.
    ['tuvalu-v3-redated', editedPage('tuvalu', 'Tuvalu', 3, '2025-05-15T00:00:00+00:00')],
    ['andorra-v1', editedPage('andorra', 'Andorra', 1, '2025-02-01T00:00:00+00:00')],
    ['kazakhstan-2023', loadCorpusPage('kazakhstan', 2023)],
  ];
  await mkdir(folder, { recursive: true });
  // File names in an order unrelated to capture time (the walk reads them by name).
  const order = [6, 2, 8, 0, 4, 7, 1, 5, 3];
  await Promise.all(captures.map(([name, html], index) => writeFile(join(folder, `${order[index]}-${name}.html`), html)));
  return {
    files: captures.length,
    pages: ['hrr.andorra.2023', 'hrr.kazakhstan.2022', 'hrr.kazakhstan.2023', 'hrr.kazakhstan.2024', 'hrr.tuvalu.2023'],
  };
}

/** Every page's revisions as (seq, capturedAt, documentHash, previousSeq), oldest first. */
export async function revisionLog(revisions: DynamoRevisionStore, pages: readonly string[]): Promise<Record<string, unknown[]>> {
  const log: Record<string, unknown[]> = {};
  for (const page of pages) {
    const { items } = await revisions.listRevisions(page, { limit: 100, newestFirst: false });
    log[page] = items.map((revision) => [revision.seq, revision.capturedAt, revision.documentHash, revision.previousSeq ?? null]);
  }
  return log;
}
