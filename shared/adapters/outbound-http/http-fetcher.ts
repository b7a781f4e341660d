import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import { CaptureError } from '../../errors.js';
import type { FetchRequest, FetchResult, Fetcher } from '../../ports/fetcher.js';
import { urlBlockReason, type PrivateAddressPolicy } from './address-guard.js';
import { decodeHtml } from './charset.js';
import { Agent, request } from './undici-core.js';
import { BlockedAddressError, createGuardedConnector, LookupTimeoutError, type HostLookup } from './guarded-connector.js';
import { HostPoliteness } from './host-politeness.js';
import { ACCEPT_ENCODING, BodyTooLargeError, readBody, UnsupportedContentEncodingError } from './response-body.js';
import { RobotsRules, type RobotsFile } from './robots-rules.js';

export interface RobotsOptions {
  /** Default 24 hours (the RFC 9309 maximum). */
  cacheTtlMs?: number;
  /** How long an unreachable (5xx) robots.txt keeps its origin disallowed. Default 10 minutes. */
  unreachableTtlMs?: number;
  /** robots.txt beyond this is ignored (RFC 9309 requires at least 500 KiB to be parsed). Default 512 KiB. */
  maxBytes?: number;
}

export interface HttpFetcherOptions {
  /** Sent as User-Agent on every request: say who is fetching and where to complain. */
  userAgent: string;
  /** TCP/TLS connect, and separately the DNS lookup. Default 10 s. */
  connectTimeoutMs?: number;
  /** From sending the request to the end of the response headers. Default 15 s. */
  headersTimeoutMs?: number;
  /** Everything for one fetch, redirects included, from the first request on. Default 30 s. */
  totalTimeoutMs?: number;
  /** Cap on the body, counted on the wire and again after decompression. Default 10 MiB. */
  maxBodyBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Default 2. */
  perHostConcurrency?: number;
  /** Minimum gap between the starts of two requests to one host. Default 1000 ms. */
  perHostDelayMs?: number;
  /** Default false: only public unicast addresses. See allowLoopbackOrigins for the tests and the local demo. */
  allowPrivateAddresses?: PrivateAddressPolicy;
  /** Respect robots.txt (default true); `false` turns the check off for every request. */
  robots?: boolean | RobotsOptions;
  /** DNS lookup (tests inject one); default dns.lookup with all: true. */
  lookup?: HostLookup;
  /** Wall clock for Retry-After dates, fetchedAt and the robots cache (pacing uses a monotonic clock). */
  clock?: () => number;
}

/** The product token robots.txt groups are matched against. */
export const ROBOTS_USER_AGENT_TOKEN = 'redline';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const HTML_MEDIA_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const PAGE_ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1';
const ROBOTS_ACCEPT = 'text/plain,*/*;q=0.1';

type ResponseData = Dispatcher.ResponseData;

type HopOutcome<T> = { kind: 'done'; result: T } | { kind: 'redirect'; status: number; location: string };

interface HopContext {
  headers: Record<string, string>;
  deadline: Deadline;
  checkRobots: boolean;
}

/**
 * The Fetcher over undici, with redirects, robots.txt and politeness handled here rather than by the library, so that
 * every hop passes the SSRF guard and the per-host limits. Create one per process (it holds the connection pool and
 * the robots cache) and `close()` it on shutdown.
 */
export class HttpFetcher implements Fetcher {
  private readonly agent: UndiciAgent;
  private readonly politeness: HostPoliteness;
  private readonly robots: RobotsRules | undefined;
  private readonly settings: Required<Omit<HttpFetcherOptions, 'robots' | 'lookup' | 'clock'>> & {
    robotsMaxBytes: number;
  };
  private readonly clock: () => number;

