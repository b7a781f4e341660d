import { createCipheriv } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import S3rver from 's3rver';
import { startGuardedDynalite } from './dynalite-write-guard.js';
import type { LocalAwsEndpoints, LocalAwsServersOptions } from './local-aws-servers.js';
import { guardS3rverStore } from './s3rver-store-guard.js';

/**
 * dynalite and s3rver listening, with their guards (write-once If-None-Match, no request log, the store guard, the
 * dynalite write guard), but no table or bucket yet: the part of the local AWS servers that runs in whichever thread
 * serves them (this one, or a worker thread of their own: aws-servers-thread.ts). It loads no AWS SDK client; the
 * table and the bucket are created by the caller, from its own thread (local-aws-servers.ts).
 */
export interface EmbeddedServers {
  endpoints: LocalAwsEndpoints;
  /** s3rver's S3 event records, each told synchronously while its request is served (before the response). */
  onS3Event(listener: (event: unknown) => void): () => void;
  onWriteFailure(listener: (error: NodeJS.ErrnoException) => void): () => void;
  close(): Promise<void>;
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

export function assertListPaging(options: Pick<LocalAwsServersOptions, 'requireListPaging'>): void {
  if (options.requireListPaging !== false && !canPageS3rverListings()) {
    throw new Error(
      's3rver needs the OpenSSL legacy provider for paged ListObjectsV2: run node with ' +
        "NODE_OPTIONS='--openssl-legacy-provider' (or pass requireListPaging: false)",
    );
  }
}

export async function startEmbeddedServers(
  options: Omit<LocalAwsServersOptions, 'tableName' | 'bucketName' | 'region' | 'thread'>,
  hooks: { s3Middleware?: (...args: never[]) => unknown } = {},
): Promise<EmbeddedServers> {
  assertListPaging(options);
  const host = options.host ?? '127.0.0.1';
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
  // First of all: it sees each request through, the response included (the worker's S3 event relay waits there).
  if (hooks.s3Middleware) s3rver.middleware.unshift(hooks.s3Middleware);
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
    return {
      endpoints: { dynamodb: `http://${host}:${dynamodbPort}`, s3: `http://${host}:${s3Address.port}` },
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
