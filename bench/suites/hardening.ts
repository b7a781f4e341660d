import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import fc from 'fast-check';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { createApiHandler } from '../../functions/api/api-handler.js';
import type { ApiDependencies } from '../../functions/api/api-dependencies.js';
import { startApiServer } from '../../local/runtime/api-server.js';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { DynamoSubscriptionStore } from '../../shared/adapters/dynamodb/dynamo-subscription-store.js';
import { canPageS3rverListings } from '../../local/runtime/embedded-servers.js';
import { localDynamoDbClientConfig, localS3ClientConfig } from '../../local/runtime/local-aws-servers.js';
import { LocalSubscriptionGateway } from '../../local/runtime/subscription-notifier.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { diffDocuments } from '../../shared/domain/diff-documents.js';
import type { Document } from '../../shared/domain/document.js';
import { extract } from '../../shared/domain/extract.js';
import { ExtractionError } from '../../shared/errors.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { TORTURE_KEY, corpusDocument, editSection, hrrUrl, startApiFixture } from '../../test/api/api-fixture.js';
import { startAwsServersProcess } from '../../test/hardening/support/aws-servers-process.js';
import { silentObservability } from '../../test/hardening/support/hardening-kit.js';
import { answerProblems, authorization, body, contentType, method, path, query, readRouteMix } from '../../test/hardening/support/api-fuzz.js';
import { diffProblems } from '../../test/hardening/support/diff-reference.js';
import {
  CLEAN_PLAN,
  compareWithClean,
  faultPlanArbitrary,
  scenarioArbitrary,
  simulate,
  type Scenario,
  type SimulationResult,
} from '../../test/hardening/support/fault-simulation.js';
import { applyEdit, documentProblems, edit, loadFuzzPages, mutate, mutation } from '../../test/hardening/support/fuzz-inputs.js';
import { HOSTILE_CASES, TOTAL_TIMEOUT_MS, startHostileRig } from '../../test/hardening/support/hostile-rig.js';
import { memoryBackend } from '../../test/hardening/support/memory-backend.js';
import { rawClient } from '../../test/hardening/support/raw-http.js';
import { serverBackend } from '../../test/hardening/support/server-backend.js';
import { percentile, round, type BenchRow, type SuiteResult } from '../bench-kit.js';
import { storeHardening } from './hardening-store.js';

/**
 * `npm run bench -- hardening`: the issue-7 checks at bench scale, one row per case tried, with its outcome and
 * figures (runs, time, p99, memory). The tests (test/hardening) run the same checks at CI scale; this adds the
 * numbers and the soak. Knobs (environment): HARDENING_FAULT_RUNS (1000), HARDENING_SERVER_RUNS (20),
 * HARDENING_FUZZ_RUNS (500), HARDENING_LOAD_SECONDS (10), HARDENING_SOAK_SECONDS (180).
 *
 * s3rver's paged listings need OpenSSL's legacy provider, and a forced GC makes heap figures comparable, so the
 * suite runs itself in a child Node with `--openssl-legacy-provider --expose-gc` when this process lacks them.
 */
const CHILD_FLAG = 'REDLINE_HARDENING_CHILD';
const numberFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

export async function hardeningSuite(): Promise<SuiteResult> {
  if (canPageS3rverListings() && typeof globalThis.gc === 'function') return runHardening();
  return runInChild();
}

function runInChild(): Promise<SuiteResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--openssl-legacy-provider', '--expose-gc', '--no-warnings', '--import', 'tsx', fileURLToPath(import.meta.url)],
      {
        env: { ...process.env, [CHILD_FLAG]: '1', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as SuiteResult);
      } catch {
        reject(new Error(`the hardening suite's child exited with ${code} and no result:\n${output.slice(-2000)}`));
      }
    });
  });
}

/** One row of the table: the case tried, its outcome, and its figures. */
type HardeningRow = { case: string; outcome: string } & Record<string, string | number | boolean | undefined>;

const progress = (text: string) => process.stderr.write(`  hardening: ${text}\n`);

