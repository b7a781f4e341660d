import { auditTerms, auditToCsv, foldForMatching, formatRate, termColumnName, termSentenceChanges } from '../../shared/domain/audit.js';
import type { Document, Section } from '../../shared/domain/document.js';
import { ValidationError } from '../../shared/errors.js';

function section(key: string, heading: string, ...paragraphs: string[]): Section {
  return { key, heading, level: key.includes('/') ? 2 : 1, paragraphs: paragraphs.map((text) => ({ text })) };
}

function document(url: string, sections: Section[], extra: Partial<Document> = {}): Document {
  return { schemaVersion: 1, url, canonicalUrl: url, title: url, profile: 'test', sections, ...extra };
}

// 2023: two countries. Kazakhstan body: 8 + 4 = 12 words; Russia: 4 words. 2022: Kazakhstan, 4 words.
const kazakhstan2023 = document(
  'https://example.org/2023/kazakhstan',
  [
    section('executive-summary', 'Executive Summary', 'Torture was reported. Authorities tortured detainees in Almaty.'),
    section('section-1', 'Respect for the Integrity of the Person'),
    section('section-1/torture', 'Torture and Cruel Treatment', 'Women’s groups reported torture.'),
  ],
  { series: 'hrr/kazakhstan', edition: 2023 },
);
const russia2023 = document(
  'https://example.org/2023/russia',
  [section('executive-summary', 'EXECUTIVE SUMMARY', "Women's rights: TORTURE persisted.")],
  { series: 'hrr/russia', edition: 2023 },
);
const kazakhstan2022 = document(
  'https://example.org/2022/kazakhstan',
  [section('executive-summary', 'Executive Summary', 'Nothing to report here.')],
  { series: 'hrr/kazakhstan', edition: 2022 },
);
const undated = document('https://example.org/page', [section('intro', 'Intro', 'Torture, torture, torture, torture.')]);

