import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { loadCorpusHtml, stateGovPath } from '../../local/demo/corpus-pages.js';
import { deleteParagraph, insertSentence } from '../../local/demo/known-edits.js';
import { ROBOTS_TXT, startReportSite, type ReportSite } from '../../local/demo/report-site.js';
import { diffDocuments } from '../../shared/domain/diff-documents.js';
import { extract } from '../../shared/domain/extract.js';
import { ExtractionError } from '../../shared/errors.js';

const TORTURE = 'Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other Related Abuses';
const TORTURE_KEY = 'respect-for-the-integrity-of-the-person/torture-and-other-cruel-inhuman-or-degrading';
const EXPRESSION = 'Freedom of Expression, Including for Members of the Press and Other Media';
const SENTENCE = 'Observers reported new cases in the fourth quarter.';
const tuvalu2023 = { country: 'tuvalu', year: 2023 } as const;
const kazakhstan2023 = { country: 'kazakhstan', year: 2023 } as const;

async function get(site: ReportSite, path: string, headers: Record<string, string> = {}) {
  const response = await request(`${site.origin}${path}`, { headers });
  const raw = Buffer.from(await response.body.arrayBuffer());
  const body = response.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  const header = (name: string) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return { status: response.statusCode, body, header };
}

describe('the local report site', () => {
  let site: ReportSite;

  beforeAll(async () => {
    site = await startReportSite({
      schedule: [
        { cycle: 2, page: kazakhstan2023, type: 'edit', edits: [insertSentence(TORTURE, 0, SENTENCE)] },
        { cycle: 3, page: kazakhstan2023, type: 'edit', edits: [deleteParagraph(EXPRESSION, 1)] },
        { cycle: 2, page: { country: 'tuvalu', year: 2024 }, type: 'publish' },
        { cycle: 3, page: tuvalu2023, type: 'error-page' },
        { cycle: 4, page: tuvalu2023, type: 'unavailable', retryAfterSeconds: 120 },
        { cycle: 5, page: tuvalu2023, type: 'unavailable', status: 404 },
      ],
      pageValidators: { 'andorra/2023': 'strong', 'nigeria/2023': 'none' },
    });
    site.setCycle(1);
  });

  afterAll(async () => {
    await site.close();
  });

  it('serves every China edition at its slug of that year, 2024 without the trailing slash, and both spellings', async () => {
    const slugs = {
      2016: 'china-includes-tibet-hong-kong-and-macau/',
      2017: 'china-includes-tibet-hong-kong-and-macau/',
      2018: 'china-includes-tibet-hong-kong-and-macau-china/',
      2019: 'china/',
      2024: 'china',
    } as const;
    for (const [year, slug] of Object.entries(slugs)) {
      const path = `/reports/${year}-country-reports-on-human-rights-practices/${slug}`;
      expect(stateGovPath('china', Number(year))).toBe(path);
      expect(site.url('china', Number(year))).toBe(`${site.origin}${path}`);
      const page = await get(site, path);
      expect({ year, status: page.status }).toEqual({ year, status: 200 });
      // Each edition's own series is its slug; lineage (not a list) makes them one series.
      expect(extract(page.body, { url: site.url('china', Number(year)) })).toMatchObject({
        series: `hrr/${slug.replace(/\/$/, '')}`,
        edition: Number(year),
      });
      const other = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
      expect((await get(site, other)).status).toBe(200);
    }
    // A slug of another year is not that year's page.
    expect((await get(site, '/reports/2019-country-reports-on-human-rights-practices/china-includes-tibet-hong-kong-and-macau/')).status).toBe(404);
    expect((await get(site, '/reports/2018-country-reports-on-human-rights-practices/china/')).status).toBe(404);
  });

  it('answers 404 with an HTML page for unknown paths and editions, 405 for other methods, and serves robots.txt', async () => {
    for (const path of [
      '/reports/2015-country-reports-on-human-rights-practices/kazakhstan/',
      '/reports/2023-country-reports-on-human-rights-practices/atlantis/',
      '/nothing',
    ]) {
      const page = await get(site, path);
      expect({ path, status: page.status, type: page.header('content-type') }).toEqual({ path, status: 404, type: 'text/html; charset=UTF-8' });
    }
    const robots = await get(site, '/robots.txt');
    expect([robots.status, robots.body]).toEqual([200, ROBOTS_TXT]);
    const post = await request(`${site.origin}/robots.txt`, { method: 'POST', body: 'x' });
    await post.body.dump();
    expect(post.statusCode).toBe(405);
  });

  it('changes the chrome on every request but never the report: the Document is the corpus page', async () => {
    const path = stateGovPath('tuvalu', 2023);
    const first = await get(site, path);
    const second = await get(site, path);
    expect(first.body).not.toBe(second.body);
    expect(first.body).toContain('class="promo"');
    expect(first.body).toMatch(/Page generated \d{4}-/);
    const url = site.url('tuvalu', 2023);
    const reference = extract(loadCorpusHtml('tuvalu', 2023), { url });
    expect(extract(first.body, { url })).toEqual(reference);
    expect(extract(second.body, { url })).toEqual(reference);
  });

  it('gzips when asked and sends identity otherwise', async () => {
    const path = stateGovPath('tuvalu', 2022);
    const zipped = await request(`${site.origin}${path}`, { headers: { 'accept-encoding': 'gzip' } });
    const bytes = Buffer.from(await zipped.body.arrayBuffer());
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(bytes).toString('utf8')).toContain('report__main');
    const plain = await request(`${site.origin}${path}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(await plain.body.text()).toContain('report__main');
  });

  it('answers conditional GETs with 304 while the content is unchanged (weak ETag, Last-Modified), 200 once it changes', async () => {
    site.setCycle(1);
    const path = stateGovPath('kazakhstan', 2023);
    const first = await get(site, path);
    const etag = first.header('etag')!;
    const lastModified = first.header('last-modified')!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{20}"$/);
    expect(lastModified).toBe('Fri, 03 Jan 2025 00:00:00 GMT');
    expect((await get(site, path, { 'if-none-match': etag })).status).toBe(304);
    expect((await get(site, path, { 'if-none-match': `"other", ${etag.replace('W/', '')}` })).status).toBe(304);
    expect((await get(site, path, { 'if-modified-since': lastModified })).status).toBe(304);
    // If-None-Match wins over If-Modified-Since (RFC 9110).
    expect((await get(site, path, { 'if-none-match': '"other"', 'if-modified-since': lastModified })).status).toBe(200);

    site.setCycle(2);
    const edited = await get(site, path, { 'if-none-match': etag });
    expect(edited.status).toBe(200);
    expect(edited.header('etag')).not.toBe(etag);
    expect(edited.header('last-modified')).toBe('Sun, 05 Jan 2025 00:00:00 GMT');
    expect((await get(site, path, { 'if-modified-since': lastModified })).status).toBe(200);
    expect((await get(site, path, { 'if-none-match': edited.header('etag')! })).status).toBe(304);
  });

  it('sends a byte ETag that changes on every request (strong) or no validators at all (none), as configured', async () => {
    const strongPath = stateGovPath('andorra', 2023);
    const first = await get(site, strongPath);
    const second = await get(site, strongPath, { 'if-none-match': first.header('etag')! });
    expect(first.header('etag')).toMatch(/^"[0-9a-f]{20}"$/);
    expect(second.status).toBe(200);
    expect(second.header('etag')).not.toBe(first.header('etag'));
    const none = await get(site, stateGovPath('nigeria', 2023));
    expect([none.status, none.header('etag'), none.header('last-modified')]).toEqual([200, undefined, undefined]);
  });

  it('applies the scheduled edits cumulatively, from their cycle on', () => {
    const url = site.url('kazakhstan', 2023);
    const at = (cycle: number) => {
      site.setCycle(cycle);
      return extract(site.contentHtml(kazakhstan2023), { url });
    };
    const [one, two, three] = [at(1), at(2), at(3)];
    const changed = (from: typeof one, to: typeof one) =>
      diffDocuments(from, to)
        .sections.filter((section) => section.kind !== 'unchanged')
        .map((section) => [section.key, section.kind, section.wordsAdded, section.wordsRemoved]);
    expect(changed(one, two)).toEqual([[TORTURE_KEY, 'modified', 8, 0]]);
    expect(changed(two, three)).toEqual([
      ['respect-for-civil-liberties/freedom-of-expression-including-for-members-of', 'modified', 0, expect.any(Number)],
    ]);
    expect(changed(one, three).map(([key]) => key)).toEqual([
      TORTURE_KEY,
      'respect-for-civil-liberties/freedom-of-expression-including-for-members-of',
    ]);
  });

  it('publishes an edition at its cycle (404 before), and serves the error page, 503 and 404 only at their cycle', async () => {
    const unpublished = stateGovPath('tuvalu', 2024);
    const page = stateGovPath('tuvalu', 2023);
    site.setCycle(1);
    expect(site.isPublished({ country: 'tuvalu', year: 2024 })).toBe(false);
    expect((await get(site, unpublished)).status).toBe(404);
    expect(
      site
        .setCycle(2)
        .map((change) => change.type)
        .sort(),
    ).toEqual(['edit', 'publish']);
    expect((await get(site, unpublished)).status).toBe(200);

    expect(
      site
        .advance()
        .map((change) => change.type)
        .sort(),
    ).toEqual(['edit', 'error-page']);
    const errorPage = await get(site, page);
    expect(errorPage.status).toBe(200);
    expect(errorPage.header('etag')).toBeUndefined();
    expect(() => extract(errorPage.body, { url: site.url('tuvalu', 2023) })).toThrow(ExtractionError);

    site.advance();
    const unavailable = await get(site, page);
    expect([unavailable.status, unavailable.header('retry-after')]).toEqual([503, '120']);

    site.advance();
    const gone = await get(site, page);
    expect([gone.status, gone.header('retry-after')]).toEqual([404, undefined]);

    site.advance();
    expect((await get(site, page)).status).toBe(200);
  });

  it('logs every request with its cycle and status', async () => {
    site.setCycle(6);
    const before = site.requests.length;
    await get(site, stateGovPath('tuvalu', 2023));
    expect(site.requests.slice(before)).toEqual([
      { method: 'GET', path: stateGovPath('tuvalu', 2023), status: 200, cycle: 6, bytes: expect.any(Number), conditional: false },
    ]);
  });
});