async function runHardening(): Promise<SuiteResult> {
  const rows: BenchRow[] = [];
  const row = (fields: HardeningRow) => {
    rows.push({ suite: 'hardening', ...fields });
    progress(`${fields.case}: ${fields.outcome}`);
  };
  // HARDENING_ONLY=store,faults (a comma list) runs some sections only; all by default.
  const only = process.env.HARDENING_ONLY?.split(',').map((name) => name.trim());
  const runs = (section: string) => !only || only.includes(section);
  const deliveries = runs('faults') ? await faults(row) : undefined;
  if (runs('hostile')) await hostileTargets(row);
  if (runs('fuzz')) fuzzExtractionAndDiff(row);
  const loadP99 = runs('load') ? await apiUnderLoad(row) : undefined;
  const soaked = runs('soak') ? await soak(row) : undefined;
  if (runs('audit')) await audit(row);
  const store = runs('store') ? await storeHardening(row) : undefined;
  const failed = rows.filter((entry) => String(entry.outcome).startsWith('FAIL'));
  return {
    suite: 'hardening',
    rows,
    summary: Object.fromEntries(
      Object.entries({
        cases: rows.length,
        failed: failed.length,
        load_p99_ms: loadP99,
        soak_heap_growth_MiB: soaked?.heapGrowth,
        soak_flat: soaked?.flat,
        // The issue-12 figures: deliveries counted by the fault runs, and the store's real-process runs.
        deliveries_counted: deliveries,
        disk_full_runs: store?.diskFullRuns,
        concurrent_process_runs: store?.concurrentProcessRuns,
        bombs: store?.bombs,
      }).filter((entry) => entry[1] !== undefined),
    ) as Record<string, number | boolean>,
  };
}

// 1. Faults

