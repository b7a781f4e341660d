import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { claimLocalStore } from '../../cli/store-selection.js';
import type { RevisionDiff } from '../../shared/domain/revision-diff.js';
import type { RevisionRecord } from '../../shared/domain/revision-records.js';
import type { CaptureOutcome } from '../../shared/use-cases/capture-page.js';
import { RedlineError } from '../../shared/errors.js';
import { describeCapture, describeNotification, describeRevision, describeSections, line, seconds, truncate } from './demo-output.js';
import { startLocalRuntime, type CycleReport, type LocalRuntime } from '../runtime/local-runtime.js';
import { startReportSite, type ReportSite } from './report-site.js';
import { RuntimeClock } from '../runtime/runtime-clock.js';
import { DEMO_CYCLES, DEMO_FAILURE_ALERT_THRESHOLD, DEMO_SCHEDULE, DEMO_VALIDATORS, DEMO_WATCHES, describeSiteChange } from './site-schedule.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

/**
 * `npm start`: the whole event flow on this machine, with no network and no AWS account. It starts dynalite,
 * s3rver, a local copy of the State Department report site and a webhook receiver, watches a few pages, and runs
 * DEMO_CYCLES capture cycles (one simulated day each) while the site edits pages, rotates its chrome, publishes a
 * new edition and fails now and then.
 *
 * Data: `.redline/` by default. The demo owns it: every run starts from empty data (dynamodb/, s3/, logs/ and
 * exports/ are removed first) so the story is the same each time. `--keep-data` carries on from what is stored
 * instead (the site after its scheduled changes, the clock after the last check: the pages are found unchanged),
 * and `--data-dir` picks another folder. A folder in use by a running `npm run dev` is never reset.
 *
 * `--keep-running` (npm run dev): afterwards everything keeps serving, and every `--tick-seconds` (default 30) is
 * another simulated day: the scheduler dispatches what is due while the site moves on a cycle. Ctrl-C stops it.
 */
const { values: args } = parseArgs({
  options: {
    'keep-running': { type: 'boolean', default: false },
    'keep-data': { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: '.redline' },
    'tick-seconds': { type: 'string', default: '30' },
    'site-port': { type: 'string', default: '4380' },
    'api-port': { type: 'string', default: '4381' },
  },
  strict: true,
});

const DAY_MINUTES = 24 * 60;
const started = performance.now();
const out = (text = ''): void => {
  process.stdout.write(`${text}\n`);
};
const elapsed = () => `[${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s]`;

// The handlers' logs go to the log file, not the terminal; EMF metrics are not published locally.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const dataDir = resolve(args['data-dir']);
const shown = (path: string) => relative(process.cwd(), path) || '.';

let site: ReportSite | undefined;
let receiver: WebhookReceiver | undefined;
let runtime: LocalRuntime | undefined;
let releaseOwnership: (() => Promise<void>) | undefined;