  constructor(options: HttpFetcherOptions) {
    this.clock = options.clock ?? Date.now;
    const robotsOptions = typeof options.robots === 'object' ? options.robots : {};
    this.settings = {
      userAgent: options.userAgent,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      headersTimeoutMs: options.headersTimeoutMs ?? 15_000,
      totalTimeoutMs: options.totalTimeoutMs ?? 30_000,
      maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
      maxRedirects: options.maxRedirects ?? 5,
      perHostConcurrency: options.perHostConcurrency ?? 2,
      perHostDelayMs: options.perHostDelayMs ?? 1000,
      allowPrivateAddresses: options.allowPrivateAddresses ?? false,
      robotsMaxBytes: robotsOptions.maxBytes ?? 512 * 1024,
    };
    if (this.settings.userAgent.trim() === '') throw new RangeError('userAgent must not be empty');
    this.agent = new Agent({
      connect: createGuardedConnector({
        policy: this.settings.allowPrivateAddresses,
        connectTimeoutMs: this.settings.connectTimeoutMs,
        ...(options.lookup ? { lookup: options.lookup } : {}),
      }),
      headersTimeout: this.settings.headersTimeoutMs,
      bodyTimeout: this.settings.totalTimeoutMs,
    });
    this.politeness = new HostPoliteness({
      concurrency: this.settings.perHostConcurrency,
      delayMs: this.settings.perHostDelayMs,
    });
    this.robots =
      options.robots === false
        ? undefined
        : new RobotsRules((robotsUrl) => this.loadRobots(robotsUrl), {
            userAgentToken: ROBOTS_USER_AGENT_TOKEN,
            cacheTtlMs: robotsOptions.cacheTtlMs ?? 24 * 60 * 60 * 1000,
            unreachableTtlMs: robotsOptions.unreachableTtlMs ?? 10 * 60 * 1000,
            clock: this.clock,
          });
  }

  async fetchPage(fetchRequest: FetchRequest): Promise<FetchResult> {
    const url = parseUrl(fetchRequest.url);
    const headers: Record<string, string> = { accept: PAGE_ACCEPT };
    if (fetchRequest.etag) headers['if-none-match'] = fetchRequest.etag;
    if (fetchRequest.lastModified) headers['if-modified-since'] = fetchRequest.lastModified;
    const deadline = new Deadline(this.settings.totalTimeoutMs);
    try {
      return await this.follow(url, { headers, deadline, checkRobots: !fetchRequest.ignoreRobots }, (response, finalUrl) =>
        this.readPage(response, finalUrl, fetchRequest),
      );
    } finally {
      deadline.clear();
    }
  }

  /** Closes pooled connections and aborts anything in flight. */
  async close(): Promise<void> {
    await this.agent.destroy();
  }

  /** Request `start`, following redirects by hand so that every hop is vetted, robots-checked and paced. */
  private async follow<T>(start: URL, context: HopContext, handle: (response: ResponseData, url: URL) => Promise<T>): Promise<T> {
    const visited = new Set<string>();
    let current = start;
    for (let redirects = 0; ; redirects += 1) {
      const blockReason = urlBlockReason(current, this.settings.allowPrivateAddresses);
      if (blockReason !== undefined) throw new CaptureError(`Refused to fetch ${current.href}: ${blockReason}`, 'blocked');
      visited.add(current.href);
      if (context.checkRobots) await this.assertRobotsAllow(current);

      const hop = await this.politeness.run(current.hostname, async (): Promise<HopOutcome<T>> => {
        context.deadline.start();
        try {
          const response = await request(this.agent, current, {
            method: 'GET',
            headers: { 'user-agent': this.settings.userAgent, 'accept-encoding': ACCEPT_ENCODING, ...context.headers },
            signal: context.deadline.signal,
            headersTimeout: this.settings.headersTimeoutMs,
            bodyTimeout: this.settings.totalTimeoutMs,
          });
          const location = headerValue(response.headers, 'location');
          if (REDIRECT_STATUSES.has(response.statusCode) && location !== undefined) {
            await response.body.dump({ limit: 64 * 1024, signal: context.deadline.signal });
            return { kind: 'redirect', status: response.statusCode, location };
          }
          return { kind: 'done', result: await handle(response, current) };
        } catch (error) {
          throw toCaptureError(error, current, context.deadline);
        }
      });
      if (hop.kind === 'done') return hop.result;

      const { status, location } = hop;
      let next: URL;
      try {
        next = new URL(location, current);
      } catch (error) {
        throw new CaptureError(
          `HTTP ${status} from ${current.href} with an invalid Location`,
          'http-status',
          { httpStatus: status },
          { cause: error },
        );
      }
      next.hash = '';
      if (visited.has(next.href)) {
        throw new CaptureError(`Redirect loop: ${current.href} redirects back to ${next.href}`, 'http-status', { httpStatus: status });
      }
      if (redirects >= this.settings.maxRedirects) {
        throw new CaptureError(`Too many redirects (more than ${this.settings.maxRedirects}) from ${start.href}`, 'http-status', {
          httpStatus: status,
        });
      }
      current = next;
    }
  }

