import { join } from 'node:path';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { archiveCaptures } from '../../shared/adapters/warc/archive-captures.js';
import { extract } from '../../shared/domain/extract.js';
import { LineageConflictError } from '../../shared/errors.js';
import { importPages, type ArchivedCapture, type CaptureSourceItem, type ImportDependencies } from '../../shared/use-cases/import-pages.js';
import { blamePage, provenanceStatus, removedSentences } from '../../shared/use-cases/provenance/provenance-queries.js';
import { compareEditions } from '../../shared/use-cases/queries/compare-editions.js';
import { listSeries } from '../../shared/use-cases/queries/series.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { reresolveStoredPages } from '../../shared/use-cases/reresolve-pages.js';
import { linkSeries, unlinkSeries } from '../../shared/use-cases/series-lineage.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { replacePageUrl, rewriteTags, waybackWrap, withoutUrlEvidence } from '../support/archive-rewrites.js';
import { loadCorpusPage, type CorpusCountry } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { htmlResponse, writeWarc } from './warc-fixture.js';
import { temporaryFolder } from '../cli/cli-fixture.js';

/** Identity and lineage through the import use case, over dynalite and s3rver. */
const NOW = new Date('2026-01-01T00:00:00.000Z');
const url = (country: string, year: number) => `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/${country}/`;
const CHINA_OLD = 'hrr/china-includes-tibet-hong-kong-and-macau';
const CHINA_2018 = 'hrr/china-includes-tibet-hong-kong-and-macau-china';

function capture(source: string, html: string, archivedAt = '2025-09-01T00:00:00.000Z', captureUrl?: string): CaptureSourceItem {
  const item: ArchivedCapture = {
    source,
    body: new TextEncoder().encode(html),
    text: html,
    contentType: 'text/html',
    archivedAt,
    ...(captureUrl ? { url: captureUrl } : {}),
  };
  return { capture: item };
}

async function* fromList(items: readonly CaptureSourceItem[]): AsyncGenerator<CaptureSourceItem> {
  for (const item of items) yield item;
}

/** The page's own dates taken away (its JSON-LD and article:modified_time): only an archive can date the capture. */
function undated(html: string): string {
  return withoutUrlEvidence(
    rewriteTags(html, (name, attributes) => (name === 'meta' && /_time$/.test(attributes.property ?? '') ? null : undefined)),
    ['json-ld'],
  );
}

async function withStore(run: (dependencies: ImportDependencies, aws: LocalAws) => Promise<void>): Promise<void> {
  const aws = await startLocalAws();
  try {
    await run(
      {
        revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName }),
        snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName }),
        now: () => NOW,
        settings: DEFAULT_TRACKER_SETTINGS,
      },
      aws,
    );
  } finally {
    await aws.close();
  }
}