async function main(): Promise<void> {
  out('redline local demo: the AWS event flow on one machine (dynalite, s3rver, in-process queues and stream)');
  await prepareDataDir();

  const secret = randomBytes(24).toString('base64url');
  site = await startReportSite({
    schedule: DEMO_SCHEDULE,
    pageValidators: DEMO_VALIDATORS,
    port: Number(args['site-port']),
    fallbackToFreePort: true,
  });
  receiver = await startWebhookReceiver({ secret });
  // The clock starts DEMO_CYCLES days ago, so the last cycle is about now.
  const clock = new RuntimeClock({ start: new Date(Date.now() - DEMO_CYCLES * DAY_MINUTES * 60_000) });
  const consoleLines: string[] = [];
  runtime = await startLocalRuntime({
    dataDir,
    clock,
    allowedOrigins: [site.origin],
    console: { write: (text: string) => consoleLines.push(text.trimEnd()) },
    settings: { failureAlertThreshold: DEMO_FAILURE_ALERT_THRESHOLD },
    writeRuntimeFile: true,
    api: { port: Number(args['api-port']), allowedUrlOrigins: [receiver.origin] },
  });
  const live = runtime;
  const api = live.api!;
  out(`${elapsed()} started in ${seconds(performance.now() - started)}:`);
  out(line('dynamodb', `${live.servers.endpoints.dynamodb}  (dynalite, data in ${shown(join(dataDir, 'dynamodb'))})`));
  out(line('s3', `${live.servers.endpoints.s3}  (s3rver, bucket "${live.servers.bucketName}" in ${shown(join(dataDir, 's3'))})`));
  out(line('api', `${api.url}  (the same api handler as Lambda; write routes take the bearer token in ${shown(join(dataDir, 'runtime.json'))})`));
  out(line('site', `${site.origin}  (corpus pages at state.gov paths; chrome changes on every request)`));
  out(line('webhooks', `${receiver.origin}  (verifies the HMAC signature of every delivery)`));

  const rawKeys = new Map<string, string>();
  const printLive = followActivity(live, receiver, consoleLines, rawKeys);

  out();
  out(`watching ${DEMO_WATCHES.length} pages (POST /watches):`);
  for (const page of DEMO_WATCHES) {
    const { page: record } = (await callApi(api, 'POST', '/watches', { url: site.url(page.country, page.year) })) as {
      page: { page: string; url: string };
    };
    out(`  ${record.page.padEnd(22)}${record.url}`);
  }
  if (args['keep-data']) await continueFromStoredData(live, site, clock, api);
  out('subscriptions (POST /subscriptions; delivered in process with the filters SNS would apply):');
  for (const [path, filters, what] of [
    ['/hooks/all', { includeTrivial: true }, 'everything'],
    ['/hooks/civil-liberties', { sectionPrefixes: ['respect-for-civil-liberties'] }, 'Section 2 (civil liberties) only, no trivial edits'],
  ] as const) {
    const { subscription } = (await callApi(api, 'POST', '/subscriptions', {
      filters,
      delivery: { type: 'webhook', url: receiver.url(path), secret },
    })) as { subscription: { id: string } };
    out(`  webhook ${path.padEnd(24)} ${what}  (subscription ${subscription.id.slice(0, 8)}…)`);
  }
  out('  console                         every notification, as lines');

  const reports: CycleReport[] = [];
  for (let cycle = 1; cycle <= DEMO_CYCLES; cycle++) {
    const changes = site.advance();
    if (cycle > 1) clock.advanceMinutes(DAY_MINUTES);
    out();
    out(`${elapsed()} cycle ${cycle} of ${DEMO_CYCLES} (site cycle ${site.cycle}), simulated time ${clock.now().toISOString().slice(0, 16)}Z`);
    if (changes.length === 0) out(line('site', site.cycle === 1 ? 'baseline: the pages as published' : 'no edits (chrome only)'));
    for (const change of changes) out(line('site', describeSiteChange(change)));
    printLive.enabled = true;
    const report = await live.runCycle();
    printLive.enabled = false;
    await printLive.flush();
    reports.push(report);
    out(line('done', cycleSummary(report)));
  }

  await showApi(api);
  await summary(live, reports, rawKeys);

  if (!args['keep-running']) return;
  const tickMs = Math.max(1, Number(args['tick-seconds'])) * 1000;
  out();
  out(
    `dev mode: serving until Ctrl-C. Every ${tickMs / 1000} s is one simulated day: the site moves on a cycle and the scheduler dispatches what is due.`,
  );
  printLive.enabled = true;
  const tick = setInterval(() => {
    site!.advance();
    clock.advanceMinutes(DAY_MINUTES);
    out(`${elapsed()} day ${clock.now().toISOString().slice(0, 10)} (site cycle ${site!.cycle})`);
    live.dispatch().catch((error: unknown) => out(line('error', String(error))));
  }, tickMs);
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      clearInterval(tick);
      resolveStop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  printLive.enabled = false;
  out('stopping (work in flight finishes first)...');
}

/**
 * Live progress lines from the runtime's activity, the console subscriber and the webhook receiver. Lines go
 * through one promise chain, so a revision (whose section numbers are read from its diff in S3) prints before the
 * notification that follows it.
 */
