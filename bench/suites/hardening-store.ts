import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { archiveCaptures } from '../../shared/adapters/warc/archive-captures.js';
import { DEFAULT_MAX_PAGE_BYTES } from '../../shared/page-limits.js';
import type { CaptureSourceItem } from '../../shared/use-cases/import-pages.js';
import { htmlResponse, warcBytes } from '../../test/import/warc-fixture.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS, loadCorpusPage } from '../../test/support/corpus.js';

/**
 * The local store's hardening (issue 12) at bench scale, with real processes: imports on a real small file system
 * that fills (a tmpfs in a private mount namespace: `unshare -rm`, no root needed where user namespaces are
 * allowed), imports started together on one store, and decompression bombs. HARDENING_DISK_RUNS (4) and
 * HARDENING_CONCURRENT_RUNS (3) set the counts.
 */
export type StoreRow = { case: string; outcome: string } & Record<string, string | number | boolean | undefined>;

export interface StoreHardeningCounts {
  diskFullRuns: number;
  concurrentProcessRuns: number;
  bombs: number;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'cli', 'redline-entry.ts');
const NODE_ARGS = ['--openssl-legacy-provider', '--no-warnings', '--import', 'tsx', ENTRY];

const countFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value >= 0 ? value : fallback;
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function redline(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function cleanEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, POWERTOOLS_METRICS_DISABLED: 'true' };
}

/** Every corpus page as a saved file: 54 real pages, about as much as a tmpfs of a few MB can hold. */
async function savedCorpus(folder: string): Promise<number> {
  await mkdir(folder, { recursive: true });
  let count = 0;
  for (const country of CORPUS_COUNTRIES) {
    for (const year of CORPUS_YEARS) {
      await writeFile(join(folder, `${country}-${year}.html`), loadCorpusPage(country, year));
      count++;
    }
  }
  return count;
}

export async function storeHardening(row: (fields: StoreRow) => void): Promise<StoreHardeningCounts> {
  const root = await mkdtemp(join(tmpdir(), 'redline-bench-store-'));
  try {
    const pages = join(root, 'pages');
    const pageCount = await savedCorpus(pages);
    const diskFullRuns = await diskFull(row, root, pages, pageCount);
    const concurrentProcessRuns = await concurrentImports(row, root, pages, pageCount);
    const bombs = await decompressionBombs(row, root);
    return { diskFullRuns, concurrentProcessRuns, bombs };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Each run: a tmpfs of a few MB in a private mount namespace; the import must stop with "no space left in <dir>"
 * and exit 1 (not crash); the tmpfs then grows (space returns) and the same import must complete every page; a
 * third run must store nothing. Sizes step up so the disk fills at different points of the import.
 */
async function diskFull(row: (fields: StoreRow) => void, root: string, pages: string, pageCount: number): Promise<number> {
  const runs = countFromEnv('HARDENING_DISK_RUNS', 4);
  if (runs === 0) return 0;
  if (spawnSync('unshare', ['-rm', 'true']).status !== 0) {
    row({ case: 'disk full: import on a small tmpfs', outcome: 'skipped: no private mount namespace here (unshare -rm)', runs: 0 });
    return 0;
  }
  let passed = 0;
  const problems: string[] = [];
  const started = performance.now();
  for (let run = 0; run < runs; run++) {
    const sizeKiB = 2048 + run * 2048;
    const mount = join(root, `tmpfs-${run}`);
    const output = join(root, `disk-run-${run}`);
    await mkdir(mount, { recursive: true });
    await mkdir(output, { recursive: true });
    const redlineCommand = [process.execPath, ...NODE_ARGS, 'import', pages, '--data-dir', join(mount, 'store')].map(shellQuote).join(' ');
    const script = [
      `mount -t tmpfs -o size=${sizeKiB}k tmpfs ${shellQuote(mount)} || exit 97`,
      `${redlineCommand} > ${shellQuote(join(output, '1.out'))} 2> ${shellQuote(join(output, '1.err'))}; echo $? > ${shellQuote(join(output, '1.code'))}`,
      `mount -o remount,size=262144k ${shellQuote(mount)} || exit 98`,
      `${redlineCommand} --json > ${shellQuote(join(output, '2.out'))} 2> ${shellQuote(join(output, '2.err'))}; echo $? > ${shellQuote(join(output, '2.code'))}`,
      `${redlineCommand} --json > ${shellQuote(join(output, '3.out'))} 2> ${shellQuote(join(output, '3.err'))}; echo $? > ${shellQuote(join(output, '3.code'))}`,
    ].join('\n');
    const namespace = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('unshare', ['-rm', '--propagation', 'private', 'sh', '-c', script], { cwd: ROOT, env: cleanEnv(), stdio: 'ignore' });
      child.once('error', reject);
      child.once('close', resolve);
    });
    const read = async (name: string) => readFile(join(output, name), 'utf8').catch(() => '');
    const [first, firstErr, firstCode, second, secondCode, third, thirdCode] = await Promise.all(
      ['1.out', '1.err', '1.code', '2.out', '2.code', '3.out', '3.code'].map(read),
    );
    const problem = diskRunProblem({
      namespace,
      first: { code: Number(firstCode), stdout: first!, stderr: firstErr! },
      second: { code: Number(secondCode), stdout: second! },
      third: { code: Number(thirdCode), stdout: third! },
      pageCount,
      store: join(mount, 'store'),
    });
    if (problem) problems.push(`${sizeKiB} KiB: ${problem}`);
    else passed++;
  }
  row({
    case: `disk full: import of ${pageCount} pages on a 2-${(2048 + (runs - 1) * 2048) / 1024} MB tmpfs, then space returns`,
    outcome: problems.length === 0 ? 'pass' : `FAIL: ${problems.join('; ').slice(0, 400)}`,
    runs,
    ms: Math.round(performance.now() - started),
    detail: `${passed}/${runs} runs: "no space left in <dir>" and exit 1 with the report so far, then every page on the re-run, nothing on a third`,
  });
  return runs;
}