describe('auditTerms by edition', () => {
  const table = auditTerms([kazakhstan2023, undated, russia2023, kazakhstan2022], ['torture', "women's"], {
    by: 'edition',
  });

  it('groups by edition, sorts by edition, and puts documents without an edition last', () => {
    expect(table.by).toBe('edition');
    expect(table.terms).toEqual(['torture', "women's"]);
    expect(table.rows).toEqual([
      {
        edition: 2022,
        series: ['hrr/kazakhstan'],
        reports: 1,
        wordCount: 4,
        counts: { torture: 0, "women's": 0 },
        rates: { torture: 0, "women's": 0 },
      },
      {
        edition: 2023,
        series: ['hrr/kazakhstan', 'hrr/russia'],
        reports: 2,
        wordCount: 16,
        // substring, case-insensitive: Torture, tortured, torture (not the heading), TORTURE
        counts: { torture: 4, "women's": 2 },
        rates: { torture: 25000, "women's": 12500 },
      },
      {
        edition: null,
        url: 'https://example.org/page',
        reports: 1,
        wordCount: 4,
        counts: { torture: 4, "women's": 0 },
        rates: { torture: 100000, "women's": 0 },
      },
    ]);
  });

  it('counts whole words only when asked', () => {
    const whole = auditTerms([kazakhstan2023], ['torture', 'tortured', 'tort'], { by: 'edition', wholeWord: true });
    expect(whole.wholeWord).toBe(true);
    expect(whole.rows[0]!.counts).toEqual({ torture: 2, tortured: 1, tort: 0 });
    const substring = auditTerms([kazakhstan2023], ['torture', 'tortured', 'tort'], { by: 'edition' });
    expect(substring.rows[0]!.counts).toEqual({ torture: 3, tortured: 1, tort: 3 });
  });

  it('treats word boundaries in a Unicode-aware way', () => {
    const text = document('https://example.org/u', [section('s', 'S', 'Łódź police; Łódźians; the ŁÓDŹ office; x2 and 2x; women’s and women')], {
      edition: 2020,
    });
    const whole = auditTerms([text], ['łódź', 'x', 'women'], { by: 'edition', wholeWord: true });
    expect(whole.rows[0]!.counts).toEqual({ łódź: 2, x: 0, women: 2 });
  });

  it('counts non-overlapping matches left to right', () => {
    const text = document('https://example.org/o', [section('s', 'S', 'aaaa banana')], { edition: 2020 });
    const table = auditTerms([text], ['aa', 'aaa', 'ana'], { by: 'edition' });
    expect(table.rows[0]!.counts).toEqual({ aa: 2, aaa: 1, ana: 1 });
  });

  it('matches typographic apostrophes, quotes, hyphens and spacing either way', () => {
    const text = document('https://example.org/q', [section('s', 'S', "Women's and Women’s so‑called  “climate\nchange”")], {
      edition: 2020,
    });
    const table = auditTerms([text], ['women’s', "WOMEN'S", 'so-called', 'climate change', '"climate change"'], {
      by: 'edition',
    });
    expect(table.rows[0]!.counts).toEqual({
      'women’s': 2,
      "WOMEN'S": 2,
      'so-called': 1,
      'climate change': 1,
      '"climate change"': 1,
    });
  });

  it('gives exact rates per 100,000 words', () => {
    const text = document('https://example.org/r', [section('s', 'S', 'torture one two three four five six')], {
      edition: 2020,
    });
    const row = auditTerms([text], ['torture'], { by: 'edition' }).rows[0]!;
    expect(row.wordCount).toBe(7);
    expect(row.rates.torture).toBe(100000 / 7);
    expect(formatRate(row.rates.torture!)).toBe('14285.71');
  });

  it('counts a document without sections as a report with no words', () => {
    const empty = document('https://example.org/e', [], { edition: 2021 });
    expect(auditTerms([empty], ['torture'], { by: 'edition' }).rows).toEqual([
      { edition: 2021, reports: 1, wordCount: 0, counts: { torture: 0 }, rates: { torture: 0 } },
    ]);
  });

  it('rejects empty terms and drops duplicates', () => {
    expect(() => auditTerms([kazakhstan2023], [], { by: 'edition' })).toThrow(ValidationError);
    expect(() => auditTerms([kazakhstan2023], ['torture', '  '], { by: 'edition' })).toThrow(ValidationError);
    expect(auditTerms([kazakhstan2023], ['torture', 'torture'], { by: 'edition' }).terms).toEqual(['torture']);
  });
});

describe('auditTerms by section', () => {
  it('groups by edition and section key, in order of first appearance', () => {
    const table = auditTerms([kazakhstan2023, kazakhstan2022, russia2023], ['torture'], { by: 'section' });
    expect(table.rows).toEqual([
      {
        edition: 2022,
        series: ['hrr/kazakhstan'],
        sectionKey: 'executive-summary',
        heading: 'Executive Summary',
        reports: 1,
        wordCount: 4,
        counts: { torture: 0 },
        rates: { torture: 0 },
      },
      {
        edition: 2023,
        series: ['hrr/kazakhstan', 'hrr/russia'],
        sectionKey: 'executive-summary',
        heading: 'Executive Summary',
        reports: 2,
        wordCount: 12,
        counts: { torture: 3 },
        rates: { torture: 25000 },
      },
      {
        edition: 2023,
        series: ['hrr/kazakhstan'],
        sectionKey: 'section-1',
        heading: 'Respect for the Integrity of the Person',
        reports: 1,
        wordCount: 0,
        counts: { torture: 0 },
        rates: { torture: 0 },
      },
      {
        edition: 2023,
        series: ['hrr/kazakhstan'],
        sectionKey: 'section-1/torture',
        heading: 'Torture and Cruel Treatment',
        reports: 1,
        wordCount: 4,
        counts: { torture: 1 },
        rates: { torture: 25000 },
      },
    ]);
  });
});

