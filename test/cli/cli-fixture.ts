import { Readable } from 'node:stream';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BufferedOutput, type CliIo } from '../../cli/cli-io.js';
import { runCli } from '../../cli/main.js';
import { announceLocalStore } from '../../cli/store-selection.js';
import { startLocalAwsServers, type LocalAwsServers } from '../../local/runtime/local-aws-servers.js';
import { loadCorpusPage, type CorpusCountry } from '../support/corpus.js';

/** Runs the CLI in process with captured output. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  args: readonly string[],
  options: {
    env?: NodeJS.ProcessEnv;
    signal?: AbortSignal;
    stdout?: BufferedOutput;
    stdin?: string;
    /** The CLI's clock for waits (CliIo.sleep). */
    sleep?: (ms: number) => Promise<void>;
  } = {},
): Promise<CliResult> {
  const stdout = options.stdout ?? new BufferedOutput();
  const stderr = new BufferedOutput();
  const io: CliIo = {
    stdout,
    stderr,
    // No REDLINE_* from the developer's shell. The local store's servers in the test's thread (REDLINE_SERVERS_THREAD=0)
    // unless a test says otherwise: for commands this short their own thread costs more CPU time than it saves
    // (docs/testing.md); the CLI bundle tests run `import` as a user does, with the thread.
    env: { PATH: process.env.PATH, REDLINE_SERVERS_THREAD: '0', ...options.env },
    exitCode: 0,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.stdin !== undefined ? { stdin: Readable.from([Buffer.from(options.stdin)]) } : {}),
  };
  const code = await runCli(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export function json<T = unknown>(result: CliResult): T {
  if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/**
 * A local data folder whose servers the test starts once and announces in runtime.json, as `redline serve` does:
 * every in-process command then connects to them instead of opening the folder itself (fast, and the way the CLI
 * shares a folder with a running process).
 */
export interface SharedStore {
  dataDir: string;
  servers: LocalAwsServers;
  close(): Promise<void>;
}

export async function startSharedStore(root: string): Promise<SharedStore> {
  const dataDir = join(root, 'store');
  const servers = await startLocalAwsServers({ dataDir, dynamodbInMemory: true, resetS3OnClose: true });
  const unannounce = await announceLocalStore(
    dataDir,
    { endpoints: servers.endpoints, region: servers.region, table: servers.tableName, bucket: servers.bucketName },
    'test',
  );
  return {
    dataDir,
    servers,
    async close() {
      await unannounce();
      await servers.close();
    },
  };
}

export async function temporaryFolder(prefix = 'redline-cli-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Writes a corpus page as a saved file (gzip-compressed when the name ends in .gz), with a given mtime. */
export async function saveCorpusPage(
  folder: string,
  name: string,
  country: CorpusCountry,
  year: number,
  options: { edit?: (html: string) => string; mtime?: Date } = {},
): Promise<string> {
  await mkdir(folder, { recursive: true });
  const file = join(folder, name);
  const html = (options.edit ?? ((text) => text))(loadCorpusPage(country, year));
  await writeFile(file, name.endsWith('.gz') ? gzipSync(html) : html);
  if (options.mtime) await utimes(file, options.mtime, options.mtime);
  return file;
}

/** The page's own modified date (JSON-LD dateModified and article:modified_time) set to `iso`. */
export function withModifiedDate(html: string, iso: string): string {
  const replaced = html.replace(/("dateModified":")[^"]*(")/g, `$1${iso}$2`).replace(/(article:modified_time" content=")[^"]*(")/g, `$1${iso}$2`);
  if (replaced === html) throw new Error('the page states no modified date');
  return replaced;
}

/** Replaces one sentence of the page (throws when it is not there, so an edit never silently does nothing). */
export function replaceText(html: string, from: string, to: string): string {
  if (!html.includes(from)) throw new Error(`not in the page: ${from}`);
  return html.replace(from, to);
}
