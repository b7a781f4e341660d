import { join } from 'node:path';
import type { ImportReport } from '../../shared/use-cases/import-pages.js';
import type { PageView } from '../../shared/use-cases/queries/views.js';
import type { SeriesListing } from '../../shared/use-cases/series-lineage.js';
import { replacePageUrl, waybackWrap } from '../support/archive-rewrites.js';
import { cli, json, saveCorpusPage, startSharedStore, temporaryFolder, type SharedStore } from './cli-fixture.js';

/** `redline series` and the import's report of unplaced pages, in process against a local folder. */
const CHINA_OLD = 'hrr/china-includes-tibet-hong-kong-and-macau';
const CHINA_2018 = 'hrr/china-includes-tibet-hong-kong-and-macau-china';
const reportUrl = (slug: string, year: number) => `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/${slug}/`;

describe('redline series', () => {
  let folder: { path: string; remove(): Promise<void> };
  let store: SharedStore;
  let report: ImportReport;
  let text: string;
  const inStore = (...args: string[]) => [...args, '--data-dir', store.dataDir];

  beforeAll(async () => {
    folder = await temporaryFolder('redline-series-');
    store = await startSharedStore(folder.path);
    const pages = join(folder.path, 'archive');
    for (const year of [2016, 2017, 2018, 2019, 2024]) await saveCorpusPage(pages, `china-${year}.html.gz`, 'china', year);
    await saveCorpusPage(pages, 'kazakhstan-2024.html.gz', 'kazakhstan', 2024);
    // Saved from the Wayback Machine, with the slug in capitals.
    await saveCorpusPage(pages, 'tuvalu-2023.html', 'tuvalu', 2023, {
      edit: (html) =>
        waybackWrap(replacePageUrl(html, reportUrl('tuvalu', 2023), reportUrl('Tuvalu', 2023)), {
          timestamp: '20240501',
          absolute: true,
          wrapHead: true,
          flags: false,
        }),
    });
    await saveCorpusPage(pages, 'notes.html', 'tuvalu', 2023, {
      edit: () => '<html><head><title>Notes</title></head><body><main><h1>Notes</h1><p>Mine.</p></main></body></html>',
    });
    // One input fails (nothing identifies it): exit 1, the report still complete.
    const imported = await cli(inStore('import', pages, '--json'));
    expect(imported.code).toBe(1);
    report = JSON.parse(imported.stdout) as ImportReport;
    text = (await cli(inStore('import', pages))).stdout;
  });

  afterAll(async () => {
    await store?.close();
    await folder?.remove();
  });

  test('import --json carries the pages it could not place; the text report ends with them', () => {
    expect(report).toMatchObject({ read: 8, imported: 7, failed: 1 });
    expect(report.unplaced).toEqual([
      expect.objectContaining({ source: expect.stringMatching(/notes\.html$/), reason: 'nothing in the page or its URL says which page it is' }),
    ]);
    expect(report.pages.map((page) => page.page)).toContain('hrr.tuvalu.2023');
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-2)).toBe('could not place 1 page(s) (--json lists them with what was tried):');
    expect(lines.at(-1)).toMatch(/^ {2}\S*notes\.html: nothing in the page or its URL says which page it is$/);
  });

  test('series list: one China over its three slugs, with the editions and the link evidence', async () => {
    const listings = json<SeriesListing[]>(await cli(inStore('series', 'list', '--json')));
    expect(listings.map((listing) => [listing.series, listing.aliases, listing.editions.map((edition) => edition.edition)])).toEqual([
      ['hrr/china', [CHINA_OLD, CHINA_2018], [2016, 2017, 2018, 2019, 2024]],
      ['hrr/kazakhstan', [], [2024]],
      ['hrr/tuvalu', [], [2023]],
    ]);
    expect(listings[0]!.links.every((link) => link.decidedBy === 'evidence' && link.transitions.some((transition) => transition.supports))).toBe(
      true,
    );
    const table = (await cli(inStore('series', 'list'))).stdout.split('\n');
    expect(table[0]).toMatch(/^series\s+editions\s+aliases\s+links$/);
    expect(table[2]).toMatch(new RegExp(`^hrr/china\\s+2016-2019,2024\\s+${CHINA_OLD}, ${CHINA_2018}\\s+evidence, evidence$`));
  });

  test("series show: by any name, with each edition's own slug and what each signal said", async () => {
    const shown = await cli(inStore('series', 'show', CHINA_OLD.replaceAll('/', '~')));
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('hrr/china (state-hrr)');
    expect(shown.stdout).toMatch(/2017\s+hrr\.china-includes-tibet-hong-kong-and-macau\.2017\s+hrr\/china-includes-tibet-hong-kong-and-macau/);
    expect(shown.stdout).toMatch(
      /2018 -> 2019: taxonomy agree \(china \/ china\); name agree \("China \(includes Tibet, Hong Kong, and Macau\) – China" \/ "China \(Includes Hong Kong, Macau, and Tibet\)"\); text agree \(0\.\d{3}\)/,
    );
    expect((await cli(inStore('series', 'show', 'hrr/atlantis'))).code).toBe(2);
  });

  test('link and unlink by hand: refused (exit 2) for a cycle or a shared edition, kept after the next import', async () => {
    const cycle = await cli(inStore('series', 'link', CHINA_OLD, 'hrr/china'));
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toMatch(/already one series .*another link would make a cycle/);
    const shared = await cli(inStore('series', 'link', 'hrr/china', 'hrr/kazakhstan'));
    expect([shared.code, shared.stderr]).toEqual([
      2,
      'redline: hrr/china and hrr/kazakhstan both have edition 2024 (pages hrr.china.2024 and hrr.kazakhstan.2024): one series has one page per edition\n',
    ]);
    const indirect = await cli(inStore('series', 'unlink', CHINA_OLD, 'hrr/china'));
    expect(indirect.code).toBe(2);
    expect(indirect.stderr).toContain('not linked directly');

    const unlinked = await cli(inStore('series', 'unlink', CHINA_2018, 'hrr/china'));
    expect(unlinked.code).toBe(0);
    expect(unlinked.stdout).toMatch(
      /^unlinked hrr\/china and hrr\/china-includes-tibet-hong-kong-and-macau-china \(override, .*\): kept apart from now on\n {2}no longer linked: hrr\/china-includes-tibet-hong-kong-and-macau-china -> hrr\/china\n$/,
    );
    const editions = (series: string) => cli(inStore('compare', series, '--from', '2018', '--to', '2019', '--json'));
    expect((await editions('hrr/china')).code).toBe(2);
    // The next import (and its lineage decision) keeps them apart.
    await cli(inStore('import', join(folder.path, 'archive')));
    expect(json<PageView[]>(await cli(inStore('watch', 'list', '--series', 'hrr/china', '--json'))).map((page) => page.edition)).toEqual([
      2019, 2024,
    ]);

    const linked = await cli(inStore('series', 'link', CHINA_2018, 'hrr/china', '--json'));
    const result = json<{ override: { action: string }; series: { id: string; members: string[] } }>(linked);
    expect(result).toMatchObject({ override: { action: 'link' }, series: { id: 'hrr/china', members: [CHINA_OLD, CHINA_2018, 'hrr/china'] } });
    expect((await editions('hrr/china')).code).toBe(0);
  });
});
