import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import render from 'dom-serializer';
import { parseDocument } from 'htmlparser2';
import {
  CORPUS_COUNTRIES,
  isCorpusPage,
  loadCorpusHtml,
  pageLabel,
  stateGovPath,
  stateGovSlug,
  type CorpusCountry,
  type CorpusPageRef,
} from './corpus-pages.js';
import { applyEdits, rotateChrome, type PageEdit } from './known-edits.js';

/**
 * A local stand-in for www.state.gov: the corpus pages at their state.gov paths, with chrome that changes on every
 * request (rotating promo, footer timestamp, script nonce) and a schedule of changes applied at set cycles: known
 * edits of the report text, editions published later (404 before), an error page served with 200, a 503.
 *
 * Validators, per page:
 * - `weak` (default): `ETag: W/"<hash of the report content>"` and `Last-Modified` of the last content change. The
 *   rotating chrome is semantically insignificant, which is what weak validators are for (RFC 9110 8.8.1), so a
 *   conditional GET answers 304 until the content changes.
 * - `strong`: an ETag of the bytes sent, as a naive cache would compute it: new on every request, never a 304.
 * - `none`: no validators at all, as many CMSs send.
 */
export type ValidatorMode = 'weak' | 'strong' | 'none';

export type SiteChange =
  | { cycle: number; page: CorpusPageRef; type: 'edit'; edits: readonly PageEdit[]; note?: string }
  /** The page answers 404 before this cycle. */
  | { cycle: number; page: CorpusPageRef; type: 'publish' }
  /** At this cycle only: a "technical difficulties" page with status 200 and no report in it. */
  | { cycle: number; page: CorpusPageRef; type: 'error-page' }
  /** At this cycle only: an HTTP error, 503 with Retry-After by default (a 404 or 410 gets no Retry-After). */
  | { cycle: number; page: CorpusPageRef; type: 'unavailable'; status?: number; retryAfterSeconds?: number };

export interface ReportSiteOptions {
  host?: string;
  /** 0 (the default) picks a free port; when a fixed port is busy, `fallbackToFreePort` picks one instead. */
  port?: number;
  fallbackToFreePort?: boolean;
  schedule?: readonly SiteChange[];
  validators?: ValidatorMode;
  /** Per-page validator modes, keyed by `<country>/<year>`. */
  pageValidators?: Readonly<Record<string, ValidatorMode>>;
  /** gzip when the client accepts it (default true). */
  compress?: boolean;
  /** Rotate the chrome on every request (default true). */
  rotateChrome?: boolean;
}

export interface SiteRequest {
  method: string;
  path: string;
  status: number;
  cycle: number;
  bytes: number;
  conditional: boolean;
}

export interface ReportSite {
  readonly origin: string;
  readonly port: number;
  readonly cycle: number;
  /** Page requests served (robots.txt excluded): the chrome seed of the next page. */
  readonly pageRequests: number;
  readonly requests: readonly SiteRequest[];
  /** The page's URL on this site, as state.gov spells its path. */
  url(country: CorpusCountry, year: number): string;
  /** Moves to the next cycle and returns the changes that take effect in it. */
  advance(): SiteChange[];
  setCycle(cycle: number): SiteChange[];
  changesAt(cycle: number): SiteChange[];
  /** Whether the page exists (is published) at the current cycle. */
  isPublished(page: CorpusPageRef): boolean;
  /** The page as served at the current cycle, without chrome (the content the validators describe). */
  contentHtml(page: CorpusPageRef): string;
  close(): Promise<void>;
}

export const ROBOTS_TXT = 'User-agent: *\nDisallow: /search/\nDisallow: /drafts/\n';

const REPORT_PATH = /^\/reports\/(\d{4})-country-reports-on-human-rights-practices\/([a-z0-9-]+?)\/?$/;
/** Content dates of the corpus pages (JSON-LD dateModified; article:modified_time for 2024). */
const BASE_MODIFIED = Date.UTC(2025, 0, 3);
const BASE_MODIFIED_2024 = Date.UTC(2025, 7, 12);
const DAY_MS = 86_400_000;

interface ContentState {
  html: string;
  etag: string;
  lastModified: Date;
  /** The HTML split around the body's content, so the chrome is spliced in without re-parsing the page. */
  head: string;
  tail: string;
}

