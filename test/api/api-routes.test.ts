import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseDocument, parseFeed } from 'htmlparser2';
import { auditTerms, auditToCsv } from '../../shared/domain/audit.js';
import { diffDocuments } from '../../shared/domain/diff-documents.js';
import { renderUnified, visibleSections } from '../../shared/domain/diff-rendering.js';
import type { Document } from '../../shared/domain/document.js';
import type { RevisionDiff } from '../../shared/domain/revision-diff.js';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';
import { learnEditionMap } from '../../shared/domain/edition-map.js';
import { revisionView } from '../../shared/use-cases/queries/views.js';
import { cli } from '../cli/cli-fixture.js';
import {
  ADDED_TORTURE_SENTENCE,
  API_TOKEN,
  PAGINATION_PAGE,
  PAGINATION_REVISIONS,
  RENAMED_TRAFFICKING_KEY,
  TORTURE_KEY,
  TRAFFICKING_KEY,
  corpusDocument,
  hrrUrl,
  startApiFixture,
  type ApiFixture,
} from './api-fixture.js';

const KZ = 'hrr.kazakhstan.2024';
let fixture: ApiFixture;

beforeAll(async () => {
  fixture = await startApiFixture();
}, 120_000);

afterAll(async () => {
  await fixture?.close();
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function request(path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${fixture.server.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

const bearer = { authorization: `Bearer ${API_TOKEN}` };

/** A direct invocation of the handler with an HTTP API event, as API Gateway would send it. */
async function invoke(method: string, path: string, extra: Partial<APIGatewayProxyEventV2> & { iam?: boolean } = {}) {
  const { iam, ...rest } = extra;
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.org', 'x-forwarded-proto': 'https' },
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.org',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' },
      requestId: 'id',
      routeKey: '$default',
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(iam ? { authorizer: { iam: { accessKey: 'AKIA', accountId: '123456789012', userArn: 'arn:aws:iam::123456789012:user/ops' } } } : {}),
    },
    ...rest,
  } as APIGatewayProxyEventV2;
  return (await fixture.handler(event, localLambdaContext('api'))) as { statusCode: number; headers: Record<string, string>; body: string };
}

async function latestDocument(page: string): Promise<Document> {
  const latest = await fixture.dependencies.revisions.latestRevision(page);
  return fixture.dependencies.snapshots.getDocument(latest!.documentKey);
}

function withVisibleSections(diff: RevisionDiff, includeUnchanged: boolean): RevisionDiff {
  return JSON.parse(JSON.stringify({ ...diff, sections: visibleSections(diff, { includeUnchanged }) }));
}

describe('pages', () => {
  it('lists every page by id, without fetch validators or storage keys', async () => {
    const answer = await request('/pages');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=60');
    const body = answer.json();
    expect(body.items.map((item: { page: string }) => item.page)).toEqual([
      PAGINATION_PAGE,
      'hrr.kazakhstan.2022',
      'hrr.kazakhstan.2023',
      KZ,
      'hrr.nigeria.2024',
    ]);
    expect(body.nextCursor).toBeUndefined();
    const kazakhstan = body.items.find((item: { page: string }) => item.page === KZ);
    expect(Object.keys(kazakhstan).sort()).toEqual(
      [
        'consecutiveFailures',
        'createdAt',
        'edition',
        'intervalMinutes',
        'lastCheckedAt',
        'nextDueAt',
        'origin',
        'page',
        'profile',
        'series',
        'url',
      ].sort(),
    );
  });

  it('filters by series, in the ~ form and the plain form alike, oldest edition first', async () => {
    for (const series of ['hrr~kazakhstan', 'hrr/kazakhstan', 'hrr%2Fkazakhstan']) {
      const body = (await request(`/pages?series=${series}`)).json();
      expect(body.items.map((item: { page: string }) => item.page)).toEqual(['hrr.kazakhstan.2022', 'hrr.kazakhstan.2023', KZ]);
    }
  });

  it('shows one page with its latest revision', async () => {
    const body = (await request(`/pages/${KZ}`)).json();
    const page = await fixture.dependencies.revisions.getPage(KZ);
    expect(body).toEqual({
      page: KZ,
      url: 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/kazakhstan/',
      series: 'hrr/kazakhstan',
      edition: 2024,
      profile: 'state-hrr',
      createdAt: page!.createdAt,
      origin: 'watch',
      intervalMinutes: 1440,
      lastCheckedAt: page!.lastCheckedAt,
      nextDueAt: page!.nextDueAt,
      consecutiveFailures: 0,
      latestRevision: {
        seq: 4,
        capturedAt: '2025-03-01T07:00:00.000Z',
        significance: (await fixture.dependencies.revisions.getRevision(KZ, 4))!.significance,
        title: '2024 Country Reports on Human Rights Practices: Kazakhstan',
      },
    });
  });

  it('answers 404 for an unknown page and 400 for a malformed id or limit', async () => {
    expect((await request('/pages/hrr.atlantis.2024')).json()).toEqual(expect.objectContaining({ status: 404, detail: 'No page hrr.atlantis.2024' }));
    expect((await request('/pages/hrr.atlantis.2024/revisions')).status).toBe(404);
    const malformed = await request('/pages/..%2Fetc');
    expect(malformed.status).toBe(400);
    expect(malformed.json().detail).toMatch(/page id/);
    for (const limit of ['0', '101', 'ten']) {
      const answer = await request(`/pages?limit=${limit}`);
      expect(answer.status).toBe(400);
      expect(answer.json().detail).toMatch(/^limit: /);
    }
  });
});

describe('revisions', () => {
  it('lists revisions newest first, as stored', async () => {
    const body = (await request(`/pages/${KZ}/revisions`)).json();
    expect(body.items.map((item: { seq: number }) => item.seq)).toEqual([4, 3, 2, 1]);
    const stored = (await fixture.dependencies.revisions.listRevisions(KZ)).items.map(revisionView);
    expect(body.items).toEqual(JSON.parse(JSON.stringify(stored)));
    expect(body.items[2].sections).toEqual([
      expect.objectContaining({ key: TORTURE_KEY, kind: 'modified', kinds: ['modified'], wordsAdded: 9, wordsRemoved: 0 }),
    ]);
    expect(body.items[1].sections).toEqual([
      expect.objectContaining({
        key: RENAMED_TRAFFICKING_KEY,
        previousKey: TRAFFICKING_KEY,
        kind: 'renamed',
        heading: 'Trafficking in Human Beings',
      }),
    ]);
    expect(body.items[3]).toMatchObject({ seq: 1, summary: null, sections: [] });
    expect(body.items[0]).not.toHaveProperty('documentKey');
    expect(body.items[0]).not.toHaveProperty('diffKey');
  });

  it('pages through many revisions with opaque cursors: every revision exactly once, in order', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const body = (await request(`/pages/${PAGINATION_PAGE}/revisions?limit=7${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(body.items.length).toBe(cursor === undefined || body.nextCursor ? 7 : PAGINATION_REVISIONS % 7);
      seen.push(...body.items.map((item: { seq: number }) => item.seq));
      cursor = body.nextCursor;
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(PAGINATION_REVISIONS / 7));
    expect(seen).toEqual(Array.from({ length: PAGINATION_REVISIONS }, (_, index) => PAGINATION_REVISIONS - index));
  });

  it('refuses forged cursors and cursors of another listing', async () => {
    const forged = await request(`/pages/${KZ}/revisions?cursor=bm90LWpzb24`);
    expect(forged.status).toBe(400);
    expect(forged.json().detail).toBe('Invalid cursor');
    const other = (await request(`/pages/${PAGINATION_PAGE}/revisions?limit=2`)).json().nextCursor;
    const foreign = await request(`/pages/${KZ}/revisions?cursor=${other}`);
    expect(foreign.status).toBe(400);
    expect(foreign.json().detail).toBe('Cursor does not belong to this listing');
  });

  it('shows one revision, cacheable for good', async () => {
    const answer = await request(`/pages/${KZ}/revisions/3`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(answer.json()).toEqual(JSON.parse(JSON.stringify(revisionView((await fixture.dependencies.revisions.getRevision(KZ, 3))!))));
    expect((await request(`/pages/${KZ}/revisions/99`)).json()).toEqual(
      expect.objectContaining({ status: 404, detail: `No revision 99 of page ${KZ}` }),
    );
    const bad = await request(`/pages/${KZ}/revisions/third`);
    expect(bad.status).toBe(400);
    expect(bad.json().detail).toMatch(/^seq: /);
  });
});

describe('diffs between revisions', () => {
  it('serves the stored diff for consecutive revisions', async () => {
    const answer = await request(`/pages/${KZ}/diff?from=1&to=2`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = answer.json();
    const revision = (await fixture.dependencies.revisions.getRevision(KZ, 2))!;
    expect(body.source).toBe('stored');
    expect(body.from).toMatchObject({ seq: 1, capturedAt: '2025-03-01T04:00:00.000Z' });
    expect(body.to).toMatchObject({ seq: 2, capturedAt: '2025-03-01T05:00:00.000Z', documentHash: revision.documentHash });
    expect(body.diff).toEqual(withVisibleSections(await fixture.dependencies.snapshots.getDiff(revision.diffKey!), false));
    expect(body.diff.sections.map((section: { key: string }) => section.key)).toEqual([TORTURE_KEY]);
  });

  it('diffs any two revisions from their Documents, in either direction', async () => {
    const [v1, , , v4] = fixture.kazakhstan2024;
    const forward = (await request(`/pages/${KZ}/diff?from=1&to=4`)).json();
    expect(forward.source).toBe('computed');
    expect(forward.diff).toEqual(withVisibleSections(diffDocuments(v1!, v4!), false));
    expect(forward.diff.sections.map((section: { key: string; kinds: string[] }) => [section.key, section.kinds])).toEqual([
      [RENAMED_TRAFFICKING_KEY, ['renamed', 'modified']],
      [TORTURE_KEY, ['modified']],
    ]);
    const backward = (await request(`/pages/${KZ}/diff?from=4&to=1&unchanged=true`)).json();
    expect(backward.diff).toEqual(withVisibleSections(diffDocuments(v4!, v1!), true));
  });

  it('renders text and HTML', async () => {
    const [v1, v2] = fixture.kazakhstan2024;
    const text = await request(`/pages/${KZ}/diff?from=1&to=2&format=text`);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.text).toBe(renderUnified(diffDocuments(v1!, v2!)));
    expect(text.text).toContain(`{+ ${ADDED_TORTURE_SENTENCE}+}`);
    const html = await request(`/pages/${KZ}/diff?from=1&to=2&format=html`);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.text).toMatch(/^<!doctype html>/);
    expect(html.text).toContain(`<ins> ${ADDED_TORTURE_SENTENCE}</ins>`);
    expect(html.text).toContain(`data-key="${TORTURE_KEY}"`);
  });

  it('names the bad parameter, and answers 404 for an unknown revision', async () => {
    const cases: [string, RegExp][] = [
      ['from=1', /^to: /],
      ['from=x&to=2', /^from: /],
      ['from=1&to=2&format=pdf', /^format: /],
      ['from=1&to=2&unchanged=yes', /^unchanged: /],
      ['from=2&to=2', /^to: must differ from from$/],
    ];
    for (const [query, message] of cases) {
      const answer = await request(`/pages/${KZ}/diff?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.json().detail).toMatch(message);
    }
    expect((await request(`/pages/${KZ}/diff?from=1&to=9`)).json()).toEqual(
      expect.objectContaining({ status: 404, detail: `No revision 9 of page ${KZ}` }),
    );
    expect((await request('/pages/hrr.atlantis.2024/diff?from=1&to=2')).status).toBe(404);
  });
});

