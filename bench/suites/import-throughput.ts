import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { WARCRecord, WARCSerializer } from 'warcio';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { localDynamoDbClientConfig, localS3ClientConfig, startLocalAwsServers } from '../../local/runtime/local-aws-servers.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { archiveCaptures } from '../../shared/adapters/warc/archive-captures.js';
import { extract } from '../../shared/domain/extract.js';
import { cloudImportDestination } from '../../shared/use-cases/cloud-import.js';
import { importPages, type ImportReport } from '../../shared/use-cases/import-pages.js';
import { SqsImportQueue } from '../../shared/adapters/sqs/sqs-import-queue.js';
import { startCloudStack } from '../../test/import/cloud-import-rig.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { CORPUS_DIRECTORY, corpusPages } from '../../test/support/corpus.js';
import { median, round, timeMedianAsync, type BenchRow, type SuiteResult } from '../bench-kit.js';
import { countRequests, type RequestCounter } from '../request-counter.js';

/**
 * (d) Backfill throughput: `redline import` of every corpus page end to end (walk, read, gunzip, extract, store the
 * raw body and the Document in s3rver, watch the page and record its revision in dynalite), into a fresh store each
 * time, in pages/s and MB/s of HTML. The reference, measured in the same run, is the pure part of the work:
 * reading and extracting the same pages in process with no store. The ratio says what the storage round trips
 * cost on top of extraction (and how much concurrency wins back).
 */
interface Measured {
  ms: number;
  report?: ImportReport;
  /** The requests the import sent, by service and operation (bench/request-counter.ts). */
  requests?: ReturnType<RequestCounter['counts']>;
}

