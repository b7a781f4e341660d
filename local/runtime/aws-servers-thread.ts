import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { EmbeddedServers } from './embedded-servers.js';
import type { LocalAwsEndpoints } from './local-aws-servers.js';
import type { FromServerThread, ServerThreadData, ServerThreadOptions, ToServerThread, TransferredError } from './aws-servers-worker.js';

/**
 * dynalite and s3rver on a worker thread of their own (node:worker_threads), so that their share of a busy command's
 * CPU time (an import's: about a fifth, with Node's socket and stream work for them) runs on another core. The caller
 * gets what the servers in its own thread give: the endpoints, S3 event records in order (each delivered before the
 * response of the request that made it), write failures (code, message and path), and close().
 *
 * The worker script is found beside this module, as the import's capture reader pool finds its own: from the sources
 * (tsx, jest) `aws-servers-worker-sources.mjs`, which registers tsx's loader in the worker and imports
 * `aws-servers-worker.ts`; in the CLI bundle `aws-servers-worker.js` (cli/build-cli.ts emits it as an entry of its
 * own, beside the chunks). The OpenSSL legacy provider that s3rver's paged listings need is the process's: a worker
 * shares it.
 */
export interface ServersOnThread extends EmbeddedServers {
  onCrash(listener: (error: Error) => void): () => void;
  /** For the tests: makes the worker throw an uncaught error (as a bug in a server would). */
  injectCrash(message: string): void;
}

/** A close that has not ended by then terminates the worker anyway (and says so). */
const CLOSE_LIMIT_MS = 30_000;

export function awsServersWorkerFile(moduleUrl: string = import.meta.url): { filename: string; fromSources: boolean } {
  const fromSources = moduleUrl.endsWith('.ts');
  const script = fromSources ? 'aws-servers-worker-sources.mjs' : 'aws-servers-worker.js';
  return { filename: fileURLToPath(new URL(`./${script}`, moduleUrl)), fromSources };
}

function receivedError(error: TransferredError, prefix = ''): NodeJS.ErrnoException {
  const received: NodeJS.ErrnoException = new Error(`${prefix}${error.message}`);
  received.name = error.name;
  if (error.code !== undefined) received.code = error.code;
  if (error.path !== undefined) received.path = error.path;
  if (error.syscall !== undefined) received.syscall = error.syscall;
  if (error.errno !== undefined) received.errno = error.errno;
  // Its frames are the worker's, where it was thrown.
  if (error.stack !== undefined)
    received.stack = [`${received.name}: ${received.message}`, ...error.stack.split('\n').filter((line) => /^\s+at /.test(line))].join('\n');
  return received;
}

export async function startServersOnThread(options: ServerThreadOptions, thread: { resourceLimits?: ResourceLimits } = {}): Promise<ServersOnThread> {
  const { filename } = awsServersWorkerFile();
  const s3EventListenerCount = new SharedArrayBuffer(4);
  const counter = new Int32Array(s3EventListenerCount);
  const workerData: ServerThreadData = { options, s3EventListeners: s3EventListenerCount };
  const worker = new Worker(filename, {
    workerData,
    // No inherited `--import` hooks or jest flags: the sources' worker script registers tsx itself.
    execArgv: [],
    env: process.env,
    // A small young generation, as the capture reader pool's workers: the thread's heap is resident memory on top of
    // the caller's, and the servers keep little alive between requests (bodies are buffers, outside the heap).
    resourceLimits: thread.resourceLimits ?? { maxYoungGenerationSizeMb: 4 },
  });
  const send = (message: ToServerThread) => worker.postMessage(message);

  const s3Listeners = new Set<(event: unknown) => void>();
  const writeFailureListeners = new Set<(error: NodeJS.ErrnoException) => void>();
  const crashListeners = new Set<(error: Error) => void>();
  let uncaught: Error | undefined;
  let exited = false;
  let closeRequested = false;
  let settleStart: { resolve(endpoints: LocalAwsEndpoints): void; reject(error: Error): void } | undefined;
  let settleClose: { resolve(): void; reject(error: Error): void } | undefined;
  const started = new Promise<LocalAwsEndpoints>((resolve, reject) => (settleStart = { resolve, reject }));

  worker.on('message', (message: FromServerThread) => {
    switch (message.type) {
      case 'ready':
        settleStart?.resolve(message.endpoints);
        settleStart = undefined;
        break;
      case 'start-failed':
        settleStart?.reject(receivedError(message.error));
        settleStart = undefined;
        void worker.terminate();
        break;
      case 's3-event':
        try {
          for (const listener of [...s3Listeners]) listener(message.event);
        } finally {
          // The request that made the event answers its client once this arrives.
          send({ type: 's3-event-ack', seq: message.seq });
        }
        break;
      case 'write-failure': {
        const error = receivedError(message.error);
        for (const listener of [...writeFailureListeners]) listener(error);
        break;
      }
      case 'closed':
        settleClose?.resolve();
        settleClose = undefined;
        break;
      case 'close-failed':
        settleClose?.reject(receivedError(message.error, 'Closing the local AWS servers failed: '));
        settleClose = undefined;
        break;
    }
  });
  worker.on('error', (error) => (uncaught = error));
  worker.on('exit', (code) => {
    exited = true;
    if (!settleStart && !settleClose && closeRequested) return;
    const cause = uncaught ? `: ${uncaught.message}` : '';
    const error: NodeJS.ErrnoException = new Error(
      `The local AWS servers' thread ended unexpectedly (exit code ${code})${cause}`,
      uncaught ? { cause: uncaught } : {},
    );
    // A missing package (ERR_MODULE_NOT_FOUND, the worker's import failed) keeps its code, for the CLI's explanation.
    const uncaughtCode = (uncaught as NodeJS.ErrnoException | undefined)?.code;
    if (uncaughtCode) error.code = uncaughtCode;
    settleStart?.reject(error);
    settleClose?.reject(error);
    const wasRunning = !settleStart && !closeRequested;
    settleStart = settleClose = undefined;
    if (wasRunning) for (const listener of [...crashListeners]) listener(error);
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      closeRequested = true;
      if (exited) return;
      let timer: NodeJS.Timeout | undefined;
      try {
        const closed = new Promise<void>((resolve, reject) => (settleClose = { resolve, reject }));
        send({ type: 'close' });
        await Promise.race([
          closed,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`The local AWS servers did not close within ${CLOSE_LIMIT_MS} ms: their thread was ended`)),
              CLOSE_LIMIT_MS,
            );
          }),
        ]);
      } finally {
        clearTimeout(timer);
        settleClose = undefined;
        // Whatever happened: no worker is left running.
        await worker.terminate();
      }
    })());

  let endpoints: LocalAwsEndpoints;
  try {
    endpoints = await started;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return {
    endpoints,
    onS3Event(listener) {
      s3Listeners.add(listener);
      Atomics.store(counter, 0, s3Listeners.size);
      return () => {
        s3Listeners.delete(listener);
        Atomics.store(counter, 0, s3Listeners.size);
      };
    },
    onWriteFailure(listener) {
      writeFailureListeners.add(listener);
      return () => writeFailureListeners.delete(listener);
    },
    onCrash(listener) {
      crashListeners.add(listener);
      return () => crashListeners.delete(listener);
    },
    injectCrash: (message) => send({ type: 'crash', message }),
    close,
  };
}
