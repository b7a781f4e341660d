import { allCorpusPages, type CorpusPageRef } from '../../local/demo/corpus-pages.js';
import { appendToFirstParagraph } from '../../local/demo/known-edits.js';
import { startLocalRuntime, type CycleReport, type LocalRuntime } from '../../local/runtime/local-runtime.js';
import { startReportSite, type ReportSite, type SiteChange } from '../../local/demo/report-site.js';
import { RuntimeClock } from '../../local/runtime/runtime-clock.js';
import { countRequests } from '../request-counter.js';
import { diffDocuments } from '../../shared/domain/diff-documents.js';
import { extract } from '../../shared/domain/extract.js';
import { round, type BenchRow, type SuiteResult } from '../bench-kit.js';

/**
 * (c) Local end-to-end throughput. Every corpus page is watched on the local report site; one cycle captures them
 * all (baselines); then every page gets one edit and a second cycle captures, diffs, records and notifies all of
 * them, through the real adapters on dynalite and s3rver and the same handlers as Lambda.
 *
 * Two runs:
 * - throughput: the runtime as configured (concurrent invocations), wall time per cycle -> pages per second;
 * - split by step: the second cycle again, one channel at a time (all captures, then all diffs, then all
 *   notifications), so that nothing overlaps and the timing wrappers around the ports measure each step exactly;
 *   extraction and diffing are the handler time the ports do not account for.
 * Both are compared with a reference measured in the same run: extracting and diffing the same pages in process.
 */
const DAY_MINUTES = 24 * 60;
const ADDED = 'This sentence was added for the pipeline benchmark.';

interface Fixture {
  site: ReportSite;
  runtime: LocalRuntime;
  clock: RuntimeClock;
  close(): Promise<void>;
}

async function startFixture(pages: CorpusPageRef[], mode: 'throughput' | 'split', serversThread = true): Promise<Fixture> {
  const schedule: SiteChange[] = pages.map((page) => ({ cycle: 2, page, type: 'edit', edits: [appendToFirstParagraph(ADDED)] }));
  // No validators: every check is a full fetch and extraction, as for a site that sends none.
  const site = await startReportSite({ schedule, validators: 'none' });
  const clock = new RuntimeClock({ start: new Date('2025-03-01T06:00:00Z') });
  try {
    const runtime = await startLocalRuntime({
      ephemeral: true,
      clock,
      allowedOrigins: [site.origin],
      settings: { probeNewEditions: false },
      requireListPaging: false,
      serversThread,
      startEventSources: mode === 'throughput',
      // For the split, one invocation at a time: no step's timing includes another step's work.
      ...(mode === 'split' ? { queues: { concurrency: 1 } } : {}),
    });
    for (const page of pages) await runtime.watch({ url: site.url(page.country, page.year) });
    return { site, runtime, clock, close: () => runtime.close().finally(() => site.close()) };
  } catch (error) {
    await site.close();
    throw error;
  }
}