describe('auditToCsv', () => {
  it('writes the edition table', () => {
    const table = auditTerms([kazakhstan2023, russia2023, kazakhstan2022, undated], ['torture', 'climate change'], {
      by: 'edition',
    });
    expect(auditToCsv(table)).toBe(
      'year,reports,word_count,count_torture,count_climate_change,rate_torture,rate_climate_change\r\n' +
        '2022,1,4,0,0,0.00,0.00\r\n' +
        '2023,2,16,4,0,25000.00,0.00\r\n' +
        ',1,4,4,0,100000.00,0.00\r\n',
    );
  });

  it('writes the section table, quoting fields that need it', () => {
    const text = document(
      'https://example.org/c',
      [
        section('freedom', 'Freedom of Expression, Including for the "Press"', 'Torture one two three four five six.'),
        section('plain', 'Plain', 'Nothing.'),
      ],
      { edition: 2024 },
    );
    expect(auditToCsv(auditTerms([text], ['torture'], { by: 'section' }))).toBe(
      'year,section_key,heading,reports,word_count,count_torture,rate_torture\r\n' +
        '2024,freedom,"Freedom of Expression, Including for the ""Press""",1,7,1,14285.71\r\n' +
        '2024,plain,Plain,1,1,0,0.00\r\n',
    );
  });

  it('names term columns with underscores and refuses clashing names', () => {
    expect(termColumnName(' climate  change ')).toBe('climate_change');
    const table = auditTerms([kazakhstan2022], ['climate change', 'climate_change'], { by: 'edition' });
    expect(() => auditToCsv(table)).toThrow(ValidationError);
  });

  it('rounds rates to two decimals', () => {
    expect(formatRate(0)).toBe('0.00');
    expect(formatRate(12.125)).toBe('12.13');
    expect(formatRate(100000 / 3)).toBe('33333.33');
  });
});

describe('foldForMatching', () => {
  it('folds case, apostrophes, quotes, hyphens, invisible characters and spacing', () => {
    expect(foldForMatching('Women’s “So‑Called”\u00ad  Rights')).toBe('women\'s "so-called" rights');
  });
});

describe('termSentenceChanges', () => {
  const previous = document('https://example.org/2022', [
    section('a', 'Section A', 'Torture was widespread. The police beat detainees.', 'Officials denied “torture” claims.'),
    section('b', 'Section B', 'Journalists faced torture in custody. Women’s shelters closed.'),
  ]);
  const next = document('https://example.org/2023', [
    section('a', 'Section A', 'The police beat detainees. Reports of TORTURE declined.', 'officials denied "torture" claims'),
    section('b', 'Section B', 'Womens shelters closed.'),
    section('c', 'Section C', 'Journalists faced torture in custody.'),
  ]);

  it('reports added and removed sentences that mention a term, not moved or re-punctuated ones', () => {
    expect(termSentenceChanges(previous, next, ['torture', "women's"])).toEqual([
      { term: 'torture', change: 'removed', sectionKey: 'a', heading: 'Section A', sentence: 'Torture was widespread.' },
      { term: 'torture', change: 'added', sectionKey: 'a', heading: 'Section A', sentence: 'Reports of TORTURE declined.' },
      { term: "women's", change: 'removed', sectionKey: 'b', heading: 'Section B', sentence: 'Women’s shelters closed.' },
    ]);
  });

  it('reports where a removed sentence stood and where an added one stands', () => {
    const moved = termSentenceChanges(next, previous, ['custody', 'shelters']);
    expect(moved).toEqual([
      { term: 'shelters', change: 'removed', sectionKey: 'b', heading: 'Section B', sentence: 'Womens shelters closed.' },
      { term: 'shelters', change: 'added', sectionKey: 'b', heading: 'Section B', sentence: 'Women’s shelters closed.' },
    ]);
  });

  it('honours whole-word matching', () => {
    const before = document('https://example.org/1', [section('a', 'A', 'Detainees were tortured.')]);
    const after = document('https://example.org/2', [section('a', 'A', 'Nothing happened.')]);
    expect(termSentenceChanges(before, after, ['torture'])).toHaveLength(1);
    expect(termSentenceChanges(before, after, ['torture'], { wholeWord: true })).toEqual([]);
  });

  it('reports nothing between identical documents', () => {
    expect(termSentenceChanges(previous, previous, ['torture'])).toEqual([]);
  });
});
