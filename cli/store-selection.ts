import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { LocalAwsServers } from '../local/runtime/local-aws-servers.js';
import type { S3SnapshotStore } from '../shared/adapters/s3/s3-snapshot-store.js';
import { RedlineError } from '../shared/errors.js';
import type { SubscriptionGateway } from '../shared/ports/subscription-gateway.js';
import type { SubscriptionStore } from '../shared/ports/subscription-store.js';
import { DEFAULT_TRACKER_SETTINGS, type TrackerDependencies } from '../shared/use-cases/tracker-dependencies.js';
import { requestSigner, resolveSigning, type ApiSigning, type RequestSigner, type SigningOptions } from './api-signing.js';
import { UsageError, type CliIo } from './cli-io.js';

/**
 * Which store a command works on, and opening it.
 *
 * - `local` (the default): the data folder (`--data-dir`, REDLINE_DATA_DIR, else `.redline`), opened by starting the
 *   embedded dynalite and s3rver on it for the duration of the command. When a long-running redline process already
 *   has the folder open (`npm run dev`, `redline serve`, a long `redline import`: they write `runtime.json`), the
 *   command connects to its servers instead, since the folder's database cannot be opened twice.
 * - `aws`: a deployed stack's table and bucket, straight through the SDK, from the same REDLINE_* variables the
 *   functions read (REDLINE_TABLE, REDLINE_BUCKET, REDLINE_TOPIC_ARN, AWS_REGION; docs/deploy.md, "Pointing the CLI at a deployed stack"), with the
 *   caller's AWS credentials.
 * - `api`: a redline HTTP API (`--api`, REDLINE_API_URL): a deployed stack's API or `redline serve`. Requests to an
 *   execute-api host (or any host with --sigv4) are SigV4-signed with the standard credential chain (--profile,
 *   --region; api-signing.ts), which is how a deployed API authorizes writes; otherwise write commands send
 *   `Authorization: Bearer $REDLINE_API_TOKEN` (the local server's scheme).
 *
 * Precedence: `--api`, then `--data-dir`, then REDLINE_TABLE, then REDLINE_API_URL, then the local folder.
 */
export type StoreTarget =
  | { kind: 'local'; dataDir: string }
  | { kind: 'aws'; table: string }
  | { kind: 'api'; url: string; token?: string; signing?: ApiSigning; signer?: RequestSigner };

export interface StoreOptions extends SigningOptions {
  dataDir?: string;
  api?: string;
}

export const DEFAULT_DATA_DIR = '.redline';

export function addStoreOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', `local store folder (default: $REDLINE_DATA_DIR or ${DEFAULT_DATA_DIR})`)
    .option('--api <url>', 'work against a redline HTTP API instead (default: $REDLINE_API_URL)')
    .option('--profile <name>', 'AWS profile whose credentials sign requests to a deployed API (default: the standard credential chain)')
    .option('--region <region>', 'region of a deployed API (default: from its execute-api host name, else $AWS_REGION)')
    .option('--sigv4', 'sign requests to --api even though it is not an execute-api host (a custom domain name)');
}

export function resolveStoreTarget(options: StoreOptions, env: NodeJS.ProcessEnv): StoreTarget {
  if (options.api !== undefined && options.dataDir !== undefined) throw new UsageError('--api and --data-dir exclude each other');
  const token = env.REDLINE_API_TOKEN || undefined;
  const apiTarget = (value: string): StoreTarget => {
    const url = checkedApiUrl(value);
    const signing = resolveSigning(url, options, env);
    return { kind: 'api', url, ...(token && !signing ? { token } : {}), ...(signing ? { signing, signer: requestSigner(signing, env) } : {}) };
  };
  if (options.api !== undefined) return apiTarget(options.api);
  const signingOption = options.profile !== undefined || options.region !== undefined || options.sigv4;
  if (options.dataDir !== undefined) {
    if (signingOption) throw new UsageError('--profile, --region and --sigv4 are for --api; a local store needs none');
    return { kind: 'local', dataDir: resolve(options.dataDir) };
  }
  if (env.REDLINE_TABLE) return { kind: 'aws', table: env.REDLINE_TABLE };
  if (env.REDLINE_API_URL) return apiTarget(env.REDLINE_API_URL);
  if (signingOption) throw new UsageError('--profile, --region and --sigv4 sign requests to an API: give --api URL (or REDLINE_API_URL)');
  return { kind: 'local', dataDir: resolve(env.REDLINE_DATA_DIR || DEFAULT_DATA_DIR) };
}