function followActivity(live: LocalRuntime, webhooks: WebhookReceiver, consoleLines: string[], rawKeys: Map<string, string>) {
  let chain: Promise<void> = Promise.resolve();
  const state = { enabled: false, flush: (): Promise<void> => chain };
  const print = (lines: () => string[] | Promise<string[]>) => {
    if (!state.enabled) return;
    chain = chain.then(async () => out((await lines()).join('\n'))).catch((error: unknown) => out(line('error', String(error))));
  };
  live.onActivity((activity) => {
    switch (activity.type) {
      case 'capture': {
        const outcome: CaptureOutcome = activity.outcome;
        if (outcome.outcome === 'captured') rawKeys.set(outcome.documentHash, outcome.rawKey);
        const { tag, text } = describeCapture(outcome);
        return print(() => [line(tag, text)]);
      }
      case 'revision':
        return print(() => revisionLines(live, activity.revision));
      case 'no-revision':
        if (activity.outcome !== 'no-change') return;
        return print(() => [line('diff', `${activity.page}  new document, but no section changed (markup or metadata only): no revision`)]);
      case 'notification': {
        const text = describeNotification(activity.notification);
        return print(() => [line('notify', text), ...consoleLines.splice(0).map((entry) => line('console', entry, 4))]);
      }
      case 'retry':
        return print(() => [
          line(
            'retry',
            `${activity.source}: ${activity.messageIds.length} message(s) will be redelivered${activity.error ? ` (${activity.error})` : ''}`,
          ),
        ]);
      case 'dead-letter':
        return print(() => [line('DLQ', `${activity.source}: message ${activity.messageId} moved to the dead-letter queue`)]);
      case 'error':
        return print(() => [line('error', `${activity.where}: ${activity.message}`)]);
      default:
        return;
    }
  });
  webhooks.onReceipt((receipt) => {
    const verdict = receipt.verified
      ? receipt.duplicate
        ? 'signature verified, duplicate id dropped'
        : 'signature verified'
      : 'REJECTED: bad signature';
    print(() => [line('webhook', `${receipt.path.padEnd(24)} ${receipt.id ?? '(no id)'}  ${verdict}`, 4)]);
  });
  return state;
}

/** The revision with its section summary; the section numbers come from the full diff in S3. */
async function revisionLines(live: LocalRuntime, revision: RevisionRecord): Promise<string[]> {
  let diff: RevisionDiff | undefined;
  if (revision.diffKey) diff = await live.dependencies.snapshots.getDiff(revision.diffKey).catch(() => undefined);
  return [line('revision', describeRevision(revision)), ...describeSections(revision.sections, diff).map((text) => line('', text, 4))];
}

function cycleSummary(report: CycleReport): string {
  const count = (outcome: CaptureOutcome['outcome']) => report.captures.filter((capture) => capture.outcome === outcome).length;
  const probes = report.dispatch.probes.length;
  return (
    `in ${seconds(report.durationMs)}: ${report.dispatch.dispatched.length} dispatched${probes ? ` + ${probes} probe(s)` : ''}; ` +
    `${count('captured')} captured, ${count('unchanged') + count('not-modified')} unchanged (${count('not-modified')} by 304), ` +
    `${count('failed')} failed; ${report.revisions.length} revision(s); ${report.notifications.length} notification(s)` +
    `${report.retries ? `; ${report.retries} redelivery(ies)` : ''}${report.deadLetters ? `; ${report.deadLetters} dead letter(s)` : ''}`
  );
}

/**
 * --keep-data: the site carries on after its scheduled changes (so the stored pages are still what it serves), the
 * clock after the last stored check, and the old subscriptions (to the last run's webhook receiver) are replaced.
 */
async function continueFromStoredData(live: LocalRuntime, site: ReportSite, clock: RuntimeClock, api: { url: string; token: string }): Promise<void> {
  site.setCycle(DEMO_CYCLES);
  const { items } = await live.dependencies.revisions.listPages({ limit: 500 });
  const lastCheck = Math.max(0, ...items.map((page) => Date.parse(page.lastCheckedAt ?? '') || 0));
  if (lastCheck > 0) clock.set(new Date(Math.max(lastCheck + DAY_MINUTES * 60_000, clock.now().getTime())));
  const { items: subscriptions } = (await callApi(api, 'GET', '/subscriptions?limit=100')) as { items: { id: string }[] };
  for (const subscription of subscriptions) await callApi(api, 'DELETE', `/subscriptions/${subscription.id}`);
  out(`continuing: ${items.length} stored pages, site from cycle ${DEMO_CYCLES + 1}, ${subscriptions.length} old subscription(s) replaced`);
}

async function callApi(api: { url: string; token: string }, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return response.headers.get('content-type')?.includes('json') && text !== '' ? JSON.parse(text) : text;
}

