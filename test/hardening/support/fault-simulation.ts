import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { NotificationRecorder } from '../../../local/runtime/notification-recorder.js';
import { interceptPort, type PortCall } from '../../../local/runtime/port-interceptor.js';
import { canonicalJson, sha256Hex } from '../../../shared/adapters/s3/canonical-json.js';
import { snapshotKeys } from '../../../shared/adapters/s3/s3-snapshot-store.js';
import { ConflictError } from '../../../shared/errors.js';
import type { CaptureMessage } from '../../../shared/ports/capture-queue.js';
import type { Fetcher, FetchRequest, FetchResult } from '../../../shared/ports/fetcher.js';
import type { Notifier } from '../../../shared/ports/notifier.js';
import type { Notification } from '../../../shared/domain/notification.js';
import type { RevisionStore } from '../../../shared/ports/revision-store.js';
import type { RevisionRecord } from '../../../shared/domain/revision-records.js';
import type { SnapshotStore } from '../../../shared/ports/snapshot-store.js';
import { parseObjectCreated } from '../../../shared/runtime/event-parsing.js';
import { pageOfDocumentKey } from '../../../shared/adapters/s3/s3-snapshot-store.js';
import { addWatch } from '../../../shared/use-cases/add-watch.js';
import { capturePage } from '../../../shared/use-cases/capture-page.js';
import { dispatchDue } from '../../../shared/use-cases/dispatch-due.js';
import { notifyRevision } from '../../../shared/use-cases/notify-revision.js';
import { recordRevision } from '../../../shared/use-cases/record-revision.js';
import { DEFAULT_TRACKER_SETTINGS, type TrackerDependencies, type TrackerSettings } from '../../../shared/use-cases/tracker-dependencies.js';
import { reportHtml, reportUrl, VERSION_COUNT } from './report-versions.js';

/**
 * A discrete-event model of the pipeline's delivery semantics, driving the REAL use cases (capturePage,
 * recordRevision, notifyRevision, dispatchDue) over whatever stores a Backend provides:
 *
 *   dispatch -> capture queue -> capturePage -> S3 docs/ ObjectCreated -> diff queue -> recordRevision
 *            -> revision put -> stream -> notifyRevision -> subscriber
 *
 * Each queue is at least once, like SQS and DynamoDB streams: a message leaves its queue only after a delivery
 * succeeded, and a FaultPlan decides, step by step, which message of which queue is delivered next (reordering,
 * across pages and channels), whether a delivered message is delivered again (a duplicate, now or in a later
 * phase), whether two deliveries run at once (a race, possibly of the same message), and at which port call a
 * delivery's worker dies (before or after the call: the "crash between any two steps"). Backends with servers
 * can also be stopped and started again in the middle of a run, between deliveries or during one.
 *
 * Time moves in phases: in phase p the site serves version `versions[p]` of every page and the clock reads
 * START + p days; a phase ends when every queue is empty. The final state is a pure function of the versions
 * served, so it can be compared with a clean run (no faults, FIFO).
 */

export const START = Date.parse('2025-03-01T06:00:00.000Z');
const DAY_MS = 86_400_000;
export const SETTINGS: TrackerSettings = { ...DEFAULT_TRACKER_SETTINGS, probeNewEditions: false, defaultIntervalMinutes: 60 };

export interface Ports {
  revisions: RevisionStore;
  snapshots: SnapshotStore;
}

/** What the pipeline's events need from the storage side. */
export interface EventSink {
  /** The body of an SQS message carrying an EventBridge "Object Created" event (docs/ keys only). */
  objectCreated(body: string): void;
  /** A stream record's new image, as the notify handler parses it. */
  revision(revision: RevisionRecord): void;
}

export interface Backend {
  readonly name: string;
  /** The current stores (rebuilt by a restart). */
  ports(): Ports;
  connect(sink: EventSink, clock: () => Date): void;
  /** Waits for events that are emitted after a write returns (the local stream's read-back). */
  settle(): Promise<void>;
  listKeys(prefix: string): Promise<string[]>;
  readText(key: string): Promise<string>;
  /** Servers only: stop them (writes in flight fail), and start them again on the same data. */
  stop?(): Promise<void>;
  start?(): Promise<void>;
}

export interface Scenario {
  /** Unique per run where backends are shared between runs (page URLs are derived from it). */
  namespace: string;
  /** versions[page][phase]: the version the site serves. */
  versions: number[][];
}