export function describeTarget(target: StoreTarget): string {
  switch (target.kind) {
    case 'local':
      return `local store ${target.dataDir}`;
    case 'aws':
      return `table ${target.table} (AWS)`;
    case 'api':
      if (!target.signing) return `API ${target.url}`;
      return `API ${target.url} (SigV4, ${target.signing.region}${target.signing.profile ? `, profile ${target.signing.profile}` : ''})`;
  }
}

function checkedApiUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--api: not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--api: expected an http(s) URL, got ${value}`);
  return url.toString().replace(/\/+$/, '');
}

/**
 * The SDK clients and the adapters over them, loaded when a command opens a store, not when the CLI starts: they
 * are most of its start time, and --version, --help, extract, diff and --api need none of them.
 */
async function storeModules() {
  // One after the other: jest's ESM loader fails on two dynamic imports that share modules in flight.
  const { DynamoDBClient, S3Client } = await import('./sdk/store-clients.js');
  const dynamoRevisions = await import('../shared/adapters/dynamodb/dynamo-revision-store.js');
  const dynamoSubscriptions = await import('../shared/adapters/dynamodb/dynamo-subscription-store.js');
  const s3Snapshots = await import('../shared/adapters/s3/s3-snapshot-store.js');
  return {
    DynamoDBClient,
    S3Client,
    DynamoRevisionStore: dynamoRevisions.DynamoRevisionStore,
    DynamoSubscriptionStore: dynamoSubscriptions.DynamoSubscriptionStore,
    S3SnapshotStore: s3Snapshots.S3SnapshotStore,
  };
}

/** The stores a command works on, and how to let go of them. */
export interface OpenStore {
  target: Exclude<StoreTarget, { kind: 'api' }>;
  dependencies: StoreDependencies;
  /** Set when the local folder is served by another process (whose pid and owner are given). */
  sharedWith?: RuntimeFile;
  /** The embedded servers this command started on the local folder. */
  servers?: LocalAwsServers;
  close(): Promise<void>;
}

export type StoreDependencies = Pick<TrackerDependencies, 'revisions' | 'snapshots' | 'now' | 'settings'> & {
  subscriptions: SubscriptionStore;
  subscriptionGateway: SubscriptionGateway;
};

/** `<dataDir>/runtime.json`, written by processes that keep a local store open (the local runtime, `redline serve`). */
export interface RuntimeFile {
  pid: number;
  startedAt?: string;
  dataDir?: string;
  endpoints: { dynamodb: string; s3: string };
  region: string;
  table: string;
  bucket: string;
  /** Who wrote it; the local runtime writes none. */
  owner?: string;
  /** False for processes that do not turn stored Documents into revisions (redline serve, redline import). */
  processesEvents?: boolean;
  /** The owner's start time as the system gives it (Linux: /proc/<pid>/stat), so a reused pid is not taken for it. */
  pidStartTime?: string;
  /** False when other commands must not connect to these servers (a finite command such as `redline import`). */
  shareable?: boolean;
}

/**
 * When the process with this pid started, in the system's own units (Linux: field 22 of /proc/<pid>/stat, clock
 * ticks since boot); undefined where that cannot be read (another system, a pid that is gone).
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the process recorded as { pid, pidStartTime } is still the one running under that pid. */
export function ownerAlive(owner: { pid: number; pidStartTime?: string }): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.pidStartTime === undefined) return true;
  const current = processStartTime(owner.pid);
  return current === undefined || current === owner.pidStartTime;
}

export async function openStore(
  target: Exclude<StoreTarget, { kind: 'api' }>,
  io: Pick<CliIo, 'env'>,
  options: LocalStoreOptions = {},
): Promise<OpenStore> {
  return target.kind === 'local' ? openLocalStore(target, options) : openAwsStore(target, io.env);
}

export interface LocalStoreOptions {
  /**
   * Serve dynalite and s3rver from a worker thread of their own (a long or busy command: `import`, `serve`), so that
   * their work runs on another core; a short command keeps them in its own thread (no thread to start).
   */
  serversThread?: boolean;
}

/**
 * Whether a busy command serves the local store from a worker thread: yes, unless REDLINE_SERVERS_THREAD=0 keeps the
 * servers in the command's own thread (where a test that simulates a full disk inside them reaches them).
 */
export function serversThreadFromEnv(env: NodeJS.ProcessEnv): boolean {
  return env.REDLINE_SERVERS_THREAD !== '0';
}

/** The running process that has the folder open, if any (a runtime.json left by a process that died is ignored). */
export async function runningStoreProcess(dataDir: string): Promise<RuntimeFile | undefined> {
  let file: RuntimeFile;
  try {
    file = JSON.parse(await readFile(join(dataDir, 'runtime.json'), 'utf8')) as RuntimeFile;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(file.pid) || !file.endpoints?.dynamodb || !file.endpoints.s3) return undefined;
  return ownerAlive(file) ? file : undefined;
}

/** The refusal when the folder's owner does not share its servers (exit code 2). */
export function storeBusyError(dataDir: string, owner: { pid: number; owner?: string }): UsageError {
  return new UsageError(
    `The local store ${dataDir} is in use by ${owner.owner ?? 'another redline command'} (pid ${owner.pid}), which does not share it. ` +
      'Wait for it to finish, or use another --data-dir.',
  );
}

/** What `<dataDir>/owner.lock` holds: the one process that has started servers on the folder. */
interface OwnerLock {
  pid: number;
  pidStartTime?: string;
  owner?: string;
}

/** The lock a file holds: undefined when it is gone, null when it cannot be read as one (taken for stale). */
async function readOwnerLock(file: string): Promise<OwnerLock | null | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const lock = JSON.parse(text) as OwnerLock;
    return lock && Number.isInteger(lock.pid) ? lock : null;
  } catch {
    return null;
  }
}

/**
 * Puts `content` at `file` only if nothing is there, and never shows a half-written file: the content is written
 * to a private file first and then hard-linked into place (link fails when the name exists). On a file system
 * without hard links, an exclusive create is the fallback.
 */
async function createComplete(file: string, content: string): Promise<boolean> {
  const draft = `${file}.${process.pid}.${randomUUID()}`;
  await writeFile(draft, content, { flag: 'wx' });
  try {
    await link(draft, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    try {
      await writeFile(file, content, { flag: 'wx' });
      return true;
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallbackError;
    }
  } finally {
    await rm(draft, { force: true });
  }
}

/**
 * Makes this process the folder's one owner, atomically (the lock appears complete or not at all), so two commands
 * started together cannot both open its database. A lock left by a process that is gone, or whose pid now belongs to
 * another process (another start time), is taken over: it is first renamed aside, which only one claimant can do, and
 * put back if it turns out to be a live owner's. Returns how to let go of it.
 */
export async function claimLocalStore(dataDir: string, owner = 'another redline command'): Promise<() => Promise<void>> {
  const file = join(dataDir, 'owner.lock');
  const lock: OwnerLock = { pid: process.pid, owner };
  const startTime = processStartTime(process.pid);
  if (startTime !== undefined) lock.pidStartTime = startTime;
  for (let attempt = 0; ; attempt++) {
    let created: boolean;
    try {
      if (attempt === 0) await mkdir(dataDir, { recursive: true });
      created = await createComplete(file, `${JSON.stringify(lock)}\n`);
    } catch (error) {
      throw notWritableError(dataDir, error) ?? error;
    }
    if (created) break;
    const held = await readOwnerLock(file);
    if (held && ownerAlive(held)) throw storeBusyError(dataDir, held);
    if (attempt >= 4) throw new RedlineError(`Cannot take over the stale lock ${file}: other commands keep claiming it. Try again.`);
    if (held === undefined) continue; // Let go of meanwhile.
    const aside = `${file}.stale.${randomUUID()}`;
    try {
      await rename(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = await readOwnerLock(aside);
    if (moved && ownerAlive(moved)) {
      // Another claimant replaced the stale lock between the read and the rename: give its lock back.
      await link(aside, file).catch(() => undefined);
      await rm(aside, { force: true });
      throw storeBusyError(dataDir, moved);
    }
    await rm(aside, { force: true });
  }
  const release = () => {
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as OwnerLock).pid === process.pid) rmSync(file, { force: true });
    } catch {
      // Gone already.
    }
  };
  process.once('exit', release);
  return async () => {
    process.off('exit', release);
    release();
  };
}

/** The packages of the embedded local store (its DynamoDB and S3 servers): runtime dependencies of redline. */
export const LOCAL_STORE_PACKAGES = ['dynalite', 's3rver'] as const;

/**
 * Loads a module of the local store. When its servers' packages are missing (an install that left them out), says
 * how to get them instead of Node's "Cannot find package".
 */
export async function loadLocalModule<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const missing = LOCAL_STORE_PACKAGES.find((name) => message.includes(`'${name}'`));
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND' || !missing) throw error;
    throw new RedlineError(
      `The local store needs the package ${missing}, which is not installed. Install redline's dependencies again ` +
        `(\`npm install\` or \`npm ci\` in redline's folder; both servers are runtime dependencies), or point the CLI ` +
        'at a deployed stack (REDLINE_TABLE, docs/deploy.md) or at an API (--api <url>).',
      { cause: error },
    );
  }
}

