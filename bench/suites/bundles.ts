import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { functionBuildOptions, outputsLoadedAtStart, PROJECT_ROOT } from '../../infra/constructs/tracker-function.js';
import { FUNCTION_ENTRIES, FUNCTION_NAMES } from '../../infra/stacks/stateless-stack.js';
import { median, round, type SuiteResult } from '../bench-kit.js';

const SIZE_TARGET_BYTES = 1_000_000;
const IMPORT_TARGET_MS = 150;
const SDK_RATIO_TARGET = 1.1;

/**
 * Each Lambda bundle, built with the CDK TrackerFunction's esbuild settings (functionBuildOptions: ESM split into
 * chunks): its size, and its cold import time in a fresh Node process (median of several), against same-run
 * references: an empty module; the AWS SDK packages that bundle imports from the runtime at start, alone (the part of
 * the cold start redline cannot shrink by bundling less); the same bundle as ONE file (no splitting, as the CDK
 * NodejsFunction built it before issue 13 §3), where Node parses the deferred code at start too; and the bundle with
 * every chunk loaded (what the first invocations that reach each deferred path have loaded by then: the cost the
 * split moves from the cold start to first use). The process's own start-up is in none of them: the times are
 * taken inside it.
 */
export async function bundlesSuite(runs = 7): Promise<SuiteResult> {
  // Inside the project, so the bundles resolve the external @aws-sdk/* packages as the Lambda runtime does.
  const outdir = mkdtempSync(path.join(PROJECT_ROOT, 'test-artifacts-bench-'));
  const rows: SuiteResult['rows'] = [];
  try {
    const empty = path.join(outdir, 'empty.mjs');
    await build({ stdin: { contents: 'export const handler = () => 0;' }, outfile: empty, format: 'esm', logLevel: 'error' });
    const [baseline] = importMedians([empty], runs) as [number];
    let largest = 0;
    let slowest = 0;
    const missed: string[] = [];
    for (const name of FUNCTION_NAMES) {
      const bundleDir = path.join(outdir, name);
      const { metafile } = await build({ ...functionBuildOptions(FUNCTION_ENTRIES[name], bundleDir), sourcemap: false, logLevel: 'error' });
      const oneFileDir = path.join(outdir, `${name}-one-file`);
      await build({ ...functionBuildOptions(FUNCTION_ENTRIES[name], oneFileDir), splitting: false, sourcemap: false, logLevel: 'error' });
      const outfile = path.join(bundleDir, 'index.mjs');
      const atStart = outputsLoadedAtStart(metafile);
      const allOutputs = Object.keys(metafile.outputs).filter((output) => output.endsWith('.mjs'));
      const bytesOf = (outputs: string[]) => outputs.reduce((sum, output) => sum + metafile.outputs[output]!.bytes, 0);
      const size = bytesOf(allOutputs);
      const startSize = bytesOf(atStart);
      // Every chunk, imported in one go: the entry, then the deferred chunks (evaluated as on their first import).
      const allChunks = path.join(outdir, `${name}-all-chunks.mjs`);
      writeFileSync(allChunks, allOutputs.map((output) => `import ${JSON.stringify(path.join(PROJECT_ROOT, output))};`).join('\n'));
      // The AWS SDK packages the bundle leaves to the runtime and imports at start (static imports of the start chunks),
      // imported alone in the same way: the floor of its import. Those it imports on first use are listed apart.
      const sdkImports = (outputs: string[], kind: 'import-statement' | 'dynamic-import') =>
        [
          ...new Set(
            outputs.flatMap((output) =>
              metafile.outputs[output]!.imports.filter((entry) => entry.external && entry.kind === kind && entry.path.startsWith('@aws-sdk/')).map(
                (entry) => entry.path,
              ),
            ),
          ),
        ].sort();
      const sdkPackages = sdkImports(atStart, 'import-statement');
      const deferred = allOutputs.filter((output) => !atStart.includes(output));
      const sdkOnUse = [...sdkImports(allOutputs, 'dynamic-import'), ...sdkImports(deferred, 'import-statement')].filter(
        (name, index, all) => !sdkPackages.includes(name) && all.indexOf(name) === index,
      );
      const sdkModule = path.join(outdir, `${name}-sdk.mjs`);
      writeFileSync(sdkModule, sdkPackages.map((name) => `import ${JSON.stringify(name)};`).join('\n') || 'export {};');
      // Interleaved (bundle, SDK alone, one file, all chunks, bundle, ...), so that a machine getting busier weighs on all alike.
      const oneFile = path.join(oneFileDir, 'index.mjs');
      const medians = importMedians([outfile, sdkModule, oneFile, allChunks], runs);
      const [importMs, sdkMs, oneFileMs, allChunksMs] = medians as [number, number, number, number];
      // Issue 13: each function's cold import <= 150 ms, or <= 1.1x the same-run import of the SDK clients it uses.
      const met = importMs <= IMPORT_TARGET_MS || importMs <= SDK_RATIO_TARGET * sdkMs;
      largest = Math.max(largest, size);
      slowest = Math.max(slowest, importMs);
      if (!met) missed.push(name);
      rows.push({
        suite: 'bundles',
        case: name,
        kib: round(size / 1024, 1),
        start_kib: round(startSize / 1024, 1),
        chunks: allOutputs.length,
        import_ms: round(importMs, 1),
        sdk_only_import_ms: round(sdkMs, 1),
        vs_sdk_only: round(importMs / sdkMs, 2),
        own_code_ms: round(importMs - sdkMs, 1),
        one_file_import_ms: round(oneFileMs, 1),
        one_file_vs_sdk_only: round(oneFileMs / sdkMs, 2),
        all_chunks_import_ms: round(allChunksMs, 1),
        empty_module_import_ms: round(baseline, 1),
        sdk_packages: sdkPackages.map((name) => name.replace('@aws-sdk/', '')).join(' '),
        sdk_on_first_use: sdkOnUse.map((name) => name.replace('@aws-sdk/', '')).join(' '),
        met,
      });
    }
    return {
      suite: 'bundles',
      rows,
      summary: {
        largest_kib: round(largest / 1024, 1),
        slowest_import_ms: round(slowest, 1),
        target: `<= ${SIZE_TARGET_BYTES} bytes; import <= ${IMPORT_TARGET_MS} ms or <= ${SDK_RATIO_TARGET}x the SDK packages it imports at start`,
        import_missed: missed.join(' '),
        met: largest <= SIZE_TARGET_BYTES && missed.length === 0,
      },
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Imports each module in a fresh process with a Lambda-like environment, `runs` times, in turns (one of each per
 * round), and returns each one's median import time.
 */
function importMedians(files: string[], runs: number): number[] {
  const environment = {
    ...process.env,
    AWS_REGION: 'us-east-1',
    REDLINE_TABLE: 'bench',
    REDLINE_BUCKET: 'bench',
    REDLINE_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:bench',
    REDLINE_CAPTURE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  const times = files.map(() => [] as number[]);
  for (let run = 0; run < runs; run++) {
    files.forEach((file, index) => {
      const script = `const start = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - start));`;
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: environment, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`importing ${file} failed: ${result.stderr}`);
      times[index]!.push(Number(result.stdout));
    });
  }
  return times.map((values) => median(values));
}
