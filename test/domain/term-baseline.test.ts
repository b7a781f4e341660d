import { auditTerms } from '../../shared/domain/audit.js';
import {
  baselineToCsv,
  documentTermCounts,
  editionSpan,
  removedSentencesToCsv,
  removedTermSentences,
  termBaselines,
  type DocumentTermCounts,
  type RemovedTermSentence,
} from '../../shared/domain/term-baseline.js';
import { ValidationError } from '../../shared/errors.js';
import { hrrDocument } from '../provenance/provenance-fixture.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS } from '../support/corpus.js';

/**
 * Term baselines on the sample: six countries, nine editions (2016-2024). 2024 against the mean rate of the eight
 * editions before it, as InsideClimateNews measured "Indigenous". Russia's counts per edition were read off the audit
 * (and are checked against it below); the baselines and changes are worked out from them by hand.
 */
const TERMS = ['Indigenous', 'LGBTQI', 'women'];
const counts: DocumentTermCounts[] = [];
const removed: RemovedTermSentence[] = [];

beforeAll(() => {
  for (const country of CORPUS_COUNTRIES) {
    let previous: { edition: number; document: ReturnType<typeof hrrDocument> } | undefined;
    for (const year of CORPUS_YEARS) {
      const document = hrrDocument(country, year);
      counts.push(documentTermCounts(document, `hrr/${country}`, year, TERMS));
      const current = { edition: year, document };
      if (previous) removed.push(...removedTermSentences(`hrr/${country}`, previous, current, TERMS));
      previous = current;
    }
  }
});

/** Russia, 2016 .. 2024: words, and counts of Indigenous, LGBTQI, women (substring, case-insensitive). */
const RUSSIA: Array<[number, number, number, number, number]> = [
  [2016, 31233, 22, 0, 42],
  [2017, 23249, 11, 0, 25],
  [2018, 22086, 8, 0, 32],
  [2019, 28019, 12, 0, 32],
  [2020, 27206, 10, 0, 41],
  [2021, 32149, 8, 33, 33],
  [2022, 24636, 10, 40, 35],
  [2023, 20832, 8, 30, 19],
  [2024, 8060, 1, 0, 3],
];

