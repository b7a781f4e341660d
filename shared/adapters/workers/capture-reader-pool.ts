import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import { profileByName } from '../../domain/profiles/index.js';
import { ArchiveUrlError, ExtractionError, RedlineError } from '../../errors.js';
import type { CaptureReader, CaptureReading } from '../../use-cases/capture-reading.js';
import type { CaptureReaderResult, CaptureReaderTask } from './capture-reader-worker.js';

/**
 * A CaptureReader on worker threads (node:worker_threads through tinypool), so that an import extracts on every core
 * while the main thread stores and records. Results are those of the in-process reader.
 *
 * The worker script is found beside this module: from the sources (tsx, jest) `capture-reader-worker-sources.mjs`,
 * which registers tsx's loader in the worker and imports `capture-reader-worker.ts`; in the CLI bundle
 * `capture-reader-worker.js` (cli/build-cli.ts emits it as an entry of its own, beside the chunks).
 */
export interface CaptureReaderPool extends CaptureReader {
  readonly threads: number;
  close(): Promise<void>;
}

/** Worker threads when asked for without a number: one per core but the main thread's, at least one. */
export function defaultReaderThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

export function captureReaderWorkerFile(moduleUrl: string = import.meta.url): { filename: string; fromSources: boolean } {
  const fromSources = moduleUrl.endsWith('.ts');
  const script = fromSources ? 'capture-reader-worker-sources.mjs' : 'capture-reader-worker.js';
  return { filename: fileURLToPath(new URL(`./${script}`, moduleUrl)), fromSources };
}

export function startCaptureReaderPool(options: { threads?: number } = {}): CaptureReaderPool {
  const threads = options.threads ?? defaultReaderThreads();
  const { filename } = captureReaderWorkerFile();
  // No inherited `--import` hooks: the sources' worker script registers tsx itself.
  const pool = new Tinypool({
    filename,
    minThreads: threads,
    maxThreads: threads,
    execArgv: [],
    env: process.env as Record<string, string>,
    // A small young generation: each worker's heap costs resident memory on top of the main thread's (one import of
    // the sample pages, one worker: peak RSS 303 MiB with V8's default, 275 MiB with this; 228 MiB with no worker).
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  const run = async (task: CaptureReaderTask): Promise<CaptureReaderResult> => {
    const result = (await pool.run(task)) as CaptureReaderResult;
    if (result.ok) return result;
    if (result.error === 'extraction') throw new ExtractionError(result.message, result.reason);
    throw new ArchiveUrlError(result.message);
  };
  return {
    threads,
    async read(text, url) {
      const result = await run({ kind: 'read', text, ...(url !== undefined ? { url } : {}) });
      if (!result.ok || !result.reading.identity) throw new RedlineError('The capture reader returned no identity');
      const { identity, ...reading } = result.reading;
      const profile = profileByName(identity.profile);
      if (!profile) throw new RedlineError(`The capture reader named an unknown profile: ${identity.profile}`);
      return { ...reading, identity: { ...identity, profile } } satisfies CaptureReading;
    },
    async extract(text, url, profile) {
      const result = await run({ kind: 'extract', text, url, profile });
      if (!result.ok) throw new RedlineError('unreachable');
      return { document: result.reading.document, termIndex: result.reading.termIndex };
    },
    close: () => pool.destroy(),
  };
}
