import { createCipheriv } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client, S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { startGuardedDynalite } from './dynalite-write-guard.js';
import { guardS3rverStore } from './s3rver-store-guard.js';
import { createTableRequest } from '../../shared/adapters/dynamodb/table-definition.js';

/**
 * The embedded AWS servers of the local runtime and the adapter tests: dynalite (DynamoDB) and s3rver (S3), both
 * in-process, with the redline table (and its GSIs) and bucket created. `npm start` keeps their data under
 * .redline/; the tests use a temporary folder.
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

/** True when this process can run s3rver's paged listings (see requireListPaging). */
export function canPageS3rverListings(): boolean {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return true;
  } catch {
    return false;
  }
}

export async function startLocalAwsServers(options: LocalAwsServersOptions): Promise<LocalAwsServers> {
  if (options.requireListPaging !== false && !canPageS3rverListings()) {
    throw new Error(
      's3rver needs the OpenSSL legacy provider for paged ListObjectsV2: run node with ' +
        "NODE_OPTIONS='--openssl-legacy-provider' (or pass requireListPaging: false)",
    );
  }
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const tableName = options.tableName ?? 'redline';
  const bucketName = options.bucketName ?? 'redline';
  const dynamodbDir = join(options.dataDir, 'dynamodb');
  const s3Dir = join(options.dataDir, 's3');
  await mkdir(s3Dir, { recursive: true });
  if (!options.dynamodbInMemory) {
    // The table holds the webhook secrets: only the owner may read it, whatever mode dynalite gives its files (0644).
    await mkdir(dynamodbDir, { recursive: true, mode: 0o700 });
    await chmod(dynamodbDir, 0o700);
  }

  const s3rver = new S3rver({
    address: host,
    port: options.s3Port ?? 0,
    silent: true,
    directory: s3Dir,
    resetOnClose: options.resetS3OnClose ?? false,
  });
  withoutRequestLog(s3rver);
  honourIfNoneMatch(s3rver);
  // Atomic object writes; a short object left by a kill counts as missing (docs/reliability.md, "Full disk").
  const writeFailureListeners = new Set<(error: NodeJS.ErrnoException) => void>();
  const onWriteFailure = (error: NodeJS.ErrnoException) => writeFailureListeners.forEach((listener) => listener(error));
  guardS3rverStore(s3rver.store, { onWriteFailure: (error) => onWriteFailure(error as NodeJS.ErrnoException) });
  // A failed LevelDB write (a full disk) answers a 500 and is reported, instead of ending the process.
  const dynamoServer = startGuardedDynalite(
    { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.dynamodbInMemory ? {} : { path: dynamodbDir }) },
    { onWriteFailure },
  );

  let dynamoListening = false;
  let s3Listening = false;
  const close = async () => {
    const closing: Promise<void>[] = [];
    if (dynamoListening) {
      closing.push(new Promise<void>((resolve, reject) => dynamoServer.close((error) => (error ? reject(error) : resolve()))));
      dynamoServer.closeAllConnections();
      dynamoListening = false;
    }
    if (s3Listening) {
      closing.push(s3rver.close());
      s3rver.httpServer?.closeAllConnections();
      s3Listening = false;
    }
    const results = await Promise.allSettled(closing);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  };

  try {
    const dynamodbPort = await listen(dynamoServer, options.dynamodbPort ?? 0, host);
    dynamoListening = true;
    const s3Address = await s3rver.run();
    s3Listening = true;
    const endpoints = {
      dynamodb: `http://${host}:${dynamodbPort}`,
      s3: `http://${host}:${s3Address.port}`,
    };
    await provision(endpoints, region, tableName, bucketName);
    return {
      endpoints,
      region,
      tableName,
      bucketName,
      dataDir: options.dataDir,
      onS3Event(listener) {
        s3rver.on('event', listener);
        return () => s3rver.off('event', listener);
      },
      onWriteFailure(listener) {
        writeFailureListeners.add(listener);
        return () => writeFailureListeners.delete(listener);
      },
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/**
 * s3rver (3.7) logs every request through koa-logger, even when silent: each request and response line is formatted
 * (chalk, util.format) and handed to a winston logger whose silent transport then drops it, and every streamed
 * response body is piped through a byte counter for the log. About 2% of an import's CPU time, for nothing: the
 * servers here are always silent, so the middleware goes (before run() composes the middleware). s3rver's own
 * messages (ctx.logger) are untouched. True when it was there.
 */
export function withoutRequestLog(app: { middleware: Array<(...args: never[]) => unknown> }): boolean {
  const index = app.middleware.findIndex((middleware) => middleware.name === 'logger');
  if (index === -1) return false;
  app.middleware.splice(index, 1);
  return true;
}

/**
 * S3 answers a PUT with `If-None-Match: *` on an existing key with 412 PreconditionFailed (a conditional create);
 * s3rver (3.7) ignores the header and overwrites. This middleware, put before s3rver's router, answers as S3 does for
 * a plain object PUT (not a copy, part or sub-resource), so the snapshot store's write-once PUT needs no HEAD first.
 * An object the store guard counts as missing (half written by a kill) is written again.
 */
export function honourIfNoneMatch(app: { middleware: Array<(...args: never[]) => unknown>; store: unknown }): void {
  const store = app.store as { existsObject(bucket: string, key: string): Promise<boolean> };
  const conditional = async (ctx: KoaContext, next: () => Promise<unknown>) => {
    if (ctx.method === 'PUT' && ctx.get('if-none-match') === '*' && !ctx.get('x-amz-copy-source') && plainObjectPut(ctx.query)) {
      const [, bucket, ...key] = ctx.path.split('/');
      if (bucket && key.length > 0 && key.join('/') !== '' && (await store.existsObject(bucket, decodeURIComponent(key.join('/'))))) {
        ctx.status = 412;
        ctx.type = 'application/xml';
        ctx.body =
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code>' +
          '<Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>';
        return undefined;
      }
    }
    return next();
  };
  // Before the router, which is last.
  app.middleware.splice(app.middleware.length - 1, 0, conditional as (...args: never[]) => unknown);
}

/** No sub-resource (uploadId, tagging, acl...): only the SDK's `x-id=PutObject` marker, if anything. */
function plainObjectPut(query: Record<string, unknown>): boolean {
  return Object.keys(query).every((name) => name === 'x-id');
}

interface KoaContext {
  status: number;
  type: string;
  body: unknown;
  method: string;
  path: string;
  query: Record<string, unknown>;
  get(header: string): string;
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
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
