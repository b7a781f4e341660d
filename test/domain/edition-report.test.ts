import { diffDocuments } from '../../shared/domain/diff-documents.js';
import { documentPlainText, type Document } from '../../shared/domain/document.js';
import { EditionMapLearner, editionMapPrior, learnEditionMap } from '../../shared/domain/edition-map.js';
import {
  assembleEditionReport,
  editionReportSectionsCsv,
  editionReportSeriesCsv,
  quantile,
  seriesEditionReport,
  type EditionReport,
} from '../../shared/domain/edition-report.js';
import { normaliseSentence, splitSentences } from '../../shared/domain/sentences.js';
import { hrrDocument } from '../provenance/provenance-fixture.js';
import { CORPUS_COUNTRIES } from '../support/corpus.js';
import { SAMPLE_SERIES_FIGURES_2023_2024 } from '../support/edition-report-figures.js';

/**
 * The edition report on the sample: six countries, 2023 -> 2024, each pair diffed as compare diffs it (the other
 * series' map as a prior). Word counts (SAMPLE_SERIES_FIGURES_2023_2024) were checked against a whitespace split
 * of each edition's plain text (headings left out), recomputed here; ratios and quartiles by hand from them.
 */
const inputs = CORPUS_COUNTRIES.map((country) => ({
  series: `hrr/${country}`,
  previous: hrrDocument(country, 2023),
  next: hrrDocument(country, 2024),
}));
let report: EditionReport;

beforeAll(() => {
  const map = learnEditionMap('hrr', 2023, 2024, inputs);
  const reports = inputs.map(({ series, previous, next }) =>
    seriesEditionReport(series, previous, next, diffDocuments(previous, next, { alignment: { prior: editionMapPrior(map, { exclude: series }) } })),
  );
  report = assembleEditionReport('hrr', 2023, 2024, reports, map);
});

/** Words of the body by a plain whitespace split of the plain text, heading lines left out. */
function wordsBySplit(document: Document): number {
  const headings = new Set(document.sections.map((section) => (section.number ? `${section.number}. ${section.heading}` : section.heading)));
  return documentPlainText(document)
    .split('\n')
    .filter((line) => !headings.has(line))
    .flatMap((line) => line.split(/[\s\u00a0]+/u).filter((word) => word.length > 0)).length;
}

function sentenceCounts(document: Document): Map<string, number> {
  const counts = new Map<string, number>();
  for (const section of document.sections) {
    for (const paragraph of section.paragraphs) {
      for (const sentence of splitSentences(paragraph.text)) {
        const normal = normaliseSentence(sentence);
        if (normal) counts.set(normal, (counts.get(normal) ?? 0) + 1);
      }
    }
  }
  return counts;
}

