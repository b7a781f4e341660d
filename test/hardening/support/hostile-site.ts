import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

/**
 * The hostile cases test/support/hostile-server.ts does not serve: a real report page (the baseline), then what a
 * report site can send instead of it with the HTTP framing intact: an empty or blank 200, an error page served with
 * 200, a report whose headings are gone, a page cut in the middle (complete framing, truncated framing, truncated
 * gzip), bytes that are not text, a wrong or missing charset, a 1 GiB gzip bomb, an endless body, and Retry-After
 * far beyond the backoff. 127.0.0.1 only; close() ends every stalled response.
 */
export interface HostileSite {
  origin: string;
  url(path: string): string;
  /** Body bytes written per path (proves a reader stopped early). */
  bytesWritten: Map<string, number>;
  close(): Promise<void>;
}

const GZIP_MEMBERS = 1024;
/** One gzip member of 1 MiB of zeros (about 1 KiB), made once per process. */
const GZIP_MEMBER = zlib.gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });

/** Windows-1252 bytes for the characters a report uses; anything else outside Latin-1 becomes "?". */
export function windows1252Bytes(text: string): Buffer {
  const special: Record<string, number> = { '€': 0x80, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };
  const bytes: number[] = [];
  for (const character of text) {
    const code = character.charCodeAt(0);
    bytes.push(code < 0x80 ? code : (special[character] ?? (code < 0x100 ? code : 0x3f)));
  }
  return Buffer.from(bytes);
}

export async function startHostileSite(reportHtml: string, options: { now?: () => number } = {}): Promise<HostileSite> {
  const now = options.now ?? Date.now;
  const bytesWritten = new Map<string, number>();
  const count = (path: string, bytes: number) => bytesWritten.set(path, (bytesWritten.get(path) ?? 0) + bytes);
  const report = Buffer.from(reportHtml, 'utf8');
  // A page cut where a server that failed mid-render would stop: inside the report body, at its middle paragraph.
  const bodyStart = reportHtml.indexOf('report__main');
  const paragraphs = [...reportHtml.matchAll(/<p[\s>]/g)].map((match) => match.index).filter((index) => index > bodyStart);
  const half = Buffer.from(reportHtml.slice(0, paragraphs[Math.floor(paragraphs.length / 2)] ?? Math.floor(reportHtml.length / 2)), 'utf8');
  // Built before the server listens, so no fetch is ever charged for it (compressing 16 MiB at once blocks this
  // process, the client's too, for 0.2 s idle and seconds under load).
  const bomb = Buffer.concat(Array.from({ length: GZIP_MEMBERS }, () => GZIP_MEMBER));

  const send = (response: http.ServerResponse, status: number, body: Buffer | string, headers: http.OutgoingHttpHeaders = {}) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': bytes.length, ...headers });
    response.end(bytes);
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    switch (url.pathname) {
      case '/robots.txt':
        response.writeHead(404, { 'content-type': 'text/plain' }).end('none');
        return;
      case '/good':
        return send(response, 200, report);
      case '/empty':
        return send(response, 200, '');
      case '/blank':
        return send(response, 200, '  \n\t  \n');
      case '/error-200':
        return send(
          response,
          200,
          '<!DOCTYPE html><html><head><title>Page Not Found - United States Department of State</title></head><body><header>Menu</header><main><h1>Page not found</h1><p>We could not find the page you were looking for.</p></main></body></html>',
        );
      case '/structure-lost':
        // The report body is there, its headings are not (a template change that turned them into <div>s).
        return send(response, 200, reportHtml.replace(/<h([1-6])\b[^>]*>/g, '<div>').replace(/<\/h[1-6]>/g, '</div>'));
      case '/truncated-html':
        // Complete HTTP framing, half a page: only the HTML itself shows the cut.
        return send(response, 200, half);
      case '/truncated-transfer':
        // Content-Length promises the whole page; the connection dies halfway.
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': report.length });
        response.write(half, () => response.destroy());
        return;
      case '/truncated-gzip': {
        const compressed = zlib.gzipSync(report);
        return send(response, 200, compressed.subarray(0, Math.floor(compressed.length / 2)), { 'content-encoding': 'gzip' });
      }
      case '/binary':
        return send(response, 200, Buffer.from(Array.from({ length: 64 * 1024 }, (_, index) => (index * 7919 + 13) % 256)));
      case '/wrong-charset':
        // Windows-1252 bytes declared as UTF-8: typographic quotes decode to U+FFFD.
        return send(response, 200, windows1252Bytes(reportHtml), { 'content-type': 'text/html; charset=utf-8' });
      case '/meta-charset':
        // No charset in the header, the right one in <meta>: decoded right.
        return send(response, 200, windows1252Bytes(reportHtml.replace(/<head>/i, '<head><meta charset="windows-1252">')), {
          'content-type': 'text/html',
        });
      case '/no-charset':
        // No charset anywhere, UTF-8 bytes: the default is right.
        return send(response, 200, report, { 'content-type': 'text/html' });
      case '/gzip-bomb-1g': {
        // 1,024 concatenated gzip members of 1 MiB of zeros: about 1 MiB on the wire, 1 GiB decompressed.
        return send(response, 200, bomb, { 'content-encoding': 'gzip' });
      }
      case '/endless': {
        // A multi-GB body without a length: it stops only when the reader does.
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = (): void => {
          while (!response.destroyed) {
            count(url.pathname, chunk.length);
            if (!response.write(chunk)) {
              response.once('drain', pump);
              return;
            }
          }
        };
        response.write('<!DOCTYPE html><html><body><main><h1>Endless</h1><p>');
        pump();
        return;
      }
      case '/retry-after-seconds':
        return send(response, 429, '<p>Slow down</p>', { 'retry-after': url.searchParams.get('s') ?? '7200' });
      case '/retry-after-date':
        return send(response, 503, '<p>Maintenance</p>', {
          'retry-after': new Date(now() + Number(url.searchParams.get('ms') ?? 3 * 3_600_000)).toUTCString(),
        });
      case '/unavailable':
        return send(response, 503, '<p>Down</p>');
      default:
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no such route');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    bytesWritten,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
