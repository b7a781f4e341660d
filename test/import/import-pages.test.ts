import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { archiveCaptures } from '../../shared/adapters/warc/archive-captures.js';
import { extract } from '../../shared/domain/extract.js';
import type { SnapshotStore } from '../../shared/ports/snapshot-store.js';
import { importPages, type ArchivedCapture, type CaptureSourceItem, type ImportDependencies } from '../../shared/use-cases/import-pages.js';
import { compareEditions } from '../../shared/use-cases/queries/compare-editions.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { replaceText, temporaryFolder, withModifiedDate } from '../cli/cli-fixture.js';
import { loadCorpusPage } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { htmlResponse, writeWarc } from './warc-fixture.js';

/** The import use case over dynalite and s3rver: WARC and saved-page sources, ordering, resumption, streaming. */
const NOW = new Date('2026-01-01T00:00:00.000Z');
const TUVALU_2023 = 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/tuvalu/';
const SENTENCE = 'There were no significant changes in the human rights situation in Tuvalu during the year.';

function hrrUrl(country: string, year: number): string {
  return `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/${country}/`;
}

/** Tuvalu 2023 with an added sentence `n` and its own modified date. */
function tuvaluVersion(n: number, modified: string): string {
  return withModifiedDate(replaceText(loadCorpusPage('tuvalu', 2023), SENTENCE, `${SENTENCE} Addendum number ${n}.`), modified);
}

function capture(source: string, html: string, archivedAt = '2026-01-01T00:00:00.000Z'): CaptureSourceItem {
  const body = new TextEncoder().encode(html);
  const item: ArchivedCapture = { source, body, text: html, contentType: 'text/html', archivedAt };
  return { capture: item };
}

async function* fromList(items: readonly CaptureSourceItem[]): AsyncGenerator<CaptureSourceItem> {
  for (const item of items) yield item;
}