/** The API reads what the pipeline wrote: the first change of the demo, as a text diff. */
async function showApi(api: { url: string; token: string }): Promise<void> {
  const path = '/pages/hrr.kazakhstan.2023/diff?from=1&to=2&format=text';
  const text = String(await callApi(api, 'GET', path));
  out();
  out(`${elapsed()} GET ${path}`);
  for (const entry of text.split('\n').slice(0, 4)) out(`  ${truncate(entry, 160)}`);
}

async function summary(live: LocalRuntime, reports: CycleReport[], rawKeys: Map<string, string>): Promise<void> {
  const captures = reports.flatMap((report) => report.captures);
  const count = (outcome: CaptureOutcome['outcome']) => captures.filter((capture) => capture.outcome === outcome).length;
  const revisions = reports.flatMap((report) => report.revisions);
  const notifications = live.notifications.notifications;
  const byType = (type: string) => notifications.filter((notification) => notification.type === type).length;
  const accepted = (path: string) => receiver!.accepted(path).length;
  const rejected = receiver!.receipts.filter((receipt) => !receipt.verified).length;
  const pages = await live.dependencies.revisions.listPages({ limit: 100 });
  const probed = pages.items.filter((page) => page.origin === 'probe');
  const cyclesMs = reports.reduce((sum, report) => sum + report.durationMs, 0);

  out();
  out(`${elapsed()} summary`);
  out(line('cycles', `${reports.length} in ${seconds(cyclesMs)} (${seconds(cyclesMs / reports.length)} per cycle)`));
  out(
    line(
      'pages',
      `${pages.items.length} watched, ${probed.length} found by the new-edition probe (${probed.map((page) => page.page).join(', ') || 'none'})`,
    ),
  );
  out(
    line(
      'captures',
      `${count('captured')} stored, ${count('unchanged')} unchanged (chrome or markup only), ${count('not-modified')} not modified (304), ${count('failed')} failed, ${count('skipped')} probes that found nothing`,
    ),
  );
  out(
    line(
      'revisions',
      `${revisions.length} (${revisions.filter((revision) => revision.seq === 1).length} baselines, ${revisions.filter((revision) => revision.seq > 1).length} changes)`,
    ),
  );
  out(line('notified', `${notifications.length}: ${byType('revision')} revision, ${byType('new-edition')} new edition, ${byType('alert')} alert`));
  out(
    line(
      'webhooks',
      `/hooks/all ${accepted('/hooks/all')} delivered, /hooks/civil-liberties ${accepted('/hooks/civil-liberties')} delivered, all signatures verified${rejected ? ` except ${rejected} REJECTED` : ''}`,
    ),
  );
  const { captureDeadLetters, diffDeadLetters, streamFailures, provenanceStreamFailures } = live.queues;
  const deadLetters = captureDeadLetters.size + diffDeadLetters.size + streamFailures.size + provenanceStreamFailures.size;
  out(line('DLQs', `${deadLetters} message(s)`));
  const step = (label: string, keys: string[]) => {
    const ms = keys.reduce((sum, key) => sum + live.timings.total(key), 0);
    const calls = keys.reduce((sum, key) => sum + live.timings.count(key), 0);
    return `${label} ${seconds(ms)} (${calls})`;
  };
  out(
    line(
      'time',
      [
        step('fetch', ['fetcher.fetchPage']),
        step('S3 put', ['snapshots.putRaw', 'snapshots.putDocument', 'snapshots.putDiff', 'snapshots.putSectionLines']),
        step('S3 get', ['snapshots.getDocument']),
        step(
          'DynamoDB',
          [...live.timings.samples.keys()].filter((key) => key.startsWith('revisions.')),
        ),
        step('notify', ['notifier.publish']),
      ].join(', ') + '  (summed over concurrent calls; extraction and diffing are the rest)',
    ),
  );

  const exported = await exportExample(live, revisions, rawKeys);
  out();
  out('where to look next:');
  out(line('ui', `${live.api!.url}/ui  (the web UI: timelines, diffs, edition comparisons, audits; served while npm run dev runs)`));
  out(line('data', `${shown(dataDir)}/  (dynamodb/ LevelDB, s3/${live.servers.bucketName}/ objects: raw/, docs/, diffs/, sections/)`));
  out(line('logs', `${shown(live.logFile ?? join(dataDir, 'logs'))}  (the handlers' Powertools JSON logs)`));
  if (exported) {
    out(line('diff', `npx redline diff ${exported.before} ${exported.after}`));
    out(line('', `(${exported.what}; add --format html > diff.html for a page to open)`, 2));
  }
  out(line('outline', `npx redline extract ${exported?.after ?? '<saved page>'}`));
  const api = live.api!;
  out(line('api', `npm run dev keeps it up at ${api.url}, then for example:`));
  for (const path of [
    '/pages',
    '/pages/hrr.kazakhstan.2022/revisions',
    '/pages/hrr.kazakhstan.2022/diff?from=1&to=2&format=html',
    '/series/hrr~kazakhstan/compare?from=2023&to=2024&format=text',
    '/feeds/all.atom',
  ]) {
    out(line('', `curl -s '${api.url}${path}'`, 4));
  }
  out(line('dev', 'npm run dev  (same demo, then everything keeps running: site, API, queues, scheduler)'));
  out(line('tests', 'npm test -- test/local  (the pipeline properties: duplicates, races, crashes, error pages)'));
  out();
  out(`${elapsed()} done in ${seconds(performance.now() - started)}`);
}