export interface FaultStep {
  /** Which non-empty queue (modulo their number), and which message in it (modulo its length). */
  channel: number;
  pick: number;
  /** 0: no crash; n: the worker dies at the n-th port call of this delivery (if it makes that many). */
  crashAt: number;
  crashAfter: boolean;
  /** Deliver this message again after it succeeded: now (same phase) or in a later phase. */
  duplicate: boolean;
  late: boolean;
  /** Run a second delivery at the same time: of the same message when `pick` is even, else of another one. */
  concurrent: boolean;
}

export interface FaultPlan {
  steps: FaultStep[];
  /** Backends with servers: restart them before this step (or during its delivery, at its crash point). */
  restart?: { atStep: number; during: boolean };
}

export const CLEAN_PLAN: FaultPlan = { steps: [] };

export interface SimulationStats {
  deliveries: number;
  crashes: number;
  crashPoints: Map<string, number>;
  duplicates: number;
  lateDuplicates: number;
  races: number;
  restarts: number;
  /** Deliveries that failed with an error that was not injected (retried, as SQS would). */
  failedDeliveries: { channel: string; error: string }[];
  outcomes: Map<string, number>;
}

export interface SimulationResult {
  pages: string[];
  state: FinalState;
  notifications: Notification[];
  stats: SimulationStats;
}

export interface FinalState {
  pages: Record<
    string,
    {
      lastDocumentHash?: string;
      /** The page item's pointer at its latest revision (read by the whole-store audit instead of a query). */
      latestRevisionSeq?: number;
      latestDocumentKey?: string;
      consecutiveFailures: number;
      nextDueAt?: string;
      revisions: {
        seq: number;
        previousSeq?: number;
        documentHash: string;
        documentKey: string;
        diffKey?: string;
        sections: string[];
        summary: unknown;
      }[];
      docs: string[];
      /** Per stored Document (by hash): a fingerprint of its sections alone (what a revision compares). */
      sectionsOf: Record<string, string>;
      raw: string[];
      diffs: Record<string, string>;
      sectionLines: { key: string; documentHash: string; sections: string[] }[];
    }
  >;
}

export class InjectedCrash extends Error {
  constructor(readonly point: string) {
    super(`injected crash ${point}`);
    this.name = 'InjectedCrash';
  }
}

type Channel = 'capture' | 'diff' | 'stream';
const CHANNELS: readonly Channel[] = ['capture', 'diff', 'stream'];

interface Message {
  id: number;
  channel: Channel;
  body: CaptureMessage | string | RevisionRecord;
  crashes: number;
  duplicates: number;
  late: boolean;
  attempts: number;
}

/** Crashes per message are bounded, so every run ends; so are duplicates. */
const MAX_CRASHES_PER_MESSAGE = 2;
const MAX_ATTEMPTS = 30;
/** Synchronous port methods: a crash "at" them is not a suspension point of the worker. */
const SYNC_METHODS = new Set(['snapshots.documentHash']);

/** The site: every page's current version, served with a content ETag (so 304s happen too). */
class SiteFetcher implements Fetcher {
  readonly served = new Map<string, { html: string; etag: string }>();
  fetches = 0;

  constructor(private readonly clock: () => Date) {}

  serve(url: string, html: string): void {
    this.served.set(url, { html, etag: `"${createHash('sha1').update(html).digest('hex').slice(0, 16)}"` });
  }

  async fetchPage(request: FetchRequest): Promise<FetchResult> {
    this.fetches += 1;
    const current = this.served.get(request.url);
    if (!current) throw new Error(`the site has no ${request.url}`);
    if (request.etag === current.etag) return { status: 'not-modified', finalUrl: request.url, etag: current.etag };
    return {
      status: 'ok',
      finalUrl: request.url,
      body: Buffer.from(current.html, 'utf8'),
      text: current.html,
      contentType: 'text/html',
      charset: 'utf-8',
      etag: current.etag,
      httpStatus: 200,
      fetchedAt: this.clock().toISOString(),
    };
  }
}