  private async readPage(response: ResponseData, url: URL, fetchRequest: FetchRequest): Promise<FetchResult> {
    const { statusCode, headers, body } = response;
    const etag = headerValue(headers, 'etag');
    const lastModified = headerValue(headers, 'last-modified');
    if (statusCode === 304) {
      await body.dump({ limit: 16 * 1024 });
      const validators = { etag: etag ?? fetchRequest.etag, lastModified: lastModified ?? fetchRequest.lastModified };
      return { status: 'not-modified', finalUrl: url.href, ...definedOnly(validators) };
    }
    if (statusCode !== 200 && statusCode !== 203) {
      discard(body);
      const retryAfterSeconds = parseRetryAfter(headerValue(headers, 'retry-after'), this.clock());
      throw new CaptureError(`HTTP ${statusCode} from ${url.href}`, 'http-status', {
        httpStatus: statusCode,
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      });
    }
    const contentTypeHeader = headerValue(headers, 'content-type');
    const mediaType = contentTypeHeader?.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!HTML_MEDIA_TYPES.has(mediaType)) {
      discard(body);
      throw new CaptureError(`${url.href} is ${mediaType === '' ? 'served without a Content-Type' : mediaType}, not HTML`, 'not-html', {
        httpStatus: statusCode,
      });
    }
    const declaredLength = Number(headerValue(headers, 'content-length'));
    if (Number.isFinite(declaredLength) && declaredLength > this.settings.maxBodyBytes) {
      discard(body);
      throw new CaptureError(`${url.href} declares ${declaredLength} bytes, over the ${this.settings.maxBodyBytes} byte cap`, 'too-large', {
        httpStatus: statusCode,
      });
    }
    const { bytes } = await readBody(body, headerValue(headers, 'content-encoding'), {
      maxBytes: this.settings.maxBodyBytes,
      onOverflow: 'throw',
    });
    const decoded = decodeHtml(bytes, contentTypeHeader);
    return {
      status: 'ok',
      finalUrl: url.href,
      body: bytes,
      text: decoded.text,
      contentType: mediaType,
      charset: decoded.charset,
      ...definedOnly({ etag, lastModified }),
      httpStatus: statusCode,
      fetchedAt: new Date(this.clock()).toISOString(),
    };
  }

  private async assertRobotsAllow(url: URL): Promise<void> {
    if (this.robots === undefined) return;
    const verdict = await this.robots.verdict(url);
    if (verdict.allowed) return;
    if (verdict.reason === 'disallowed') throw new CaptureError(`robots.txt: ${verdict.detail}`, 'robots');
    // A server answering 5xx for robots.txt is `robots` (disallowed for now); one that times out or drops the
    // connection is down, and the failure says so.
    const kind = verdict.failureKind === 'timeout' || verdict.failureKind === 'network' ? verdict.failureKind : 'robots';
    throw new CaptureError(`robots.txt: ${verdict.detail}`, kind, verdict.httpStatus !== undefined ? { httpStatus: verdict.httpStatus } : {});
  }

  private async loadRobots(robotsUrl: URL): Promise<RobotsFile> {
    const deadline = new Deadline(this.settings.totalTimeoutMs);
    try {
      return await this.follow(robotsUrl, { headers: { accept: ROBOTS_ACCEPT }, deadline, checkRobots: false }, async (response) => {
        const { statusCode, headers, body } = response;
        if (statusCode >= 200 && statusCode < 300) {
          const { bytes } = await readBody(body, headerValue(headers, 'content-encoding'), {
            maxBytes: this.settings.robotsMaxBytes,
            onOverflow: 'truncate',
          });
          return { kind: 'rules', text: new TextDecoder('utf-8').decode(bytes) };
        }
        discard(body);
        if (statusCode >= 400 && statusCode < 500 && statusCode !== 429) return { kind: 'absent', httpStatus: statusCode };
        return { kind: 'unreachable', detail: `HTTP ${statusCode}`, httpStatus: statusCode };
      });
    } catch (error) {
      const capture = error instanceof CaptureError ? error : toCaptureError(error, robotsUrl, deadline);
      // A robots.txt on (or redirecting to) a refused address is a refusal, not an outage; it is not cached.
      if (capture.kind === 'blocked') throw capture;
      return {
        kind: 'unreachable',
        detail: capture.message,
        failureKind: capture.kind,
        ...(capture.details.httpStatus !== undefined ? { httpStatus: capture.details.httpStatus } : {}),
      };
    } finally {
      deadline.clear();
    }
  }
}

