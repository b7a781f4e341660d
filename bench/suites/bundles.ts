import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ESBUILD_ALIAS, ESBUILD_TARGET, ESM_REQUIRE_BANNER, PROJECT_ROOT } from '../../infra/constructs/tracker-function.js';
import { FUNCTION_ENTRIES, FUNCTION_NAMES } from '../../infra/stacks/stateless-stack.js';
import { median, round, type SuiteResult } from '../bench-kit.js';

const SIZE_TARGET_BYTES = 1_000_000;
const IMPORT_TARGET_MS = 150;
const SDK_RATIO_TARGET = 1.1;

/**
 * Each Lambda bundle, built with the same esbuild settings as the CDK TrackerFunction: its size, and its cold
 * import time in a fresh Node process (median of several), against two same-run references: an empty module, and
 * the AWS SDK packages that bundle imports from the runtime, alone (the part of the cold start redline cannot
 * shrink by bundling less). The process's own start-up is in none of them: the times are taken inside it.
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
      const outfile = path.join(outdir, `${name}.mjs`);
      const { metafile } = await build({
        metafile: true,
        entryPoints: [path.join(PROJECT_ROOT, FUNCTION_ENTRIES[name])],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: ESBUILD_TARGET,
        mainFields: ['module', 'main'],
        minify: true,
        banner: { js: ESM_REQUIRE_BANNER },
        external: ['@aws-sdk/*'],
        alias: ESBUILD_ALIAS,
        logLevel: 'error',
      });
      const size = statSync(outfile).size;
      // The AWS SDK packages the bundle leaves to the runtime and imports at start (static imports), imported alone in
      // the same way: the floor of its import. Those it imports on first use (dynamic imports) are listed apart.
      const sdkImports = (kind: 'import-statement' | 'dynamic-import') =>
        [
          ...new Set(
            Object.values(metafile.outputs).flatMap((output) =>
              output.imports
                .filter((entry) => entry.external && entry.kind === kind && entry.path.startsWith('@aws-sdk/'))
                .map((entry) => entry.path),
            ),
          ),
        ].sort();
      const sdkPackages = sdkImports('import-statement');
      const sdkOnUse = sdkImports('dynamic-import').filter((name) => !sdkPackages.includes(name));
      const sdkModule = path.join(outdir, `${name}-sdk.mjs`);
      writeFileSync(sdkModule, sdkPackages.map((name) => `import ${JSON.stringify(name)};`).join('\n') || 'export {};');
      // Interleaved (bundle, SDK alone, bundle, ...), so that a machine getting busier weighs on both alike.
      const [importMs, sdkMs] = importMedians([outfile, sdkModule], runs) as [number, number];
      // Issue 13: each function's cold import <= 150 ms, or <= 1.1x the same-run import of the SDK clients it uses.
      const met = importMs <= IMPORT_TARGET_MS || importMs <= SDK_RATIO_TARGET * sdkMs;
      largest = Math.max(largest, size);
      slowest = Math.max(slowest, importMs);
      if (!met) missed.push(name);
      rows.push({
        suite: 'bundles',
        case: name,
        kib: round(size / 1024, 1),
        import_ms: round(importMs, 1),
        sdk_only_import_ms: round(sdkMs, 1),
        vs_sdk_only: round(importMs / sdkMs, 2),
        own_code_ms: round(importMs - sdkMs, 1),
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