describe('import: identity from evidence', () => {
  it('places archived, respelled and canonical-less pages as the pages they are, and lists what it could not place', async () => {
    await withStore(async (dependencies) => {
      const folder = await temporaryFolder('redline-identity-');
      try {
        const warc = await writeWarc(join(folder.path, 'wayback.warc'), [
          // Fetched from the Wayback Machine: the record's URL is the archive's, the page has no date of its own.
          htmlResponse(
            `https://web.archive.org/web/20200305101112/${url('kazakhstan', 2019)}`,
            '2025-06-01T00:00:00Z',
            undated(waybackWrap(loadCorpusPage('kazakhstan', 2019), { timestamp: '20200305101112', absolute: true, wrapHead: true, flags: true })),
          ),
        ]);
        const items = [
          capture(
            'capitalised-trashed.html',
            replacePageUrl(loadCorpusPage('kazakhstan', 2020), url('kazakhstan', 2020), url('Kazakhstan__trashed', 2020)),
          ),
          capture('no-canonical.html', withoutUrlEvidence(loadCorpusPage('kazakhstan', 2021), ['canonical', 'og:url', 'oembed'])),
          capture(
            'stray-segment.html',
            replacePageUrl(loadCorpusPage('kazakhstan', 2022), url('kazakhstan', 2022), url('2022samplehrrwha/kazakhstan', 2022)),
          ),
          capture(
            'about.html',
            '<html><head><link rel="canonical" href="https://www.state.gov/about-us/"><title>About</title></head><body><main><h1>About us</h1><p>Text.</p></main></body></html>',
          ),
          capture(
            'elsewhere.html',
            '<html><head><link rel="canonical" href="https://example.org/annual/"><title>Annual</title></head><body><main><h1>Annual</h1><p>Text.</p></main></body></html>',
          ),
          capture('nameless.html', '<html><head><title>Notes</title></head><body><main><h1>Notes</h1><p>Text.</p></main></body></html>'),
        ];
        async function* all(): AsyncGenerator<CaptureSourceItem> {
          yield* archiveCaptures([warc]);
          yield* fromList(items);
        }
        const report = await importPages(dependencies, all());
        expect(report).toMatchObject({ read: 7, imported: 6, failed: 1 });
        const reports = report.pages.filter((page) => page.series !== undefined);
        expect(reports.map((page) => [page.page, page.series, page.url])).toEqual(
          [2019, 2020, 2021, 2022].map((year) => [`hrr.kazakhstan.${year}`, 'hrr/kazakhstan', url('kazakhstan', year)]),
        );
        // Each stored Document is the one a live capture of the watched URL gives (the archive's chrome left out).
        for (const year of [2019, 2020, 2021, 2022]) {
          const page = (await dependencies.revisions.getPage(`hrr.kazakhstan.${year}`))!;
          const original = year === 2019 ? undated(loadCorpusPage('kazakhstan', year)) : loadCorpusPage('kazakhstan', year);
          const live = extract(original, { url: page.url, profile: page.profile });
          expect({ year, hash: (await dependencies.revisions.latestRevision(page.page))!.documentHash }).toEqual({
            year,
            hash: dependencies.snapshots.documentHash(live),
          });
        }
        // No date in the page: the capture time is the archive's timestamp, not the WARC's date.
        expect((await dependencies.revisions.latestRevision('hrr.kazakhstan.2019'))!.capturedAt).toBe('2020-03-05T10:11:12.000Z');

        expect(report.unplaced).toEqual([
          {
            source: 'about.html',
            url: 'https://www.state.gov/about-us/',
            profile: 'generic',
            reason: 'no site profile reads it: imported as a generic page, with no series or edition',
            tried: ['no og:url', "state-hrr: the page's content does not say which report it is"],
          },
          {
            source: 'nameless.html',
            reason: 'nothing in the page or its URL says which page it is',
            tried: ['no canonical link', 'no og:url', "state-hrr: the page's content does not say which report it is"],
          },
        ]);
        expect(report.notImported.find((item) => item.source === 'nameless.html')?.message).toBe(
          "nothing identifies this page (tried: no canonical link; no og:url; state-hrr: the page's content does not say which report it is)",
        );

        // With --time-source archive, the archive's timestamp wins over the page's own dates.
        const dated = await importPages(
          dependencies,
          fromList([
            capture(
              'wayback-2023',
              waybackWrap(loadCorpusPage('kazakhstan', 2023), { timestamp: '20240420', absolute: false, wrapHead: true, flags: false }),
            ),
          ]),
          { timeSource: 'archive' },
        );
        expect(dated).toMatchObject({ imported: 1, unplaced: [] });
        expect((await dependencies.revisions.latestRevision('hrr.kazakhstan.2023'))!.capturedAt).toBe('2024-04-20T00:00:00.000Z');
      } finally {
        await folder.remove();
      }
    });
  });

  it('China comes out one series over 2016-2024 with no alias table: imported in two runs, re-linked without copying; compare, blame and removed work across the renames', async () => {
    await withStore(async (dependencies) => {
      const china = (years: number[]) => fromList(years.map((year) => capture(`china-${year}`, loadCorpusPage('china', year))));
      const newer = await importPages(dependencies, china([2019, 2020, 2021, 2022, 2023, 2024]));
      expect(newer).toMatchObject({ imported: 6, unplaced: [] });
      expect(newer.lineage).toEqual({ linked: [], unlinked: [] });
      const blameBefore = await blamePage(dependencies, { page: 'hrr.china.2019', limit: 1 }, { persist: true });
      expect(blameBefore.index.caughtUp).toBe(6);

      const older = await importPages(dependencies, china([2016, 2017, 2018]));
      expect(older.pages.map((page) => [page.page, page.series])).toEqual([
        ['hrr.china-includes-tibet-hong-kong-and-macau-china.2018', CHINA_2018],
        ['hrr.china-includes-tibet-hong-kong-and-macau.2016', CHINA_OLD],
        ['hrr.china-includes-tibet-hong-kong-and-macau.2017', CHINA_OLD],
      ]);
      expect(older.lineage?.linked.map((link) => [link.from, link.to])).toEqual([
        [CHINA_2018, 'hrr/china'],
        [CHINA_OLD, CHINA_2018],
      ]);

      // One series under any of its names; each page kept its id and its one revision (aliases, not copies).
      for (const name of ['hrr/china', CHINA_OLD, CHINA_2018]) {
        const editions = await dependencies.revisions.listEditions(name);
        expect(editions.map((entry) => [entry.series, entry.edition])).toEqual(
          [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024].map((year) => ['hrr/china', year]),
        );
      }
      for (const entry of await dependencies.revisions.listEditions('hrr/china')) {
        expect((await dependencies.revisions.listRevisions(entry.page)).items.map((revision) => revision.seq)).toEqual([1]);
      }
      const series = (await listSeries(dependencies)).items;
      expect(series.map((record) => [record.series, record.aliases ?? []])).toEqual([['hrr/china', [CHINA_OLD, CHINA_2018]]]);

      const comparison = await compareEditions(dependencies, { series: CHINA_OLD, from: 2018, to: 2019 });
      expect(comparison).toMatchObject({
        series: 'hrr/china',
        from: { page: 'hrr.china-includes-tibet-hong-kong-and-macau-china.2018' },
        to: { page: 'hrr.china.2019' },
      });
      expect(comparison.diff.sections.length).toBeGreaterThan(10);
      // The lineage's provenance index is caught up with the older editions (the newer ones stay as they were).
      const blame = await blamePage(dependencies, { page: 'hrr.china.2019', edition: 2017, limit: 5 }, { persist: true });
      expect(blame).toMatchObject({ page: 'hrr.china-includes-tibet-hong-kong-and-macau.2017', series: 'hrr/china', index: { caughtUp: 3 } });
      expect(blame.items.length).toBe(5);
      const removed = await removedSentences(dependencies, { series: CHINA_OLD, from: 2018, to: 2019 });
      expect(removed).toMatchObject({ scope: 'series:hrr/china', series: 'hrr/china' });
      expect(removed.sentences.length).toBeGreaterThan(0);

      // Refused links change nothing stored.
      const overridesBefore = await dependencies.revisions.listLineageOverrides();
      await expect(linkSeries(dependencies, CHINA_OLD, 'hrr/china')).rejects.toThrow(/already one series .* another link would make a cycle/);
      await expect(linkSeries(dependencies, 'hrr/china', 'hrr/atlantis')).rejects.toThrow('No series hrr/atlantis');
      expect(await dependencies.revisions.listLineageOverrides()).toEqual(overridesBefore);

      // An unlink by hand splits the lineage for good: the provenance index of hrr/china is rebuilt without 2016-2018.
      const split = await unlinkSeries(dependencies, 'hrr/china', CHINA_2018);
      expect(split.refresh.unlinked).toEqual([{ from: CHINA_2018, to: 'hrr/china' }]);
      expect((await dependencies.revisions.listEditions('hrr/china')).map((entry) => entry.edition)).toEqual([2019, 2020, 2021, 2022, 2023, 2024]);
      expect((await dependencies.revisions.listEditions(CHINA_OLD)).map((entry) => [entry.series, entry.edition])).toEqual([
        [CHINA_2018, 2016],
        [CHINA_2018, 2017],
        [CHINA_2018, 2018],
      ]);
      const after = await removedSentences(dependencies, { series: 'hrr/china' }, { persist: true });
      expect(after.transitions.map((transition) => transition.from.edition)).toEqual([2019, 2020, 2021, 2022, 2023]);
      expect((await provenanceStatus(dependencies, { series: 'hrr/china' })).indexedVersions).toBe(6);

      // A later import of the same pages evidence would link does not undo it.
      const again = await importPages(
        dependencies,
        fromList([capture('china-2018-again', loadCorpusPage('china', 2018).replace('</article>', '<p>x</p></article>'))]),
      );
      expect(again.lineage?.linked ?? []).toEqual([]);
      expect((await dependencies.revisions.resolveSeries(CHINA_2018)).id).toBe(CHINA_2018);
      // Linked again by hand: one series again; linking it with a country of the same editions is refused.
      const joined = await linkSeries(dependencies, CHINA_2018, 'hrr/china');
      expect(joined.lineage.editions.map((edition) => edition.edition)).toEqual([2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]);
      expect(joined.lineage.links.find((link) => link.to === 'hrr/china')).toMatchObject({ from: CHINA_2018, decidedBy: 'override' });
      await importPages(dependencies, fromList([capture('kazakhstan-2019', loadCorpusPage('kazakhstan', 2019))]));
      await expect(linkSeries(dependencies, 'hrr/china', 'hrr/kazakhstan')).rejects.toThrow(LineageConflictError);
    });
  });

  it('re-resolves pages stored before identity came from evidence: their series moves, their ids and revisions stay, and a new import finds them', async () => {
    await withStore(async (dependencies) => {
      // A page as an earlier version stored it: China 2017 under the old alias table's id and series.
      const { page } = await addWatch(dependencies, {
        url: url('china-includes-tibet-hong-kong-and-macau', 2017),
        identity: { profile: 'state-hrr', series: 'hrr/china', edition: 2017 },
      });
      expect(page.page).toBe('hrr.china.2017');
      const html = loadCorpusPage('china', 2017);
      await dependencies.snapshots.putRaw(page.page, new TextEncoder().encode(html), 'text/html');
      const stored = await dependencies.snapshots.putDocument(page.page, extract(html, { url: page.url, profile: page.profile }));
      await recordRevision(dependencies, { page: page.page, documentKey: stored.key, capturedAt: '2025-01-01T00:00:00.000Z' });
      await importPages(dependencies, fromList([2018, 2019].map((year) => capture(`china-${year}`, loadCorpusPage('china' as CorpusCountry, year)))));

      const result = await reresolveStoredPages(dependencies);
      expect(result).toMatchObject({ reread: 1, moved: [{ page: 'hrr.china.2017', from: 'hrr/china', to: CHINA_OLD }], unreadable: [] });
      expect((await dependencies.revisions.listEditions('hrr/china')).map((entry) => [entry.edition, entry.page])).toEqual([
        [2017, 'hrr.china.2017'],
        [2018, 'hrr.china-includes-tibet-hong-kong-and-macau-china.2018'],
        [2019, 'hrr.china.2019'],
      ]);
      // The same page imported now is that page (by series and edition), not a copy under a new id.
      const again = await importPages(dependencies, fromList([capture('china-2017', html)]));
      expect(again).toMatchObject({ imported: 0, skipped: 1, watched: 0 });
      expect(again.pages.map((entry) => entry.page)).toEqual(['hrr.china.2017']);
      expect(await dependencies.revisions.getPage('hrr.china-includes-tibet-hong-kong-and-macau.2017')).toBeUndefined();
    });
  });
});