describe('term baselines', () => {
  it('counts each document as the audit does', () => {
    const russia = counts
      .filter((entry) => entry.series === 'hrr/russia')
      .map((entry) => [entry.edition, entry.wordCount, ...TERMS.map((term) => entry.counts[term])]);
    expect(russia).toEqual(RUSSIA);
    const audit = auditTerms(
      CORPUS_YEARS.map((year) => hrrDocument('russia', year)),
      TERMS,
      { by: 'edition' },
    );
    expect(audit.rows.map((row) => [row.edition, row.wordCount, ...TERMS.map((term) => row.counts[term])])).toEqual(RUSSIA);
  });

  it('per series: 2024 against the mean rate of 2016-2023, worked out by hand for Russia', () => {
    const table = termBaselines(counts, removed, { terms: TERMS, baseline: 8, by: 'series' });
    expect(table.rows.map((row) => [row.edition, row.series])).toEqual(CORPUS_COUNTRIES.map((country) => [2024, `hrr/${country}`]));
    const russia = table.rows.find((row) => row.series === 'hrr/russia')!;
    expect(russia.baselineEditions).toEqual([2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023]);
    // Indigenous: rates 70.44 47.31 36.22 42.83 36.76 24.88 40.59 38.40 -> mean 42.18; 2024: 1 / 8060 = 12.41 -> -70.6 %.
    expect(russia.rates.Indigenous).toBeCloseTo(12.41, 2);
    expect(russia.baselines.Indigenous).toBeCloseTo(42.18, 2);
    expect(russia.changes.Indigenous).toBeCloseTo(-70.59, 2);
    // LGBTQI: 0 until 2021, then 102.65 162.36 144.01 -> mean 51.13; none in 2024: -100 %.
    expect(russia.baselines.LGBTQI).toBeCloseTo(51.13, 2);
    expect(russia.changes.LGBTQI).toBe(-100);
    // women: 134.47 107.53 144.89 114.21 150.70 102.65 142.07 91.21 -> mean 123.47; 2024: 3 / 8060 = 37.22 -> -69.9 %.
    expect(russia.baselines.women).toBeCloseTo(123.47, 2);
    expect(russia.changes.women).toBeCloseTo(-69.85, 2);
    // A term with no baseline has no change (Tuvalu never wrote "Indigenous").
    expect(table.rows.find((row) => row.series === 'hrr/tuvalu')!.changes.Indigenous).toBeNull();
  });

  it('per edition: every series of an edition together; the removed sentences behind each count, with series and section', () => {
    const table = termBaselines(counts, removed, { terms: TERMS, baseline: 8, by: 'edition' });
    expect(table.rows).toHaveLength(1);
    const [row] = table.rows;
    expect(row).toMatchObject({ edition: 2024, reports: 6, wordCount: 26195, counts: { Indigenous: 3, LGBTQI: 0, women: 23 } });
    expect(row!.changes.Indigenous).toBeCloseTo(-36.6, 1);
    expect(row!.changes.LGBTQI).toBe(-100);
    expect(row!.changes.women).toBeCloseTo(-57.4, 1);
    expect(row!.removed).toEqual({ Indigenous: 10, LGBTQI: 73, women: 109 });
    expect(table.sentences).toHaveLength(10 + 73 + 109);
    expect(table.sentences).toContainEqual({
      term: 'Indigenous',
      series: 'hrr/nigeria',
      fromEdition: 2023,
      toEdition: 2024,
      sectionKey: 'respect-for-the-integrity-of-the-person/arbitrary-arrest-or-detention/arrest-procedures-and-treatment-of-detainees',
      heading: 'Arrest Procedures and Treatment of Detainees',
      sentence:
        'The DSS continued to detain on national security grounds Nnamdi Kanu, leader of the Indigenous People of Biafra, a government-designated terrorist organization, on charges including treason, terrorism, and illegal possession of firearms.',
    });
    // Each removed sentence stood in 2023 and stands nowhere in 2024.
    for (const sentence of table.sentences) {
      const country = sentence.series.slice('hrr/'.length) as (typeof CORPUS_COUNTRIES)[number];
      const before = hrrDocument(country, 2023).sections.find((section) => section.key === sentence.sectionKey)!;
      expect(before.paragraphs.some((paragraph) => paragraph.text.includes(sentence.sentence))).toBe(true);
      expect(
        hrrDocument(country, 2024).sections.some((section) => section.paragraphs.some((paragraph) => paragraph.text.includes(sentence.sentence))),
      ).toBe(false);
    }
    // A shorter baseline gives more rows, each against its own N editions.
    const short = termBaselines(counts, removed, { terms: TERMS, baseline: 2, by: 'edition' });
    expect(short.rows.map((entry) => [entry.edition, editionSpan(entry.baselineEditions)])).toEqual(
      CORPUS_YEARS.slice(2).map((year) => [year, `${year - 2}-${year - 1}`]),
    );
  });

  it('writes spreadsheet rows: one per edition or series, a column group per term', () => {
    const table = termBaselines(counts, removed, { terms: TERMS, baseline: 8, by: 'series' });
    const lines = baselineToCsv(table).split('\r\n');
    expect(lines[0]).toBe(
      'year,series,reports,word_count,baseline_editions,count_Indigenous,count_LGBTQI,count_women,rate_Indigenous,rate_LGBTQI,rate_women,' +
        'baseline_Indigenous,baseline_LGBTQI,baseline_women,change_pct_Indigenous,change_pct_LGBTQI,change_pct_women,removed_Indigenous,removed_LGBTQI,removed_women',
    );
    expect(lines).toContain('2024,hrr/russia,1,8060,2016-2023,1,0,3,12.41,0.00,37.22,42.18,51.13,123.47,-70.6,-100.0,-69.9,7,27,16');
    expect(lines).toContain('2024,hrr/tuvalu,1,842,2016-2023,0,0,1,0.00,0.00,118.76,0.00,65.79,566.64,,-100.0,-79.0,0,6,14');
    const sentences = removedSentencesToCsv(table).split('\r\n');
    expect(sentences[0]).toBe('term,series,from_edition,to_edition,section_key,heading,sentence');
    expect(sentences).toHaveLength(table.sentences.length + 2);
  });

  it('refuses a baseline longer than the history, or not a whole number of editions', () => {
    const refused = (baseline: number, by: 'edition' | 'series' = 'edition') => {
      try {
        termBaselines(counts, removed, { terms: TERMS, baseline, by });
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as Error).message;
      }
      throw new Error(`baseline ${baseline} not refused`);
    };
    expect(refused(9)).toBe('baseline: 9 editions is longer than the history (at most 9 editions captured; a baseline needs 10)');
    expect(refused(9, 'series')).toBe(
      'baseline: 9 editions is longer than the history (at most 9 editions captured per series; a baseline needs 10)',
    );
    expect(refused(0)).toBe('baseline: must be a whole number of editions, 1 or more (got 0)');
    expect(refused(1.5)).toMatch(/^baseline: must be a whole number/);
    expect(() => documentTermCounts(hrrDocument('tuvalu', 2024), 'hrr/tuvalu', 2024, ['  '])).toThrow('An audit term cannot be empty.');
  });
});
