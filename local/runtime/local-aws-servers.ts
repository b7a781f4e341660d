import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client, S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { EmbeddedServers } from './embedded-servers.js';
import { createTableRequest } from '../../shared/adapters/dynamodb/table-definition.js';

/**
 * The embedded AWS servers of the local runtime and the adapter tests: dynalite (DynamoDB) and s3rver (S3), both
 * in-process, with the redline table (and its GSIs) and bucket created. `npm start` keeps their data under
 * .redline/; the tests use a temporary folder. With `thread: true` they serve from a worker thread of their own
 * (aws-servers-thread.ts), so that their CPU time (a fifth of an import's) runs beside the caller's, on another core;
 * the caller sees the same interface either way.
 */
export interface LocalAwsServersOptions {
  /** Folder for the data: `<dataDir>/dynamodb` (LevelDB) and `<dataDir>/s3`. */
  dataDir: string;
  /** Keep DynamoDB in memory instead of under dataDir (faster; for tests). */
  dynamodbInMemory?: boolean;
  /** Empty the S3 folder when the server closes (for temporary folders). */
  resetS3OnClose?: boolean;
  tableName?: string;
  bucketName?: string;
  host?: string;
  /** 0 (the default) picks free ports. */
  dynamodbPort?: number;
  s3Port?: number;
  region?: string;
  /**
   * s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers with
   * `--openssl-legacy-provider`; without it every truncated listing answers 500. By default startup refuses to run
   * without it rather than fail later; set false to start anyway (listings of at most one page still work).
   */
  requireListPaging?: boolean;
  /**
   * Serve from a worker thread (node:worker_threads) instead of the caller's thread. S3 events and write failures are
   * relayed to the listeners here, each S3 event before its request's response leaves the server, as in one thread.
   * Default false: a test that reaches into the servers' modules (a simulated full disk) needs them in its own thread.
   */
  thread?: boolean;
}

export interface LocalAwsEndpoints {
  dynamodb: string;
  s3: string;
}

export interface LocalAwsServers {
  endpoints: LocalAwsEndpoints;
  region: string;
  tableName: string;
  bucketName: string;
  dataDir: string;
  /** S3-shaped event records that s3rver emits for each PUT/COPY/DELETE (keys not URL-encoded, unlike AWS). */
  onS3Event(listener: (event: unknown) => void): () => void;
  /** Hears of each write that failed on disk (ENOSPC, EROFS, ...), by s3rver or dynalite: their clients only get a 500. */
  onWriteFailure(listener: (error: NodeJS.ErrnoException) => void): () => void;
  /** Where the servers run: the caller's thread or a worker thread of their own (`thread: true`). */
  thread: 'caller' | 'worker';
  /**
   * Hears when the servers' worker thread died unexpectedly (every request to them fails from then on); never told
   * for servers in the caller's thread, whose crash would be the caller's.
   */
  onCrash(listener: (error: Error) => void): () => void;
  /** Closes the servers (and ends their worker thread). */
  close(): Promise<void>;
}

/**
 * s3rver checks SigV4 signatures against these; dynalite accepts anything. A fresh object each time: the SDK writes
 * a `$source` marker into the credentials it is given (a frozen object makes every call throw).
 */
export function localCredentials() {
  return { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
}

export function localDynamoDbClientConfig(endpoint: string, region = 'us-east-1'): DynamoDBClientConfig {
  return { endpoint, region, credentials: localCredentials(), maxAttempts: 3 };
}

export function localS3ClientConfig(endpoint: string, region = 'us-east-1'): S3ClientConfig {
  return {
    endpoint,
    region,
    credentials: localCredentials(),
    forcePathStyle: true,
    // With the SDK's default checksums s3rver stores the aws-chunked framing inside the object, silently.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

export async function startLocalAwsServers(options: LocalAwsServersOptions): Promise<LocalAwsServers> {
  const region = options.region ?? 'us-east-1';
  const tableName = options.tableName ?? 'redline';
  const bucketName = options.bucketName ?? 'redline';
  const { thread, tableName: _table, bucketName: _bucket, region: _region, ...serverOptions } = options;
  let servers: EmbeddedServers & { onCrash?: LocalAwsServers['onCrash'] };
  // dynalite and s3rver are loaded by the thread that runs them, not by this one when they have a thread of their own
  // (about 20 MiB less resident). Either way, a missing package rejects with ERR_MODULE_NOT_FOUND naming it, which the
  // CLI turns into how to install it (loadLocalModule).
  if (thread) {
    const { startServersOnThread } = await import('./aws-servers-thread.js');
    servers = await startServersOnThread(serverOptions);
  } else {
    const { startEmbeddedServers } = await import('./embedded-servers.js');
    servers = await startEmbeddedServers(serverOptions);
  }
  try {
    // From this thread: the worker thread then loads no AWS SDK client.
    await provision(servers.endpoints, region, tableName, bucketName);
  } catch (error) {
    await servers.close().catch(() => undefined);
    throw error;
  }
  return {
    endpoints: servers.endpoints,
    region,
    tableName,
    bucketName,
    dataDir: options.dataDir,
    thread: thread ? 'worker' : 'caller',
    onS3Event: (listener) => servers.onS3Event(listener),
    onWriteFailure: (listener) => servers.onWriteFailure(listener),
    onCrash: (listener) => servers.onCrash?.(listener) ?? (() => undefined),
    close: () => servers.close(),
  };
}

/** Creates the table and the bucket unless a persisted data folder already has them. */
async function provision(endpoints: LocalAwsEndpoints, region: string, tableName: string, bucketName: string): Promise<void> {
  const dynamodb = new DynamoDBClient(localDynamoDbClientConfig(endpoints.dynamodb, region));
  const s3 = new S3Client(localS3ClientConfig(endpoints.s3, region));
  try {
    try {
      await dynamodb.send(new CreateTableCommand(createTableRequest(tableName)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    for (let attempt = 0; ; attempt++) {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') break;
      if (attempt >= 100) throw new Error(`Local table ${tableName} is still ${Table?.TableStatus}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
    } catch (error) {
      const exists = error instanceof S3ServiceException && (error.name === 'BucketAlreadyOwnedByYou' || error.name === 'BucketAlreadyExists');
      if (!exists) throw error;
    }
  } finally {
    dynamodb.destroy();
    s3.destroy();
  }
}