/** Writes the two captures of the first changed page as HTML files, for `npx redline diff`. */
async function exportExample(
  live: LocalRuntime,
  revisions: RevisionRecord[],
  rawKeys: Map<string, string>,
): Promise<{ before: string; after: string; what: string } | undefined> {
  const changed = revisions.find((revision) => revision.seq > 1 && revision.previousSeq !== undefined);
  if (!changed) return undefined;
  const previous = revisions.find((revision) => revision.page === changed.page && revision.seq === changed.previousSeq);
  const beforeKey = previous && rawKeys.get(previous.documentHash);
  const afterKey = rawKeys.get(changed.documentHash);
  if (!beforeKey || !afterKey) return undefined;
  const directory = join(dataDir, 'exports');
  await mkdir(directory, { recursive: true });
  const write = async (seq: number, key: string) => {
    const raw = await live.dependencies.snapshots.getRaw(key);
    const file = join(directory, `${changed.page}-rev${seq}.html`);
    await writeFile(file, raw.body);
    return shown(file);
  };
  return {
    before: await write(previous.seq, beforeKey),
    after: await write(changed.seq, afterKey),
    what: `revisions #${previous.seq} and #${changed.seq} of ${changed.page} as captured, chrome and all`,
  };
}

async function prepareDataDir(): Promise<void> {
  // One owner per store, as for every redline command (owner.lock): taken before anything in the folder is reset, so
  // a folder another process has open (an import, `redline serve`, another demo) is refused, never emptied under it.
  releaseOwnership = await claimLocalStore(dataDir, args['keep-running'] ? 'npm run dev' : 'npm start');
  const runtimeFile = join(dataDir, 'runtime.json');
  if (existsSync(runtimeFile)) {
    const { pid } = JSON.parse(readFileSync(runtimeFile, 'utf8')) as { pid?: number };
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(`${shown(dataDir)} is in use by a running local runtime (pid ${pid}): stop it, or pass --data-dir <another folder>`);
    }
  }
  if (args['keep-data']) {
    out(`data: ${shown(dataDir)}/ (kept from the last run: the site and the clock carry on after it)`);
    return;
  }
  await Promise.all(['dynamodb', 's3', 'logs', 'exports', 'runtime.json'].map((entry) => rm(join(dataDir, entry), { recursive: true, force: true })));
  out(`data: ${shown(dataDir)}/ (reset for the demo; --keep-data keeps it, --data-dir picks another folder)`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The runtime first (it waits for the invocations in flight), then what they talk to. */
async function shutdown(): Promise<void> {
  await runtime?.close().catch((error: unknown) => process.stderr.write(`closing the runtime: ${String(error)}\n`));
  await Promise.allSettled([site?.close(), receiver?.close()]);
  await releaseOwnership?.();
}

main()
  .then(shutdown)
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    // redline's own errors (a store in use) read as sentences; anything else with its stack.
    const shownError = error instanceof RedlineError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`\ndemo failed: ${shownError}\n`);
    await shutdown();
    process.exit(1);
  });