export async function openLocalStore(target: { kind: 'local'; dataDir: string }, options: LocalStoreOptions = {}): Promise<OpenStore> {
  const running = await runningStoreProcess(target.dataDir);
  // Loaded here, not at startup: dynalite and s3rver are most of the CLI's start time, and --help,
  // extract and --api need neither.
  const { localDynamoDbClientConfig, localS3ClientConfig, startLocalAwsServers } = await loadLocalModule(
    () => import('../local/runtime/local-aws-servers.js'),
  );
  const { LocalSubscriptionGateway } = await import('../local/runtime/subscription-notifier.js');
  const { DynamoDBClient, S3Client, DynamoRevisionStore, DynamoSubscriptionStore, S3SnapshotStore } = await storeModules();
  let servers: LocalAwsServers | undefined;
  let endpoints: { dynamodb: string; s3: string };
  let region: string;
  let table: string;
  let bucket: string;
  let release: (() => Promise<void>) | undefined;
  if (running) {
    if (running.shareable === false) throw storeBusyError(target.dataDir, running);
    ({ endpoints, region, table, bucket } = running);
  } else {
    release = await claimLocalStore(target.dataDir);
    try {
      await assertDatabaseFree(target.dataDir);
      // Nothing here pages through S3 listings, so the OpenSSL legacy provider is not needed.
      // The servers' packages load as they start (in their own thread, or in this one): a missing one says how to get it.
      servers = await loadLocalModule(() =>
        startLocalAwsServers({ dataDir: target.dataDir, requireListPaging: false, thread: options.serversThread ?? false }),
      );
    } catch (error) {
      await release();
      if (error instanceof RedlineError) throw error;
      const notWritable = notWritableError(target.dataDir, error);
      if (notWritable) throw notWritable;
      throw new RedlineError(`Cannot open the local store ${target.dataDir}: ${lockHint(error)}`, { cause: error });
    }
    ({ endpoints, region, tableName: table, bucketName: bucket } = servers);
  }
  const dynamodb = new DynamoDBClient(localDynamoDbClientConfig(endpoints.dynamodb, region));
  const s3 = new S3Client(localS3ClientConfig(endpoints.s3, region));
  return {
    target,
    dependencies: {
      revisions: new DynamoRevisionStore({ client: dynamodb, tableName: table }),
      snapshots: new S3SnapshotStore({ client: s3, bucket }),
      subscriptions: new DynamoSubscriptionStore({ client: dynamodb, tableName: table }),
      // Locally nothing is set up per subscription: `redline run` reads them for every notification.
      subscriptionGateway: new LocalSubscriptionGateway(),
      now: () => new Date(),
      settings: DEFAULT_TRACKER_SETTINGS,
    },
    ...(running ? { sharedWith: running } : {}),
    ...(servers ? { servers } : {}),
    async close() {
      dynamodb.destroy();
      s3.destroy();
      await servers?.close();
      await release?.();
    },
  };
}

