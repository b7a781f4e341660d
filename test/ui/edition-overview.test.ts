import { parseDocument } from 'htmlparser2';
import { editionOverviewPath, editionOverviewView, ratioBins, sectionStatus, sortSeries } from '../../functions/api/ui/edition-overview-view.js';
import { UiLinks } from '../../functions/api/ui/ui-links.js';
import { diffDocuments } from '../../shared/domain/diff-documents.js';
import { editionMapPrior, learnEditionMap } from '../../shared/domain/edition-map.js';
import { assembleEditionReport, seriesEditionReport, type EditionReport } from '../../shared/domain/edition-report.js';
import { hrrDocument } from '../provenance/provenance-fixture.js';
import { CORPUS_COUNTRIES } from '../support/corpus.js';

/** The edition overview page's server-side pieces, on the sample's six countries 2023 -> 2024 (no browser). */
let report: EditionReport;
const links = new UiLinks('/prod');

beforeAll(() => {
  const inputs = CORPUS_COUNTRIES.map((country) => ({
    series: `hrr/${country}`,
    previous: hrrDocument(country, 2023),
    next: hrrDocument(country, 2024),
  }));
  const map = learnEditionMap('hrr', 2023, 2024, inputs);
  report = assembleEditionReport(
    'hrr',
    2023,
    2024,
    inputs.map(({ series, previous, next }) =>
      seriesEditionReport(series, previous, next, diffDocuments(previous, next, { alignment: { prior: editionMapPrior(map, { exclude: series }) } })),
    ),
    map,
  );
});

describe('edition overview view', () => {
  it('sorts the series on the server: deepest cut, most sections removed, fewest sentences kept, or by name', () => {
    expect(sortSeries(report.series, 'ratio').map((row) => row.series)).toEqual([
      'hrr/tuvalu',
      'hrr/kazakhstan',
      'hrr/russia',
      'hrr/nigeria',
      'hrr/andorra',
      'hrr/china',
    ]);
    expect(sortSeries(report.series, 'removed').map((row) => [row.series, row.removed])[0]).toEqual(['hrr/russia', 27]);
    expect(sortSeries(report.series, 'kept').map((row) => row.series)[0]).toBe('hrr/kazakhstan');
    expect(sortSeries(report.series, 'series').map((row) => row.series)).toEqual(CORPUS_COUNTRIES.map((country) => `hrr/${country}`));
    expect(editionOverviewPath(links, 'hrr', 2023, 2024, 'kept')).toBe('/prod/ui/editions/hrr?from=2023&to=2024&sort=kept');
  });

  it('bins the ratios by tenths for the histogram', () => {
    // .317 .358 .387 in [0.3, 0.4); .433 .438 .447 in [0.4, 0.5).
    const bins = ratioBins(report.series.map((row) => row.ratio));
    expect(bins).toHaveLength(10);
    expect(bins.map((bin) => bin.count)).toEqual([0, 0, 0, 3, 3, 0, 0, 0, 0, 0]);
    expect(ratioBins([0.3, 1, 1.25]).map((bin) => bin.count)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
  });

  it('marks each template section per series: present, renamed, removed, added or absent', () => {
    const row = (heading: string) => report.sections.find((entry) => entry.heading === heading)!;
    expect(sectionStatus(row('Women'), 'hrr/china')).toBe('removed');
    expect(sectionStatus(row('Freedom of Expression, Including for Members of the Press and Other Media'), 'hrr/china')).toBe('renamed');
    expect(sectionStatus(row('Trafficking in Persons'), 'hrr/china')).toBe('kept');
    expect(sectionStatus(row('Indigenous Peoples'), 'hrr/china')).toBe('absent');
    expect(sectionStatus(row('Indigenous Peoples'), 'hrr/russia')).toBe('removed');
    expect(sectionStatus(row('Child Marriage'), 'hrr/andorra')).toBe('added');
  });

  it('renders the table with sorting links, the histogram, the grid and links into each comparison', () => {
    const markup = editionOverviewView({ links, report, sort: 'ratio' }).value;
    const document = parseDocument(markup);
    expect(markup).toContain('<h1>hrr: the 2023 and 2024 editions across 6 series</h1>');
    expect(markup).toContain('href="/prod/ui/editions/hrr?from=2023&amp;to=2024&amp;sort=removed"');
    expect(markup).toContain('href="/prod/ui/series/hrr~tuvalu/compare?from=2023&amp;to=2024"');
    expect(markup.match(/<g class="bin"/g)).toHaveLength(10);
    expect(markup.match(/data-status="removed"/g)!.length).toBe(report.series.reduce((sum, row) => sum + row.removed, 0));
    expect(markup).toContain('20 section(s) of 2023 are gone from every series');
    expect(markup).toContain('href="/prod/editions/hrr/report?from=2023&amp;to=2024&amp;format=csv&amp;by=section"');
    expect(document.children.length).toBeGreaterThan(0);
  });
});