export async function simulate(backend: Backend, scenario: Scenario, plan: FaultPlan): Promise<SimulationResult> {
  let now = START;
  const clock = () => new Date(now);
  const queues: Record<Channel, Message[]> = { capture: [], diff: [], stream: [] };
  let nextId = 1;
  const send = (channel: Channel, body: Message['body']) => {
    queues[channel].push({ id: nextId++, channel, body, crashes: 0, duplicates: 0, late: false, attempts: 0 });
  };
  backend.connect(
    {
      objectCreated: (body) => send('diff', body),
      revision: (revision) => send('stream', revision),
    },
    clock,
  );
  const site = new SiteFetcher(clock);
  const recorder = new NotificationRecorder(clock);
  const stats: SimulationStats = {
    deliveries: 0,
    crashes: 0,
    crashPoints: new Map(),
    duplicates: 0,
    lateDuplicates: 0,
    races: 0,
    restarts: 0,
    failedDeliveries: [],
    outcomes: new Map(),
  };
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  const dependencies = (ports: Ports, notifier: Notifier, fetcher: Fetcher): TrackerDependencies => ({
    revisions: ports.revisions,
    snapshots: ports.snapshots,
    fetcher,
    notifier,
    captureQueue: { enqueue: async (messages) => messages.forEach((message) => send('capture', message)) },
    now: clock,
    settings: SETTINGS,
  });

  // Watch every page (no faults: the API's write is not under test here).
  const urls = scenario.versions.map((_, index) => reportUrl(scenario.namespace, index));
  const pages: string[] = [];
  for (const url of urls) pages.push((await addWatch(dependencies(backend.ports(), recorder, site), { url })).page.page);

  let cursor = 0;
  let restartPending = plan.restart !== undefined;
  let needsStart = false;
  const late: Message[] = [];
  const phases = Math.max(...scenario.versions.map((versions) => versions.length));

  /** One delivery by one worker; the plan may kill the worker at one port call, or stop the servers there. */
  const deliver = async (message: Message, crash: { at: number; after: boolean; outage: boolean }): Promise<'ok' | 'crashed' | 'failed'> => {
    stats.deliveries += 1;
    message.attempts += 1;
    if (message.attempts > MAX_ATTEMPTS) throw new Error(`message ${message.id} (${message.channel}) still failing after ${MAX_ATTEMPTS} attempts`);
    let calls = 0;
    let fired: string | undefined;
    // A notification makes one port call (the publish): aim the stream's crashes at it or just after.
    if (message.channel === 'stream' && crash.at > 0 && !crash.outage) crash = { ...crash, at: 1 + ((crash.at - 1) % 2) };
    const interceptor = (call: PortCall) => {
      const name = `${call.port}.${call.method}`;
      if (SYNC_METHODS.has(name) || fired !== undefined) return call.proceed();
      calls += 1;
      if (calls !== crash.at) return call.proceed();
      if (crash.outage) {
        fired = `outage before ${name}`;
        // The servers go away under the worker: this call (and the rest of the delivery) fails on the network.
        return backend.stop!().then(() => {
          needsStart = true;
          return call.proceed();
        });
      }
      fired = `${name}:${crash.after ? 'after' : 'before'}`;
      if (!crash.after) return Promise.reject(new InjectedCrash(fired));
      return Promise.resolve(call.proceed()).then(() => {
        throw new InjectedCrash(fired!);
      });
    };
    const ports = backend.ports();
    const deps = dependencies(
      { revisions: interceptPort(ports.revisions, 'revisions', interceptor), snapshots: interceptPort(ports.snapshots, 'snapshots', interceptor) },
      interceptPort<Notifier>(recorder, 'notifier', interceptor),
      interceptPort<Fetcher>(site, 'fetcher', interceptor),
    );
    try {
      if (message.channel === 'capture') {
        count(stats.outcomes, `capture:${(await capturePage(deps, message.body as CaptureMessage)).outcome}`);
      } else if (message.channel === 'diff') {
        for (const object of parseObjectCreated(message.body as string)) {
          const page = pageOfDocumentKey(object.key);
          if (!page) continue;
          count(stats.outcomes, `diff:${(await recordRevision(deps, { page, documentKey: object.key, capturedAt: object.time })).outcome}`);
        }
      } else {
        count(stats.outcomes, `notify:${(await notifyRevision(deps, message.body as RevisionRecord)).length}`);
      }
      return 'ok';
    } catch (error) {
      if (error instanceof InjectedCrash) {
        stats.crashes += 1;
        count(stats.crashPoints, error.point);
        return 'crashed';
      }
      if (fired?.startsWith('outage')) {
        count(stats.crashPoints, fired);
        return 'crashed';
      }
      // An error of the pipeline's own: the queue retries it. Five lost races in a row is a legitimate one.
      stats.failedDeliveries.push({ channel: message.channel, error: error instanceof ConflictError ? 'ConflictError' : String(error) });
      if (process.env.SIM_DEBUG) console.error(message.channel, error);
      return 'failed';
    }
  };

  const remove = (message: Message) => {
    const queue = queues[message.channel];
    const index = queue.indexOf(message);
    if (index !== -1) queue.splice(index, 1);
  };

  const settle = (message: Message, step: FaultStep | undefined, result: 'ok' | 'crashed' | 'failed') => {
    if (result === 'crashed') {
      message.crashes += 1;
      return;
    }
    if (result === 'failed') return;
    if (step?.late && !message.late) {
      message.late = true;
      late.push({ ...message, id: nextId++, attempts: 0, crashes: MAX_CRASHES_PER_MESSAGE, duplicates: 1 });
    }
    if (step?.duplicate && message.duplicates < 1) {
      message.duplicates += 1;
      stats.duplicates += 1;
      return;
    }
    remove(message);
  };

  for (let phase = 0; phase < phases; phase++) {
    now = START + phase * DAY_MS;
    scenario.versions.forEach((versions, index) => site.serve(urls[index]!, reportHtml(index, versions[Math.min(phase, versions.length - 1)]!)));
    // Only this run's pages: a backend with servers is shared by many runs.
    await dispatchDue(dependencies(backend.ports(), recorder, site), { pages });
    // Late duplicates of earlier phases' messages arrive among this phase's.
    for (const message of late.splice(0)) {
      stats.lateDuplicates += 1;
      queues[message.channel].push(message);
    }

    for (;;) {
      const open = CHANNELS.filter((channel) => queues[channel].length > 0);
      if (open.length === 0) break;
      const step = plan.steps[cursor];
      cursor += 1;
      if (needsStart) {
        await backend.start!();
        needsStart = false;
      }
      const restartNow = restartPending && plan.restart!.atStep <= cursor - 1;
      if (restartNow && !plan.restart!.during) {
        restartPending = false;
        stats.restarts += 1;
        await backend.settle();
        await backend.stop!();
        await backend.start!();
      }
      if (!step) {
        // Past the plan: FIFO, no faults, until the phase drains.
        const message = queues[open[0]!][0]!;
        settle(message, undefined, await deliver(message, { at: 0, after: false, outage: false }));
        await backend.settle();
        continue;
      }
      const channel = open[step.channel % open.length]!;
      const message = queues[channel][step.pick % queues[channel].length]!;
      const outage = restartNow && plan.restart!.during;
      if (outage) {
        restartPending = false;
        stats.restarts += 1;
      }
      const crashAllowed = message.crashes < MAX_CRASHES_PER_MESSAGE || outage;
      const crash = { at: crashAllowed ? (outage ? 1 + (step.crashAt % 4) : step.crashAt) : 0, after: step.crashAfter, outage };
      if (step.concurrent && !outage) {
        stats.races += 1;
        const all = CHANNELS.flatMap((name) => queues[name]);
        const other =
          step.pick % 2 === 0 || all.length === 1 ? message : all.filter((candidate) => candidate !== message)[step.pick % (all.length - 1)]!;
        const [first, second] = await Promise.all([deliver(message, crash), deliver(other, { at: 0, after: false, outage: false })]);
        await backend.settle();
        settle(message, step, first);
        if (other !== message) settle(other, undefined, second);
        else if (second === 'ok' && first !== 'ok') remove(message);
      } else {
        const result = await deliver(message, crash);
        if (needsStart) {
          await backend.start!();
          needsStart = false;
        } else if (outage) {
          // The delivery made fewer port calls than the outage point: restart after it instead.
          await backend.settle();
          await backend.stop!();
          await backend.start!();
        }
        await backend.settle();
        settle(message, step, result);
      }
    }
  }
  if (needsStart) await backend.start!();
  if (restartPending) throw new Error(`the planned restart at step ${plan.restart!.atStep} never came (${cursor} steps)`);
  // Late duplicates still pending arrive after the last phase.
  for (const message of late.splice(0)) {
    stats.lateDuplicates += 1;
    settle(message, undefined, await deliver(message, { at: 0, after: false, outage: false }));
    await backend.settle();
  }

  return { pages, state: await finalState(backend, pages), notifications: recorder.deliveries.map((delivery) => delivery.notification), stats };
}