describe('section history', () => {
  const expectedTrafficking = [
    { seq: 4, key: RENAMED_TRAFFICKING_KEY, kind: 'modified' },
    { seq: 3, key: RENAMED_TRAFFICKING_KEY, previousKey: TRAFFICKING_KEY, kind: 'renamed' },
  ];

  it('follows renames both ways, with the key in the ~ form or percent-encoded', async () => {
    const answers = await Promise.all(
      [`liberty~trafficking-in-persons`, 'liberty%2Ftrafficking-in-persons', 'liberty~trafficking-in-human-beings'].map((key) =>
        request(`/pages/${KZ}/sections/${key}/history`),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const body = answer.json();
      expect(
        body.changes.map(({ seq, key, previousKey, kind }: Record<string, unknown>) => ({ seq, key, kind, ...(previousKey ? { previousKey } : {}) })),
      ).toEqual(expectedTrafficking);
      expect([...body.keys].sort()).toEqual([TRAFFICKING_KEY, RENAMED_TRAFFICKING_KEY].sort());
    }
    expect(answers[0]!.json().key).toBe(TRAFFICKING_KEY);
    expect(answers[2]!.json().key).toBe(RENAMED_TRAFFICKING_KEY);
  });

  it('lists only the revisions that changed the section', async () => {
    const body = (await request(`/pages/${KZ}/sections/${TORTURE_KEY.replaceAll('/', '~')}/history`)).json();
    expect(body.changes).toEqual([
      expect.objectContaining({ seq: 2, previousSeq: 1, capturedAt: '2025-03-01T05:00:00.000Z', key: TORTURE_KEY, kind: 'modified', wordsAdded: 9 }),
    ]);
    expect((await request(`/pages/${KZ}/sections/executive-summary/history`)).json().changes).toEqual([]);
  });

  it('answers 404 for a key that is no section of the page, never an empty list', async () => {
    const answer = await request(`/pages/${KZ}/sections/no-such-section~anywhere/history`);
    expect(answer.status).toBe(404);
    expect(answer.json().detail).toBe(`No section no-such-section/anywhere in page ${KZ}`);
  });

  it('routes a key whose slashes API Gateway already decoded', async () => {
    const result = await invoke('GET', `/pages/${KZ}/sections/${TRAFFICKING_KEY}/history`);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).key).toBe(TRAFFICKING_KEY);
    expect(JSON.parse(result.body).changes).toHaveLength(2);
  });
});

