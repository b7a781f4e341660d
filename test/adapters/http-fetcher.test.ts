import { jest } from '@jest/globals';
import net from 'node:net';
import tls from 'node:tls';
import { CaptureError } from '../../shared/errors.js';
import { allowLoopbackOrigins } from '../../shared/adapters/outbound-http/address-guard.js';
import type { HostLookup } from '../../shared/adapters/outbound-http/guarded-connector.js';
import { HttpFetcher, parseRetryAfter, type HttpFetcherOptions } from '../../shared/adapters/outbound-http/http-fetcher.js';
import type { FetchResult, PageResult } from '../../shared/ports/fetcher.js';
import {
  CP1252_SAMPLE,
  ETAG,
  LAST_MODIFIED,
  RETRY_AFTER_DATE,
  UTF8_SAMPLE,
  startHostileServer,
  type HostileServer,
} from '../support/hostile-server.js';

const USER_AGENT = 'redline-test/0.1 (+https://github.com/redline-watch/redline; change tracker)';
const CAP = 64 * 1024;

let server: HostileServer;
const fetchers: HttpFetcher[] = [];

/**
 * Safety net: every socket the process opens goes through these spies, which record `host:port`, and any dial to a
 * non-loopback host is refused before it leaves the machine. afterEach asserts that no such dial was even attempted.
 */
const dials: string[] = [];
const refusedDials: string[] = [];
const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);
function guardDial<T extends (...args: never[]) => unknown>(original: T): (...args: Parameters<T>) => ReturnType<T> {
  return (...args) => {
    const [first, second] = args as unknown[];
    const options = typeof first === 'object' && first !== null ? (first as { host?: string; port?: number | string }) : {};
    const host = options.host ?? (typeof second === 'string' ? second : undefined);
    const port = options.port ?? (typeof first === 'number' ? first : undefined);
    dials.push(`${host}:${port}`);
    if (host !== undefined && !loopbackHosts.has(host)) {
      refusedDials.push(host);
      throw new Error(`test refused a dial to ${host}`);
    }
    return original(...args) as ReturnType<T>;
  };
}

beforeAll(async () => {
  const netConnect = guardDial(net.connect.bind(net)) as typeof net.connect;
  const tlsConnect = guardDial(tls.connect.bind(tls)) as typeof tls.connect;
  jest.spyOn(net, 'connect').mockImplementation(netConnect);
  jest.spyOn(tls, 'connect').mockImplementation(tlsConnect);
  server = await startHostileServer();
});

afterEach(() => {
  expect(refusedDials).toEqual([]);
});

afterAll(async () => {
  await Promise.all(fetchers.splice(0).map((fetcher) => fetcher.close()));
  await server.close();
  jest.restoreAllMocks();
});

/**
 * Time caps far above what any fetch here needs on a loaded machine: only the tests about time set tight ones (against
 * routes that never finish), so every other outcome is decided by what the server sent, never by the machine's speed.
 */
const GENEROUS_TIMEOUT_MS = 120_000;

function makeFetcher(overrides: Partial<HttpFetcherOptions> = {}): HttpFetcher {
  const fetcher = new HttpFetcher({
    userAgent: USER_AGENT,
    connectTimeoutMs: GENEROUS_TIMEOUT_MS,
    headersTimeoutMs: GENEROUS_TIMEOUT_MS,
    totalTimeoutMs: GENEROUS_TIMEOUT_MS,
    maxBodyBytes: CAP,
    perHostDelayMs: 0,
    allowPrivateAddresses: allowLoopbackOrigins([server.origin]),
    ...overrides,
  });
  fetchers.push(fetcher);
  return fetcher;
}

/** A lookup that answers for the *.test names the tests use and fails for anything else. */
function fakeLookup(table: Record<string, string[]>): HostLookup & jest.Mock<HostLookup> {
  return jest.fn<HostLookup>(async (hostname) => {
    const addresses = table[hostname];
    if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: net.isIP(address) }));
  }) as HostLookup & jest.Mock<HostLookup>;
}

async function captureFailure(promise: Promise<unknown>): Promise<CaptureError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CaptureError);
  return error as CaptureError;
}

function expectPage(result: FetchResult): PageResult {
  expect(result.status).toBe('ok');
  return result as PageResult;
}