/** Everything the pipeline leaves behind for these pages, in a comparable form. */
export async function finalState(backend: Backend, pages: readonly string[]): Promise<FinalState> {
  const { revisions } = backend.ports();
  const state: FinalState = { pages: {} };
  for (const page of pages) {
    const record = await revisions.getPage(page);
    const items = (await revisions.listRevisions(page, { newestFirst: false, limit: 500 })).items;
    const diffs: Record<string, string> = {};
    for (const key of await backend.listKeys(`diffs/${page}/`)) diffs[key] = sha256Hex(await backend.readText(key));
    const docs = await backend.listKeys(`docs/${page}/`);
    const sectionsOf: Record<string, string> = {};
    for (const key of docs) {
      // Content-addressed: the key names the sha256 of the canonical JSON stored under it.
      const document = JSON.parse(await backend.readText(key)) as { sections: unknown };
      const hash = sha256Hex(canonicalJson(document));
      if (key !== `docs/${page}/${hash}.json`) throw new Error(`${key} holds a Document whose hash is ${hash}`);
      sectionsOf[hash] = sha256Hex(canonicalJson(document.sections)).slice(0, 16);
    }
    const sectionLines: FinalState['pages'][string]['sectionLines'] = [];
    // The pages here have no series or edition: one Athena partition.
    for (const key of await backend.listKeys(snapshotKeys.sectionLines(page, undefined, undefined))) {
      const lines = (await backend.readText(key))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { documentHash: string; key: string });
      const hashes = [...new Set(lines.map((line) => line.documentHash))];
      if (hashes.length !== 1) throw new Error(`${key} mixes Documents ${hashes.join(', ')}`);
      sectionLines.push({ key, documentHash: hashes[0]!, sections: lines.map((line) => line.key) });
    }
    state.pages[page] = {
      ...(record?.lastDocumentHash ? { lastDocumentHash: record.lastDocumentHash } : {}),
      ...(record?.latestRevisionSeq !== undefined ? { latestRevisionSeq: record.latestRevisionSeq } : {}),
      ...(record?.latestDocumentKey !== undefined ? { latestDocumentKey: record.latestDocumentKey } : {}),
      consecutiveFailures: record?.consecutiveFailures ?? -1,
      ...(record?.nextDueAt ? { nextDueAt: record.nextDueAt } : {}),
      revisions: items.map((revision) => ({
        seq: revision.seq,
        ...(revision.previousSeq !== undefined ? { previousSeq: revision.previousSeq } : {}),
        documentHash: revision.documentHash,
        documentKey: revision.documentKey,
        ...(revision.diffKey ? { diffKey: revision.diffKey } : {}),
        sections: revision.sections.map(
          (section) => `${section.kind}:${section.kinds.join('+')}:${section.key}:+${section.wordsAdded}-${section.wordsRemoved}`,
        ),
        summary: revision.summary,
      })),
      docs,
      sectionsOf,
      raw: await backend.listKeys(`raw/${page}/`),
      diffs,
      sectionLines,
    };
  }
  return state;
}