describe('series, editions and edition comparison', () => {
  it('lists series and a series’ editions', async () => {
    expect((await request('/series')).json()).toEqual({
      items: [
        { series: 'hrr/kazakhstan', profile: 'state-hrr', firstSeenAt: expect.any(String) },
        { series: 'hrr/nigeria', profile: 'state-hrr', firstSeenAt: expect.any(String) },
      ],
    });
    const editions = (await request('/series/hrr~kazakhstan/editions')).json();
    expect(editions.series).toBe('hrr/kazakhstan');
    expect(editions.editions.map((entry: { edition: number; page: string }) => [entry.edition, entry.page])).toEqual([
      [2022, 'hrr.kazakhstan.2022'],
      [2023, 'hrr.kazakhstan.2023'],
      [2024, KZ],
    ]);
    expect((await request('/series/hrr%2Fkazakhstan/editions')).json()).toEqual(editions);
    expect((await request('/series/hrr~atlantis/editions')).json()).toEqual(
      expect.objectContaining({ status: 404, detail: 'No series hrr/atlantis' }),
    );
  });

  it('gives a series’ lineage: its editions under their own slugs, aliases, links and unlinks', async () => {
    const lineage = (await request('/series/hrr~kazakhstan/lineage')).json();
    expect(lineage).toEqual({
      series: 'hrr/kazakhstan',
      profile: 'state-hrr',
      aliases: [],
      editions: [2022, 2023, 2024].map((edition) => ({
        edition,
        page: `hrr.kazakhstan.${edition}`,
        series: 'hrr/kazakhstan',
        url: hrrUrl('kazakhstan', edition),
      })),
      links: [],
      keptApart: [],
    });
    expect((await request('/series/hrr~atlantis/lineage')).json()).toEqual(
      expect.objectContaining({ status: 404, detail: 'No series hrr/atlantis' }),
    );
  });

  it('aligns the latest Documents of two editions', async () => {
    const answer = await request('/series/hrr~kazakhstan/compare?from=2023&to=2024');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=300');
    const body = answer.json();
    const expected = diffDocuments(corpusDocument('kazakhstan', 2023), await latestDocument(KZ));
    expect(body.series).toBe('hrr/kazakhstan');
    expect(body.from).toMatchObject({ edition: 2023, page: 'hrr.kazakhstan.2023', seq: 1 });
    expect(body.to).toMatchObject({ edition: 2024, page: KZ, seq: 4 });
    expect(body.diff).toEqual(withVisibleSections(expected, true));
    expect(body.diff.summary.renamed).toBeGreaterThan(0);
    expect(body.diff.summary.added).toBeGreaterThan(0);
    expect(body.diff.summary.removed).toBeGreaterThan(0);
    const renamed = body.diff.sections.find((section: { kinds: string[] }) => section.kinds.includes('renamed'));
    expect(renamed.previousKey).not.toBe(renamed.key);

    const text = await request('/series/hrr~kazakhstan/compare?from=2023&to=2024&format=text&unchanged=false');
    expect(text.text).toBe(renderUnified(expected));
  });

  it('names bad editions and answers 404 for missing ones', async () => {
    expect((await request('/series/hrr~kazakhstan/compare?from=2019&to=2024')).json()).toMatchObject({
      status: 404,
      detail: 'No edition 2019 of series hrr/kazakhstan',
    });
    const missing = await request('/series/hrr~kazakhstan/compare?to=2024');
    expect(missing.status).toBe(400);
    expect(missing.json().detail).toMatch(/^from: /);
    expect((await request('/series/hrr~atlantis/compare?from=2023&to=2024')).status).toBe(404);
  });
});

