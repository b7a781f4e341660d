import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allowLoopbackOrigins } from '../../shared/adapters/outbound-http/address-guard.js';
import { HttpFetcher, type HttpFetcherOptions } from '../../shared/adapters/outbound-http/http-fetcher.js';
import { CaptureError } from '../../shared/errors.js';
import type { PageResult } from '../../shared/ports/fetcher.js';
import { httpFetcherOptionsFromConfig, lazyHttpFetcher } from '../../shared/runtime/lazy-http-fetcher.js';
import { loadCorpusPage } from '../support/corpus.js';

/**
 * The capture function's fetcher, made at cold start without importing the HTTP client (shared/runtime/lazy-http-fetcher.ts):
 * it imports HttpFetcher (and undici) on the first fetch and then fetches as HttpFetcher itself does, here a real
 * report page from a local server. test/infra/function-imports.test.ts checks that the bundle's start chunk leaves
 * both out.
 */
describe('lazyHttpFetcher', () => {
  const page = loadCorpusPage('kazakhstan', 2023);
  let server: Server;
  let origin: string;
  let requests: string[];
  let options: HttpFetcherOptions;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      if (request.url === '/robots.txt') response.writeHead(404).end();
      else if (request.url === '/report') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      else response.writeHead(503, { 'content-type': 'text/html' }).end('<p>down</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    options = { userAgent: 'redline-test/0.1 (lazy fetcher)', perHostDelayMs: 0, allowPrivateAddresses: allowLoopbackOrigins([origin]) };
  });
  beforeEach(() => (requests = []));
  afterAll(async () => new Promise((resolve) => server.close(resolve)));

  it('fetches a report page exactly as HttpFetcher does', async () => {
    const lazy = lazyHttpFetcher(options);
    const direct = new HttpFetcher(options);
    try {
      const [fromLazy, fromDirect] = [await lazy.fetchPage({ url: `${origin}/report` }), await direct.fetchPage({ url: `${origin}/report` })];
      expect(fromLazy.status).toBe('ok');
      const { fetchedAt: _lazyTime, ...lazyPage } = fromLazy as PageResult;
      const { fetchedAt: _directTime, ...directPage } = fromDirect as PageResult;
      expect(lazyPage).toEqual(directPage);
      expect(lazyPage.text).toBe(page);
    } finally {
      await Promise.all([lazy.close(), direct.close()]);
    }
  });

  it('makes one fetcher for concurrent first fetches (robots.txt read once), and throws its CaptureErrors', async () => {
    const lazy = lazyHttpFetcher(options);
    try {
      const results = await Promise.all([lazy.fetchPage({ url: `${origin}/report` }), lazy.fetchPage({ url: `${origin}/report` })]);
      expect(results.map((result) => result.status)).toEqual(['ok', 'ok']);
      expect(requests.filter((path) => path === '/robots.txt')).toEqual(['/robots.txt']);
      const failure = await lazy.fetchPage({ url: `${origin}/gone` }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(CaptureError);
      expect(failure).toMatchObject({ kind: 'http-status', details: { httpStatus: 503 } });
    } finally {
      await lazy.close();
    }
  });

  it('closes without importing anything when it never fetched, and sends nothing', async () => {
    await expect(lazyHttpFetcher(options).close()).resolves.toBeUndefined();
    expect(requests).toEqual([]);
  });

  it("takes the capture function's settings from the configuration", () => {
    const config = { REDLINE_USER_AGENT: 'redline/1 (+ops@example.org)', REDLINE_MAX_BODY_BYTES: 4096, REDLINE_FETCH_TIMEOUT_MS: 9000 };
    expect(httpFetcherOptionsFromConfig(config)).toEqual({ userAgent: 'redline/1 (+ops@example.org)', maxBodyBytes: 4096, totalTimeoutMs: 9000 });
  });
});