/** The total-timeout clock for one fetch: started by the first request (not by waiting in the host queue). */
class Deadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  expired = false;

  constructor(readonly timeoutMs: number) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  start(): void {
    if (this.timer !== undefined || this.expired) return;
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new TotalTimeoutError(this.timeoutMs));
    }, this.timeoutMs);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

class TotalTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Total timeout of ${timeoutMs} ms exceeded`);
    this.name = 'TotalTimeoutError';
  }
}

function parseUrl(input: string): URL {
  try {
    const url = new URL(input);
    url.hash = '';
    return url;
  } catch (error) {
    throw new CaptureError(`Not a valid URL: ${JSON.stringify(input)}`, 'blocked', {}, { cause: error });
  }
}

const UNDICI_TIMEOUTS: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'response headers',
  UND_ERR_BODY_TIMEOUT: 'response body',
};

/** Map whatever undici, zlib or the guard threw to the CaptureError kind recorded on the failure. */
function toCaptureError(error: unknown, url: URL, deadline: Deadline): CaptureError {
  if (error instanceof CaptureError) return error;
  const chain = causeChain(error);
  const find = <E>(type: abstract new (...args: never[]) => E): E | undefined => chain.find((item): item is E & object => item instanceof type);
  const cause = { cause: error };
  const blocked = find(BlockedAddressError);
  if (blocked) return new CaptureError(`Refused to fetch ${url.href}: ${blocked.message}`, 'blocked', {}, cause);
  const tooLarge = find(BodyTooLargeError);
  if (tooLarge) {
    return new CaptureError(`${url.href}: body over the ${tooLarge.limitBytes} byte cap (${tooLarge.stage})`, 'too-large', {}, cause);
  }
  if (deadline.expired || find(TotalTimeoutError)) {
    return new CaptureError(`${url.href}: total timeout of ${deadline.timeoutMs} ms exceeded`, 'timeout', {}, cause);
  }
  if (find(LookupTimeoutError)) return new CaptureError(`${url.href}: connect timeout (DNS lookup)`, 'timeout', {}, cause);
  for (const item of chain) {
    const code = (item as { code?: unknown }).code;
    const phase = typeof code === 'string' ? UNDICI_TIMEOUTS[code] : undefined;
    if (phase !== undefined) return new CaptureError(`${url.href}: ${phase} timeout`, 'timeout', {}, cause);
  }
  const unsupported = find(UnsupportedContentEncodingError);
  if (unsupported) return new CaptureError(`${url.href}: ${unsupported.message}`, 'network', {}, cause);
  const message = error instanceof Error ? error.message : String(error);
  return new CaptureError(`${url.href}: ${message}`, 'network', {}, cause);
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    if (current instanceof AggregateError) chain.push(...current.errors);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/**
 * Retry-After as whole seconds from now: delay-seconds, or an HTTP-date (a date in the past means 0).
 * Anything else is ignored.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // An HTTP-date always names its month; this keeps Date.parse from reading "-5" as a year.
  const date = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Drop a body we will not read; the error listener keeps undici's abort error from going unhandled. */
function discard(body: ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function headerValue(headers: ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function definedOnly<T extends Record<string, string | undefined>>(values: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: string };
}