// fast-check arbitraries

/** 1-3 pages, each going through 2-4 versions (repeats, returns to an older text and no-op versions included). */
export function scenarioArbitrary(namespace: () => string): fc.Arbitrary<Scenario> {
  return fc
    .array(fc.array(fc.nat({ max: VERSION_COUNT - 1 }), { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 3 })
    .map((versions) => ({ namespace: namespace(), versions }));
}

export const faultStepArbitrary: fc.Arbitrary<FaultStep> = fc.record({
  channel: fc.nat({ max: 5 }),
  pick: fc.nat({ max: 1000 }),
  // About half the faulted deliveries crash at one of their first nine port calls (a capture makes 6-10).
  crashAt: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 9 }) }),
  crashAfter: fc.boolean(),
  duplicate: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  late: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  concurrent: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

export function faultPlanArbitrary(options: { restart: boolean; maxSteps?: number }): fc.Arbitrary<FaultPlan> {
  const steps = fc.array(faultStepArbitrary, { minLength: 1, maxLength: options.maxSteps ?? 40 });
  if (!options.restart) return steps.map((list) => ({ steps: list }));
  return (
    fc
      .tuple(steps, fc.nat({ max: 1000 }), fc.boolean())
      // Every run makes at least four deliveries (two phases of capture and diff or capture): restart among them.
      .map(([list, at, during]) => ({ steps: list, restart: { atStep: at % Math.min(4, list.length), during } }))
  );
}