async function importIntoFreshStore(paths: string[], concurrency: number, repeat = false): Promise<{ first: Measured; second?: Measured }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'redline-bench-import-'));
  // The servers on their own thread, as `redline import` runs them (since issue 13 §3).
  const servers = await startLocalAwsServers({ dataDir, dynamodbInMemory: true, resetS3OnClose: true, requireListPaging: false, thread: true });
  const dynamodb = new DynamoDBClient(localDynamoDbClientConfig(servers.endpoints.dynamodb, servers.region));
  const s3 = new S3Client(localS3ClientConfig(servers.endpoints.s3, servers.region));
  const counter = countRequests({ dynamodb, s3 });
  const dependencies = {
    revisions: new DynamoRevisionStore({ client: dynamodb, tableName: servers.tableName }),
    snapshots: new S3SnapshotStore({ client: s3, bucket: servers.bucketName }),
    now: () => new Date(),
    settings: DEFAULT_TRACKER_SETTINGS,
  };
  const run = async (): Promise<Measured> => {
    counter.reset();
    const started = performance.now();
    const report = await importPages(dependencies, archiveCaptures(paths), { concurrency });
    return { ms: performance.now() - started, report, requests: counter.counts() };
  };
  try {
    const first = await run();
    return { first, ...(repeat ? { second: await run() } : {}) };
  } finally {
    dynamodb.destroy();
    s3.destroy();
    await servers.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * A cloud-shaped import of the same pages into a fresh local "stack": raw bodies to s3rver, Documents staged under
 * imports/, one FIFO message per capture on fauxqs, recorded by the diff function's import handler polled as the
 * Lambda event source mapping would (2 pollers, batches of 10), the importer waiting for every outcome (read every
 * 20 ms). Timed from the first file read to the last outcome read.
 */
async function cloudImportIntoFreshStack(paths: string[], concurrency: number): Promise<Measured> {
  const stack = await startCloudStack();
  try {
    stack.startConsumer();
    const destination = cloudImportDestination(
      { staging: stack.staging, queue: new SqsImportQueue({ client: stack.sqs, queueUrl: stack.queueUrl }) },
      { waitMs: 10 * 60_000, pollIntervalMs: 20 },
    );
    const dependencies = { revisions: stack.revisions, snapshots: stack.snapshots, now: () => new Date(), settings: DEFAULT_TRACKER_SETTINGS };
    const started = performance.now();
    const report = await importPages(dependencies, archiveCaptures(paths), { concurrency, destination });
    return { ms: performance.now() - started, report };
  } finally {
    await stack.close();
  }
}

/** The same pages as one gzip-compressed WARC of response records. */
async function corpusWarc(file: string): Promise<void> {
  const parts: Uint8Array[] = [];
  for (const page of corpusPages()) {
    const html = gunzipSync(await readFile(page.file));
    const record = WARCRecord.create(
      {
        url: `https://www.state.gov/reports/${page.year}-country-reports-on-human-rights-practices/${page.country}/`,
        date: '2025-09-01T00:00:00Z',
        type: 'response',
        warcVersion: 'WARC/1.1',
        httpHeaders: { 'Content-Type': 'text/html; charset=utf-8' },
      },
      (async function* () {
        yield new Uint8Array(html);
      })(),
    );
    parts.push(await WARCSerializer.serialize(record, { gzip: true }));
  }
  await writeFile(file, Buffer.concat(parts));
}

export async function importThroughputSuite(): Promise<SuiteResult> {
  const pages = corpusPages();
  const rows: BenchRow[] = [];

  // Reference: read, gunzip and extract every page in process (median of 5 after a warm-up).
  let htmlBytes = 0;
  const referenceCpuMs: number[] = [];
  const extractAll = async () => {
    htmlBytes = 0;
    const cpuBefore = process.cpuUsage();
    for (const page of pages) {
      const html = gunzipSync(await readFile(page.file)).toString('utf8');
      htmlBytes += Buffer.byteLength(html);
      extract(html);
    }
    const cpu = process.cpuUsage(cpuBefore);
    referenceCpuMs.push((cpu.user + cpu.system) / 1000);
  };
  const referenceMs = await timeMedianAsync(5, extractAll);
  // Its CPU time per page (the warm-up left out), the yardstick of the imports' CPU time per page.
  const referenceCpuMsPerPage = median(referenceCpuMs.slice(1)) / pages.length;
  const megabytes = htmlBytes / 1e6;
  const referencePagesPerSecond = pages.length / (referenceMs / 1000);
  rows.push({
    suite: 'import',
    case: `reference: read + extract in process (${pages.length} pages)`,
    ms: round(referenceMs),
    pages_per_s: round(referencePagesPerSecond),
    mb_per_s: round(megabytes / (referenceMs / 1000)),
    ratio: 1,
    cpu_ms_per_page: round(referenceCpuMsPerPage, 1),
  });

  const row = (name: string, measured: Measured) => {
    const pagesPerSecond = pages.length / (measured.ms / 1000);
    rows.push({
      suite: 'import',
      case: name,
      ms: round(measured.ms),
      pages_per_s: round(pagesPerSecond),
      mb_per_s: round(megabytes / (measured.ms / 1000)),
      ratio: round(pagesPerSecond / referencePagesPerSecond, 3),
      imported: measured.report?.imported,
      skipped: measured.report?.skipped,
    });
    return pagesPerSecond;
  };

  // A warm-up import (module loading, first connections), then the measured ones, each into a fresh store; the
  // default concurrency three times (median), the others once.
  await importIntoFreshStore([CORPUS_DIRECTORY], 4);
  let defaultRate = 0;
  let requests: Measured['requests'];
  for (const concurrency of [1, 4, 8]) {
    if (concurrency !== 4) {
      row(`import saved pages, concurrency ${concurrency}`, (await importIntoFreshStore([CORPUS_DIRECTORY], concurrency)).first);
      continue;
    }
    const runs = [];
    for (let run = 0; run < 3; run++) runs.push(await importIntoFreshStore([CORPUS_DIRECTORY], concurrency, run === 0));
    const firsts = runs.map((run) => run.first.ms);
    const middle = runs.find((run) => run.first.ms === median(firsts)) ?? runs[0]!;
    defaultRate = row(`import saved pages, concurrency 4 (median of 3)`, middle.first);
    requests = middle.first.requests;
    row('  second run (resumed: everything skipped)', runs[0]!.second!);
  }

  // The cloud-shaped import (a warm-up, then the median of 3), against the local import's rate of this run.
  await cloudImportIntoFreshStack([CORPUS_DIRECTORY], 4);
  const cloudRuns: Measured[] = [];
  for (let run = 0; run < 3; run++) cloudRuns.push(await cloudImportIntoFreshStack([CORPUS_DIRECTORY], 4));
  const cloudMedian = cloudRuns.find((run) => run.ms === median(cloudRuns.map((entry) => entry.ms))) ?? cloudRuns[0]!;
  const cloudRate = row('cloud-import: saved pages through the FIFO import queue (fauxqs), concurrency 4 (median of 3)', cloudMedian);
  const failedCloud = cloudRuns.find((run) => (run.report?.failed ?? 0) > 0 || (run.report?.queued ?? 0) > 0);
  if (failedCloud) {
    throw new Error(`the cloud-shaped import did not record every page: ${JSON.stringify(failedCloud.report?.notImported.slice(0, 3))}`);
  }

  const warcDir = await mkdtemp(join(tmpdir(), 'redline-bench-warc-'));
  try {
    const warc = join(warcDir, 'corpus.warc.gz');
    await corpusWarc(warc);
    const { first } = await importIntoFreshStore([warc], 4);
    row('import one WARC (.warc.gz), concurrency 4', first);
  } finally {
    await rm(warcDir, { recursive: true, force: true });
  }

  // Issue 13 §3: the CLI's import, extraction on worker threads, against the single-thread import; each import alone in
  // a fresh process (bench/import-child.ts), so that its peak RSS (every thread's) is its own. The local servers on
  // their own thread (as `redline import` runs them), and for the same run's comparison in the import's thread (as
  // before), and at concurrency 8 (more pages in flight to keep both threads busy). Interleaved, 3 each.
  type ChildRun = { ms: number; cpuMs: number; maxRssMiB: number; imported: number; threads: number };
  const child = (threads: string, concurrency: number, servers: 'thread' | 'caller') =>
    new Promise<ChildRun>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('../import-child.ts', import.meta.url)), threads, String(concurrency), servers],
        { env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider --no-warnings' }, maxBuffer: 1 << 20 },
        (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout.trim().split('\n').pop()!))),
      );
    });
  const modes = {
    single: () => child('0', 4, 'thread'),
    workers: () => child('1', 4, 'thread'),
    serversInCaller: () => child('0', 4, 'caller'),
    concurrency8: () => child('0', 8, 'thread'),
  };
  const byMode = Object.fromEntries(Object.keys(modes).map((mode) => [mode, [] as ChildRun[]])) as Record<keyof typeof modes, ChildRun[]>;
  for (let run = 0; run < 3; run++) {
    for (const [mode, start] of Object.entries(modes)) byMode[mode as keyof typeof modes].push(await start());
  }
  const modeRow = (name: string, runs: ChildRun[]) => {
    const ms = median(runs.map((one) => one.ms));
    // CPU time per page (all threads): what the import costs, whatever else the machine runs.
    const cpuMsPerPage = median(runs.map((one) => one.cpuMs)) / pages.length;
    const rss = Math.max(...runs.map((one) => one.maxRssMiB));
    const pagesPerSecond = pages.length / (ms / 1000);
    rows.push({
      suite: 'import',
      case: name,
      ms: round(ms),
      pages_per_s: round(pagesPerSecond),
      ratio: round(pagesPerSecond / referencePagesPerSecond, 3),
      peak_rss_mib: round(rss, 1),
      cpu_ms_per_page: round(cpuMsPerPage, 1),
    });
    return { pagesPerSecond, rss, cpuMsPerPage, threads: runs[0]!.threads };
  };
  const single = modeRow(
    'own process: import saved pages, one thread (--threads 0, the default), servers on their thread, median of 3',
    byMode.single,
  );
  const workers = modeRow('own process: import saved pages, extraction on a worker thread (--threads 1), median of 3', byMode.workers);
  const serversInCaller = modeRow(
    "own process: one thread, servers in the import's thread (as before issue 13 §3), median of 3",
    byMode.serversInCaller,
  );
  const concurrency8 = modeRow('own process: one thread, servers on their thread, concurrency 8, median of 3', byMode.concurrency8);

  const ratio = defaultRate / referencePagesPerSecond;
  // Round trips per page of the default import, by operation (DynamoDB) and method (S3).
  const perPage = (service: string, counts: Record<string, number> = {}) =>
    Object.fromEntries(Object.entries(counts).map(([operation, count]) => [`${service}_${operation}_per_page`, round(count / pages.length, 2)]));
  const total = (counts: Record<string, number> = {}) => round(Object.values(counts).reduce((sum, count) => sum + count, 0) / pages.length, 2);
  return {
    suite: 'import',
    rows,
    summary: {
      pages: pages.length,
      html_mb: round(megabytes),
      import_pages_per_s: round(defaultRate),
      import_mb_per_s: round(megabytes * (defaultRate / pages.length)),
      reference_pages_per_s: round(referencePagesPerSecond),
      ratio_to_extract: round(ratio, 3),
      cloud_import_pages_per_s: round(cloudRate),
      cloud_to_local_import: round(cloudRate / defaultRate, 3),
      own_process_single_thread_ratio_to_extract: round(single.pagesPerSecond / referencePagesPerSecond, 3),
      own_process_workers_ratio_to_extract: round(workers.pagesPerSecond / referencePagesPerSecond, 3),
      worker_threads: workers.threads,
      workers_x_single_thread: round(workers.pagesPerSecond / single.pagesPerSecond, 3),
      peak_rss_mib_single_thread: round(single.rss, 1),
      peak_rss_mib_workers: round(workers.rss, 1),
      cpu_ms_per_page_single_thread: round(single.cpuMsPerPage, 1),
      cpu_ms_per_page_workers: round(workers.cpuMsPerPage, 1),
      own_process_servers_in_caller_ratio_to_extract: round(serversInCaller.pagesPerSecond / referencePagesPerSecond, 3),
      servers_thread_x_servers_in_caller: round(single.pagesPerSecond / serversInCaller.pagesPerSecond, 3),
      peak_rss_mib_servers_in_caller: round(serversInCaller.rss, 1),
      cpu_ms_per_page_servers_in_caller: round(serversInCaller.cpuMsPerPage, 1),
      own_process_concurrency_8_ratio_to_extract: round(concurrency8.pagesPerSecond / referencePagesPerSecond, 3),
      peak_rss_mib_concurrency_8: round(concurrency8.rss, 1),
      reference_cpu_ms_per_page: round(referenceCpuMsPerPage, 1),
      // The reference's CPU per page over the import's: the ratio by CPU time, which the machine's load hardly moves.
      own_process_single_thread_cpu_ratio_to_extract: round(referenceCpuMsPerPage / single.cpuMsPerPage, 3),
      dynamodb_requests_per_page: total(requests?.dynamodb),
      ...perPage('dynamodb', requests?.dynamodb),
      s3_requests_per_page: total(requests?.s3),
      ...perPage('s3', requests?.s3),
      target: 'import >= 0.25x extraction, peak RSS no higher than the import with every server in its thread',
      met: single.pagesPerSecond / referencePagesPerSecond >= 0.25 && single.rss <= serversInCaller.rss,
    },
  };
}
