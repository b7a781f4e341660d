import type { Section } from '../../shared/domain/document.js';
import { AlignmentEvidence, carriedShare, headingCoverage, sectionProfile, wordCoverage } from '../../shared/domain/section-evidence.js';
import { WordTokenizer } from '../../shared/domain/text-normalisation.js';
import { buildDocument, type SectionSpec } from './diff-fixtures.js';

/** Made-up sentences of words of their own: no two share a word 3-shingle unless a test makes them. */
function sentences(topic: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${Array.from({ length: 12 }, (_, k) => `${topic}${i}w${k}`).join(' ')}.`);
}

/** Evidence between every section of two outlines, nothing aligned yet. */
function evidenceOf(previous: SectionSpec[], next: SectionSpec[]): { evidence: AlignmentEvidence; before: Section[]; after: Section[] } {
  const before = buildDocument(previous).sections;
  const after = buildDocument(next).sections;
  const parents = (sections: Section[]) => Int32Array.from(sections, (section) => sections.findIndex((other) => other.key === section.parentKey));
  const evidence = new AlignmentEvidence(
    {
      previous: before,
      next: after,
      parentBefore: parents(before),
      parentAfter: parents(after),
      candidatesBefore: before.map((_, i) => i),
      candidatesAfter: after.map((_, j) => j),
      pairedBefore: () => false,
      pairedAfter: () => false,
      stampBefore: () => 0,
      stampAfter: () => 0,
    },
    new WordTokenizer(),
  );
  return { evidence, before, after };
}

describe('heading coverage', () => {
  it('is the share of the shorter heading’s words (connectives left out) found in the other', () => {
    expect(headingCoverage('Freedom of the Press', 'Freedom of Expression, Including for Members of the Press and Other Media')).toBe(1);
    expect(headingCoverage('Extrajudicial Killings', 'Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings')).toBe(0.5);
    expect(headingCoverage('Women', 'Children')).toBe(0);
    expect(wordCoverage(new Set(), new Set(['a']))).toBe(0);
  });
});

describe('carried-over paragraphs', () => {
  it('counts a paragraph as carried when most of its shingles are in the other section', () => {
    const tokenizer = new WordTokenizer();
    const [kept, rewritten] = sentences('press', 2);
    const before = sectionProfile({ key: 'a', heading: 'A', level: 1, paragraphs: [{ text: kept! }, { text: rewritten! }] }, tokenizer);
    const after = sectionProfile(
      { key: 'b', heading: 'B', level: 1, paragraphs: [{ text: kept! }, { text: sentences('unrelated', 1)[0]! }] },
      tokenizer,
    );
    expect(carriedShare(after.paragraphs, before.shingles)).toBe(0.5);
    expect(carriedShare(before.paragraphs, after.shingles)).toBe(0.5);
    // Paragraphs shorter than a sentence do not take part.
    const short = sectionProfile({ key: 'c', heading: 'C', level: 1, paragraphs: [{ text: 'None reported.' }] }, tokenizer);
    expect(short.paragraphs).toEqual([]);
    expect(carriedShare(short.paragraphs, before.shingles)).toBe(0);
  });
});

describe('AlignmentEvidence', () => {
  it('measures containment where Dice is low: a section renamed and cut to a third keeps a subset of its text', () => {
    const text = sentences('media', 9);
    const { evidence } = evidenceOf(
      [{ heading: 'Freedom of Expression, Including for Members of the Press', paragraphs: text }],
      [{ heading: 'Freedom of the Press', paragraphs: text.slice(0, 3) }],
    );
    const found = evidence.between(0, 0);
    expect(found.contained).toBe(1);
    expect(found.text).toBeLessThan(0.55);
    expect(found.retained).toBeCloseTo(found.shared / evidence.profileBefore(0)!.shingles.size, 10);
    expect(found.retained).toBeGreaterThan(0.25);
    expect(found.retained).toBeLessThan(0.4);
    expect(found.headingCover).toBe(1);
  });

  it('compares a section with a new section and its sub-sections when its text was split among them', () => {
    const text = sentences('assembly', 6);
    const { evidence, after } = evidenceOf(
      [{ heading: 'Freedom of Assembly', paragraphs: text }],
      [
        {
          heading: 'Peaceful Assembly',
          paragraphs: text.slice(0, 2),
          children: [
            { heading: 'Permits', paragraphs: text.slice(2, 4) },
            { heading: 'Dispersals', paragraphs: text.slice(4) },
          ],
        },
      ],
    );
    expect(after.map((section) => section.heading)).toEqual(['Peaceful Assembly', 'Permits', 'Dispersals']);
    const whole = evidence.between(0, 0);
    // Own text alone: a third of it (Dice 0.5); with the sub-sections: all of it.
    expect(whole.text).toBeGreaterThan(0.95);
    expect(whole.retained).toBeGreaterThan(0.9); // shingles across paragraph breaks are lost in the split
    expect(evidence.between(0, 1).text).toBeLessThan(0.6);
  });

  it('gives a new parent no subtree evidence when one child holds the shared text: the child is the counterpart', () => {
    const text = sentences('refugees', 4);
    const { evidence } = evidenceOf(
      [{ heading: 'Protection of Refugees', paragraphs: text }],
      [
        {
          heading: 'Security of the Person',
          children: [
            { heading: 'Refugee Protection', paragraphs: text },
            { heading: 'Other', paragraphs: sentences('other', 3) },
          ],
        },
      ],
    );
    expect(evidence.between(0, 0)).toMatchObject({ text: 0, contained: 0, retained: 0 });
    expect(evidence.between(0, 1).text).toBe(1);
  });

  it('gives a parent no subtree evidence when a child is a match by its heading', () => {
    const text = sentences('movement', 4);
    const { evidence } = evidenceOf(
      [{ heading: 'Freedom of Movement', paragraphs: [...text.slice(0, 2), ...sentences('refugees', 2)] }],
      [
        {
          heading: 'Movement and Refugees',
          paragraphs: text.slice(0, 2),
          children: [{ heading: 'Freedom of Movement', paragraphs: sentences('refugees', 2) }],
        },
      ],
    );
    // Own text against own text only: half of the previous section.
    expect(evidence.between(0, 0).retained).toBeCloseTo(0.5, 1);
  });

  it('finds carried-over paragraphs only where enough shingles are shared, and memoises leaves', () => {
    const frame = 'There were no reports that the government or its agents committed arbitrary or unlawful killings during the year.';
    const { evidence } = evidenceOf(
      [{ heading: 'Arbitrary Deprivation of Life', paragraphs: [frame, ...sentences('killings', 3)] }],
      [{ heading: 'Extrajudicial Killings', paragraphs: [frame, sentences('new', 1)[0]!] }],
    );
    const found = evidence.between(0, 0);
    expect(found.carried).toBe(0.5);
    expect(evidence.between(0, 0)).toBe(found);
  });
});
