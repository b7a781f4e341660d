import { createRequire } from 'node:module';
import type { Server } from 'node:http';
// Loaded statically as well: a missing package fails this module's import with ERR_MODULE_NOT_FOUND naming it (which
// the CLI turns into how to install it), and the CLI bundle keeps it as an external import. In Node this is the
// same instance as the `require` below; under jest's module registry it is a second one, left unused.
import 'dynalite';

/**
 * dynalite answers a database error it does not know (LevelDB's "IO error: ...: No space left on device" on a full
 * disk) by throwing from its request callback, which ends the process with no report. This starts dynalite with its
 * database writes guarded: a failed put, delete or batch becomes a DynamoDB InternalServerError (a 500 the SDK
 * reports), and `onWriteFailure` hears of it with the errno LevelDB's message names (ENOSPC, EROFS, ...), so the
 * command can stop cleanly (docs/reliability.md, "Full disk").
 *
 * dynalite and its `db` module are loaded with the same `require`, so the store it creates can be reached: dynalite
 * keeps it private to its request handler.
 */
type DynaliteOptions = Record<string, unknown>;
type Callback = (error: unknown, ...results: unknown[]) => void;
type WriteMethod = (...args: unknown[]) => unknown;

interface DynaliteStore {
  db: { put: WriteMethod; del: WriteMethod; batch: WriteMethod };
}

const requireHere = createRequire(import.meta.url);

/** dynalite's own `require`, for its modules and dependencies (`level`), the instances it uses itself. */
export function requireFromDynalite(): NodeJS.Require {
  return createRequire(requireHere.resolve('dynalite'));
}

export function startGuardedDynalite(options: DynaliteOptions, guard: { onWriteFailure: (error: NodeJS.ErrnoException) => void }): Server {
  const fromDynalite = requireFromDynalite();
  const dynalite = fromDynalite('./index.js') as (options: DynaliteOptions) => Server;
  const databases = fromDynalite('./db/index.js') as { create(options: DynaliteOptions): DynaliteStore };
  const create = databases.create;
  let store: DynaliteStore | undefined;
  databases.create = (storeOptions) => (store = create(storeOptions));
  let server: Server;
  try {
    server = dynalite(options);
  } finally {
    databases.create = create;
  }
  if (!store) throw new Error('dynalite created no store: its db module changed; the write guard cannot be installed');
  guardDynaliteWrites(store, guard.onWriteFailure);
  return server;
}

function guardDynaliteWrites(store: DynaliteStore, onWriteFailure: (error: NodeJS.ErrnoException) => void): void {
  for (const name of ['put', 'del', 'batch'] as const) {
    const original = store.db[name].bind(store.db);
    store.db[name] = (...args: unknown[]) => {
      const callback = typeof args.at(-1) === 'function' ? (args.pop() as Callback) : undefined;
      if (!callback) return original(...args);
      return original(...args, (error: unknown, ...results: unknown[]) => {
        // "Database is closed" is dynalite's own (a request during shutdown): not a disk failure.
        if (!error || (error as { statusCode?: number }).statusCode || (error as Error).message === 'Database is closed') {
          callback(error, ...results);
          return;
        }
        const failure = writeFailure(error);
        onWriteFailure(failure);
        callback(internalServerError(failure));
      });
    };
  }
}

/** The errno a LevelDB error names in its message ("IO error: <file>: No space left on device"), kept as `code`. */
const ERRNO_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/no space left on device/i, 'ENOSPC'],
  [/disk quota exceeded/i, 'EDQUOT'],
  [/read-only file system/i, 'EROFS'],
  [/permission denied/i, 'EACCES'],
  [/input\/output error/i, 'EIO'],
];

function writeFailure(error: unknown): NodeJS.ErrnoException {
  const message = error instanceof Error ? error.message : String(error);
  const failure: NodeJS.ErrnoException = new Error(`DynamoDB (dynalite) write failed: ${message}`, { cause: error });
  failure.code = ERRNO_MESSAGES.find(([pattern]) => pattern.test(message))?.[1] ?? (error as NodeJS.ErrnoException).code ?? 'EIO';
  const path = /IO error: ([^:]+):/.exec(message)?.[1];
  if (path) failure.path = path;
  return failure;
}

/** The shape dynalite sends for its own API errors (`statusCode` and `body`), as DynamoDB answers a server fault. */
function internalServerError(failure: NodeJS.ErrnoException): Error & { statusCode: number; body: unknown } {
  return Object.assign(new Error(failure.message), {
    statusCode: 500,
    body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: `${failure.code}: ${failure.message}` },
  });
}