export async function pipelineThroughputSuite(): Promise<SuiteResult> {
  const pages = allCorpusPages();
  const rows: BenchRow[] = [];

  // Throughput, everything running at once: the servers on their own thread (the runtime's default), then, for the
  // same run's comparison, in the handlers' thread (as before issue 13 §3).
  const { baseline, changed, notifiedMs, referenceMs, cpuMs, requests: cycle2Requests } = await throughputRun(pages, true);
  const inThread = await throughputRun(pages, false);
  rows.push(cycleRow('throughput, cycle 1: capture + baseline revision', baseline, pages.length));
  rows.push({
    ...cycleRow('throughput, cycle 2: capture + diff + revision + notify + provenance', changed, pages.length),
    cpu_ms_per_page: round(cpuMs / pages.length, 1),
  });
  rows.push({
    ...cycleRow("  the same, servers in the handlers' thread (serversThread: false)", inThread.changed, pages.length),
    cpu_ms_per_page: round(inThread.cpuMs / pages.length, 1),
    ratio: round(changed.durationMs > 0 ? inThread.changed.durationMs / changed.durationMs : 0, 3),
  });
  rows.push({
    suite: 'pipeline',
    case: 'throughput, cycle 2: until the last notification (provenance off the path)',
    pages: pages.length,
    ms: round(notifiedMs),
    pages_per_s: rate(pages.length, notifiedMs),
  });
  rows.push({
    suite: 'pipeline',
    case: `reference: extract + diff in process, no I/O`,
    pages: pages.length,
    ms: round(referenceMs),
    pages_per_s: rate(pages.length, referenceMs),
  });

  // The split by step: cycle 2 again, one channel at a time.
  const steps: [string, number, number][] = [];
  let serialMs = 0;
  const split = await startFixture(pages, 'split');
  try {
    const { runtime, site, clock } = split;
    runtime.startEventSources();
    site.advance();
    expectComplete(await runtime.runCycle({ timeoutMs: 300_000 }), pages.length, 0);
    await Promise.all(Object.values(runtime.eventSources).map((source) => source.stop()));
    site.advance();
    clock.advanceMinutes(DAY_MINUTES);

    const phase = async (start?: () => void) => {
      runtime.timings.clear();
      const started = performance.now();
      if (start) {
        start();
        await runtime.drain({ timeoutMs: 300_000 });
      } else {
        await runtime.dispatch();
      }
      const ms = performance.now() - started;
      serialMs += ms;
      return { ms, timings: new Map([...runtime.timings.samples].map(([key, values]) => [key, [...values]])) };
    };
    const stopAll = () => Promise.all(Object.values(runtime.eventSources).map((source) => source.stop()));

    const dispatch = await phase();
    steps.push([
      'dispatch: list the pages, mark 54 dispatched (DynamoDB)',
      dispatch.ms,
      count(dispatch.timings, (key) => key.startsWith('revisions.')),
    ]);

    const capture = await phase(() => runtime.eventSources.capture.start());
    await stopAll();
    const captureHandler = total(capture.timings, (key) => key === 'handler.redline-capture');
    const capturePorts = total(capture.timings, (key) => !key.startsWith('handler.'));
    steps.push([
      'capture: fetch from the local site',
      total(capture.timings, (key) => key === 'fetcher.fetchPage'),
      count(capture.timings, (key) => key === 'fetcher.fetchPage'),
    ]);
    steps.push(['capture: extract + handler code', captureHandler - capturePorts, pages.length]);
    steps.push([
      'capture: S3 put raw + Document',
      total(capture.timings, (key) => /^snapshots\.put/.test(key)),
      count(capture.timings, (key) => /^snapshots\.put/.test(key)),
    ]);
    steps.push([
      'capture: DynamoDB (page, latest revision, check)',
      total(capture.timings, (key) => key.startsWith('revisions.')),
      count(capture.timings, (key) => key.startsWith('revisions.')),
    ]);

    const diff = await phase(() => runtime.eventSources.diff.start());
    await stopAll();
    const diffHandler = total(diff.timings, (key) => key === 'handler.redline-diff');
    const diffPorts = total(diff.timings, (key) => !key.startsWith('handler.'));
    steps.push([
      'diff: S3 get both Documents',
      total(diff.timings, (key) => /^snapshots\.get/.test(key)),
      count(diff.timings, (key) => /^snapshots\.get/.test(key)),
    ]);
    steps.push(['diff: diff + handler code', diffHandler - diffPorts, pages.length]);
    steps.push([
      'diff: S3 put diff + section lines',
      total(diff.timings, (key) => /^snapshots\.put/.test(key)),
      count(diff.timings, (key) => /^snapshots\.put/.test(key)),
    ]);
    steps.push([
      'diff: DynamoDB (page, latest, revision put, check)',
      total(diff.timings, (key) => key.startsWith('revisions.')),
      count(diff.timings, (key) => key.startsWith('revisions.')),
    ]);
    steps.push(['diff: S3 event delivery + queue overhead (wall - handler)', diff.ms - diffHandler, 0]);

    const notify = await phase(() => runtime.eventSources.stream.start());
    await stopAll();
    steps.push([
      'notify: stream records -> notifications (handler)',
      total(notify.timings, (key) => key === 'handler.redline-revisions-stream'),
      pages.length,
    ]);

    // The provenance consumer: its own reading of the same stream (off the diff step since issue 13).
    const provenance = await phase(() => runtime.eventSources.provenance.start());
    await stopAll();
    const provenanceMs = total(provenance.timings, (key) => key === 'handler.redline-revisions-stream-provenance');
    steps.push(['provenance: stream records -> index updates (handler)', provenanceMs, pages.length]);
    if (runtime.notifications.notifications.length !== pages.length)
      throw new Error(`expected ${pages.length} notifications, got ${runtime.notifications.notifications.length}`);
  } finally {
    await split.close();
  }
  for (const [step, ms, calls] of steps) {
    rows.push({
      suite: 'pipeline',
      case: `step: ${step}`,
      ms: round(ms),
      calls,
      ms_per_page: round(ms / pages.length),
      share: round(ms / serialMs, 3),
    });
  }
  rows.push({
    suite: 'pipeline',
    case: 'one channel at a time, cycle 2 total',
    pages: pages.length,
    ms: round(serialMs),
    pages_per_s: rate(pages.length, serialMs),
  });

  const ratio = changed.durationMs / referenceMs;
  return {
    suite: 'pipeline',
    rows,
    summary: {
      pages: pages.length,
      baseline_pages_per_s: rate(pages.length, baseline.durationMs),
      changed_pages_per_s: rate(pages.length, changed.durationMs),
      changed_notified_pages_per_s: rate(pages.length, notifiedMs),
      changed_pages_per_s_servers_in_thread: rate(pages.length, inThread.changed.durationMs),
      // Cycle 2 with the servers on their own thread, against in the handlers' thread, same run (> 1: faster).
      servers_thread_speedup: round(inThread.changed.durationMs / changed.durationMs, 3),
      cpu_ms_per_page: round(cpuMs / pages.length, 1),
      cpu_ms_per_page_servers_in_thread: round(inThread.cpuMs / pages.length, 1),
      one_at_a_time_pages_per_s: rate(pages.length, serialMs),
      reference_pages_per_s: rate(pages.length, referenceMs),
      pipeline_over_reference: round(ratio, 2),
      // Cycle 2's round trips per page (every function's: capture, diff, notify, provenance), by operation and method.
      ...Object.fromEntries(
        (['dynamodb', 's3'] as const).flatMap((service) => [
          [`${service}_requests_per_page`, round(Object.values(cycle2Requests[service]).reduce((sum, count) => sum + count, 0) / pages.length, 2)],
          ...Object.entries(cycle2Requests[service]).map(([operation, count]) => [
            `${service}_${operation}_per_page`,
            round(count / pages.length, 2),
          ]),
        ]),
      ),
      // Everything runs in one Node process here (site, s3rver, dynalite, handlers): the embedded servers cost more
      // than the domain work, and the guard is against regressions of that overhead.
      target: 'a changed page through the whole local pipeline within 20x of extracting and diffing it in process',
      met: ratio <= 20,
    },
  };
}