describe('edition report, six countries 2023 -> 2024', () => {
  it('counts words per series and sorts by ratio, deepest cut first', () => {
    expect(report.series.map((row) => [row.series, row.wordsFrom, row.wordsTo, row.ratio])).toEqual(SAMPLE_SERIES_FIGURES_2023_2024);
    for (const { series, previous, next } of inputs) {
      const row = report.series.find((candidate) => candidate.series === series)!;
      expect([row.wordsFrom, row.wordsTo]).toEqual([wordsBySplit(previous), wordsBySplit(next)]);
    }
  });

  it('summarises the ratios: median and quartiles interpolated between ranks, the lowest first', () => {
    // Sorted: .317 .358 .387 .433 .438 .447; median (.387 + .433) / 2; q1 at rank 1.25, q3 at rank 3.75.
    expect(report.summary).toEqual({
      series: 6,
      wordsFrom: 2659 + 12535 + 20832 + 7786 + 2812 + 18322,
      wordsTo: 842 + 4492 + 8060 + 3374 + 1232 + 8195,
      overallRatio: 0.403,
      min: 0.317,
      q1: 0.365,
      median: 0.41,
      q3: 0.437,
      max: 0.447,
      lowest: report.series.map((row) => ({ series: row.series, ratio: row.ratio })),
    });
    expect(quantile([], 0.5)).toBe(0);
    expect(quantile([2], 0.25)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('counts sections removed, added and renamed per series, and lists the removed ones', () => {
    expect(report.series.map((row) => [row.series, row.sectionsFrom, row.sectionsTo, row.removed, row.added, row.renamed])).toEqual([
      ['hrr/tuvalu', 40, 27, 24, 11, 12],
      ['hrr/kazakhstan', 43, 31, 26, 14, 13],
      ['hrr/russia', 45, 37, 27, 19, 14],
      ['hrr/nigeria', 44, 32, 26, 14, 14],
      ['hrr/andorra', 38, 26, 22, 10, 12],
      ['hrr/china', 43, 36, 26, 19, 13],
    ]);
    for (const row of report.series) {
      // Every earlier section is paired or removed, every later one paired or added.
      expect(row.sectionsFrom - row.removed).toBe(row.sectionsTo - row.added);
      expect(row.removedSections).toHaveLength(row.removed);
      expect(row.addedSections).toHaveLength(row.added);
      expect(row.removedSections).toEqual(expect.arrayContaining(['Women', 'Persons with Disabilities', 'Corruption in Government']));
    }
    expect(report.series.find((row) => row.series === 'hrr/russia')!.removedSections).toContain('Indigenous Peoples');
  });

  it('counts the sentences of 2023 still in 2024 as a multiset, moved ones included', () => {
    expect(report.series.map((row) => [row.series, row.sentencesFrom, row.sentencesKept, row.sentencesMoved, row.keptShare])).toEqual([
      ['hrr/tuvalu', 140, 26, 8, 0.186],
      ['hrr/kazakhstan', 527, 88, 54, 0.167],
      ['hrr/russia', 850, 148, 51, 0.174],
      ['hrr/nigeria', 385, 69, 30, 0.179],
      ['hrr/andorra', 150, 31, 11, 0.207],
      ['hrr/china', 782, 153, 78, 0.196],
    ]);
    // Independently: the multiset intersection of the two editions' sentences, whatever their sections.
    for (const { series, previous, next } of inputs) {
      const before = sentenceCounts(previous);
      const after = sentenceCounts(next);
      let total = 0;
      let kept = 0;
      for (const [sentence, count] of before) {
        total += count;
        kept += Math.min(count, after.get(sentence) ?? 0);
      }
      const row = report.series.find((candidate) => candidate.series === series)!;
      expect([row.sentencesFrom, row.sentencesKept]).toEqual([total, kept]);
    }
  });

  it('tells per template section in how many of six it exists in each edition, and where it vanished', () => {
    const section = (heading: string) => report.sections.find((row) => row.heading === heading && row.seriesFrom > 0)!;
    const figures = (heading: string) => {
      const row = section(heading);
      return [row.seriesFrom, row.seriesTo, row.removed, row.renamed];
    };
    expect(figures('Women')).toEqual([6, 0, 6, 0]);
    expect(figures('Persons with Disabilities')).toEqual([6, 0, 6, 0]);
    expect(
      figures(
        'Acts of Violence, Criminalization, and Other Abuses Based on Sexual Orientation, Gender Identity or Expression, or Sex Characteristics',
      ),
    ).toEqual([6, 0, 6, 0]);
    expect(figures('Corruption in Government')).toEqual([6, 0, 6, 0]);
    expect(figures('Freedom of Peaceful Assembly')).toEqual([5, 0, 5, 0]);
    expect(figures('Indigenous Peoples')).toEqual([1, 0, 1, 0]);
    expect(section('Indigenous Peoples').removedIn).toEqual(['hrr/russia']);
    expect(figures('Freedom of Expression, Including for Members of the Press and Other Media')).toEqual([6, 6, 0, 6]);
    expect(figures('Trafficking in Persons')).toEqual([6, 6, 0, 0]);
    expect(section('Women').wordsFrom).toBe(5535);
    // Sections gone from all six: Women, LGBTQI+, disabilities, corruption, peaceful assembly's parent, ...
    const goneEverywhere = report.sections.filter((row) => row.seriesFrom === 6 && row.removed === 6).map((row) => row.heading);
    expect(goneEverywhere).toEqual([
      'Prison and Detention Center Conditions',
      'Denial of Fair Public Trial',
      'Trial Procedures',
      'Political Prisoners and Detainees',
      'Property Seizure and Restitution',
      'Arbitrary or Unlawful Interference with Privacy, Family, Home, or Correspondence',
      'Respect for Civil Liberties',
      'Internet Freedom',
      'Freedoms of Peaceful Assembly and Association',
      'Freedom of Movement and the Right to Leave the Country',
      'Freedom to Participate in the Political Process',
      'Elections and Political Participation',
      'Corruption in Government',
      'Governmental Posture Towards International and Nongovernmental Monitoring and Investigation of Alleged Abuses of Human Rights',
      'Discrimination and Societal Abuses',
      'Women',
      'Systemic Racial or Ethnic Violence and Discrimination',
      'Children',
      'Acts of Violence, Criminalization, and Other Abuses Based on Sexual Orientation, Gender Identity or Expression, or Sex Characteristics',
      'Persons with Disabilities',
    ]);
    // New in 2024: present in none in 2023.
    const child = report.sections.find((row) => row.heading === 'Child Marriage')!;
    expect([child.seriesFrom, child.seriesTo, child.added]).toEqual([0, 6, 6]);
  });

  it('adds up: the sections’ words are the series’ words, and each series is counted once per section', () => {
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    expect(sum(report.sections.map((row) => row.wordsFrom))).toBe(report.summary.wordsFrom);
    expect(sum(report.sections.map((row) => row.wordsTo))).toBe(report.summary.wordsTo);
    expect(sum(report.sections.map((row) => row.removed))).toBe(sum(report.series.map((row) => row.removed)));
    expect(sum(report.sections.map((row) => row.added))).toBe(sum(report.series.map((row) => row.added)));
    expect(sum(report.sections.map((row) => row.renamed))).toBe(sum(report.series.map((row) => row.renamed)));
    expect(sum(report.sections.map((row) => row.seriesFrom))).toBe(sum(report.series.map((row) => row.sectionsFrom)));
    for (const row of report.sections) expect(row.seriesTo).toBe(row.seriesFrom - row.removed + row.added);
  });

  it('learns the map one pair at a time (bounded memory) as it learns it from all pairs at once', () => {
    const learner = new EditionMapLearner();
    for (const input of inputs) learner.add(input);
    expect(learner.map('hrr', 2023, 2024)).toEqual(learnEditionMap('hrr', 2023, 2024, inputs));
  });

  it('writes each table as CSV, one row per series or per section', () => {
    const series = editionReportSeriesCsv(report).split('\r\n');
    expect(series[0]).toBe(
      'series,words_from,words_to,ratio,sections_from,sections_to,removed,added,renamed,sentences_from,sentences_kept,sentences_moved,kept_share,removed_sections,added_sections',
    );
    expect(series[1]).toMatch(/^hrr\/tuvalu,2659,842,0\.317,40,27,24,11,12,140,26,8,0\.186,"Prison and Detention Center Conditions; /);
    expect(series).toHaveLength(6 + 2);
    const sections = editionReportSectionsCsv(report).split('\r\n');
    expect(sections[0]).toBe('key,heading,series_from,series_to,removed,renamed,added,words_from,words_to,removed_in');
    expect(sections).toContain(
      'discrimination-and-societal-abuses/women,Women,6,0,6,0,0,5535,0,hrr/andorra; hrr/china; hrr/kazakhstan; hrr/nigeria; hrr/russia; hrr/tuvalu',
    );
    expect(sections).toHaveLength(report.sections.length + 2);
  });
});
