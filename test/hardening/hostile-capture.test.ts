import { jest } from '@jest/globals';
import net from 'node:net';
import tls from 'node:tls';
import type { CaptureMessage } from '../../shared/ports/capture-queue.js';
import { capturePage } from '../../shared/use-cases/capture-page.js';
import { dispatchDue } from '../../shared/use-cases/dispatch-due.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { BODY_CAP, GOOD_PATH, HOSTILE_CASES, startHostileRig, type HostileRig } from './support/hostile-rig.js';

/**
 * Hostile fetch targets end to end: the capture HANDLER (SQS batch semantics) with the real HttpFetcher, over
 * dynalite and s3rver (support/hostile-rig.ts). test/adapters/http-fetcher.test.ts proves the fetcher classifies
 * each hostile response; this proves what the pipeline then does, for every case of the issue:
 * - a capture-failure item with a clear kind and message, the page's failure count up, and nothing else changed:
 *   the page keeps its one baseline revision and its last document hash, and no Document is stored;
 * - bounded memory (sampled: the 1 GiB gzip bomb and the endless body stay within a few MiB of the 2 MiB body
 *   cap) and bounded bytes (the endless body is left soon after the cap); no outcome depends on the machine's speed:
 *   the cases about time run against servers that never finish, every other case under time caps far above its
 *   needs (support/hostile-rig.ts), and a size case is classified by bytes over the cap;
 * - no crash loop: the handler reports no batch item failure (SQS does not redeliver; the failure is recorded and
 *   the page rescheduled), and nextDueAt moves out with exponential backoff, or to Retry-After when that is later;
 *   dispatch does not pick the page again before then.
 * Only 127.0.0.1 is ever dialled (a spy refuses anything else), and *.test names resolve through a fake lookup.
 */
let rig: HostileRig;
const dials: string[] = [];

