import { summaryLines } from '../../cli/import-command.js';
import type { ImportReport } from '../../shared/use-cases/import-pages.js';
import type { SeriesLink } from '../../shared/domain/identity/series-lineage.js';

/** The text report of an import names each series once, by the lineage its slugs ended in. */
describe('import summary', () => {
  const page = (slug: string, edition: number) => ({
    page: `hrr.${slug}.${edition}`,
    url: `https://www.state.gov/reports/${edition}-country-reports-on-human-rights-practices/${slug}/`,
    series: `hrr/${slug}`,
    edition,
    watched: true,
    imported: 1,
    skipped: 0,
  });
  const link = (from: string, to: string) => ({ from, to, decidedBy: 'evidence' }) as unknown as SeriesLink;
  const report = (linked: SeriesLink[]): ImportReport =>
    ({
      read: 4,
      imported: 4,
      watched: 4,
      skipped: 0,
      unchanged: 0,
      outOfOrder: 0,
      failed: 0,
      bytes: 4_000_000,
      durationMs: 2_000,
      pages: [page('old-name', 2016), page('middle-name', 2018), page('new-name', 2020), page('elsewhere', 2020)],
      notImported: [],
      unplaced: [],
      lineage: { linked, unlinked: [] },
    }) as unknown as ImportReport;

  it('lists lineages, not their aliases, and points every link at the series it joined', () => {
    const lines = summaryLines(report([link('hrr/middle-name', 'hrr/new-name'), link('hrr/old-name', 'hrr/middle-name')]), 0);
    expect(lines).toContain('  series: hrr/new-name, hrr/elsewhere  (try: redline compare hrr/new-name)');
    expect(lines.filter((line) => line.startsWith('  series linked:'))).toEqual([
      '  series linked: hrr/middle-name -> hrr/new-name (evidence; see redline series show hrr/new-name)',
      '  series linked: hrr/old-name -> hrr/middle-name (evidence; see redline series show hrr/new-name)',
    ]);
  });

  it('lists every series as it is when nothing was linked', () => {
    expect(summaryLines(report([]), 0)).toContain(
      '  series: hrr/old-name, hrr/middle-name, hrr/new-name, hrr/elsewhere  (try: redline compare hrr/old-name)',
    );
  });
});
