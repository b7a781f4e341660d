import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Metafile } from 'esbuild';

/**
 * Bundles the CLI (cli/redline-entry.ts) with esbuild into dist/cli/, so that the `redline` bin runs prebuilt
 * JavaScript and nothing is transpiled when a command starts. Run by the `prepare` script (so by `npm ci` and
 * `npm install` in a clone) and by .ci/run; `npm run build:cli` by hand after editing the CLI's sources.
 *
 * - ESM with code splitting: what a command loads lazily (`await import(...)`: the SDK clients, the embedded
 *   servers, the API handler and its UI, the local runtime, the WARC reader) is a chunk of its own, read only by the
 *   commands that need it; `--version` and `diff A B` read the entry chunk and the extraction and diff code.
 * - Dependencies are bundled (one file read instead of hundreds of module resolutions), except dynalite and s3rver
 *   (the embedded servers read files next to their sources and load LevelDB's native binding) and tinypool (it starts
 *   workers on a script of its own package).
 * - The import's worker script (shared/adapters/workers/capture-reader-worker.ts) is a second entry, emitted as
 *   dist/cli/capture-reader-worker.js beside the chunks, where the pool module (a chunk) looks for it; likewise the
 *   local AWS servers' worker script (local/runtime/aws-servers-worker.ts, dist/cli/aws-servers-worker.js).
 * - Target: the oldest Node the README supports (20), so the running Node runs the bundle itself.
 */
export const CLI_ENTRY = fileURLToPath(new URL('./redline-entry.ts', import.meta.url));
export const CLI_OUTDIR = fileURLToPath(new URL('../dist/cli/', import.meta.url));
/** The file the launcher (cli/redline.js) imports. */
export const CLI_BUNDLE = fileURLToPath(new URL('../dist/cli/redline-entry.js', import.meta.url));
export const CLI_NODE_TARGET = 'node20';
/** The import's worker script (an entry of its own, emitted beside the chunks as capture-reader-worker.js). */
export const CLI_WORKER_ENTRY = fileURLToPath(new URL('../shared/adapters/workers/capture-reader-worker.ts', import.meta.url));
/** The local AWS servers' worker script (`redline import` serves dynalite and s3rver from it). */
export const CLI_SERVERS_WORKER_ENTRY = fileURLToPath(new URL('../local/runtime/aws-servers-worker.ts', import.meta.url));
export const CLI_EXTERNAL = ['dynalite', 's3rver', 'tinypool'];

export async function buildCli(options: { outdir?: string } = {}): Promise<Metafile> {
  const outdir = options.outdir ?? CLI_OUTDIR;
  // Loaded here: `prepare` may run where dev dependencies are not installed (below).
  const { build } = await import('esbuild');
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { 'redline-entry': CLI_ENTRY, 'capture-reader-worker': CLI_WORKER_ENTRY, 'aws-servers-worker': CLI_SERVERS_WORKER_ENTRY },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: CLI_NODE_TARGET,
    external: CLI_EXTERNAL,
    // CommonJS dependencies call require(); in an ESM bundle it comes from createRequire.
    banner: { js: "import { createRequire as __redlineCreateRequire } from 'node:module'; const require = __redlineCreateRequire(import.meta.url);" },
    // Names kept: errors print `${error.name}` and some code tells classes apart by name.
    keepNames: true,
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

/** Whether esbuild (a dev dependency) is installed. */
async function hasEsbuild(): Promise<boolean> {
  try {
    await import('esbuild');
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `prepare` passes --if-possible: an install without dev dependencies (`npm ci --omit=dev`) must not fail on the
  // missing esbuild; the launcher then runs the sources through tsx.
  if (process.argv.includes('--if-possible') && !(await hasEsbuild())) {
    process.stderr.write('redline: esbuild is not installed (dev dependencies omitted): no CLI bundle; the bin runs the sources\n');
    process.exit(0);
  }
  const metafile = await buildCli();
  const outputs = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.js'));
  const bytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
  process.stdout.write(`built ${CLI_BUNDLE} and ${outputs.length - 1} chunks (${(bytes / 2 ** 20).toFixed(1)} MiB)\n`);
}