export async function startReportSite(options: ReportSiteOptions = {}): Promise<ReportSite> {
  const host = options.host ?? '127.0.0.1';
  const schedule = [...(options.schedule ?? [])];
  const compress = options.compress ?? true;
  const chromeOn = options.rotateChrome ?? true;
  const requests: SiteRequest[] = [];
  const contentCache = new Map<string, ContentState>();
  let cycle = 0;
  let pageRequests = 0;

  const keyOf = (page: CorpusPageRef) => `${page.country}/${page.year}`;
  const changesFor = (page: CorpusPageRef, predicate: (change: SiteChange) => boolean) =>
    schedule.filter((change) => keyOf(change.page) === keyOf(page) && predicate(change));
  const changesAt = (at: number) => schedule.filter((change) => change.cycle === at);

  const isPublished = (page: CorpusPageRef) => {
    const publish = changesFor(page, (change) => change.type === 'publish');
    return publish.length === 0 || publish.some((change) => change.cycle <= cycle);
  };

  const contentState = (page: CorpusPageRef): ContentState => {
    const edits = changesFor(page, (change) => change.type === 'edit' && change.cycle <= cycle) as Extract<SiteChange, { type: 'edit' }>[];
    const cacheKey = `${keyOf(page)}#${edits.length}`;
    const cached = contentCache.get(cacheKey);
    if (cached) return cached;
    const base = loadCorpusHtml(page.country, page.year);
    const html =
      edits.length === 0
        ? base
        : applyEdits(
            base,
            edits.flatMap((change) => change.edits),
          );
    const published = changesFor(page, (change) => change.type === 'publish').map((change) => change.cycle);
    const lastChange = Math.max(0, ...edits.map((change) => change.cycle), ...published);
    const state: ContentState = {
      html,
      etag: `W/"${createHash('sha256').update(html).digest('hex').slice(0, 20)}"`,
      lastModified: new Date((page.year >= 2024 ? BASE_MODIFIED_2024 : BASE_MODIFIED) + lastChange * DAY_MS),
      ...splitBody(html),
    };
    contentCache.set(cacheKey, state);
    return state;
  };

  const transientAt = (page: CorpusPageRef) =>
    changesFor(page, (change) => change.cycle === cycle && (change.type === 'error-page' || change.type === 'unavailable'))[0];

  const validatorMode = (page: CorpusPageRef): ValidatorMode => options.pageValidators?.[keyOf(page)] ?? options.validators ?? 'weak';

  const send = (
    request: IncomingMessage,
    response: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string>,
    conditional = false,
  ) => {
    let bytes: Buffer = Buffer.from(body, 'utf8');
    const out: Record<string, string | number> = { ...headers };
    if (status !== 304 && compress && bytes.length > 1024 && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      bytes = gzipSync(bytes, { level: 1 });
      out['content-encoding'] = 'gzip';
      out.vary = 'Accept-Encoding';
    }
    if (status !== 304) out['content-length'] = bytes.length;
    response.writeHead(status, out);
    response.end(request.method === 'HEAD' || status === 304 ? undefined : bytes);
    requests.push({
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      status,
      cycle,
      bytes: status === 304 ? 0 : bytes.length,
      conditional,
    });
  };

  const chromed = (state: { head: string; tail: string }): string => {
    if (!chromeOn) return `${state.head}${state.tail}`;
    const { prefix, suffix } = chromeFragments(pageRequests++);
    return `${state.head}${prefix}${state.tail.slice(0, state.tail.lastIndexOf('</body>'))}${suffix}${state.tail.slice(state.tail.lastIndexOf('</body>'))}`;
  };

  const servePage = (request: IncomingMessage, response: ServerResponse, page: CorpusPageRef) => {
    const transient = transientAt(page);
    if (transient?.type === 'unavailable') {
      const status = transient.status ?? 503;
      const headers: Record<string, string> = { 'content-type': 'text/html; charset=UTF-8', 'cache-control': 'no-store' };
      if (status === 503 || status === 429) headers['retry-after'] = String(transient.retryAfterSeconds ?? 300);
      const body =
        status === 404 || status === 410
          ? chromed(splitBody(simplePage('Page Not Found', 'The page you requested could not be found.')))
          : simplePage('Service Unavailable', 'The site is down for maintenance. Please try again later.');
      return send(request, response, status, body, headers);
    }
    if (transient?.type === 'error-page') {
      const body = chromed(
        splitBody(simplePage("We're sorry", 'This site is currently experiencing technical difficulties. Please try again later.')),
      );
      return send(request, response, 200, body, { 'content-type': 'text/html; charset=UTF-8', 'cache-control': 'no-store' });
    }
    const state = contentState(page);
    const mode = validatorMode(page);
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=UTF-8', 'cache-control': 'no-cache' };
    if (mode === 'weak') {
      headers.etag = state.etag;
      headers['last-modified'] = state.lastModified.toUTCString();
      if (notModified(request, state.etag, state.lastModified)) return send(request, response, 304, '', headers, true);
    }
    const body = chromed(state);
    if (mode === 'strong') {
      headers.etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 20)}"`;
      headers['last-modified'] = new Date().toUTCString();
    }
    send(request, response, 200, body, headers, request.headers['if-none-match'] !== undefined || request.headers['if-modified-since'] !== undefined);
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://site.invalid');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(request, response, 405, simplePage('Method Not Allowed', 'Only GET and HEAD.'), {
        allow: 'GET, HEAD',
        'content-type': 'text/html; charset=UTF-8',
      });
    }
    if (url.pathname === '/robots.txt') {
      return send(request, response, 200, ROBOTS_TXT, { 'content-type': 'text/plain; charset=UTF-8' });
    }
    if (url.pathname === '/') {
      return send(request, response, 200, indexPage(isPublished), { 'content-type': 'text/html; charset=UTF-8', 'cache-control': 'no-cache' });
    }
    const page = pageAt(url.pathname);
    if (page && isPublished(page)) return servePage(request, response, page);
    const body = chromed(splitBody(simplePage('Page Not Found', 'The page you requested could not be found.')));
    return send(request, response, 404, body, { 'content-type': 'text/html; charset=UTF-8' });
  });

  const port = await listen(server, options.port ?? 0, host, options.fallbackToFreePort ?? false);
  const origin = `http://${host}:${port}`;
  return {
    origin,
    port,
    get cycle() {
      return cycle;
    },
    get pageRequests() {
      return pageRequests;
    },
    requests,
    url: (country, year) => `${origin}${stateGovPath(country, year)}`,
    advance() {
      cycle += 1;
      return changesAt(cycle);
    },
    setCycle(next) {
      if (!Number.isInteger(next) || next < 0) throw new RangeError(`cycle must be a non-negative integer, not ${next}`);
      cycle = next;
      return changesAt(cycle);
    },
    changesAt,
    isPublished,
    contentHtml: (page) => contentState(page).html,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Which corpus page a path names: every slug the page has had in its edition, with or without the trailing slash. */
function pageAt(pathname: string): CorpusPageRef | undefined {
  const match = REPORT_PATH.exec(pathname);
  if (!match) return undefined;
  const year = Number(match[1]);
  const slug = match[2]!;
  const country = CORPUS_COUNTRIES.find((candidate) => stateGovSlug(candidate, year) === slug);
  return country && isCorpusPage(country, year) ? { country, year } : undefined;
}

/**
 * RFC 9110 13.2.2: If-None-Match (weak comparison for GET) takes precedence, and If-Modified-Since is read only
 * without it.
 */
function notModified(request: IncomingMessage, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
  }
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}