describe('HttpFetcher: pages and charsets', () => {
  it('fetches a UTF-8 page with the honest User-Agent and returns bytes, text and metadata', async () => {
    const fetcher = makeFetcher();
    const page = expectPage(await fetcher.fetchPage({ url: server.url('/html-utf8') }));
    expect(page).toMatchObject({ finalUrl: server.url('/html-utf8'), contentType: 'text/html', charset: 'utf-8', httpStatus: 200 });
    expect(page.text).toContain(`<p>${UTF8_SAMPLE}</p>`);
    expect(Buffer.from(page.body).toString('utf8')).toBe(page.text);
    expect(new Date(page.fetchedAt).toISOString()).toBe(page.fetchedAt);
    const [recorded] = server.requestsTo('/html-utf8');
    expect(recorded?.headers['user-agent']).toBe(USER_AGENT);
    expect(recorded?.headers['accept-encoding']).toBe('gzip, br');
  });

  it('decodes windows-1252 declared by <meta charset>', async () => {
    const page = expectPage(await makeFetcher().fetchPage({ url: server.url('/windows-1252') }));
    expect(page.charset).toBe('windows-1252');
    expect(page.text).toContain(`<p>${CP1252_SAMPLE}</p>`);
    expect(page.body).toHaveLength(page.text.length);
  });

  it('decodes ISO-8859-1 declared by http-equiv as windows-1252 (the WHATWG name)', async () => {
    const page = expectPage(await makeFetcher().fetchPage({ url: server.url('/http-equiv') }));
    expect(page.charset).toBe('windows-1252');
    expect(page.text).toContain('<p>café</p>');
  });

  it('defaults to UTF-8 when no charset is declared anywhere', async () => {
    const page = expectPage(await makeFetcher().fetchPage({ url: server.url('/no-charset') }));
    expect(page.charset).toBe('utf-8');
    expect(page.text).toContain(`<p>${UTF8_SAMPLE}</p>`);
  });

  it('believes a byte order mark over the Content-Type charset, as browsers do', async () => {
    const page = expectPage(await makeFetcher().fetchPage({ url: server.url('/bom') }));
    expect(page.charset).toBe('utf-8');
    expect(page.text.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page.text).toContain('<p>café</p>');
  });

  it('falls back to UTF-8 with replacement characters for an unknown charset label', async () => {
    const page = expectPage(await makeFetcher().fetchPage({ url: server.url('/unknown-charset') }));
    expect(page.charset).toBe('utf-8');
    expect(page.text).toContain('<p>caf\uFFFD</p>');
  });

  it('decodes Shift_JIS from the Content-Type', async () => {
    const page = expectPage(await makeFetcher().fetchPage({ url: server.url('/shift-jis') }));
    expect(page.charset).toBe('shift_jis');
    expect(page.text).toBe('<html><body><p>日本</p></body></html>');
  });

  it('accepts application/xhtml+xml', async () => {
    const page = expectPage(await makeFetcher().fetchPage({ url: server.url('/xhtml') }));
    expect(page.contentType).toBe('application/xhtml+xml');
  });

  it.each(['/gzip-page', '/br-page'])('undoes the Content-Encoding of %s and returns the decompressed bytes', async (path) => {
    const page = expectPage(await makeFetcher().fetchPage({ url: server.url(path) }));
    expect(page.text).toContain(`<p>${UTF8_SAMPLE}</p>`);
    expect(Buffer.from(page.body).toString('utf8')).toBe(page.text);
  });

  it('fails with network for a Content-Encoding it did not ask for', async () => {
    const error = await captureFailure(makeFetcher().fetchPage({ url: server.url('/zstd-page') }));
    expect(error.kind).toBe('network');
    expect(error.message).toContain('Unsupported Content-Encoding zstd');
  });
});

describe('HttpFetcher: conditional GET', () => {
  it('returns the validators, then not-modified when the ETag still matches', async () => {
    const fetcher = makeFetcher();
    const first = expectPage(await fetcher.fetchPage({ url: server.url('/etag') }));
    expect(first.etag).toBe(ETAG);
    expect(first.lastModified).toBe(LAST_MODIFIED);

    const second = await fetcher.fetchPage({ url: server.url('/etag'), etag: first.etag, lastModified: first.lastModified });
    expect(second).toEqual({ status: 'not-modified', finalUrl: server.url('/etag'), etag: ETAG, lastModified: LAST_MODIFIED });
    const conditional = server.requestsTo('/etag').at(-1);
    expect(conditional?.headers['if-none-match']).toBe(ETAG);
    expect(conditional?.headers['if-modified-since']).toBe(LAST_MODIFIED);
  });

  it('uses If-Modified-Since alone and keeps the caller’s validator when the 304 carries none', async () => {
    const result = await makeFetcher().fetchPage({ url: server.url('/last-modified'), lastModified: LAST_MODIFIED });
    expect(result).toEqual({ status: 'not-modified', finalUrl: server.url('/last-modified'), lastModified: LAST_MODIFIED });
  });
});