describe('importPages', () => {
  let aws: LocalAws;
  let folder: { path: string; remove(): Promise<void> };
  let dependencies: ImportDependencies;

  const freshDependencies = (): ImportDependencies => ({
    revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName }),
    snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName }),
    now: () => NOW,
    settings: DEFAULT_TRACKER_SETTINGS,
  });

  beforeAll(async () => {
    aws = await startLocalAws();
    folder = await temporaryFolder('redline-import-');
    dependencies = freshDependencies();
  });

  afterAll(async () => {
    await aws?.close();
    await folder?.remove();
  });

  test('a WARC file: HTML responses and resources become captures, other records are left alone; editions compare at once', async () => {
    const warc = await writeWarc(
      join(folder.path, 'crawl.warc.gz'),
      [
        {
          type: 'request',
          url: hrrUrl('kazakhstan', 2022),
          date: '2025-03-01T00:00:00Z',
          httpHeaders: { Host: 'www.state.gov' },
          statusline: 'GET / HTTP/1.1',
        },
        htmlResponse(hrrUrl('kazakhstan', 2022), '2025-03-01T00:00:01Z', loadCorpusPage('kazakhstan', 2022)),
        // Compressed in transit: the body archived is the decoded one.
        htmlResponse(hrrUrl('kazakhstan', 2023), '2025-03-01T00:00:02Z', gzipSync(loadCorpusPage('kazakhstan', 2023)), {
          'Content-Encoding': 'gzip',
        }),
        htmlResponse(hrrUrl('kazakhstan', 2024), '2025-03-01T00:00:03Z', loadCorpusPage('kazakhstan', 2024)),
        {
          type: 'response',
          url: 'https://www.state.gov/missing/',
          date: '2025-03-01T00:00:04Z',
          body: 'gone',
          httpHeaders: { 'Content-Type': 'text/html' },
          statusline: 'HTTP/1.1 404 Not Found',
        },
        {
          type: 'resource',
          url: 'https://www.state.gov/logo.png',
          date: '2025-03-01T00:00:05Z',
          body: new Uint8Array([0x89, 0x50]),
          contentType: 'image/png',
        },
        {
          type: 'metadata',
          url: hrrUrl('kazakhstan', 2022),
          date: '2025-03-01T00:00:06Z',
          body: 'via: test',
          contentType: 'application/warc-fields',
        },
      ],
      { gzip: true },
    );
    const plain = await writeWarc(join(folder.path, 'single.warc'), [
      {
        type: 'resource',
        url: hrrUrl('andorra', 2024),
        date: '2025-04-01T00:00:00Z',
        body: loadCorpusPage('andorra', 2024),
        contentType: 'text/html',
      },
    ]);
    const ignored: string[] = [];
    const report = await importPages(dependencies, archiveCaptures([warc, plain], { onIgnoredRecord: (_source, reason) => ignored.push(reason) }));
    expect(report).toMatchObject({ read: 4, imported: 4, skipped: 0, failed: 0, outOfOrder: 0, watched: 4 });
    expect(ignored).toEqual(['a request record', 'HTTP status 404', 'not HTML (image/png)', 'a metadata record']);
    expect(report.pages.map((page) => [page.page, page.latestSeq, page.watched])).toEqual([
      ['hrr.andorra.2024', 1, true],
      ['hrr.kazakhstan.2022', 1, true],
      ['hrr.kazakhstan.2023', 1, true],
      ['hrr.kazakhstan.2024', 1, true],
    ]);
    const page = await dependencies.revisions.getPage('hrr.kazakhstan.2023');
    expect(page).toMatchObject({ origin: 'import', series: 'hrr/kazakhstan', edition: 2023 });

    // The stored Document is the one a live capture of the watched URL gives.
    const revision = (await dependencies.revisions.latestRevision('hrr.kazakhstan.2023'))!;
    const live = extract(loadCorpusPage('kazakhstan', 2023), { url: page!.url, profile: page!.profile });
    expect(revision.documentHash).toBe(dependencies.snapshots.documentHash(live));
    expect(revision.capturedAt).toBe(new Date(live.modified!).toISOString());

    const comparison = await compareEditions(dependencies, { series: 'hrr/kazakhstan', from: 2022, to: 2024 });
    expect(comparison.from.page).toBe('hrr.kazakhstan.2022');
    expect(comparison.diff.sections.length).toBeGreaterThan(10);
  });

  test('captures of one page are recorded in capture-time order whatever order they come in', async () => {
    const dates = ['2025-05-04T00:00:00+00:00', '2025-05-01T00:00:00+00:00', '2025-05-03T00:00:00+00:00', '2025-05-02T00:00:00+00:00'];
    const items = dates.map((date, index) => capture(`version-${index}`, tuvaluVersion(index, date)));
    const report = await importPages(dependencies, fromList(items), { concurrency: 3 });
    expect(report).toMatchObject({ read: 4, imported: 4, outOfOrder: 0 });
    const revisions = (await dependencies.revisions.listRevisions('hrr.tuvalu.2023', { newestFirst: false })).items;
    expect(revisions.map((revision) => revision.capturedAt)).toEqual([...dates].sort().map((date) => new Date(date).toISOString()));
    expect(revisions.map((revision) => revision.previousSeq)).toEqual([undefined, 1, 2, 3]);
    // Each revision is the diff against the one before it: one sentence replaced.
    for (const revision of revisions.slice(1)) expect(revision.summary).toMatchObject({ modified: 1, added: 0, removed: 0 });
  });

  test('resumable: a second run stores nothing, and a copy within one run counts once', async () => {
    const counting = countingSnapshots(dependencies.snapshots);
    const items = [capture('a', tuvaluVersion(1, '2025-05-01T00:00:00+00:00')), capture('a-copy', tuvaluVersion(1, '2025-05-01T00:00:00+00:00'))];
    const report = await importPages({ ...dependencies, snapshots: counting.store }, fromList(items));
    expect(report).toMatchObject({ read: 2, imported: 0, skipped: 2 });
    expect(report.notImported.map((item) => item.message)).toEqual([
      'already stored: this Document is a revision of the page',
      'already stored: this Document is a revision of the page',
    ]);
    expect(counting.writes).toBe(0);
  });

  test('a capture older than the latest revision recorded by an earlier run is refused as out of order', async () => {
    const report = await importPages(dependencies, fromList([capture('older', tuvaluVersion(9, '2025-04-30T00:00:00+00:00'))]));
    expect(report).toMatchObject({ imported: 0, outOfOrder: 1 });
    expect(report.notImported[0]).toMatchObject({
      source: 'older',
      outcome: 'out-of-order',
      page: 'hrr.tuvalu.2023',
      capturedAt: '2025-04-30T00:00:00.000Z',
    });
    expect(report.notImported[0]!.message).toContain("before the page's latest revision 4 (2025-05-04T00:00:00.000Z)");
  });

  test('capture time: with timeSource archive, the WARC-Date or the file time decides', async () => {
    const items = [
      capture('late-archive', tuvaluVersion(20, '2025-06-01T00:00:00+00:00'), '2025-07-02T00:00:00.000Z'),
      capture('early-archive', tuvaluVersion(21, '2025-06-02T00:00:00+00:00'), '2025-07-01T00:00:00.000Z'),
    ];
    await importPages(dependencies, fromList(items), { timeSource: 'archive' });
    const latest = (await dependencies.revisions.listRevisions('hrr.tuvalu.2023', { limit: 2 })).items;
    expect(latest.map((revision) => revision.capturedAt)).toEqual(['2025-07-02T00:00:00.000Z', '2025-07-01T00:00:00.000Z']);
  });

  test('inputs that are not report pages fail with a reason, and the others still import', async () => {
    const pages = join(folder.path, 'mixed');
    await mkdir(pages, { recursive: true });
    await writeFile(
      join(pages, 'no-canonical.html'),
      '<html><head><title>x</title></head><body><main><h1>A</h1><p>Body text.</p></main></body></html>',
    );
    await writeFile(join(pages, 'empty.html'), '');
    await writeFile(join(pages, 'notes.txt'), 'ignored in a folder');
    await writeFile(join(pages, 'russia-2024.html'), loadCorpusPage('russia', 2024));
    const explicit = join(folder.path, 'named.pdf');
    await writeFile(explicit, '%PDF');
    const report = await importPages(dependencies, archiveCaptures([pages, explicit, join(folder.path, 'absent.html')]));
    expect(report).toMatchObject({ read: 5, imported: 1, failed: 4 });
    const reasons = Object.fromEntries(report.notImported.map((item) => [item.source.split('/').at(-1), item.message]));
    expect(reasons['no-canonical.html']).toMatch(/^nothing identifies this page \(tried: no canonical link; no og:url; state-hrr: .*\)$/);
    expect(report.unplaced).toEqual([
      expect.objectContaining({
        source: expect.stringContaining('no-canonical.html'),
        reason: 'nothing in the page or its URL says which page it is',
      }),
    ]);
    expect(reasons['empty.html']).toContain('not a readable report page');
    expect(reasons['named.pdf']).toContain('not a saved page or a WARC file');
    expect(reasons['absent.html']).toContain('ENOENT');
  });

  test('streaming: the source is read only as fast as captures are processed', async () => {
    let pulled = 0;
    let processed = 0;
    let ahead = 0;
    const html = loadCorpusPage('nigeria', 2024);
    async function* source(): AsyncGenerator<CaptureSourceItem> {
      for (let index = 0; index < 24; index++) {
        pulled++;
        ahead = Math.max(ahead, pulled - processed);
        yield capture(`copy-${index}`, html);
      }
    }
    const snapshots = dependencies.snapshots;
    const watching: SnapshotStore = new Proxy(snapshots, {
      get: (target, property, receiver) =>
        property === 'serializeDocument'
          ? (...args: Parameters<SnapshotStore['serializeDocument']>) => {
              processed++;
              return target.serializeDocument(...args);
            }
          : Reflect.get(target, property, receiver),
    });
    const report = await importPages({ ...dependencies, snapshots: watching }, source(), { concurrency: 2 });
    expect(report).toMatchObject({ read: 24, imported: 1, skipped: 23 });
    expect(ahead).toBeLessThanOrEqual(2 * 2 + 1);
  });

  test('stopped while reading, nothing is recorded; the same import run again completes it', async () => {
    const items = [2016, 2017, 2018].map((year) => capture(`china-${year}`, loadCorpusPage('china', year)));
    const stop = new AbortController();
    async function* stoppingSource(): AsyncGenerator<CaptureSourceItem> {
      yield items[0]!;
      yield items[1]!;
      stop.abort();
      yield items[2]!;
    }
    const interrupted = await importPages(dependencies, stoppingSource(), { signal: stop.signal, concurrency: 1 });
    expect(interrupted).toMatchObject({ interrupted: 'while reading', read: 2, imported: 0 });
    // Page ids come from each page's own slug (2018's differs from 2016-2017's).
    const page2016 = 'hrr.china-includes-tibet-hong-kong-and-macau.2016';
    expect(await dependencies.revisions.getPage(page2016)).toMatchObject({ origin: 'import' });
    expect(await dependencies.revisions.latestRevision(page2016)).toBeUndefined();
    const resumed = await importPages(dependencies, fromList(items));
    expect(resumed).toMatchObject({ read: 3, imported: 3, skipped: 0, failed: 0 });
    expect(resumed.interrupted).toBeUndefined();
    // The two slugs are one series: linked from the pages' evidence, named after the newest edition's slug.
    expect(resumed.lineage?.linked.map((link) => [link.from, link.to, link.decidedBy])).toEqual([
      ['hrr/china-includes-tibet-hong-kong-and-macau', 'hrr/china-includes-tibet-hong-kong-and-macau-china', 'evidence'],
    ]);
    const editions = await dependencies.revisions.listEditions('hrr/china-includes-tibet-hong-kong-and-macau');
    expect(editions.map((entry) => [entry.series, entry.edition, entry.page])).toEqual([
      ['hrr/china-includes-tibet-hong-kong-and-macau-china', 2016, page2016],
      ['hrr/china-includes-tibet-hong-kong-and-macau-china', 2017, 'hrr.china-includes-tibet-hong-kong-and-macau.2017'],
      ['hrr/china-includes-tibet-hong-kong-and-macau-china', 2018, 'hrr.china-includes-tibet-hong-kong-and-macau-china.2018'],
    ]);
  });

  test('progress is reported for both passes', async () => {
    const phases = new Set<string>();
    let last: { read: number; recorded: number; toRecord: number } | undefined;
    await importPages(dependencies, fromList([capture('p', tuvaluVersion(30, '2025-08-01T00:00:00+00:00'))]), {
      onProgress: (progress) => {
        phases.add(progress.phase);
        last = progress;
      },
    });
    expect([...phases]).toEqual(['read', 'record']);
    expect(last).toMatchObject({ read: 1, recorded: 1, toRecord: 1 });
    expect(await dependencies.revisions.getPage('hrr.tuvalu.2023')).toMatchObject({ url: TUVALU_2023 });
  });

  test('a re-run of a finished import with metadata-only captures stores nothing and says so: skipped, never out of order', async () => {
    const page = loadCorpusPage('andorra', 2023);
    const items = () => [
      capture('andorra-may', withModifiedDate(page, '2025-05-01T00:00:00+00:00')),
      capture('andorra-june', withModifiedDate(page, '2025-06-01T00:00:00+00:00')),
      capture('andorra-july', withModifiedDate(page, '2025-07-01T00:00:00+00:00')),
    ];
    const first = await importPages(dependencies, fromList(items()));
    expect(first).toMatchObject({ imported: 1, unchanged: 2, outOfOrder: 0, failed: 0 });
    const again = await importPages(dependencies, fromList(items()));
    expect(again).toMatchObject({ imported: 0, skipped: 3, unchanged: 0, outOfOrder: 0, failed: 0 });
    expect(again.notImported.find((item) => item.source === 'andorra-june')?.message).toContain('already imported by an earlier run');
  });

  describe('a run killed at each step of recording: the next run finishes it', () => {
    // The steps after the revision put, in order (record-revision.ts completeRecording).
    const steps = [
      { name: 'before the sections/ lines', port: 'snapshots', method: 'putSectionLines' },
      { name: 'before the page marker (lastDocumentHash)', port: 'revisions', method: 'recordCheck' },
    ] as const;
    for (const [index, step] of steps.entries()) {
      test(step.name, async () => {
        const year = 2019 + index;
        const url = hrrUrl('china', year);
        const html = withModifiedDate(loadCorpusPage('china', year), '2025-05-01T00:00:00+00:00');
        let crashed = false;
        const crashOnce = <T extends object>(target: T, method: string): T =>
          new Proxy(target, {
            get(object, property, receiver) {
              const value = Reflect.get(object, property, receiver) as unknown;
              if (property !== method || typeof value !== 'function') return value;
              return (...args: unknown[]) => {
                if (!crashed) {
                  crashed = true;
                  throw new Error(`killed ${step.name}`);
                }
                return (value as (...parameters: unknown[]) => unknown).apply(object, args);
              };
            },
          });
        const killed = {
          ...dependencies,
          ...(step.port === 'snapshots' ? { snapshots: crashOnce(dependencies.snapshots, step.method) } : {}),
          ...(step.port === 'revisions' ? { revisions: crashOnce(dependencies.revisions, step.method) } : {}),
        };
        const first = await importPages(killed, fromList([{ capture: { ...capture(`china-${year}`, html).capture!, url } }]));
        expect(crashed).toBe(true);
        expect(first.failed).toBe(1);
        const pageId = first.pages[0]!.page;
        const latest = await dependencies.revisions.latestRevision(pageId);
        expect(latest?.seq).toBe(1);
        expect((await dependencies.revisions.getPage(pageId))?.lastDocumentHash).toBeUndefined();

        const again = await importPages(dependencies, fromList([{ capture: { ...capture(`china-${year}`, html).capture!, url } }]));
        expect(again).toMatchObject({ imported: 0, skipped: 1, failed: 0, outOfOrder: 0 });
        const repaired = await dependencies.revisions.getPage(pageId);
        expect(repaired?.lastDocumentHash).toBe(latest!.documentHash);
        expect(repaired?.lastCheckedAt).toBeDefined();
        const document = await dependencies.snapshots.getDocument(latest!.documentKey);
        const sectionsKey = await dependencies.snapshots.putSectionLines(document, pageId);
        expect(sectionsKey).toMatch(/^sections\//);
      });
    }
  });
});

function countingSnapshots(store: SnapshotStore): { store: SnapshotStore; readonly writes: number } {
  const counter = { writes: 0 };
  const wrapped = new Proxy(store, {
    get: (target, property, receiver) => {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (String(property).startsWith('put')) counter.writes++;
        return (value as (...parameters: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store: wrapped,
    get writes() {
      return counter.writes;
    },
  };
}