/** Announces a long-running command's servers in runtime.json, so other commands can share the folder meanwhile. */
export async function announceLocalStore(
  dataDir: string,
  servers: { endpoints: { dynamodb: string; s3: string }; region: string; table: string; bucket: string },
  owner: string,
  options: { shareable?: boolean } = {},
): Promise<() => Promise<void>> {
  const file = join(dataDir, 'runtime.json');
  const startTime = processStartTime(process.pid);
  const content: RuntimeFile = {
    pid: process.pid,
    ...(startTime !== undefined ? { pidStartTime: startTime } : {}),
    startedAt: new Date().toISOString(),
    dataDir,
    ...servers,
    owner,
    processesEvents: false,
    ...(options.shareable === false ? { shareable: false } : {}),
  };
  const { writeFileAtomic } = await import('../local/runtime/atomic-file.js');
  await writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  // Only our own file: another process may have replaced it meanwhile. Also on a hard exit (Ctrl-C).
  const removeOwn = () => {
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as RuntimeFile).pid === process.pid) rmSync(file, { force: true });
    } catch {
      // Gone already.
    }
  };
  process.once('exit', removeOwn);
  return async () => {
    process.off('exit', removeOwn);
    removeOwn();
  };
}

/**
 * SDK client options with the keys of the given environment, when it has them; else none, and the SDK's own chain
 * (which reads process.env, not `env`) applies.
 */
