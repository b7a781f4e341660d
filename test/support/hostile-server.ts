import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

/**
 * A node:http server on 127.0.0.1 that misbehaves on purpose: slow headers, dripping and endless bodies, gzip bombs,
 * redirect loops, redirects to private addresses, odd charsets, robots.txt per Host. Every stalled response is
 * tracked so `close()` ends it and never leaves jest waiting.
 */

export interface RecordedRequest {
  path: string;
  host: string;
  headers: http.IncomingHttpHeaders;
  receivedAt: number;
}

export interface HostileServerStats {
  requests: RecordedRequest[];
  connections: number;
  /** Requests to /slow in flight right now, and the most ever at once. */
  inFlight: number;
  maxInFlight: number;
  /** Body bytes written per path (for the endless routes: proves the client stopped reading). */
  bytesWritten: Map<string, number>;
}

export interface HostileServer {
  origin: string;
  port: number;
  url(path: string): string;
  stats: HostileServerStats;
  /** Hosts (by Host header) whose robots.txt answers 503 for now; robots-down.test always does. */
  robotsDownHosts: Set<string>;
  /** Requests whose path is `path` (query included). */
  requestsTo(path: string): RecordedRequest[];
  close(): Promise<void>;
}

export const ETAG = '"v1"';
export const LAST_MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';
export const RETRY_AFTER_DATE = 'Wed, 21 Oct 2015 07:30:00 GMT';
export const UTF8_SAMPLE = 'café – naïve ✓ “quoted”';
/** The same without ✓, which windows-1252 cannot encode. */
export const CP1252_SAMPLE = 'café – naïve “quoted”';

/** One gzip member of 1 MiB of zeros (about 1 KiB), made once per process. */
const GZIP_BOMB_MEMBER = zlib.gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });

const ROBOTS_TXT = 'User-agent: *\nDisallow: /private\n\nUser-agent: otherbot\nDisallow: /\n';

function page(title: string, bodyText: string, head = ''): string {
  return `<!DOCTYPE html><html><head>${head}<title>${title}</title></head><body><main><h1>${title}</h1><p>${bodyText}</p></main></body></html>`;
}

/** Latin-1/windows-1252 bytes for text whose characters all fit in one byte. */
function windows1252(text: string): Buffer {
  const map: Record<string, number> = { '“': 0x93, '”': 0x94, '–': 0x96 };
  return Buffer.from([...text].map((character) => map[character] ?? character.charCodeAt(0)));
}

