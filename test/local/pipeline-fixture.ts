import type { CorpusCountry } from '../../local/demo/corpus-pages.js';
import { startLocalRuntime, type CycleReport, type LocalRuntime, type LocalRuntimeOptions } from '../../local/runtime/local-runtime.js';
import { interceptPort } from '../../local/runtime/port-interceptor.js';
import { startReportSite, type ReportSite, type ReportSiteOptions } from '../../local/demo/report-site.js';
import { RuntimeClock } from '../../local/runtime/runtime-clock.js';
import type { RevisionRecord } from '../../shared/domain/revision-records.js';
import type { TrackerDependencies } from '../../shared/use-cases/tracker-dependencies.js';

/** The local report site plus the local runtime (ephemeral stores, fast redelivery), for the pipeline tests. */
export interface Pipeline {
  site: ReportSite;
  runtime: LocalRuntime;
  clock: RuntimeClock;
  watch(country: CorpusCountry, year: number): Promise<string>;
  /** The site's next cycle, one simulated day later, and a full runtime cycle (dispatch, then drain). */
  nextCycle(): Promise<CycleReport>;
  revisions(page: string): Promise<RevisionRecord[]>;
  close(): Promise<void>;
}

export const DAY_MINUTES = 24 * 60;
export const START = new Date('2025-03-01T06:00:00.000Z');
export const TORTURE = 'Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other Related Abuses';
export const TORTURE_KEY = 'respect-for-the-integrity-of-the-person/torture-and-other-cruel-inhuman-or-degrading';
export const EXPRESSION = 'Freedom of Expression, Including for Members of the Press and Other Media';
export const EXPRESSION_KEY = 'respect-for-civil-liberties/freedom-of-expression-including-for-members-of';

export async function startPipeline(
  options: { site?: ReportSiteOptions; runtime?: Omit<LocalRuntimeOptions, 'ephemeral' | 'clock' | 'allowedOrigins'> } = {},
): Promise<Pipeline> {
  // Every capture is a full fetch unless a test asks for validators.
  const site = await startReportSite({ validators: 'none', ...options.site });
  const clock = new RuntimeClock({ start: START });
  let runtime: LocalRuntime;
  try {
    runtime = await startLocalRuntime({
      // The servers in the test's thread unless a test asks for their own thread (the runtime's default): for tests this
      // short, a thread costs more CPU time than it saves (docs/testing.md).
      serversThread: false,
      ...options.runtime,
      ephemeral: true,
      clock,
      allowedOrigins: [site.origin],
      // Longer than any batch takes here: a message is redelivered only when its delivery failed.
      queues: { visibilityTimeoutMs: 5_000, ...options.runtime?.queues },
      // The new-edition probe would find the next edition of every corpus page; the tests that want it turn it on.
      settings: { probeNewEditions: false, ...options.runtime?.settings },
    });
  } catch (error) {
    await site.close();
    throw error;
  }
  return {
    site,
    runtime,
    clock,
    watch: async (country, year) => (await runtime.watch({ url: site.url(country, year) })).page.page,
    async nextCycle() {
      site.advance();
      if (site.cycle > 1) clock.advanceMinutes(DAY_MINUTES);
      return runtime.runCycle();
    },
    revisions: async (page) => (await runtime.dependencies.revisions.listRevisions(page, { newestFirst: false, limit: 100 })).items,
    async close() {
      try {
        await runtime.close();
      } finally {
        await site.close();
      }
    },
  };
}

/** Outcome names of a cycle's captures, by page. */
export function captureOutcomes(report: CycleReport): Record<string, string> {
  return Object.fromEntries(report.captures.map((capture) => [capture.page, capture.outcome]));
}

export type CrashPort = 'snapshots' | 'revisions' | 'notifier' | 'fetcher';

export interface CrashPoint {
  port: CrashPort;
  method: string;
  when: 'before' | 'after';
  /** Only calls whose arguments this accepts (default: all). */
  matches?: (args: unknown[]) => boolean;
}

export class InjectedCrash extends Error {
  constructor(point: CrashPoint) {
    super(`injected crash ${point.when} ${point.port}.${point.method}`);
    this.name = 'InjectedCrash';
  }
}

/**
 * A decorator for the runtime's dependencies that throws once, at `point`, after arm(): the process "dies" between
 * two steps (the step before it done, or the call itself done when `after`), and the delivery fails.
 */
export function crashOnce(point: CrashPoint) {
  const state = { armed: false, fired: 0 };
  const decorate = (dependencies: TrackerDependencies): TrackerDependencies => ({
    ...dependencies,
    [point.port]: interceptPort(dependencies[point.port] as object, point.port, (call) => {
      const hit = state.armed && state.fired === 0 && call.method === point.method && (point.matches?.(call.args) ?? true);
      if (!hit) return call.proceed();
      state.fired += 1;
      if (point.when === 'before') return Promise.reject(new InjectedCrash(point));
      return (call.proceed() as Promise<unknown>).then(() => {
        throw new InjectedCrash(point);
      });
    }),
  });
  return {
    decorate,
    arm: () => {
      state.armed = true;
    },
    get fired() {
      return state.fired;
    },
  };
}