/**
 * rotateChrome applied to an empty page, cut into what goes after `<body ...>` and before `</body>`: the same
 * elements that rotateChrome adds to a full page, spliced in without parsing the 300 KB page on every request.
 */
function chromeFragments(seed: number): { prefix: string; suffix: string } {
  const marker = '<!--redline-content-->';
  const dom = parseDocument(`<html><body>${marker}</body></html>`, { decodeEntities: false });
  rotateChrome(seed).apply(dom);
  const html = render(dom, { decodeEntities: false });
  const inner = html.slice(html.indexOf('<body>') + '<body>'.length, html.lastIndexOf('</body>'));
  const [prefix = '', suffix = ''] = inner.split(marker);
  return { prefix, suffix };
}

function splitBody(html: string): { head: string; tail: string } {
  const open = /<body\b[^>]*>/i.exec(html);
  const cut = open ? open.index + open[0].length : 0;
  const tail = html.slice(cut);
  return { head: html.slice(0, cut), tail: tail.includes('</body>') ? tail : `${tail}</body>` };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[character]!);
}

/** A page in the site's template but without a report body: error pages look like this. */
function simplePage(title: string, message: string): string {
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - United States Department of State</title></head>` +
    `<body><header class="site-header"><a href="/">U.S. Department of State (local copy)</a></header>` +
    `<main id="content"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>`
  );
}

function indexPage(isPublished: (page: CorpusPageRef) => boolean): string {
  const items = CORPUS_COUNTRIES.flatMap((country) =>
    [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]
      .filter((year) => isPublished({ country, year }))
      .map((year) => `<li><a href="${stateGovPath(country, year)}">${escapeHtml(pageLabel({ country, year }))}</a></li>`),
  );
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Country Reports (local copy)</title></head>` +
    `<body><main><h1>Country Reports on Human Rights Practices (local copy)</h1><ul>${items.join('')}</ul></main></body></html>`
  );
}

async function listen(server: ReturnType<typeof createServer>, port: number, host: string, fallback: boolean): Promise<number> {
  const attempt = (candidate: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (error: Error) => {
        server.off('listening', onListening);
        reject(error);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(candidate, host);
    });
  try {
    return await attempt(port);
  } catch (error) {
    if (!fallback || port === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return attempt(0);
  }
}
