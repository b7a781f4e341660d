import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { S3SnapshotStore } from '../shared/adapters/s3/s3-snapshot-store.js';
import { loadConfig } from '../shared/config.js';
import type { ImportDestination } from '../shared/use-cases/import-pages.js';
import { UsageError } from './cli-io.js';
import { clientCredentials, type OpenStore } from './store-selection.js';

/** SQS's queue URL host: sqs.<region>.amazonaws.com (or the legacy <region>.queue.amazonaws.com). */
const SQS_HOST = /^(?:sqs\.([a-z]{2}(?:-[a-z]+)+-\d)|([a-z]{2}(?:-[a-z]+)+-\d)\.queue)\.amazonaws\.com(?:\.cn)?$/;

export interface CloudImportTarget {
  destination: ImportDestination;
  queueUrl: string;
  close(): void;
}

/**
 * The deployed stack's side of `redline import` (REDLINE_TABLE set): the bucket and the FIFO import queue, checked
 * before anything is written, so a wrong queue, a standard queue or another region is a usage error (exit 2) that
 * changes nothing.
 */
export async function openCloudImport(store: OpenStore, env: NodeJS.ProcessEnv, options: { waitMs: number }): Promise<CloudImportTarget> {
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const hint = '(docs/deploy.md, "Backfilling a deployed stack")';
  if (!config.REDLINE_BUCKET)
    throw new UsageError(`REDLINE_BUCKET is not set: a cloud import stores raw bodies and Documents in the stack's bucket ${hint}`);
  const queueUrl = config.REDLINE_IMPORT_QUEUE_URL;
  if (!queueUrl) throw new UsageError(`REDLINE_IMPORT_QUEUE_URL is not set: give the stack's ImportQueueUrl output ${hint}`);
  if (!new URL(queueUrl).pathname.endsWith('.fifo')) {
    throw new UsageError(
      `REDLINE_IMPORT_QUEUE_URL ${queueUrl} is not a FIFO queue (.fifo): only the import queue keeps each page's captures in order`,
    );
  }
  const host = SQS_HOST.exec(new URL(queueUrl).hostname);
  const queueRegion = host?.[1] ?? host?.[2];
  if (queueRegion && queueRegion !== config.AWS_REGION) {
    throw new UsageError(`The import queue is in ${queueRegion} but AWS_REGION is ${config.AWS_REGION}: set AWS_REGION=${queueRegion}`);
  }
  const { SQSClient } = await import('./sdk/sqs-client.js');
  const credentials = clientCredentials(env);
  const sqs: SQSClient = new SQSClient({
    region: config.AWS_REGION,
    ...credentials,
    ...(config.REDLINE_SQS_ENDPOINT ? { endpoint: config.REDLINE_SQS_ENDPOINT } : {}),
  });
  try {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['FifoQueue'] }));
    if (Attributes?.FifoQueue !== 'true') throw new UsageError(`${queueUrl} is not a FIFO queue`);
  } catch (error) {
    sqs.destroy();
    if (error instanceof UsageError) throw error;
    const name = (error as Error).name;
    throw new UsageError(
      name === 'AccessDenied' || name === 'AccessDeniedException'
        ? `Not allowed to use the import queue ${queueUrl}: the importer needs sqs:GetQueueAttributes and sqs:SendMessage on it ${hint}`
        : `The import queue ${queueUrl} cannot be reached (${name}: ${(error as Error).message}): check the stack's outputs and AWS_REGION ${hint}`,
      { cause: error },
    );
  }
  const { S3ImportStaging } = await import('../shared/adapters/s3/s3-import-staging.js');
  const { SqsImportQueue } = await import('../shared/adapters/sqs/sqs-import-queue.js');
  const { cloudImportDestination } = await import('../shared/use-cases/cloud-import.js');
  const staging = new S3ImportStaging({ client: (store.dependencies.snapshots as S3SnapshotStore).s3Client, bucket: config.REDLINE_BUCKET });
  return {
    destination: cloudImportDestination({ staging, queue: new SqsImportQueue({ client: sqs, queueUrl }) }, { waitMs: options.waitMs }),
    queueUrl,
    close: () => sqs.destroy(),
  };
}