/** The invariants: same final state as the clean run, each revision once, every notification at least once and stable. */
export function compareWithClean(
  faulty: SimulationResult,
  clean: SimulationResult,
): { ok: true; markerRegressions: number } | { ok: false; problem: string } {
  const fail = (problem: string) => ({ ok: false as const, problem });
  // The safety invariant behind lastDocumentHash (a capture whose Document has that hash is skipped): it must name a
  // Document whose sections are the latest revision's, or a capture could skip a real change.
  for (const result of [faulty, clean]) {
    for (const [page, state] of Object.entries(result.state.pages)) {
      const latest = state.revisions.at(-1);
      if (!latest || state.lastDocumentHash === undefined) continue;
      if (state.sectionsOf[state.lastDocumentHash] !== state.sectionsOf[latest.documentHash]) {
        return fail(`${page}: lastDocumentHash ${state.lastDocumentHash} does not have the sections of revision ${latest.seq}`);
      }
    }
  }
  // The page item's pointer at its latest revision (the audit's source of each page's latest Document): once every
  // delivery is done, it names exactly the latest revision, late duplicates and out-of-order finishes included.
  for (const result of [faulty, clean]) {
    for (const [page, state] of Object.entries(result.state.pages)) {
      const latest = state.revisions.at(-1);
      if (state.latestRevisionSeq !== latest?.seq || state.latestDocumentKey !== latest?.documentKey) {
        return fail(`${page}: the page item points at revision ${state.latestRevisionSeq} ${state.latestDocumentKey}, not ${latest?.seq}`);
      }
    }
  }
  // One known, benign difference (README, "Known limitations"): a LATE duplicate S3 event (after a later
  // capture) that finds only metadata changed, or that finds its revision already recorded, sets lastDocumentHash
  // back to that older Document. The marker still names a Document with the latest revision's sections (checked
  // above), so no change can be skipped; the next capture diffs once more and sets it again. Allowed only then.
  let markerRegressions = 0;
  const normalised = structuredClone(faulty.state);
  for (const [page, state] of Object.entries(normalised.pages)) {
    const expected = clean.state.pages[page];
    if (expected && state.lastDocumentHash !== expected.lastDocumentHash && faulty.stats.lateDuplicates > 0) {
      markerRegressions += 1;
      state.lastDocumentHash = expected.lastDocumentHash!;
    }
  }
  const faultyState = JSON.stringify(normalised);
  const cleanState = JSON.stringify(clean.state);
  if (faultyState !== cleanState) return fail(`final state differs:\nfaulty ${faultyState}\nclean  ${cleanState}`);
  for (const [page, { revisions }] of Object.entries(faulty.state.pages)) {
    const seqs = revisions.map((revision) => revision.seq);
    if (seqs.some((seq, index) => seq !== index + 1)) return fail(`${page}: revision seqs ${seqs.join(',')}`);
    for (let index = 1; index < revisions.length; index++) {
      if (revisions[index]!.documentHash === revisions[index - 1]!.documentHash)
        return fail(`${page}: revision ${index + 1} repeats its predecessor`);
    }
  }
  // At least once, each id always with the same content; nothing that the clean run did not send.
  const byId = new Map<string, string>();
  for (const notification of faulty.notifications) {
    const json = canonicalJson(notification);
    const seen = byId.get(notification.id);
    if (seen !== undefined && seen !== json) return fail(`notification ${notification.id} changed between deliveries`);
    byId.set(notification.id, json);
  }
  const cleanIds = clean.notifications.map((notification) => notification.id);
  if (new Set(cleanIds).size !== cleanIds.length) return fail(`the clean run delivered a notification twice: ${cleanIds.join(',')}`);
  const faultyIds = [...byId.keys()].sort();
  if (JSON.stringify(faultyIds) !== JSON.stringify([...cleanIds].sort()))
    return fail(`notifications ${faultyIds.join(',')} instead of ${cleanIds.join(',')}`);
  for (const notification of clean.notifications) {
    if (byId.get(notification.id) !== canonicalJson(notification)) return fail(`notification ${notification.id} differs from the clean run's`);
  }
  for (const [page, { revisions }] of Object.entries(clean.state.pages)) {
    for (const revision of revisions)
      if (revision.seq > 1 && !byId.has(`${page}#${revision.seq}`)) return fail(`no notification for ${page}#${revision.seq}`);
  }
  return { ok: true, markerRegressions };
}