export async function startHostileServer(): Promise<HostileServer> {
  const stats: HostileServerStats = { requests: [], connections: 0, inFlight: 0, maxInFlight: 0, bytesWritten: new Map() };
  const timers = new Set<NodeJS.Timeout>();
  // Built before the server listens, so no fetch is ever charged for it: 32 gzip members of 1 MiB of zeros, about
  // 32 KiB on the wire (under the tests' 64 KiB cap), 32 MiB decompressed. Compressing 32 MiB at once would block
  // this process (the client's too) for 0.5 s idle and seconds under load.
  const gzipBomb = Buffer.concat(Array.from({ length: 32 }, () => GZIP_BOMB_MEMBER));
  const robotsDownHosts = new Set<string>(['robots-down.test']);

  const later = (ms: number, callback: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      callback();
    }, ms);
    timers.add(timer);
  };
  const every = (ms: number, callback: () => void): NodeJS.Timeout => {
    const timer = setInterval(callback, ms);
    timers.add(timer);
    return timer;
  };
  const stop = (timer: NodeJS.Timeout): void => {
    clearInterval(timer);
    timers.delete(timer);
  };
  const countBytes = (path: string, bytes: number): void => {
    stats.bytesWritten.set(path, (stats.bytesWritten.get(path) ?? 0) + bytes);
  };

  const html = (
    response: http.ServerResponse,
    body: string | Buffer,
    contentType = 'text/html; charset=utf-8',
    extra: http.OutgoingHttpHeaders = {},
  ): void => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    response.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length, ...extra });
    response.end(bytes);
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    stats.requests.push({ path: url.pathname + url.search, host, headers: request.headers, receivedAt: performance.now() });
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    switch (url.pathname) {
      case '/robots.txt':
        if (host === 'no-robots.test') {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        } else if (robotsDownHosts.has(host)) {
          response.writeHead(503, { 'content-type': 'text/plain' }).end('down');
        } else {
          response.writeHead(200, { 'content-type': 'text/plain' }).end(ROBOTS_TXT);
        }
        return;
      case '/html-utf8':
        return html(response, page('UTF-8', UTF8_SAMPLE));
      case '/windows-1252':
        return html(response, windows1252(page('Cp1252', CP1252_SAMPLE, '<meta charset="windows-1252">')), 'text/html');
      case '/http-equiv':
        return html(
          response,
          windows1252(page('Latin-1', 'café', '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')),
          'text/html',
        );
      case '/no-charset':
        return html(response, page('No charset', UTF8_SAMPLE), 'text/html');
      case '/bom':
        // The header says Latin-1, the body is UTF-8 with a byte order mark: browsers (and redline) believe the BOM.
        return html(
          response,
          Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page('BOM', 'café'), 'utf8')]),
          'text/html; charset=iso-8859-1',
        );
      case '/unknown-charset':
        return html(response, windows1252(page('Unknown', 'café')), 'text/html; charset=x-klingon');
      case '/shift-jis':
        return html(
          response,
          Buffer.concat([Buffer.from('<html><body><p>'), Buffer.from([0x93, 0xfa, 0x96, 0x7b]), Buffer.from('</p></body></html>')]),
          'text/html; charset=Shift_JIS',
        );
      case '/xhtml':
        return html(response, page('XHTML', 'ok'), 'application/xhtml+xml');
      case '/gzip-page':
        return html(response, zlib.gzipSync(page('Gzip', UTF8_SAMPLE)), 'text/html; charset=utf-8', { 'content-encoding': 'gzip' });
      case '/br-page':
        return html(response, zlib.brotliCompressSync(page('Brotli', UTF8_SAMPLE)), 'text/html; charset=utf-8', { 'content-encoding': 'br' });
      case '/zstd-page':
        return html(response, page('Zstd', 'not really'), 'text/html', { 'content-encoding': 'zstd' });
      case '/etag':
        if (request.headers['if-none-match'] === ETAG) {
          response.writeHead(304, { etag: ETAG, 'last-modified': LAST_MODIFIED }).end();
          return;
        }
        return html(response, page('Etag', 'v1'), undefined, { etag: ETAG, 'last-modified': LAST_MODIFIED });
      case '/last-modified':
        if (request.headers['if-modified-since'] === LAST_MODIFIED) {
          response.writeHead(304).end();
          return;
        }
        return html(response, page('Last-Modified', 'v1'), undefined, { 'last-modified': LAST_MODIFIED });
      case '/slow-headers':
        later(5_000, () => html(response, page('Too late', 'late')));
        return;
      case '/drip': {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.write('<html><body>');
        const timer = every(10, () => {
          response.write('.');
          countBytes(url.pathname, 1);
        });
        response.on('close', () => stop(timer));
        return;
      }
      case '/huge-length':
        response.writeHead(200, { 'content-type': 'text/html', 'content-length': 100 * 1024 * 1024 });
        response.write('<html>'.padEnd(1024, ' '));
        countBytes(url.pathname, 1024);
        // Then nothing: the client must refuse on the header alone.
        return;
      case '/huge-chunked': {
        response.writeHead(200, { 'content-type': 'text/html' });
        const chunk = Buffer.alloc(16 * 1024, 0x61);
        const limit = 64 * 1024 * 1024;
        const pump = (): void => {
          while (!response.destroyed && (stats.bytesWritten.get(url.pathname) ?? 0) < limit) {
            countBytes(url.pathname, chunk.length);
            if (!response.write(chunk)) {
              response.once('drain', pump);
              return;
            }
          }
          if (!response.destroyed) response.end();
        };
        pump();
        return;
      }
      case '/gzip-bomb':
        // 32 MiB of zeros in about 32 KiB: under the 64 KiB cap on the wire, far over it decompressed.
        return html(response, gzipBomb, 'text/html', { 'content-encoding': 'gzip' });
      case '/loop-a':
        response.writeHead(302, { location: '/loop-b' }).end();
        return;
      case '/loop-b':
        response.writeHead(301, { location: `${origin}/loop-a` }).end();
        return;
      case '/redirect': {
        response.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
        return;
      }
      case '/pdf':
        response.writeHead(200, { 'content-type': 'application/pdf', 'content-length': 8 }).end('%PDF-1.7');
        return;
      case '/no-content-type':
        response.writeHead(200).end(page('Untyped', 'x'));
        return;
      case '/status/429':
        response.writeHead(429, { 'retry-after': '7', 'content-type': 'text/html' }).end(page('Slow down', 'x'));
        return;
      case '/status/503':
        response.writeHead(503, { 'retry-after': RETRY_AFTER_DATE, 'content-type': 'text/html' }).end(page('Down', 'x'));
        return;
      case '/status/503-plain':
        response.writeHead(503, { 'content-type': 'text/html' }).end(page('Down', 'x'));
        return;
      case '/status/404':
        response.writeHead(404, { 'content-type': 'text/html' }).end(page('Not found', 'x'));
        return;
      case '/private/report':
        return html(response, page('Private', 'not for robots'));
      case '/slow':
        stats.inFlight += 1;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        later(Number(url.searchParams.get('ms') ?? 40), () => {
          stats.inFlight -= 1;
          html(response, page('Slow', url.search));
        });
        return;
      default: {
        const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
        if (chain !== null) {
          const remaining = Number(chain[1]);
          if (remaining === 0) return html(response, page('End of chain', 'x'));
          response.writeHead(307, { location: `/chain/${remaining - 1}` }).end();
          return;
        }
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no such route');
      }
    }
  });
  server.on('connection', () => {
    stats.connections += 1;
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    port,
    url: (path) => `${origin}${path}`,
    stats,
    robotsDownHosts,
    requestsTo: (path) => stats.requests.filter((recorded) => recorded.path === path),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