export function clientCredentials(env: NodeJS.ProcessEnv): { credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } } {
  return env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? {
        credentials: {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        },
      }
    : {};
}

async function openAwsStore(target: { kind: 'aws'; table: string }, env: NodeJS.ProcessEnv): Promise<OpenStore> {
  const { loadConfig } = await import('../shared/config.js');
  const { DynamoDBClient, S3Client, DynamoRevisionStore, DynamoSubscriptionStore, S3SnapshotStore } = await storeModules();
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const region = config.AWS_REGION;
  // Keys in the given environment come first, as in the SDK's own chain (which reads process.env, not `env`).
  const credentials = clientCredentials(env);
  const dynamodb = new DynamoDBClient({
    region,
    ...credentials,
    ...(config.REDLINE_DYNAMODB_ENDPOINT ? { endpoint: config.REDLINE_DYNAMODB_ENDPOINT } : {}),
  });
  const s3 = new S3Client({
    region,
    ...credentials,
    ...(config.REDLINE_S3_ENDPOINT
      ? {
          endpoint: config.REDLINE_S3_ENDPOINT,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
  });
  // SNS only where a topic is configured (subscriptions on a deployed stack).
  const SNSClient = config.REDLINE_TOPIC_ARN ? (await import('./sdk/sns-client.js')).SNSClient : undefined;
  const SnsSubscriptionGateway = config.REDLINE_TOPIC_ARN
    ? (await import('../shared/adapters/sns/sns-subscription-gateway.js')).SnsSubscriptionGateway
    : undefined;
  const sns =
    SNSClient && config.REDLINE_TOPIC_ARN
      ? new SNSClient({ region, ...credentials, ...(config.REDLINE_SNS_ENDPOINT ? { endpoint: config.REDLINE_SNS_ENDPOINT } : {}) })
      : undefined;
  const bucket = config.REDLINE_BUCKET;
  const missing = (what: string) => {
    throw new UsageError(`${what} is not set: export the stack's outputs (docs/deploy.md, "Pointing the CLI at a deployed stack")`);
  };
  const snapshots = bucket ? new S3SnapshotStore({ client: s3, bucket }) : undefined;
  return {
    target,
    dependencies: {
      revisions: new DynamoRevisionStore({ client: dynamodb, tableName: target.table }),
      snapshots: snapshots ?? (new Proxy({}, { get: () => () => missing('REDLINE_BUCKET') }) as S3SnapshotStore),
      subscriptions: new DynamoSubscriptionStore({ client: dynamodb, tableName: target.table }),
      subscriptionGateway:
        sns && SnsSubscriptionGateway && config.REDLINE_TOPIC_ARN
          ? new SnsSubscriptionGateway({ client: sns, topicArn: config.REDLINE_TOPIC_ARN })
          : { subscribe: async () => missing('REDLINE_TOPIC_ARN'), unsubscribe: async () => missing('REDLINE_TOPIC_ARN') },
      now: () => new Date(),
      settings: { ...DEFAULT_TRACKER_SETTINGS, failureAlertThreshold: config.REDLINE_FAILURE_ALERT_THRESHOLD },
    },
    async close() {
      dynamodb.destroy();
      s3.destroy();
      sns?.destroy();
    },
  };
}

/**
 * A folder's database (LevelDB) opens in one process at a time, and dynalite fails on a locked one by throwing
 * from its request handler, which ends the process. So try the lock first, with the same LevelDB binding.
 */
export async function assertDatabaseFree(dataDir: string): Promise<void> {
  const location = join(dataDir, 'dynamodb');
  if (!existsSync(location)) return;
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { Level } = fromDynalite('level') as { Level: new (location: string) => { open(): Promise<void>; close(): Promise<void> } };
  const database = new Level(location);
  try {
    await database.open();
  } catch (error) {
    // LevelDB fails the same way on a folder it may not write as on a locked one: tell them apart by its message.
    const notWritable = notWritableError(dataDir, error);
    if (notWritable) throw notWritable;
    throw new UsageError(
      `The local store ${dataDir} is in use by another process (its database is locked). Stop that process, or let it announce ` +
        'itself: `redline serve` and `npm run dev` do, and other commands then share their servers.',
      { cause: error },
    );
  }
  await database.close();
}

/** The errno of a failed write, from Node (`code`) or from LevelDB's message ("IO error: <file>: Permission denied"). */
function writeErrno(error: unknown): string | undefined {
  // Duck-typed: errors from LevelDB's binding (and under jest, from Node itself) are of another realm's Error.
  for (let current = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined; current;) {
    const code = current.code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return code;
    const message = typeof current.message === 'string' ? current.message : '';
    if (/read-only file system/i.test(message)) return 'EROFS';
    if (/permission denied/i.test(message)) return 'EACCES';
    current = typeof current.cause === 'object' && current.cause !== null ? current.cause : undefined;
  }
  return undefined;
}

/**
 * A data folder this process may not write (its permissions, a read-only mount) is bad usage, exit 2, named as such:
 * not "in use by another process", which is what LevelDB's failed open looked like.
 */
export function notWritableError(dataDir: string, error: unknown): UsageError | undefined {
  const code = writeErrno(error);
  if (!code) return undefined;
  const what = code === 'EROFS' ? 'on a read-only file system' : 'not writable by this user';
  return new UsageError(
    `The local store ${dataDir} is ${what} (${code}); redline writes its database and objects there, even to read them. ` +
      'Use a folder you can write to (--data-dir), or fix its permissions.',
    { cause: error },
  );
}

function lockHint(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /lock/i.test(message)
    ? `${message} (another process has this folder open without announcing it; stop it or use another --data-dir)`
    : message;
}