beforeAll(async () => {
  for (const [module, name] of [
    [net, 'connect'],
    [tls, 'connect'],
  ] as const) {
    const original = (module[name] as (...args: unknown[]) => unknown).bind(module);
    jest.spyOn(module, name).mockImplementation(((...args: unknown[]) => {
      const options = typeof args[0] === 'object' && args[0] !== null ? (args[0] as { host?: string }) : {};
      const host = options.host ?? (typeof args[1] === 'string' ? args[1] : undefined);
      dials.push(String(host));
      if (host !== undefined && host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') throw new Error(`refused a dial to ${host}`);
      return original(...args);
    }) as never);
  }
  rig = await startHostileRig();
}, 180_000);

afterAll(async () => {
  await rig?.close();
  jest.restoreAllMocks();
  expect(dials.filter((host) => host !== '127.0.0.1')).toEqual([]);
});

describe('a hostile response to a capture', () => {
  it.each(HOSTILE_CASES.map((testCase) => [testCase.name, testCase] as const))(
    '%s: a failure record, no revision, no retry storm',
    async (_name, testCase) => {
      rig.clock.now = () => new Date();
      const outcome = await rig.run(testCase);

      // Consumed, not redelivered: the failure is data, not an error of the worker.
      expect(outcome.batchItemFailures).toEqual([]);
      expect(outcome.failures).toHaveLength(1);
      expect(outcome.failures[0]).toMatchObject({ kind: testCase.kind, url: testCase.url(rig) });
      expect(outcome.failures[0]!.message).toMatch(testCase.message);
      expect(outcome.failures[0]!.httpStatus).toBe(testCase.httpStatus);

      expect(outcome.page).toMatchObject({ consecutiveFailures: 1, lastDocumentHash: outcome.baselineHash });
      const dueIn = (testCase.dueInMinutes ?? DEFAULT_TRACKER_SETTINGS.failureBackoffMinutes) * 60_000;
      const nextDue = Date.parse(outcome.page.nextDueAt!);
      // Retry-After dates are whole seconds: allow one either side.
      expect(nextDue).toBeGreaterThanOrEqual(outcome.attemptedFrom + dueIn - 1_000);
      expect(nextDue).toBeLessThanOrEqual(outcome.attemptedTo + dueIn + 1_000);

      expect(outcome.revisionSeqs).toEqual([1]);
      expect(outcome.documents).toBe(1);
      expect(outcome.peakMiB).toBeLessThan(64);
    },
  );

  it('stopped reading the endless body soon after the cap', () => {
    // What the endless route managed to write before the reader hung up (socket buffers included).
    expect(rig.site.bytesWritten.get('/endless')).toBeLessThan(BODY_CAP + 16 * 1024 * 1024);
  });
});

describe('charsets', () => {
  it('captures a page declared UTF-8 but written in windows-1252 as a trivial revision (punctuation only), so default subscriptions stay quiet', async () => {
    rig.clock.now = () => new Date();
    const { page } = await rig.pageWithBaseline();
    const moved = await rig.pointAt(page, rig.site.url('/wrong-charset'));
    const captured = await capturePage(rig.dependencies, rig.message(moved));
    expect(captured.outcome).toBe('captured');
    const recorded = await recordRevision(rig.dependencies, {
      page: page.page,
      documentKey: (captured as { documentKey: string }).documentKey,
      capturedAt: new Date(Date.now() + 1_000).toISOString(),
    });
    expect(recorded.outcome).toBe('recorded');
    const revision = (recorded as Extract<typeof recorded, { outcome: 'recorded' }>).revision;
    expect(revision.summary).toMatchObject({ added: 0, removed: 0, wordsAdded: 0, wordsRemoved: 0, significance: 0, trivial: true });
    expect(revision.sections.length).toBeGreaterThan(0);
    expect(revision.sections.every((section) => section.trivial === 'punctuation')).toBe(true);
  });

  it.each([
    ['a charset only in <meta> (windows-1252 bytes)', '/meta-charset'],
    ['no charset anywhere (UTF-8 bytes)', '/no-charset'],
  ])('reads %s as the same text: no revision', async (_name, path) => {
    rig.clock.now = () => new Date();
    const { page } = await rig.pageWithBaseline();
    const captured = await capturePage(rig.dependencies, rig.message(await rig.pointAt(page, rig.site.url(path))));
    // Another URL makes another Document (its url field); its sections are the baseline's to the letter.
    expect(captured.outcome).toBe('captured');
    const recorded = await recordRevision(rig.dependencies, {
      page: page.page,
      documentKey: (captured as { documentKey: string }).documentKey,
      capturedAt: new Date(Date.now() + 1_000).toISOString(),
    });
    expect(recorded.outcome).toBe('no-change');
  });
});

describe('a page that keeps failing', () => {
  it('moves out with exponential backoff capped at its interval, is not dispatched before it is due, alerts once, and recovers', async () => {
    let now = Date.parse('2025-06-01T00:00:00.000Z');
    rig.clock.now = () => new Date(now);
    const interval = 24 * 60;
    const { page } = await rig.pageWithBaseline(interval);
    const failing = await rig.pointAt(page, rig.site.url('/unavailable'));
    const dispatch = async (at: number) => {
      const enqueued: CaptureMessage[] = [];
      now = at;
      await dispatchDue(
        { ...rig.dependencies, captureQueue: { enqueue: async (messages) => void enqueued.push(...messages) } },
        { pages: [page.page] },
      );
      return enqueued.map((entry) => entry.page);
    };

    const gaps: number[] = [];
    let dueAt = Date.parse(failing.nextDueAt!);
    for (let attempt = 0; attempt < 9; attempt++) {
      expect(await dispatch(dueAt)).toEqual([page.page]);
      // Dispatched and not yet checked: not enqueued twice.
      expect(await dispatch(dueAt)).toEqual([]);
      expect((await rig.captureThroughHandler(failing)).batchItemFailures).toEqual([]);
      const state = (await rig.dependencies.revisions.getPage(page.page))!;
      expect(state.consecutiveFailures).toBe(attempt + 1);
      const next = Date.parse(state.nextDueAt!);
      gaps.push((next - dueAt) / 60_000);
      // A minute before it is due, the page stays put: no crash loop.
      expect(await dispatch(next - 60_000)).toEqual([]);
      dueAt = next;
    }
    // The first retries come when the backoff says, not only after the hour-long redispatch delay.
    expect(gaps).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
    const alerts = rig.notifications.notifications.filter((notification) => notification.type === 'alert' && notification.page === page.page);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'http-status', httpStatus: 503, consecutiveFailures: DEFAULT_TRACKER_SETTINGS.failureAlertThreshold });

    // The site comes back: one check resets the count and the schedule.
    await rig.pointAt(page, rig.site.url(GOOD_PATH));
    expect(await dispatch(dueAt)).toEqual([page.page]);
    expect(await capturePage(rig.dependencies, rig.message(page))).toMatchObject({ outcome: 'unchanged' });
    const recovered = (await rig.dependencies.revisions.getPage(page.page))!;
    expect(recovered.consecutiveFailures).toBe(0);
    expect(Date.parse(recovered.nextDueAt!) - dueAt).toBe(interval * 60_000);
    expect((await rig.dependencies.revisions.listFailures(page.page, { limit: 100 })).items).toHaveLength(9);
    expect((await rig.dependencies.revisions.listRevisions(page.page)).items).toHaveLength(1);
  });
});