describe('HttpFetcher: time and size caps', () => {
  it('times out waiting for headers', async () => {
    const error = await captureFailure(makeFetcher({ headersTimeoutMs: 50 }).fetchPage({ url: server.url('/slow-headers') }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('response headers timeout');
    // undici runs its headers timer on a ~0.5 s tick, so 50 ms fires after 0.5-1 s; the server would answer after 5 s.
    expect(server.requestsTo('/slow-headers')).toHaveLength(1);
  });

  it('times out a body that drips forever (total timeout)', async () => {
    const error = await captureFailure(makeFetcher({ totalTimeoutMs: 150 }).fetchPage({ url: server.url('/drip') }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('total timeout of 150 ms exceeded');
  });

  it('times out a DNS lookup that never answers (connect timeout)', async () => {
    const lookup = jest.fn<HostLookup>(() => new Promise(() => undefined));
    const fetcher = makeFetcher({ connectTimeoutMs: 50, lookup, robots: false });
    const error = await captureFailure(fetcher.fetchPage({ url: `http://never-answers.test:${server.port}/html-utf8` }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('connect timeout');
  });

  it('refuses a body whose Content-Length is over the cap without reading it', async () => {
    const error = await captureFailure(makeFetcher().fetchPage({ url: server.url('/huge-length') }));
    expect(error.kind).toBe('too-large');
    expect(error.message).toContain(`declares ${100 * 1024 * 1024} bytes, over the ${CAP} byte cap`);
  });

  it('aborts a chunked body without a length as soon as it passes the cap', async () => {
    const error = await captureFailure(makeFetcher().fetchPage({ url: server.url('/huge-chunked') }));
    expect(error.kind).toBe('too-large');
    expect(error.message).toContain(`over the ${CAP} byte cap (received)`);
    // The server stops once the socket closes; it got nowhere near its 64 MiB.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.stats.bytesWritten.get('/huge-chunked')).toBeLessThan(4 * 1024 * 1024);
  });

  it('stops a gzip bomb by counting decompressed bytes', async () => {
    const error = await captureFailure(makeFetcher().fetchPage({ url: server.url('/gzip-bomb') }));
    expect(error.kind).toBe('too-large');
    expect(error.message).toContain(`over the ${CAP} byte cap (decompressed)`);
  });
});

describe('HttpFetcher: status codes and content types', () => {
  it('fails with not-html for application/pdf', async () => {
    const error = await captureFailure(makeFetcher().fetchPage({ url: server.url('/pdf') }));
    expect(error.kind).toBe('not-html');
    expect(error.message).toContain('application/pdf, not HTML');
    expect(error.details).toEqual({ httpStatus: 200 });
  });

  it('fails with not-html when there is no Content-Type', async () => {
    const error = await captureFailure(makeFetcher().fetchPage({ url: server.url('/no-content-type') }));
    expect(error.kind).toBe('not-html');
  });

  it('parses Retry-After seconds on a 429', async () => {
    const error = await captureFailure(makeFetcher().fetchPage({ url: server.url('/status/429') }));
    expect(error.kind).toBe('http-status');
    expect(error.details).toEqual({ httpStatus: 429, retryAfterSeconds: 7 });
  });

  it('parses a Retry-After HTTP-date on a 503', async () => {
    const clock = () => Date.parse(RETRY_AFTER_DATE) - 120_000;
    const error = await captureFailure(makeFetcher({ clock }).fetchPage({ url: server.url('/status/503') }));
    expect(error.kind).toBe('http-status');
    expect(error.details).toEqual({ httpStatus: 503, retryAfterSeconds: 120 });
  });

  it('reports a 503 without Retry-After and a 404 by status only', async () => {
    const fetcher = makeFetcher();
    expect((await captureFailure(fetcher.fetchPage({ url: server.url('/status/503-plain') }))).details).toEqual({ httpStatus: 503 });
    const notFound = await captureFailure(fetcher.fetchPage({ url: server.url('/status/404') }));
    expect([notFound.kind, notFound.details]).toEqual(['http-status', { httpStatus: 404 }]);
  });
});

describe('HttpFetcher: redirects', () => {
  it('follows up to maxRedirects hops and reports the final URL', async () => {
    const page = expectPage(await makeFetcher({ maxRedirects: 5 }).fetchPage({ url: server.url('/chain/5') }));
    expect(page.finalUrl).toBe(server.url('/chain/0'));
  });

  it('stops after maxRedirects', async () => {
    const endReachedBefore = server.requestsTo('/chain/0').length;
    const lastHopBefore = server.requestsTo('/chain/1').length;
    const error = await captureFailure(makeFetcher({ maxRedirects: 5 }).fetchPage({ url: server.url('/chain/6') }));
    expect(error.kind).toBe('http-status');
    expect(error.details).toEqual({ httpStatus: 307 });
    expect(error.message).toBe(`Too many redirects (more than 5) from ${server.url('/chain/6')}`);
    expect(server.requestsTo('/chain/0')).toHaveLength(endReachedBefore);
    expect(server.requestsTo('/chain/1')).toHaveLength(lastHopBefore + 1);
  });

  it('detects a redirect loop', async () => {
    const error = await captureFailure(makeFetcher().fetchPage({ url: server.url('/loop-a') }));
    expect(error.kind).toBe('http-status');
    expect(error.details).toEqual({ httpStatus: 301 });
    expect(error.message).toBe(`Redirect loop: ${server.url('/loop-b')} redirects back to ${server.url('/loop-a')}`);
  });

  it.each([
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', 'linkLocal address 169.254.169.254'],
    ['a private address', 'http://10.0.0.1/admin', 'private address 10.0.0.1'],
    ['loopback on a port that is not allow-listed', 'http://127.0.0.1:1/x', 'port 1 is not fetchable'],
    ['loopback on another port', 'http://127.0.0.1:6380/x', 'loopback address 127.0.0.1'],
    ['an IPv4-mapped IPv6 private address', 'http://[::ffff:10.0.0.1]/', 'private address 10.0.0.1'],
    ['a non-HTTP scheme', 'file:///etc/passwd', 'scheme file: is not http or https'],
  ])('refuses a redirect to %s before connecting', async (_label, target, reason) => {
    const lookup = fakeLookup({});
    const fetcher = makeFetcher({ lookup });
    const dialsBefore = dials.length;
    const error = await captureFailure(fetcher.fetchPage({ url: server.url(`/redirect?to=${encodeURIComponent(target)}`) }));
    expect(error.kind).toBe('blocked');
    expect(error.message).toContain(reason);
    expect(lookup).not.toHaveBeenCalled();
    // Sockets were opened to the test server only (robots.txt, the redirect), never to the target.
    expect(new Set(dials.slice(dialsBefore))).toEqual(new Set([`127.0.0.1:${server.port}`]));
  });
});

describe('HttpFetcher: the address guard at connect time', () => {
  it('refuses a hostname that resolves to 127.0.0.1 when private addresses are not allowed (DNS rebinding)', async () => {
    const lookup = fakeLookup({ 'rebind.test': ['127.0.0.1'] });
    const fetcher = makeFetcher({ lookup, allowPrivateAddresses: false });
    const connectionsBefore = server.stats.connections;
    const error = await captureFailure(fetcher.fetchPage({ url: `http://rebind.test:${server.port}/html-utf8` }));
    expect(error.kind).toBe('blocked');
    expect(error.message).toContain('Refusing to connect to rebind.test: loopback address 127.0.0.1');
    expect(lookup).toHaveBeenCalledWith('rebind.test');
    expect(server.stats.connections).toBe(connectionsBefore);
  });

  it('refuses a hostname on the allow-list port whose origin is not allow-listed', async () => {
    const lookup = fakeLookup({ 'rebind.test': ['127.0.0.1'] });
    const error = await captureFailure(makeFetcher({ lookup }).fetchPage({ url: `http://rebind.test:${server.port}/html-utf8` }));
    expect(error.kind).toBe('blocked');
  });

  it.each([
    ['metadata.test', '169.254.169.254', 'linkLocal address 169.254.169.254'],
    ['intranet.test', '10.0.0.1', 'private address 10.0.0.1'],
    ['ula.test', 'fd00::1', 'uniqueLocal address fd00::1'],
  ])('refuses %s resolving to %s without dialling it', async (hostname, address, reason) => {
    const lookup = fakeLookup({ [hostname]: [address] });
    const allowed = `http://${hostname}:${server.port}`;
    // Even an allow-listed origin only gets loopback.
    const fetcher = makeFetcher({ lookup, allowPrivateAddresses: allowLoopbackOrigins([server.origin, allowed]) });
    const error = await captureFailure(fetcher.fetchPage({ url: `${allowed}/html-utf8` }));
    expect(error.kind).toBe('blocked');
    expect(error.message).toContain(reason);
  });

  it('connects to the vetted address when a name resolves to both a refused and an allowed one', async () => {
    const lookup = fakeLookup({ 'mixed.test': ['10.0.0.1', '127.0.0.1'] });
    const origin = `http://mixed.test:${server.port}`;
    const fetcher = makeFetcher({ lookup, allowPrivateAddresses: allowLoopbackOrigins([origin]) });
    const page = expectPage(await fetcher.fetchPage({ url: `${origin}/html-utf8` }));
    expect(page.finalUrl).toBe(`${origin}/html-utf8`);
    expect(server.stats.requests.at(-1)?.host).toBe('mixed.test');
  });

  it('refuses URLs that are not http(s) or carry credentials', async () => {
    const fetcher = makeFetcher();
    expect((await captureFailure(fetcher.fetchPage({ url: 'ftp://example.org/x' }))).kind).toBe('blocked');
    expect((await captureFailure(fetcher.fetchPage({ url: 'http://user:pw@example.org/' }))).message).toContain('credentials in URL');
    expect((await captureFailure(fetcher.fetchPage({ url: 'not a url' }))).kind).toBe('blocked');
  });
});

describe('HttpFetcher: robots.txt', () => {
  it('refuses a path robots.txt disallows, fetches it with ignoreRobots, and reads robots.txt once', async () => {
    const fetcher = makeFetcher();
    const robotsBefore = server.requestsTo('/robots.txt').length;
    const error = await captureFailure(fetcher.fetchPage({ url: server.url('/private/report') }));
    expect(error.kind).toBe('robots');
    expect(error.message).toBe(`robots.txt: ${server.origin}/robots.txt line 2 disallows /private/report`);
    expect(server.requestsTo('/private/report')).toHaveLength(0);

    const page = expectPage(await fetcher.fetchPage({ url: server.url('/private/report'), ignoreRobots: true }));
    expect(page.httpStatus).toBe(200);
    expectPage(await fetcher.fetchPage({ url: server.url('/html-utf8') }));
    expect(server.requestsTo('/robots.txt').length - robotsBefore).toBe(1);
    expect(server.requestsTo('/robots.txt').at(-1)?.headers['user-agent']).toBe(USER_AGENT);
  });

  it('treats a missing robots.txt (404) as allowing everything', async () => {
    const origin = `http://no-robots.test:${server.port}`;
    const fetcher = makeFetcher({
      lookup: fakeLookup({ 'no-robots.test': ['127.0.0.1'] }),
      allowPrivateAddresses: allowLoopbackOrigins([origin]),
    });
    const page = expectPage(await fetcher.fetchPage({ url: `${origin}/private/report` }));
    expect(page.httpStatus).toBe(200);
  });

  it('treats a 5xx robots.txt as disallowing the origin for now, without asking again within the TTL', async () => {
    const origin = `http://robots-down.test:${server.port}`;
    const fetcher = makeFetcher({
      lookup: fakeLookup({ 'robots-down.test': ['127.0.0.1'] }),
      allowPrivateAddresses: allowLoopbackOrigins([origin]),
    });
    const robotsFetches = () => server.requestsTo('/robots.txt').filter((request) => request.host === 'robots-down.test').length;
    const error = await captureFailure(fetcher.fetchPage({ url: `${origin}/html-utf8` }));
    expect(error.kind).toBe('robots');
    expect(error.details).toEqual({ httpStatus: 503 });
    expect(error.message).toContain('robots.txt is unreachable (HTTP 503)');
    await captureFailure(fetcher.fetchPage({ url: `${origin}/html-utf8` }));
    expect(robotsFetches()).toBe(1);
    expect(expectPage(await fetcher.fetchPage({ url: `${origin}/html-utf8`, ignoreRobots: true })).httpStatus).toBe(200);
  });

  it('checks robots.txt again on every redirect hop', async () => {
    const error = await captureFailure(makeFetcher().fetchPage({ url: server.url('/redirect?to=/private/report') }));
    expect(error.kind).toBe('robots');
    expect(error.message).toContain('disallows /private/report');
  });

  it('fetches robots.txt again after the cache TTL, and keeps the last rules while it answers 5xx', async () => {
    const origin = `http://flaky-robots.test:${server.port}`;
    let now = Date.parse('2025-01-01T00:00:00Z');
    const fetcher = makeFetcher({
      lookup: fakeLookup({ 'flaky-robots.test': ['127.0.0.1'] }),
      allowPrivateAddresses: allowLoopbackOrigins([origin]),
      robots: { cacheTtlMs: 60_000, unreachableTtlMs: 10_000 },
      clock: () => now,
    });
    const robotsFetches = () => server.requestsTo('/robots.txt').filter((request) => request.host === 'flaky-robots.test').length;

    expect((await captureFailure(fetcher.fetchPage({ url: `${origin}/private/report` }))).kind).toBe('robots');
    expect(robotsFetches()).toBe(1);

    server.robotsDownHosts.add('flaky-robots.test');
    try {
      now += 30_000;
      expectPage(await fetcher.fetchPage({ url: `${origin}/html-utf8` }));
      expect(robotsFetches()).toBe(1);

      now += 60_000;
      expectPage(await fetcher.fetchPage({ url: `${origin}/html-utf8` }));
      expect(robotsFetches()).toBe(2);
      // The 503 did not wipe the rules: /private is still disallowed, not "unreachable".
      const error = await captureFailure(fetcher.fetchPage({ url: `${origin}/private/report` }));
      expect(error.message).toContain('disallows /private/report');
      expect(robotsFetches()).toBe(2);
    } finally {
      server.robotsDownHosts.delete('flaky-robots.test');
    }
  });

  it('can be switched off for the whole fetcher', async () => {
    const page = expectPage(await makeFetcher({ robots: false }).fetchPage({ url: server.url('/private/report') }));
    expect(page.httpStatus).toBe(200);
  });
});

describe('HttpFetcher: per-host politeness', () => {
  async function fetchSlowPages(fetcher: HttpFetcher, count: number, serverDelayMs: number): Promise<void> {
    server.stats.maxInFlight = 0;
    const results = await Promise.all(
      Array.from({ length: count }, (_unused, index) => fetcher.fetchPage({ url: server.url(`/slow?ms=${serverDelayMs}&n=${index}`) })),
    );
    expect(results.map((result) => result.status)).toEqual(Array(count).fill('ok'));
  }

  it('keeps one request in flight per host with perHostConcurrency 1', async () => {
    await fetchSlowPages(makeFetcher({ perHostConcurrency: 1 }), 4, 40);
    expect(server.stats.maxInFlight).toBe(1);
  });

  it('allows two in flight with perHostConcurrency 2', async () => {
    // Long enough server-side that both requests of a pair are surely in flight together, even on a busy machine.
    await fetchSlowPages(makeFetcher({ perHostConcurrency: 2 }), 4, 150);
    expect(server.stats.maxInFlight).toBe(2);
  });

  it('spaces request starts to one host by perHostDelayMs', async () => {
    const fetcher = makeFetcher({ perHostConcurrency: 4, perHostDelayMs: 50, robots: false });
    const marker = `/slow?spaced=${Date.now()}`;
    await Promise.all([0, 1, 2].map((index) => fetcher.fetchPage({ url: server.url(`${marker}-${index}`) })));
    const arrivals = server.stats.requests
      .filter((request) => request.path.startsWith(marker))
      .map((request) => request.receivedAt)
      .sort((a, b) => a - b);
    expect(arrivals).toHaveLength(3);
    for (let index = 1; index < arrivals.length; index += 1) {
      // Arrival times carry transport jitter; the fetcher starts them 50 ms apart.
      expect(arrivals[index]! - arrivals[index - 1]!).toBeGreaterThanOrEqual(25);
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    ['7', 7],
    [' 120 ', 120],
    ['Wed, 01 Jan 2025 00:01:30 GMT', 90],
    ['Tue, 31 Dec 2024 23:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    [undefined, undefined],
  ])('%p -> %p', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