function diskRunProblem(run: {
  namespace: number | null;
  first: { code: number; stdout: string; stderr: string };
  second: { code: number; stdout: string };
  third: { code: number; stdout: string };
  pageCount: number;
  store: string;
}): string | undefined {
  if (run.namespace === 97 || run.namespace === 98) return 'the tmpfs could not be mounted or grown';
  if (run.first.code !== 1) return `the full-disk run exited ${run.first.code}: ${run.first.stderr.slice(-200)}`;
  if (!run.first.stderr.includes(`no space left in ${run.store}`)) return `no "no space left" message: ${run.first.stderr.slice(-200)}`;
  if (!/^imported \d+ revision/m.test(run.first.stdout)) return 'no report so far';
  if (run.second.code !== 0) return `the re-run exited ${run.second.code}`;
  const second = JSON.parse(run.second.stdout) as { failed: number; pages: { latestSeq?: number }[] };
  if (second.failed !== 0 || second.pages.length !== run.pageCount || second.pages.some((page) => page.latestSeq === undefined)) {
    return `the re-run did not complete every page (${second.failed} failed, ${second.pages.length} pages)`;
  }
  const third = JSON.parse(run.third.stdout) as { imported: number; failed: number };
  if (run.third.code !== 0 || third.imported !== 0 || third.failed !== 0) return 'a third run stored something or failed';
  return undefined;
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Two imports of the same pages started together on one store: one imports everything, the other is refused (exit 2). */
async function concurrentImports(row: (fields: StoreRow) => void, root: string, pages: string, pageCount: number): Promise<number> {
  const runs = countFromEnv('HARDENING_CONCURRENT_RUNS', 3);
  if (runs === 0) return 0;
  const problems: string[] = [];
  let refused = 0;
  const started = performance.now();
  for (let run = 0; run < runs; run++) {
    const dataDir = join(root, `concurrent-${run}`);
    const results = await Promise.all([0, 1].map(() => redline(['import', pages, '--data-dir', dataDir, '--json'])));
    const done = results.filter((result) => result.code === 0);
    const busy = results.filter((result) => result.code === 2 && /in use by/.test(result.stderr));
    refused += busy.length;
    const imported = done.map((result) => JSON.parse(result.stdout) as { imported: number; failed: number });
    // Both may finish when one ends before the other opens the store; then the second stores nothing.
    const total = imported.reduce((sum, report) => sum + report.imported, 0);
    if (done.length + busy.length !== 2 || done.length === 0 || total !== pageCount || imported.some((report) => report.failed > 0)) {
      problems.push(
        `run ${run + 1}: exits ${results.map((result) => result.code).join('/')}, ${total} imported: ${results.map((r) => r.stderr.slice(-150)).join(' | ')}`,
      );
    }
  }
  row({
    case: `concurrent processes: two imports of ${pageCount} pages started together on one store`,
    outcome: problems.length === 0 ? 'pass' : `FAIL: ${problems.join('; ').slice(0, 400)}`,
    runs,
    ms: Math.round(performance.now() - started),
    detail: `${refused} of ${runs * 2} processes refused at once with exit 2 ("in use by"); every page imported exactly once, no crash`,
  });
  return runs;
}

/** Decompression bombs and truncated input through the import's reader: each refused by its bytes, under the cap. */
async function decompressionBombs(row: (fields: StoreRow) => void, root: string): Promise<number> {
  const inflated = Buffer.alloc(DEFAULT_MAX_PAGE_BYTES + 10 * 1024 * 1024, 0x20);
  const gzip = gzipSync(inflated, { level: 9 });
  const chunked = Buffer.concat([Buffer.from(`${gzip.byteLength.toString(16)}\r\n`), gzip, Buffer.from('\r\n0\r\n\r\n')]);
  const url = 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/tuvalu/';
  const page = loadCorpusPage('tuvalu', 2023);
  const cases: { name: string; file: string; bytes: Buffer; expected: RegExp }[] = [
    { name: 'saved page, gzip', file: 'bomb.html.gz', bytes: gzip, expected: /larger than \d+ bytes once decompressed/ },
    {
      name: 'WARC record, Content-Encoding gzip',
      file: 'gzip.warc',
      bytes: await warcBytes([htmlResponse(url, '2024-04-23T00:00:00Z', gzip, { 'Content-Encoding': 'gzip' })]),
      expected: /over 50 MB once decoded/,
    },
    {
      name: 'WARC record, chunked and gzip',
      file: 'chunked.warc',
      bytes: await warcBytes([htmlResponse(url, '2024-04-23T00:00:00Z', chunked, { 'Transfer-Encoding': 'chunked', 'Content-Encoding': 'gzip' })]),
      expected: /over 50 MB once decoded/,
    },
  ];
  const whole = await warcBytes([htmlResponse(url, '2024-04-23T00:00:00Z', page), htmlResponse(url, '2024-04-24T00:00:00Z', page)]);
  cases.push({
    name: 'WARC cut inside a record header',
    file: 'cut.warc',
    bytes: whole.subarray(0, whole.indexOf('WARC/1.1', 10) + 60),
    expected: /the file ends inside the header of WARC record 2/,
  });
  const problems: string[] = [];
  let peakRss = process.memoryUsage().rss;
  const started = performance.now();
  for (const testCase of cases) {
    const file = join(root, testCase.file);
    await writeFile(file, testCase.bytes);
    const items: CaptureSourceItem[] = [];
    for await (const item of archiveCaptures([file])) {
      items.push(item);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const refusal = items.find((item) => item.unreadable)?.unreadable;
    if (!refusal || !testCase.expected.test(refusal.error) || !refusal.badInput)
      problems.push(`${testCase.name}: ${refusal?.error ?? 'read as a page'}`);
  }
  row({
    case: `bombs and truncated input: ${cases.map((testCase) => testCase.name).join('; ')}`,
    outcome: problems.length === 0 ? 'pass' : `FAIL: ${problems.join('; ')}`,
    runs: cases.length,
    ms: Math.round(performance.now() - started),
    detail: `each refused as bad input by its decoded bytes (${(inflated.byteLength / 1024 / 1024).toFixed(0)} MB inflated from ${(gzip.byteLength / 1024).toFixed(0)} KB); peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`,
  });
  return cases.length;
}
