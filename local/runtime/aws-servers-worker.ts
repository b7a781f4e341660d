import { parentPort, workerData } from 'node:worker_threads';
import { startEmbeddedServers, type EmbeddedServers } from './embedded-servers.js';
import type { LocalAwsEndpoints, LocalAwsServersOptions } from './local-aws-servers.js';

/**
 * The worker-thread side of the local AWS servers on a thread of their own (aws-servers-thread.ts): dynalite and
 * s3rver with their guards (embedded-servers.ts), serving from this thread, and their news posted to the thread that
 * started them:
 * - each S3 event record, numbered, while the listeners there are more than none (a counter both threads share, so a
 *   listener added there counts at once); the request that made it waits for the event's acknowledgement before its
 *   response leaves, so a client that has its response knows the event was delivered, as with one thread;
 * - each write failure (ENOSPC, EROFS, ...), as data with its code and path (an Error's class does not survive the copy).
 */
export type ServerThreadOptions = Omit<LocalAwsServersOptions, 'tableName' | 'bucketName' | 'region' | 'thread'>;

export interface ServerThreadData {
  options: ServerThreadOptions;
  /** Int32Array[1] over it: how many S3 event listeners the starting thread has. */
  s3EventListeners: SharedArrayBuffer;
}

export interface TransferredError {
  name: string;
  message: string;
  code?: string;
  path?: string;
  syscall?: string;
  errno?: number;
  stack?: string;
}

export type FromServerThread =
  | { type: 'ready'; endpoints: LocalAwsEndpoints }
  | { type: 'start-failed'; error: TransferredError }
  | { type: 's3-event'; seq: number; event: unknown }
  | { type: 'write-failure'; error: TransferredError }
  | { type: 'closed' }
  | { type: 'close-failed'; error: TransferredError };

export type ToServerThread =
  | { type: 's3-event-ack'; seq: number }
  | { type: 'close' }
  /** Fault injection for the tests: an uncaught error in this thread, as a bug in dynalite or s3rver would throw. */
  | { type: 'crash'; message: string };

export function transferredError(error: unknown): TransferredError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code, path, syscall, errno } = error as NodeJS.ErrnoException;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof path === 'string' ? { path } : {}),
    ...(typeof syscall === 'string' ? { syscall } : {}),
    ...(typeof errno === 'number' ? { errno } : {}),
    ...(error.stack !== undefined ? { stack: error.stack } : {}),
  };
}

/** Runs the servers in this worker thread until told to close. */
export async function serveOnThisThread(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('aws-servers-worker runs in a worker thread (see aws-servers-thread.ts)');
  const data = workerData as ServerThreadData;
  const listeners = new Int32Array(data.s3EventListeners);
  const post = (message: FromServerThread) => port.postMessage(message);

  let posted = 0;
  let acknowledged = 0;
  const waiting: Array<{ seq: number; resolve: () => void }> = [];
  const acknowledge = (seq: number) => {
    acknowledged = Math.max(acknowledged, seq);
    for (let index = waiting.length - 1; index >= 0; index--) {
      if (waiting[index]!.seq <= acknowledged) waiting.splice(index, 1)[0]!.resolve();
    }
  };
  let closing = false;
  // First in s3rver's middleware: a request that produced events answers once they were delivered.
  const relayMiddleware = async (_ctx: unknown, next: () => Promise<unknown>) => {
    const before = posted;
    try {
      return await next();
    } finally {
      const last = posted;
      if (last > before && last > acknowledged && !closing) await new Promise<void>((resolve) => waiting.push({ seq: last, resolve }));
    }
  };

  let servers: EmbeddedServers | undefined;
  const starting = startEmbeddedServers(data.options, { s3Middleware: relayMiddleware });
  port.on('message', (message: ToServerThread) => {
    if (message.type === 's3-event-ack') acknowledge(message.seq);
    else if (message.type === 'crash') throw new Error(message.message);
    else if (message.type === 'close') {
      closing = true;
      acknowledge(Number.MAX_SAFE_INTEGER);
      starting
        .then((started) => started.close())
        .then(
          () => post({ type: 'closed' }),
          (error: unknown) => post({ type: 'close-failed', error: transferredError(error) }),
        );
    }
  });
  try {
    servers = await starting;
  } catch (error) {
    post({ type: 'start-failed', error: transferredError(error) });
    return;
  }
  servers.onS3Event((event) => {
    if (Atomics.load(listeners, 0) === 0 || closing) return;
    post({ type: 's3-event', seq: ++posted, event });
  });
  servers.onWriteFailure((error) => post({ type: 'write-failure', error: transferredError(error) }));
  post({ type: 'ready', endpoints: servers.endpoints });
}

if (parentPort && (workerData as Partial<ServerThreadData> | undefined)?.s3EventListeners) await serveOnThisThread();