/** Cycle 1 (baselines), then cycle 2 (every page edited) timed until drained and until its last notification. */
async function throughputRun(pages: CorpusPageRef[], serversThread: boolean) {
  const throughput = await startFixture(pages, 'throughput', serversThread);
  try {
    throughput.site.advance();
    const baseline = await throughput.runtime.runCycle({ timeoutMs: 300_000 });
    expectComplete(baseline, pages.length, 0);
    throughput.site.advance();
    throughput.clock.advanceMinutes(DAY_MINUTES);
    // When the last notification of the cycle went out: the hot path done, the provenance consumer may still be at work.
    let notified = 0;
    let notifiedMs = 0;
    const cycleStarted = performance.now();
    const stopListening = throughput.runtime.onActivity((activity) => {
      if (activity.type === 'notification') notifiedMs = performance.now() - cycleStarted;
      if (activity.type === 'notification') notified++;
    });
    // CPU time of the whole process (every thread's: the servers' worker included), which load hardly changes.
    const counter = countRequests(throughput.runtime.clients);
    const cpuBefore = process.cpuUsage();
    const changed = await throughput.runtime.runCycle({ timeoutMs: 300_000 });
    const cpu = process.cpuUsage(cpuBefore);
    stopListening();
    const requests = counter.counts();
    counter.detach();
    if (notified < pages.length) throw new Error(`expected ${pages.length} notifications, got ${notified}`);
    expectComplete(changed, pages.length, pages.length);
    const referenceMs = referenceTime(throughput.site, pages);
    return { baseline, changed, notifiedMs, referenceMs, cpuMs: (cpu.user + cpu.system) / 1000, requests };
  } finally {
    await throughput.close();
  }
}

/** Extract the edited version of every page and diff it with the original, in process (the originals pre-extracted). */
function referenceTime(site: ReportSite, pages: CorpusPageRef[]): number {
  const bodies = pages.map((page) => {
    site.setCycle(1);
    const before = site.contentHtml(page);
    site.setCycle(2);
    return { before, after: site.contentHtml(page), url: site.url(page.country, page.year) };
  });
  const originals = bodies.map(({ before, url }) => extract(before, { url }));
  const started = performance.now();
  for (const [index, { after, url }] of bodies.entries()) diffDocuments(originals[index]!, extract(after, { url }));
  return performance.now() - started;
}

function cycleRow(name: string, report: CycleReport, pages: number): BenchRow {
  return {
    suite: 'pipeline',
    case: name,
    pages,
    ms: round(report.durationMs),
    pages_per_s: rate(pages, report.durationMs),
    revisions: report.revisions.length,
    notifications: report.notifications.length,
  };
}

function expectComplete(report: CycleReport, pages: number, notifications: number): void {
  const captured = report.captures.filter((capture) => capture.outcome === 'captured').length;
  if (captured !== pages || report.revisions.length !== pages || report.notifications.length !== notifications || report.errors.length > 0) {
    throw new Error(
      `pipeline cycle incomplete: ${captured}/${pages} captured, ${report.revisions.length} revisions, ${report.notifications.length} notifications; ${report.errors.join('; ')}`,
    );
  }
}

function rate(pages: number, ms: number): number {
  return round(pages / (ms / 1000));
}

function total(timings: Map<string, number[]>, matches: (key: string) => boolean): number {
  let sum = 0;
  for (const [key, values] of timings) if (matches(key)) for (const value of values) sum += value;
  return sum;
}

function count(timings: Map<string, number[]>, matches: (key: string) => boolean): number {
  let sum = 0;
  for (const [key, values] of timings) if (matches(key)) sum += values.length;
  return sum;
}
