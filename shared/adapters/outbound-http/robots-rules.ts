import robotsParserExports from 'robots-parser';
import type { CaptureFailureKind } from '../../errors.js';

// The package declares an ES default export but is CommonJS (`module.exports = fn`): imported from ESM, the default
// export is the function itself.
const robotsParser = robotsParserExports as unknown as typeof robotsParserExports.default;
type Robot = ReturnType<typeof robotsParser>;

/** What fetching /robots.txt for an origin gave (RFC 9309 section 2.3). */
export type RobotsFile =
  /** 2xx: rules to obey. */
  | { kind: 'rules'; text: string }
  /** 4xx other than 429: no robots.txt, everything is allowed. */
  | { kind: 'absent'; httpStatus: number }
  /** 5xx, 429, network error, timeout, too many redirects: unreachable, so everything is disallowed for now. */
  | { kind: 'unreachable'; detail: string; httpStatus?: number; failureKind?: CaptureFailureKind };

export type RobotsVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'disallowed'; detail: string }
  | { allowed: false; reason: 'unreachable'; detail: string; httpStatus?: number; failureKind?: CaptureFailureKind };

export interface RobotsRulesOptions {
  /** The product token matched against User-agent lines. */
  userAgentToken: string;
  /** How long a fetched (or absent) robots.txt is trusted. RFC 9309 says no more than 24 hours. */
  cacheTtlMs: number;
  /** How long an unreachable robots.txt blocks its origin before it is fetched again. */
  unreachableTtlMs: number;
  clock?: () => number;
}

interface CacheEntry {
  expiresAt: number;
  file: RobotsFile;
  robot?: Robot;
  /** The last rules that parsed, kept to answer while robots.txt is unreachable (RFC 9309 section 2.4). */
  lastGood?: Robot;
}

/**
 * robots.txt per origin, fetched once and cached. A 5xx answer disallows the origin until `unreachableTtlMs` has
 * passed (Google's and RFC 9309's choice: a server in trouble should not be crawled), unless earlier rules for that
 * origin are still in memory, which are then used instead.
 */
export class RobotsRules {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly loading = new Map<string, Promise<CacheEntry>>();
  private readonly clock: () => number;

  constructor(
    private readonly load: (robotsUrl: URL) => Promise<RobotsFile>,
    private readonly options: RobotsRulesOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  async verdict(url: URL): Promise<RobotsVerdict> {
    const entry = await this.entryFor(url.origin);
    const robot = entry.robot ?? (entry.file.kind === 'unreachable' ? entry.lastGood : undefined);
    if (robot !== undefined) {
      // `undefined` means "not this origin's file", which cannot happen with a per-origin cache; treat as allowed.
      if (robot.isAllowed(url.href, this.options.userAgentToken) === false) {
        const line = robot.getMatchingLineNumber(url.href, this.options.userAgentToken);
        return { allowed: false, reason: 'disallowed', detail: `${url.origin}/robots.txt line ${line} disallows ${url.pathname}` };
      }
      return { allowed: true };
    }
    if (entry.file.kind === 'unreachable') {
      return {
        allowed: false,
        reason: 'unreachable',
        detail: `${url.origin}/robots.txt is unreachable (${entry.file.detail}); the origin is treated as disallowed until it answers`,
        ...(entry.file.httpStatus !== undefined ? { httpStatus: entry.file.httpStatus } : {}),
        ...(entry.file.failureKind !== undefined ? { failureKind: entry.file.failureKind } : {}),
      };
    }
    return { allowed: true };
  }

  private async entryFor(origin: string): Promise<CacheEntry> {
    const cached = this.entries.get(origin);
    if (cached !== undefined && cached.expiresAt > this.clock()) return cached;
    let pending = this.loading.get(origin);
    if (pending === undefined) {
      pending = this.refresh(origin, cached).finally(() => this.loading.delete(origin));
      this.loading.set(origin, pending);
    }
    return pending;
  }

  private async refresh(origin: string, previous: CacheEntry | undefined): Promise<CacheEntry> {
    const robotsUrl = new URL('/robots.txt', origin);
    // A loader that throws (a refused address) caches nothing: the error goes to the caller as it is.
    const file = await this.load(robotsUrl);
    const now = this.clock();
    let entry: CacheEntry;
    if (file.kind === 'rules') {
      const robot = robotsParser(robotsUrl.href, file.text);
      entry = { expiresAt: now + this.options.cacheTtlMs, file, robot, lastGood: robot };
    } else if (file.kind === 'absent') {
      entry = { expiresAt: now + this.options.cacheTtlMs, file };
    } else {
      entry = { expiresAt: now + this.options.unreachableTtlMs, file, ...(previous?.lastGood ? { lastGood: previous.lastGood } : {}) };
    }
    this.entries.set(origin, entry);
    return entry;
  }
}