describe('edition map', () => {
  it('maps one edition’s sections to the next edition’s, as JSON or CSV', async () => {
    const answer = await request('/editions/hrr/map?from=2023&to=2024');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=300');
    const map = answer.json();
    // Only Kazakhstan has both editions: the map is its own alignment (from its latest Documents).
    const expected = learnEditionMap('hrr', 2023, 2024, [
      { series: 'hrr/kazakhstan', previous: corpusDocument('kazakhstan', 2023), next: await latestDocument(KZ) },
    ]);
    expect(map).toEqual(expected);
    expect(
      map.rows.find(
        (row: { from: { heading: string } }) => row.from.heading === 'Freedom of Expression, Including for Members of the Press and Other Media',
      ),
    ).toMatchObject({
      kind: 'renamed',
      to: { heading: 'Freedom of the Press' },
      support: 1,
      present: 1,
    });

    const changed = (await request('/editions/hrr/map?from=2023&to=2024&changed=true')).json();
    expect(changed.rows.length).toBeGreaterThan(0);
    expect(changed.rows.every((row: { kind: string }) => row.kind !== 'same')).toBe(true);
    const csv = await request('/editions/hrr~kazakhstan/map?from=2023&to=2024&format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('kind,from_key,from_heading,to_key,to_heading,support,present,confidence');
    expect(lines).toHaveLength(expected.rows.length + 2);
  });

  it('gives the CLI the same map over the API (redline editions map --api)', async () => {
    const result = await cli(['editions', 'map', 'hrr', '--from', '2023', '--to', '2024', '--json', '--api', fixture.server.url]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual((await request('/editions/hrr/map?from=2023&to=2024')).json());
  });

  it('names the problem of a bad request: 400, or 404 for a report without series', async () => {
    const error = async (path: string) => {
      const answer = await request(path);
      return [answer.status, answer.json().detail];
    };
    expect(await error('/editions/hrr~nigeria/map?from=2023&to=2024')).toEqual([
      400,
      'Series hrr/nigeria has only edition 2024 captured: an edition map needs both 2023 and 2024',
    ]);
    expect(await error('/editions/hrr/map?from=2024&to=2023')).toEqual([400, 'from: must be an earlier edition than to (got from 2024, to 2023)']);
    expect(await error('/editions/hrr/map?from=2019&to=2024')).toEqual([400, 'No series of report hrr has edition 2019 captured']);
    expect((await error('/editions/hrr/map?to=2024'))[0]).toBe(400);
    expect((await error('/editions/hrr/map?from=2023&to=2024&format=xml'))[0]).toBe(400);
    expect((await error('/editions/atlantis/map?from=2023&to=2024'))[0]).toBe(404);
  });
});

describe('edition report', () => {
  it('tabulates two editions across the report’s series as JSON, or one table as CSV', async () => {
    const answer = await request('/editions/hrr/report?from=2023&to=2024');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=300');
    const report = answer.json();
    // Only Kazakhstan has both editions: its 2023 page as published against its latest 2024 Document.
    const latest = await latestDocument(KZ);
    const wordsTo = latest.sections.reduce(
      (sum, section) => sum + section.paragraphs.reduce((words, paragraph) => words + paragraph.text.split(/\s+/u).filter(Boolean).length, 0),
      0,
    );
    expect(report.series).toHaveLength(1);
    expect(report.series[0]).toMatchObject({ series: 'hrr/kazakhstan', wordsFrom: 12535, wordsTo });
    expect(report.summary.median).toBe(report.series[0].ratio);
    const women = report.sections.find((row: { heading: string }) => row.heading === 'Women');
    expect(women).toMatchObject({ seriesFrom: 1, seriesTo: 0, removed: 1, removedIn: ['hrr/kazakhstan'] });

    const csv = await request('/editions/hrr/report?from=2023&to=2024&format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(csv.text.split('\r\n')[0]).toMatch(/^series,words_from,words_to,ratio,/);
    const sections = await request('/editions/hrr~kazakhstan/report?from=2023&to=2024&format=csv&by=section');
    expect(sections.text.split('\r\n')[0]).toBe('key,heading,series_from,series_to,removed,renamed,added,words_from,words_to,removed_in');
    expect(sections.text.split('\r\n')).toHaveLength(report.sections.length + 2);
  });

  it('gives the CLI the same report over the API, and names the problem of a bad request', async () => {
    const result = await cli(['editions', 'report', 'hrr', '--from', '2023', '--to', '2024', '--json', '--api', fixture.server.url]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual((await request('/editions/hrr/report?from=2023&to=2024')).json());
    const error = async (path: string) => {
      const answer = await request(path);
      return [answer.status, answer.json().detail];
    };
    expect(await error('/editions/hrr/report?from=2019&to=2024')).toEqual([400, 'No series of report hrr has edition 2019 captured']);
    expect((await error('/editions/hrr/report?from=2024&to=2023'))[0]).toBe(400);
    expect((await error('/editions/hrr/report?from=2023&to=2024&by=country'))[0]).toBe(400);
    expect((await error('/editions/atlantis/report?from=2023&to=2024'))[0]).toBe(404);
  });
});

describe('term baselines', () => {
  it('answers rates against the mean of the editions before, as JSON or spreadsheet CSV, as the CLI gets them over the API', async () => {
    const answer = await request('/audit?terms=torture,women&baseline=1&by=series&series=hrr~kazakhstan');
    expect(answer.status).toBe(200);
    const table = answer.json();
    const plain = (await request('/audit?terms=torture,women&series=hrr~kazakhstan')).json();
    const rates = new Map(plain.rows.map((row: { edition: number; rates: Record<string, number> }) => [row.edition, row.rates]));
    expect(table.rows.length).toBe(plain.rows.length - 1);
    for (const row of table.rows) {
      const before = rates.get(row.baselineEditions[0]) as Record<string, number>;
      expect(row.baselines.torture).toBeCloseTo(before.torture!, 9);
      expect(row.rates.torture).toBeCloseTo((rates.get(row.edition) as Record<string, number>).torture!, 9);
    }
    const csv = await request('/audit?terms=torture,women&baseline=1&by=series&series=hrr~kazakhstan&format=csv');
    expect(csv.text.split('\r\n')[0]).toMatch(/^year,series,reports,word_count,baseline_editions,count_torture,count_women,/);
    const sentences = await request('/audit?terms=women&baseline=1&by=series&series=hrr~kazakhstan&format=csv&sentences=true');
    expect(sentences.text.split('\r\n')[0]).toBe('term,series,from_edition,to_edition,section_key,heading,sentence');
    const result = await cli([
      'audit',
      '--terms',
      'torture,women',
      '--baseline',
      '1',
      '--by',
      'series',
      '--series',
      'hrr/kazakhstan',
      '--json',
      '--api',
      fixture.server.url,
    ]);
    expect(JSON.parse(result.stdout)).toEqual(table);
  });

  it('answers 400 for a baseline longer than the history, an empty term, or a grouping without a baseline', async () => {
    const error = async (path: string) => {
      const answer = await request(path);
      return [answer.status, answer.json().detail];
    };
    const [status, message] = await error('/audit?terms=torture&baseline=50&series=hrr~kazakhstan');
    expect(status).toBe(400);
    expect(message).toMatch(/^baseline: 50 editions is longer than the history/);
    expect((await error('/audit?terms=torture&baseline=0'))[0]).toBe(400);
    expect((await error('/audit?terms=%20&baseline=1'))[0]).toBe(400);
    expect(await error('/audit?terms=torture&baseline=1&by=section')).toEqual([400, 'by: a baseline is per edition or per series, not per section']);
    expect(await error('/audit?terms=torture&by=series')).toEqual([400, 'by: series needs a baseline (baseline=N)']);
  });
});

describe('key phrases', () => {
  it('tracks the profile’s phrases and the user’s across editions, as JSON or CSV, as the CLI gets them over the API', async () => {
    const answer = await request(
      '/editions/hrr~kazakhstan/phrases?phrases=' + encodeURIComponent('Respect for the Integrity of the Person|torture, by the'),
    );
    expect(answer.status).toBe(200);
    const result = answer.json();
    expect(result.phrases).toEqual([
      'no credible reports of significant human rights abuses',
      'significant human rights issues included credible reports of',
      'Respect for the Integrity of the Person',
      'torture, by the',
    ]);
    const issues = result.tracks.find((track: { phrase: string }) => track.phrase === 'significant human rights issues included credible reports of');
    expect(issues.series).toBe('hrr/kazakhstan');
    expect(issues.appearances.length).toBeGreaterThan(0);
    expect(issues.appearances.every((entry: { sections: Array<{ key: string }> }) => entry.sections[0]!.key === 'executive-summary')).toBe(true);
    const csv = await request('/editions/hrr~kazakhstan/phrases?table=changes&format=csv');
    expect(csv.text.split('\r\n')[0]).toBe('series,phrase,previous_edition,edition,change,before,after');
    const cliResult = await cli([
      'editions',
      'phrases',
      'hrr/kazakhstan',
      '--phrase',
      'Respect for the Integrity of the Person',
      '--phrase',
      'torture, by the',
      '--json',
      '--api',
      fixture.server.url,
    ]);
    expect(JSON.parse(cliResult.stdout)).toEqual(result);
  });

  it('answers 400 for an empty phrase or none at all, 404 for a report without series', async () => {
    const status = async (path: string) => (await request(path)).status;
    expect(await status('/editions/hrr/phrases?phrases=%20')).toBe(400);
    expect(await status('/editions/hrr/phrases?profile=false')).toBe(400);
    expect(await status('/editions/atlantis/phrases')).toBe(404);
  });
});

describe('term audit', () => {
  it('answers CSV with the journalists’ header, over the latest Document of every page of every series', async () => {
    const answer = await request('/audit?terms=torture,human%20rights&format=csv');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const [header] = answer.text.split('\r\n');
    expect(header).toBe('year,reports,word_count,count_torture,count_human_rights,rate_torture,rate_human_rights');
    const documents = [
      corpusDocument('kazakhstan', 2022),
      corpusDocument('kazakhstan', 2023),
      await latestDocument(KZ),
      corpusDocument('nigeria', 2024),
    ];
    expect(answer.text).toBe(auditToCsv(auditTerms(documents, ['torture', 'human rights'], { by: 'edition' })));
    expect(
      answer.text
        .split('\r\n')
        .slice(1, -1)
        .map((line) => line.split(',').slice(0, 2)),
    ).toEqual([
      ['2022', '1'],
      ['2023', '1'],
      ['2024', '2'],
    ]);
  });

  it('reads each page’s term index once: a repeat audit comes from the process’s counts cache, with the same answer', async () => {
    const snapshots = fixture.dependencies.snapshots;
    const getTermIndex = snapshots.getTermIndex.bind(snapshots);
    const getDocument = snapshots.getDocument.bind(snapshots);
    let reads = 0;
    snapshots.getTermIndex = (key: string) => {
      reads++;
      return getTermIndex(key);
    };
    snapshots.getDocument = (key: string) => {
      reads++;
      return getDocument(key);
    };
    try {
      const first = await request('/audit?terms=journalist&by=section');
      expect(first.status).toBe(200);
      expect(reads).toBeGreaterThan(0);
      reads = 0;
      const again = await request('/audit?terms=journalist&by=section');
      expect(reads).toBe(0);
      expect(again.text).toBe(first.text);
    } finally {
      snapshots.getTermIndex = getTermIndex;
      snapshots.getDocument = getDocument;
    }
  });

  it('answers JSON per edition and section for one series', async () => {
    const body = (await request('/audit?terms=torture&by=section&series=hrr~kazakhstan')).json();
    const documents = [corpusDocument('kazakhstan', 2022), corpusDocument('kazakhstan', 2023), await latestDocument(KZ)];
    expect(body).toEqual(JSON.parse(JSON.stringify(auditTerms(documents, ['torture'], { by: 'section' }))));
  });

  it('names the bad parameter', async () => {
    for (const [query, message] of [
      ['', /^terms: /],
      ['terms=%20,%20', /^terms: give at least one term/],
      ['terms=torture&by=chapter', /^by: /],
      ['terms=torture&format=xlsx', /^format: /],
    ] as const) {
      const answer = await request(`/audit?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.json().detail).toMatch(message);
    }
    expect((await request('/audit?terms=torture&series=hrr~atlantis')).status).toBe(404);
  });
});

describe('Atom feeds', () => {
  function entries(xml: string) {
    const dom = parseDocument(xml, { xmlMode: true });
    expect(dom.children.some((node) => 'name' in node && node.name === 'feed')).toBe(true);
    const feed = parseFeed(xml, { xmlMode: true });
    expect(feed?.type).toBe('atom');
    return feed!.items.map((item) => ({ id: item.id, link: item.link, date: item.pubDate?.toISOString(), title: item.title }));
  }

  it('has one entry per revision of a page, linking to its diff in the web UI', async () => {
    const answer = await request(`/feeds/pages/${KZ}.atom`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const base = fixture.server.url;
    expect(entries(answer.text)).toEqual([
      {
        id: `urn:redline:revision:${KZ}:4`,
        link: `${base}/ui/pages/${KZ}/diff?from=3&to=4`,
        date: '2025-03-01T07:00:00.000Z',
        title: expect.stringMatching(/revision 4, 1 section changed$/),
      },
      {
        id: `urn:redline:revision:${KZ}:3`,
        link: `${base}/ui/pages/${KZ}/diff?from=2&to=3`,
        date: '2025-03-01T06:00:00.000Z',
        title: expect.any(String),
      },
      {
        id: `urn:redline:revision:${KZ}:2`,
        link: `${base}/ui/pages/${KZ}/diff?from=1&to=2`,
        date: '2025-03-01T05:00:00.000Z',
        title: expect.any(String),
      },
      {
        id: `urn:redline:revision:${KZ}:1`,
        link: `${base}/ui/pages/${KZ}/revisions/1`,
        date: '2025-03-01T04:00:00.000Z',
        title: expect.stringMatching(/first capture$/),
      },
    ]);
    // The feed links work.
    expect((await request(`/ui/pages/${KZ}/diff?from=3&to=4`)).status).toBe(200);
  });

  it('merges a series’ pages newest first, and covers everything recent', async () => {
    const series = entries((await request('/feeds/series/hrr~kazakhstan.atom')).text);
    expect(series.map((entry) => entry.id)).toEqual([
      `urn:redline:revision:${KZ}:4`,
      `urn:redline:revision:${KZ}:3`,
      `urn:redline:revision:${KZ}:2`,
      `urn:redline:revision:${KZ}:1`,
      'urn:redline:revision:hrr.kazakhstan.2023:1',
      'urn:redline:revision:hrr.kazakhstan.2022:1',
    ]);
    // The pagination page's revisions are older than the 30-day window of the recent index.
    const all = entries((await request('/feeds/all.atom')).text);
    expect(all.map((entry) => entry.id)).toEqual([
      `urn:redline:revision:${KZ}:4`,
      `urn:redline:revision:${KZ}:3`,
      `urn:redline:revision:${KZ}:2`,
      `urn:redline:revision:${KZ}:1`,
      'urn:redline:revision:hrr.nigeria.2024:1',
      'urn:redline:revision:hrr.kazakhstan.2023:1',
      'urn:redline:revision:hrr.kazakhstan.2022:1',
    ]);
  });

  it('answers 404 for unknown pages and series', async () => {
    expect((await request('/feeds/pages/hrr.atlantis.2024.atom')).status).toBe(404);
    expect((await request('/feeds/series/hrr~atlantis.atom')).status).toBe(404);
  });
});

describe('conditional requests, CORS and routing', () => {
  it('sends an ETag and answers 304 when it still matches', async () => {
    const first = await request(`/pages/${KZ}/revisions`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect((await request(`/pages/${KZ}/revisions`)).headers.get('etag')).toBe(etag);
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await request(`/pages/${KZ}/revisions`, { headers: { 'if-none-match': ifNoneMatch } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('public, max-age=60');
    }
    expect((await request(`/pages/${KZ}/revisions`, { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
    expect((await request('/pages/hrr.atlantis.2024')).headers.get('etag')).toBeNull();
  });

  it('answers CORS preflights and sets CORS headers', async () => {
    const preflight = await request('/subscriptions', {
      method: 'OPTIONS',
      headers: { origin: 'https://reader.example.org', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,content-type,if-none-match');
    expect((await request('/series')).headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers 404 for unknown routes', async () => {
    expect((await request('/nowhere')).json()).toEqual(expect.objectContaining({ status: 404, detail: 'No route GET /nowhere' }));
  });
});

describe('write routes', () => {
  const url = 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/tuvalu/';

  it('refuse requests without credentials, or with a wrong token', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: `Basic ${API_TOKEN}` }] as Record<
      string,
      string
    >[]) {
      const watch = await post('/watches', { url }, headers);
      expect(watch.status).toBe(401);
      expect(watch.headers.get('www-authenticate')).toBe('Bearer realm="redline"');
      expect((await post('/subscriptions', { delivery: { type: 'email', address: 'a@example.org' } }, headers)).status).toBe(401);
      expect((await request('/subscriptions', { headers })).status).toBe(401);
      expect((await request('/subscriptions/0123456789abcdef', { method: 'DELETE', headers })).status).toBe(401);
    }
    // Without the IAM authorizer and without a token, even a request that API Gateway let through is refused.
    expect((await invoke('POST', '/watches', { body: JSON.stringify({ url }), headers: { 'content-type': 'application/json' } })).statusCode).toBe(
      401,
    );
  });

  it('POST /watches starts watching a public URL once', async () => {
    const created = await post('/watches', { url, intervalMinutes: 60 }, bearer);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/pages/hrr.tuvalu.2024');
    expect(created.json()).toMatchObject({
      created: true,
      page: { page: 'hrr.tuvalu.2024', series: 'hrr/tuvalu', edition: 2024, intervalMinutes: 60 },
    });
    const again = await post('/watches', { url }, bearer);
    expect(again.status).toBe(200);
    expect(again.json().created).toBe(false);
    expect((await request('/pages/hrr.tuvalu.2024')).status).toBe(200);
  });

  it('POST /watches with the IAM authorizer context (as in AWS)', async () => {
    const result = await invoke('POST', '/watches', {
      iam: true,
      body: JSON.stringify({ url: 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/andorra/' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(result.statusCode).toBe(201);
  });

  it('POST /watches refuses private addresses and bad bodies, naming the problem', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ url: 'http://169.254.169.254/latest/meta-data/' }, 400, /^url: Refused URL http:\/\/169\.254\.169\.254: linkLocal address/],
      [{ url: 'http://localhost:8080/' }, 400, /^url: Refused URL http:\/\/localhost:8080: localhost is this machine$/],
      [{ url: 'file:///etc/passwd' }, 400, /^url: Refused URL: scheme file: is not http or https$/],
      [{}, 400, /^url: /],
      [{ url, intervalMinutes: 1 }, 400, /^intervalMinutes: /],
      [{ url, robotsOverride: true }, 400, /robotsOverride/],
    ];
    for (const [body, status, message] of cases) {
      const answer = await post('/watches', body, bearer);
      expect(answer.status).toBe(status);
      expect(answer.json().detail).toMatch(message);
    }
    const notJson = await request('/watches', { method: 'POST', headers: { 'content-type': 'application/json', ...bearer }, body: '{' });
    expect(notJson.json()).toEqual(expect.objectContaining({ status: 400, detail: 'body: not valid JSON' }));
    const notJsonType = await request('/watches', { method: 'POST', headers: { 'content-type': 'text/plain', ...bearer }, body: url });
    expect(notJsonType.status).toBe(415);
  });
});

describe('subscriptions', () => {
  it('creates, lists, shows and deletes a subscription; the webhook secret is shown once', async () => {
    const created = await post(
      '/subscriptions',
      {
        filters: { series: ['hrr~kazakhstan'], sectionPrefixes: ['liberty'], terms: ['Torture'], minSignificance: 0.05 },
        delivery: { type: 'webhook', url: 'https://hooks.example.org/redline' },
      },
      bearer,
    );
    expect(created.status).toBe(201);
    const body = created.json();
    expect(body.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(body.subscription).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      filters: { series: ['hrr/kazakhstan'], sectionPrefixes: ['liberty'], terms: ['torture'], minSignificance: 0.05 },
      delivery: { type: 'webhook', url: 'https://hooks.example.org/redline' },
      createdAt: '2025-03-10T00:00:00.000Z',
    });
    const id = body.subscription.id as string;
    expect(created.headers.get('location')).toBe(`/subscriptions/${id}`);
    expect(created.headers.get('cache-control')).toBe('private, no-store');

    const list = await request('/subscriptions', { headers: bearer });
    expect(list.json().items).toContainEqual(body.subscription);
    expect(list.text).not.toContain(body.webhookSecret);
    expect((await request(`/subscriptions/${id}`, { headers: bearer })).json()).toEqual(body.subscription);

    const duplicate = await post('/subscriptions', { delivery: { type: 'webhook', url: 'https://hooks.example.org/redline' } }, bearer);
    expect(duplicate.status).toBe(409);
    expect(duplicate.json().detail).toMatch(/^delivery: the webhook https:\/\/hooks\.example\.org\/redline already has subscription /);

    expect((await request(`/subscriptions/${id}`, { method: 'DELETE', headers: bearer })).status).toBe(204);
    expect((await request(`/subscriptions/${id}`, { headers: bearer })).status).toBe(404);
    expect((await request(`/subscriptions/${id}`, { method: 'DELETE', headers: bearer })).status).toBe(404);
  });

  it('names the bad field of a subscription', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /^delivery: /],
      [{ delivery: { type: 'pigeon' } }, /^delivery(\.type)?: /],
      [{ delivery: { type: 'email', address: 'not-an-address' } }, /^delivery\.address: /],
      [{ delivery: { type: 'sqs', queueArn: 'arn:aws:sqs:us-east-1:123456789012:alerts.fifo' } }, /^delivery\.queueArn: /],
      [{ delivery: { type: 'webhook', url: 'http://10.0.0.1/hook' } }, /^delivery\.url: Refused URL/],
      [{ delivery: { type: 'email', address: 'a@example.org' }, filters: { kinds: ['rewritten'] } }, /^filters\.kinds\.0: /],
      [{ delivery: { type: 'email', address: 'a@example.org' }, filters: { pages: [] } }, /^filters\.pages must not be empty/],
      [{ delivery: { type: 'email', address: 'a@example.org' }, filters: { minSignificance: 0.123456 } }, /^filters\.minSignificance /],
      [
        {
          delivery: { type: 'email', address: 'a@example.org' },
          filters: { pages: ['a.b'], series: ['s'], editions: [2024], sectionPrefixes: ['x'], kinds: ['added'] },
        },
        /^filters: at most 5 filters can be combined/,
      ],
    ];
    for (const [body, message] of cases) {
      const answer = await post('/subscriptions', body, bearer);
      expect(answer.status).toBe(400);
      expect(answer.json().detail).toMatch(message);
    }
  });
});