/** Returns the deliveries counted over every fault run. */
async function faults(row: (fields: HardeningRow) => void): Promise<number> {
  const cleanRuns = new Map<string, SimulationResult>();
  const clean = async (scenario: Scenario) => {
    const key = JSON.stringify(scenario);
    if (!cleanRuns.has(key)) cleanRuns.set(key, await simulate(memoryBackend(1), scenario, CLEAN_PLAN));
    return cleanRuns.get(key)!;
  };
  const tally = { deliveries: 0, crashes: 0, races: 0, duplicates: 0, restarts: 0, markers: 0, points: new Set<string>() };
  const count = (result: SimulationResult, markers: number) => {
    tally.deliveries += result.stats.deliveries;
    tally.crashes += result.stats.crashes;
    tally.races += result.stats.races;
    tally.duplicates += result.stats.duplicates + result.stats.lateDuplicates;
    tally.restarts += result.stats.restarts;
    tally.markers += markers;
    for (const point of result.stats.crashPoints.keys()) tally.points.add(point);
  };
  let deliveries = 0;
  const verdict = <T>(details: fc.RunDetails<T>) =>
    details.failed ? `FAIL after ${details.numRuns} runs (seed ${details.seed}): ${String(details.errorInstance ?? '').slice(0, 300)}` : 'pass';

  const memoryRuns = numberFromEnv('HARDENING_FAULT_RUNS', 1_000);
  let started = performance.now();
  const memory = await fc.check(
    fc.asyncProperty(
      scenarioArbitrary(() => 'memory'),
      faultPlanArbitrary({ restart: false }),
      fc.integer(),
      async (scenario, plan, seed) => {
        const faulty = await simulate(memoryBackend(seed), scenario, plan);
        const checked = compareWithClean(faulty, await clean(scenario));
        if (!checked.ok) throw new Error(checked.problem);
        count(faulty, checked.markerRegressions);
      },
    ),
    { numRuns: memoryRuns },
  );
  row({
    case: 'faults: random schedules, use cases over in-memory stores',
    outcome: verdict(memory),
    runs: memory.numRuns,
    ms: round(performance.now() - started, 0),
    detail: `${tally.deliveries} deliveries, ${tally.crashes} crashes at ${tally.points.size} points, ${tally.races} races, ${tally.duplicates} duplicates, ${tally.markers} late-duplicate marker moves`,
  });
  deliveries += tally.deliveries;

  const dataDir = await mkdtemp(join(tmpdir(), 'redline-bench-faults-'));
  const backend = await serverBackend(dataDir);
  let runs = 0;
  Object.assign(tally, { deliveries: 0, crashes: 0, races: 0, duplicates: 0, restarts: 0, markers: 0, points: new Set<string>() });
  started = performance.now();
  try {
    const servers = await fc.check(
      fc.asyncProperty(
        scenarioArbitrary(() => `bench-${(runs += 1)}`),
        faultPlanArbitrary({ restart: true, maxSteps: 30 }),
        async (scenario, plan) => {
          const faulty = await simulate(backend, scenario, plan);
          const checked = compareWithClean(faulty, await clean(scenario));
          if (!checked.ok) throw new Error(checked.problem);
          count(faulty, checked.markerRegressions);
        },
      ),
      { numRuns: numberFromEnv('HARDENING_SERVER_RUNS', 20), endOnFailure: true },
    );
    row({
      case: 'faults: random schedules + a restart per run, dynalite and s3rver on disk',
      outcome: backend.lostStreamRecords.length > 0 ? `FAIL: lost stream records ${backend.lostStreamRecords.join(', ')}` : verdict(servers),
      runs: servers.numRuns,
      ms: round(performance.now() - started, 0),
      detail: `${tally.deliveries} deliveries, ${tally.crashes} crashes, ${tally.restarts} restarts (stop to ready: p50 ${round(percentile(backend.restartMs, 0.5), 0)} ms, max ${round(Math.max(...backend.restartMs), 0)} ms)`,
    });
    deliveries += tally.deliveries;
  } finally {
    await backend.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  return deliveries;
}

// 2. Hostile fetch targets

async function hostileTargets(row: (fields: HardeningRow) => void): Promise<void> {
  const rig = await startHostileRig();
  try {
    for (const testCase of HOSTILE_CASES) {
      const outcome = await rig.run(testCase);
      const failure = outcome.failures[0];
      const dueIn = (testCase.dueInMinutes ?? DEFAULT_TRACKER_SETTINGS.failureBackoffMinutes) * 60_000;
      const nextDue = Date.parse(outcome.page.nextDueAt ?? '');
      const problems = [
        outcome.batchItemFailures.length > 0 ? 'redelivered' : '',
        outcome.failures.length !== 1 ? `${outcome.failures.length} failure records` : '',
        failure && failure.kind !== testCase.kind ? `kind ${failure.kind}` : '',
        failure && !testCase.message.test(failure.message) ? `message "${failure.message}"` : '',
        outcome.revisionSeqs.join(',') !== '1' ? `revisions ${outcome.revisionSeqs.join(',')}` : '',
        outcome.page.lastDocumentHash !== outcome.baselineHash ? 'last document hash moved' : '',
        nextDue < outcome.attemptedFrom + dueIn - 1_000 || nextDue > outcome.attemptedTo + dueIn + 1_000
          ? `next due in ${round((nextDue - outcome.attemptedFrom) / 60_000, 1)} min`
          : '',
        outcome.ms > TOTAL_TIMEOUT_MS + 1_500 ? 'slow' : '',
      ].filter(Boolean);
      row({
        case: `hostile target: ${testCase.name}`,
        outcome:
          problems.length === 0
            ? `pass: ${testCase.kind}${failure?.httpStatus ? ` ${failure.httpStatus}` : ''}, retry in ${round((nextDue - outcome.attemptedFrom) / 60_000, 0)} min`
            : `FAIL: ${problems.join('; ')}`,
        runs: 1,
        ms: round(outcome.ms, 0),
        peak_MiB: round(outcome.peakMiB, 1),
      });
    }
  } finally {
    await rig.close();
  }
}

// 3. Fuzzing extraction and diff

function fuzzExtractionAndDiff(row: (fields: HardeningRow) => void): void {
  const pages = loadFuzzPages();
  const runs = numberFromEnv('HARDENING_FUZZ_RUNS', 500);
  const extractMs: number[] = [];
  const diffMs: number[] = [];
  const outcomes = new Map<string, number>();
  let started = performance.now();
  const html = fc.check(
    fc.property(fc.nat({ max: pages.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (pageIndex, mutations) => {
      const page = pages[pageIndex]!;
      let text = page.html;
      mutations.forEach((change, index) => {
        text = mutate(page, text, change, index === 0);
      });
      let document: Document;
      const began = performance.now();
      try {
        document = extract(text, { url: page.url });
      } catch (error) {
        if (!(error instanceof ExtractionError)) throw error;
        outcomes.set(error.reason, (outcomes.get(error.reason) ?? 0) + 1);
        return;
      } finally {
        extractMs.push(performance.now() - began);
      }
      outcomes.set('document', (outcomes.get('document') ?? 0) + 1);
      const problems = documentProblems(document);
      if (problems.length > 0) throw new Error(problems.join('; '));
      const diffStarted = performance.now();
      const diff = diffDocuments(page.document, document);
      diffMs.push(performance.now() - diffStarted);
      const diffIssues = diffProblems(page.document, document, diff);
      if (diffIssues.length > 0) throw new Error(diffIssues.join('; '));
      if (diffDocuments(document, document).sections.some((section) => section.kind !== 'unchanged')) throw new Error('diff(a, a) is not empty');
    }),
    { numRuns: runs },
  );
  row({
    case: 'fuzz: mutated corpus HTML -> extract, diff',
    outcome: html.failed ? `FAIL (seed ${html.seed}): ${String(html.errorInstance).slice(0, 300)}` : 'pass',
    runs: html.numRuns,
    ms: round(performance.now() - started, 0),
    p99_ms: round(percentile(extractMs, 0.99), 1),
    detail: `${[...outcomes].map(([name, count]) => `${name} ${count}`).join(', ')}; extract max ${round(Math.max(...extractMs), 0)} ms, diff p99 ${round(percentile(diffMs, 0.99), 1)} ms`,
  });

  const editDiffMs: number[] = [];
  started = performance.now();
  const edits = fc.check(
    fc.property(fc.nat({ max: pages.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 10 }), (pageIndex, changes) => {
      const before = pages[pageIndex]!.document;
      const after = structuredClone(before);
      for (const change of changes) applyEdit(after, change);
      const began = performance.now();
      const diff = diffDocuments(before, after);
      editDiffMs.push(performance.now() - began);
      const problems = diffProblems(before, after, diff);
      if (problems.length > 0) throw new Error(problems.join('; '));
    }),
    { numRuns: runs },
  );
  row({
    case: 'fuzz: random text edits -> diff counts vs reference',
    outcome: edits.failed ? `FAIL (seed ${edits.seed}): ${String(edits.errorInstance).slice(0, 300)}` : 'pass',
    runs: edits.numRuns,
    ms: round(performance.now() - started, 0),
    p99_ms: round(percentile(editDiffMs, 0.99), 1),
    detail: `diff max ${round(Math.max(...editDiffMs), 0)} ms`,
  });
}

// 4. API: validation fuzz, load, soak

async function apiUnderLoad(row: (fields: HardeningRow) => void): Promise<number> {
  const fixture = await startApiFixture();
  const client = rawClient(fixture.server.url);
  try {
    const statuses = new Map<number, number>();
    let started = performance.now();
    const fuzz = await fc.check(
      fc.asyncProperty(method, path, query, body, contentType, authorization, async (verb, target, search, payload, type, auth) => {
        const headers: Record<string, string> = {};
        if (type) headers['content-type'] = type;
        if (auth) headers.authorization = auth;
        const answer = await client.send({
          method: verb,
          path: `${target}${search}`,
          headers,
          ...(payload !== undefined && verb !== 'GET' && verb !== 'HEAD' ? { body: payload } : {}),
        });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const problems = answerProblems(answer, verb);
        if (problems.length > 0) throw new Error(`${verb} ${target}${search}: ${problems.join('; ')}`);
      }),
      { numRuns: numberFromEnv('HARDENING_FUZZ_RUNS', 500) },
    );
    row({
      case: 'API: validation fuzz (methods, paths, queries, bodies, credentials)',
      outcome: fuzz.failed ? `FAIL: ${String(fuzz.errorInstance).slice(0, 300)}` : 'pass: no 5xx, every 4xx explained',
      runs: fuzz.numRuns,
      ms: round(performance.now() - started, 0),
      detail: [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status}x${count}`)
        .join(' '),
    });

    const cannon = (seconds: number) => loadMix(fixture.server.url, seconds);

    started = performance.now();
    const load = await cannon(numberFromEnv('HARDENING_LOAD_SECONDS', 10));
    const loadErrors = load.errors + load.timeouts + load.non2xx;
    row({
      case: 'API: load, 10 connections, read-route mix',
      outcome: loadErrors === 0 ? 'pass: no errors' : `FAIL: ${load.errors} errors, ${load.timeouts} timeouts, ${load.non2xx} non-2xx`,
      runs: load.requests.total,
      ms: round(performance.now() - started, 0),
      p99_ms: load.latency.p99,
      detail: `p50 ${load.latency.p50} ms, ${round(load.requests.average, 0)} req/s`,
    });

    return load.latency.p99;
  } finally {
    client.close();
    await fixture.close();
  }
}

/** The read-route mix of the load test and the soak, 10 connections. */
const ROUTE_MIX = readRouteMix(TORTURE_KEY);

function loadMix(url: string, seconds: number) {
  return autocannon({ url, connections: 10, duration: seconds, timeout: 30, requests: ROUTE_MIX } as unknown as Parameters<typeof autocannon>[0]);
}

/**
 * The soak: the route mix for minutes against the API server of this process, with dynalite and s3rver in a child
 * process (dynalite's own allocations grow with every request and would hide the API's). Heap and RSS of this
 * process after a forced GC at the start, every 30 s and at the end; the emulators' RSS for comparison.
 */
async function soak(row: (fields: HardeningRow) => void): Promise<{ heapGrowth: number; flat: boolean }> {
  const aws = await startAwsServersProcess();
  const dynamodb = new DynamoDBClient(localDynamoDbClientConfig(aws.endpoints.dynamodb, aws.region));
  const s3 = new S3Client(localS3ClientConfig(aws.endpoints.s3, aws.region));
  const dependencies: ApiDependencies = {
    revisions: new DynamoRevisionStore({ client: dynamodb, tableName: aws.tableName }),
    snapshots: new S3SnapshotStore({ client: s3, bucket: aws.bucketName }),
    subscriptions: new DynamoSubscriptionStore({ client: dynamodb, tableName: aws.tableName }),
    subscriptionGateway: new LocalSubscriptionGateway(),
    now: () => new Date(),
    settings: DEFAULT_TRACKER_SETTINGS,
    api: {},
  };
  await seedKazakhstan(dependencies);
  const server = await startApiServer({ handler: createApiHandler(dependencies, silentObservability('api')) });
  try {
    const soakSeconds = numberFromEnv('HARDENING_SOAK_SECONDS', 180);
    const memory = () => {
      globalThis.gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      return { heap: heapUsed / 2 ** 20, rss: rss / 2 ** 20 };
    };
    await loadMix(server.url, 10); // warm-up: JIT, caches, connection pools
    const start = memory();
    const emulatorsStart = aws.rssMiB();
    const samples = [start];
    let requestsTotal = 0;
    let errors = 0;
    const p99s: number[] = [];
    const started = performance.now();
    for (let elapsed = 0; elapsed < soakSeconds; elapsed += 30) {
      const result = await loadMix(server.url, Math.min(30, soakSeconds - elapsed));
      requestsTotal += result.requests.total;
      errors += result.errors + result.timeouts + result.non2xx;
      p99s.push(result.latency.p99);
      samples.push(memory());
    }
    const end = samples.at(-1)!;
    const heapGrowth = end.heap - start.heap;
    // Flat: within 10 MiB of the start after GC, and not climbing over the second half of the soak.
    const secondHalf = samples.slice(Math.floor(samples.length / 2));
    const flat = heapGrowth < 10 && secondHalf.at(-1)!.heap - secondHalf[0]!.heap < 5;
    row({
      case: `API: soak, ${soakSeconds} s at 10 connections (emulators in a child process)`,
      outcome:
        errors === 0 && flat ? 'pass: no errors, heap flat' : `FAIL: ${errors} errors, heap ${round(start.heap, 1)} -> ${round(end.heap, 1)} MiB`,
      runs: requestsTotal,
      ms: round(performance.now() - started, 0),
      p99_ms: Math.max(...p99s),
      memory: `heap ${round(start.heap, 1)} -> ${round(end.heap, 1)} MiB, rss ${round(start.rss, 0)} -> ${round(end.rss, 0)} MiB; emulators rss ${round(emulatorsStart, 0)} -> ${round(aws.rssMiB(), 0)} MiB`,
      detail: `heap after GC, every 30 s: ${samples.map((sample) => round(sample.heap, 1)).join(' ')} MiB`,
    });
    return { heapGrowth: round(heapGrowth, 1), flat };
  } finally {
    await server.close();
    dynamodb.destroy();
    s3.destroy();
    await aws.close();
  }
}

/** Kazakhstan 2022-2024 from the corpus, the 2024 page with three more revisions (torture section edits), captured recently. */
async function seedKazakhstan(dependencies: ApiDependencies): Promise<void> {
  let clock = Date.now() - 10 * 86_400_000;
  const record = async (page: string, document: Document) => {
    const stored = await dependencies.snapshots.putDocument(page, document);
    clock += 3_600_000;
    const outcome = await recordRevision(dependencies, { page, documentKey: stored.key, capturedAt: new Date(clock).toISOString() });
    if (outcome.outcome !== 'recorded') throw new Error(`seeding ${page}: ${outcome.outcome}`);
  };
  for (const year of [2022, 2023, 2024]) {
    const page = (await addWatch(dependencies, { url: hrrUrl('kazakhstan', year) })).page.page;
    let document = corpusDocument('kazakhstan', year);
    await record(page, document);
    if (year !== 2024) continue;
    for (let revision = 2; revision <= 4; revision++) {
      document = editSection(document, TORTURE_KEY, (section) => {
        section.paragraphs[0]!.text += ` Observers documented case number ${revision} in pretrial detention.`;
        return section;
      });
      await record(page, document);
    }
  }
}

// 5. npm audit

async function audit(row: (fields: HardeningRow) => void): Promise<void> {
  const started = performance.now();
  const output = await new Promise<string>((resolve) => {
    const child = spawn('npm', ['audit', '--omit=dev', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    child.on('error', () => resolve(''));
  });
  let outcome: string;
  let detail = '';
  try {
    const report = JSON.parse(output) as { metadata?: { vulnerabilities?: Record<string, number> }; message?: string; error?: { summary?: string } };
    const counts = report.metadata?.vulnerabilities;
    if (counts) {
      outcome =
        (counts.high ?? 0) + (counts.critical ?? 0) === 0 ? 'pass: no high or critical' : `FAIL: ${counts.high} high, ${counts.critical} critical`;
      detail = Object.entries(counts)
        .map(([severity, count]) => `${severity} ${count}`)
        .join(', ');
    } else {
      outcome = 'not run: the advisory endpoint refused the request';
      detail = (report.message ?? report.error?.summary ?? '').slice(0, 200);
    }
  } catch {
    outcome = 'not run: no answer from npm audit';
  }
  row({ case: 'npm audit --omit=dev', outcome, runs: 1, ms: round(performance.now() - started, 0), detail });
}

if (process.env[CHILD_FLAG] === '1' && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runHardening();
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
  // Undici keep-alive pools and the like: the result is out, end now.
  process.exit(0);
}
