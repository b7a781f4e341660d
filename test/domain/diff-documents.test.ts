import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sectionWordCount, type Document } from '../../shared/domain/document.js';
import { diffDocuments } from '../../shared/domain/diff-documents.js';
import { extract } from '../../shared/domain/extract.js';
import { renderJson } from '../../shared/domain/diff-rendering.js';
import type { RevisionDiff, SectionChange } from '../../shared/domain/revision-diff.js';
import { buildDocument, cloneSpecs, findSpec, REPORT, type SectionSpec } from './diff-fixtures.js';

const base = buildDocument(REPORT, { title: 'Kazakhstan 2022', url: 'https://example.org/2022/kazakhstan', edition: 2022 });

function edited(edit: (specs: SectionSpec[]) => void): Document {
  const specs = cloneSpecs(REPORT);
  edit(specs);
  return buildDocument(specs, { title: 'Kazakhstan 2022', url: 'https://example.org/2022/kazakhstan', edition: 2022 });
}

function changed(diff: RevisionDiff): SectionChange[] {
  return diff.sections.filter((section) => section.kind !== 'unchanged');
}

const TORTURE = 'Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment';
const DISAPPEARANCE_KEY = 'respect-for-the-integrity-of-the-person/disappearance';
const TORTURE_KEY = 'respect-for-the-integrity-of-the-person/torture-and-other-cruel-inhuman-or-degrading';

describe('diffDocuments', () => {
  it('reports every section of identical documents as unchanged, with a zero summary', () => {
    const diff = diffDocuments(base, buildDocument(REPORT, { title: 'Kazakhstan 2022', url: 'https://example.org/2022/kazakhstan', edition: 2022 }));
    expect(diff.from).toEqual({ url: 'https://example.org/2022/kazakhstan', title: 'Kazakhstan 2022', edition: 2022 });
    expect(diff.sections.map((section) => section.key)).toEqual(base.sections.map((section) => section.key));
    for (const section of diff.sections) {
      expect(section).toMatchObject({ kind: 'unchanged', kinds: ['unchanged'], wordsAdded: 0, wordsRemoved: 0, significance: 0, paragraphs: [] });
      expect(section.alignment).toEqual({ by: 'key', score: 1 });
      expect(section.previousKey).toBeUndefined();
    }
    expect(diff.summary).toEqual({
      added: 0,
      removed: 0,
      modified: 0,
      renamed: 0,
      moved: 0,
      unchanged: 13,
      wordsAdded: 0,
      wordsRemoved: 0,
      significance: 0,
      trivial: true,
    });
    expect(diff.bounded).toBeUndefined();
  });

  it('finds a sentence inserted into one paragraph and counts its words exactly', () => {
    const next = edited((specs) => {
      findSpec(specs, 'Disappearance').paragraphs![0] += ' Human rights groups documented two cases in Almaty.';
    });
    const diff = diffDocuments(base, next);
    const [section] = changed(diff);
    expect(changed(diff)).toHaveLength(1);
    expect(section).toMatchObject({
      kind: 'modified',
      kinds: ['modified'],
      key: DISAPPEARANCE_KEY,
      number: 'b',
      level: 2,
      wordsAdded: 8,
      wordsRemoved: 0,
    });
    expect(section?.trivial).toBeUndefined();
    // 8 of the 21 words of the larger version.
    expect(section?.significance).toBe(0.381);
    expect(section?.paragraphs).toEqual([
      {
        kind: 'modified',
        beforeIndex: 0,
        afterIndex: 0,
        before: 'There were no reports of disappearances by or on behalf of government authorities.',
        after:
          'There were no reports of disappearances by or on behalf of government authorities. Human rights groups documented two cases in Almaty.',
        words: [
          { op: 'equal', text: 'There were no reports of disappearances by or on behalf of government authorities.' },
          { op: 'insert', text: ' Human rights groups documented two cases in Almaty.' },
        ],
      },
    ]);
    expect(diff.summary).toMatchObject({ modified: 1, unchanged: 12, wordsAdded: 8, wordsRemoved: 0, trivial: false });
  });

  it('counts a replaced word inside a paragraph as one removed and one added', () => {
    const next = edited((specs) => {
      const paragraphs = findSpec(specs, 'Women').paragraphs!;
      paragraphs[0] = paragraphs[0]!.replace('serious problems', 'widespread problems');
    });
    const [section] = changed(diffDocuments(base, next));
    expect(section).toMatchObject({ kind: 'modified', wordsAdded: 1, wordsRemoved: 1 });
    expect(section?.paragraphs[0]?.words).toEqual([
      { op: 'equal', text: 'Rape and domestic violence remained ' },
      { op: 'delete', text: 'serious' },
      { op: 'insert', text: 'widespread' },
      { op: 'equal', text: ' problems, and activists said many cases went unreported.' },
    ]);
  });

  it('reports a deleted paragraph as removed with all its words', () => {
    const next = edited((specs) => {
      findSpec(specs, TORTURE).paragraphs!.splice(0, 1);
    });
    const diff = diffDocuments(base, next);
    expect(changed(diff)).toHaveLength(1);
    const [section] = changed(diff);
    expect(section).toMatchObject({ kind: 'modified', key: TORTURE_KEY, wordsAdded: 0, wordsRemoved: 15 });
    expect(section?.paragraphs).toEqual([
      {
        kind: 'removed',
        beforeIndex: 0,
        before: 'The constitution and law prohibit such practices, but there were reports that police used torture.',
      },
    ]);
    // 15 of 29 words.
    expect(section?.significance).toBe(0.5172);
  });

  it('replaces a paragraph rather than word-diffing it when the texts have little in common', () => {
    const next = edited((specs) => {
      findSpec(specs, 'Disappearance').paragraphs![0] = 'Authorities abducted an activist near the border.';
    });
    const [section] = changed(diffDocuments(base, next));
    expect(section?.paragraphs.map((paragraph) => [paragraph.kind, paragraph.beforeIndex, paragraph.afterIndex])).toEqual([
      ['removed', 0, undefined],
      ['added', undefined, 0],
    ]);
    expect(section).toMatchObject({ wordsAdded: 7, wordsRemoved: 13, significance: 1 });
  });

  it('classifies a changed year and count as a trivial numbers change', () => {
    const next = edited((specs) => {
      const paragraphs = findSpec(specs, TORTURE).paragraphs!;
      paragraphs[1] = paragraphs[1]!.replace('2022', '2023').replace('12 complaints', '1,215 complaints');
    });
    const diff = diffDocuments(base, next);
    const [section] = changed(diff);
    expect(section).toMatchObject({ kind: 'modified', trivial: 'numbers', wordsAdded: 2, wordsRemoved: 2, significance: 0 });
    expect(diff.summary).toMatchObject({ modified: 1, trivial: true, significance: 0 });
  });

  it('classifies a paragraph split in two as whitespace-only', () => {
    const next = edited((specs) => {
      findSpec(specs, 'Women').paragraphs = [
        'Rape and domestic violence remained serious problems,',
        'and activists said many cases went unreported.',
      ];
    });
    const diff = diffDocuments(base, next);
    const [section] = changed(diff);
    expect(changed(diff)).toHaveLength(1);
    expect(section).toMatchObject({ kind: 'modified', key: 'discrimination-and-societal-abuses/women', trivial: 'whitespace', significance: 0 });
    expect(diff.summary.trivial).toBe(true);
  });

  it('classifies a non-breaking space for a space as whitespace-only, and spacing around words as punctuation', () => {
    const spaced = edited((specs) => {
      findSpec(specs, 'Internet Freedom').paragraphs![0] = 'The government restricted access to websites that criticized the\u00a0authorities.';
    });
    const [section] = changed(diffDocuments(base, spaced));
    expect(section).toMatchObject({ trivial: 'whitespace', significance: 0, wordsAdded: 0, wordsRemoved: 0 });
    expect(section?.paragraphs[0]?.words).toEqual([
      { op: 'equal', text: 'The government restricted access to websites that criticized the' },
      { op: 'delete', text: ' ' },
      { op: 'insert', text: '\u00a0' },
      { op: 'equal', text: 'authorities.' },
    ]);
    // Collapsing whitespace does not join "web sites"; removing punctuation and whitespace does.
    const split = edited((specs) => {
      findSpec(specs, 'Internet Freedom').paragraphs![0] = 'The government restricted access to web sites that criticized the authorities .';
    });
    expect(changed(diffDocuments(base, split))[0]).toMatchObject({ trivial: 'punctuation', significance: 0 });
  });

  it('classifies quote and comma changes as punctuation-only', () => {
    const original = buildDocument([{ heading: 'Women', paragraphs: ['Officials called the report "biased" and the ministry\'s reply was brief.'] }]);
    const typographic = buildDocument([
      { heading: 'Women', paragraphs: ['Officials called the report \u201cbiased,\u201d and the ministry\u2019s reply was brief.'] },
    ]);
    const [section] = diffDocuments(original, typographic).sections;
    expect(section).toMatchObject({ kind: 'modified', trivial: 'punctuation', wordsAdded: 0, wordsRemoved: 0, significance: 0 });
  });

  it('reports a renamed heading as renamed, keeps its children aligned by key, and counts no words', () => {
    const next = edited((specs) => {
      findSpec(specs, 'Freedom of Speech and Press').heading = 'Freedom of Expression, Including for the Press';
    });
    const diff = diffDocuments(base, next);
    expect(changed(diff)).toHaveLength(1);
    const [section] = changed(diff);
    expect(section).toMatchObject({
      kind: 'renamed',
      kinds: ['renamed'],
      key: 'respect-for-civil-liberties/freedom-of-expression-including-for-the-press',
      previousKey: 'respect-for-civil-liberties/freedom-of-speech-and-press',
      heading: 'Freedom of Expression, Including for the Press',
      previousHeading: 'Freedom of Speech and Press',
      wordsAdded: 0,
      wordsRemoved: 0,
      significance: 0.1,
      alignment: { by: 'text', score: 1 },
    });
    const child = diff.sections.find((entry) => entry.heading === 'Internet Freedom');
    expect(child).toMatchObject({
      kind: 'unchanged',
      key: 'respect-for-civil-liberties/freedom-of-expression-including-for-the-press/internet-freedom',
      previousKey: 'respect-for-civil-liberties/freedom-of-speech-and-press/internet-freedom',
      alignment: { by: 'key', score: 1 },
    });
  });

  it('reports a renamed and rewritten section with both kinds, renamed first', () => {
    const next = edited((specs) => {
      const section = findSpec(specs, 'Freedom of Speech and Press');
      section.heading = 'Freedom of Expression, Including for the Press';
      section.paragraphs![1] = 'Journalists reported pressure from officials to avoid coverage of protests.';
    });
    const section = changed(diffDocuments(base, next))[0];
    // "and corruption cases" went.
    expect(section).toMatchObject({ kind: 'renamed', kinds: ['renamed', 'modified'], wordsAdded: 0, wordsRemoved: 3 });
  });

  it('pairs "Anti-Semitism" with "Antisemitism" by heading similarity', () => {
    const next = edited((specs) => {
      findSpec(specs, 'Anti-Semitism').heading = 'Antisemitism';
    });
    const [section] = changed(diffDocuments(base, next));
    expect(section).toMatchObject({
      kind: 'renamed',
      key: 'discrimination-and-societal-abuses/antisemitism',
      previousKey: 'discrimination-and-societal-abuses/anti-semitism',
      alignment: { by: 'heading', score: 1 },
      significance: 0.1,
    });
    // The capital S went too, so this is not punctuation-only.
    expect(section?.trivial).toBeUndefined();
  });

  it('reports a sub-section moved under another parent as moved', () => {
    const next = edited((specs) => {
      const women = specs[3]!.children!.shift()!;
      specs[2]!.children!.push(women);
    });
    const diff = diffDocuments(base, next);
    expect(changed(diff)).toHaveLength(1);
    expect(changed(diff)[0]).toMatchObject({
      kind: 'moved',
      kinds: ['moved'],
      key: 'respect-for-civil-liberties/women',
      previousKey: 'discrimination-and-societal-abuses/women',
      level: 2,
      significance: 0.1,
    });
    expect(diff.sections.map((section) => section.key)).toEqual([
      'executive-summary',
      'respect-for-the-integrity-of-the-person',
      'respect-for-the-integrity-of-the-person/arbitrary-deprivation-of-life-and-other',
      'respect-for-the-integrity-of-the-person/disappearance',
      'respect-for-the-integrity-of-the-person/torture-and-other-cruel-inhuman-or-degrading',
      'respect-for-the-integrity-of-the-person/torture-and-other-cruel-inhuman-or-degrading/prison-and-detention-center-conditions',
      'respect-for-civil-liberties',
      'respect-for-civil-liberties/freedom-of-speech-and-press',
      'respect-for-civil-liberties/freedom-of-speech-and-press/internet-freedom',
      'respect-for-civil-liberties/freedom-of-peaceful-assembly-and-association',
      'respect-for-civil-liberties/women',
      'discrimination-and-societal-abuses',
      'discrimination-and-societal-abuses/anti-semitism',
    ]);
  });

  it('marks only the section that moved when two siblings swap, and a moved-and-edited one as both', () => {
    const next = edited((specs) => {
      const children = specs[1]!.children!;
      [children[1], children[2]] = [children[2]!, children[1]!];
      children[2]!.paragraphs![0] = 'There were no reports of disappearances by or on behalf of the authorities.';
    });
    const diff = diffDocuments(base, next);
    expect(changed(diff).map((section) => [section.key, section.kinds])).toEqual([[DISAPPEARANCE_KEY, ['moved', 'modified']]]);
    // "government" became "the".
    expect(changed(diff)[0]).toMatchObject({ wordsAdded: 1, wordsRemoved: 1 });
  });

  it('lists added and removed sections where they stand, with all their words', () => {
    const next = edited((specs) => {
      const integrity = specs[1]!.children!;
      integrity.splice(1, 1);
      integrity.push({ heading: 'Transnational Repression', number: 'e', paragraphs: ['The government harassed critics living abroad.'] });
    });
    const diff = diffDocuments(base, next);
    expect(changed(diff).map((section) => [section.kind, section.key, section.wordsAdded, section.wordsRemoved, section.significance])).toEqual([
      ['removed', DISAPPEARANCE_KEY, 0, 13, 1],
      ['added', 'respect-for-the-integrity-of-the-person/transnational-repression', 6, 0, 1],
    ]);
    const keys = diff.sections.map((section) => section.key);
    expect(keys.indexOf(DISAPPEARANCE_KEY)).toBe(3);
    expect(keys.indexOf('respect-for-the-integrity-of-the-person/transnational-repression')).toBe(6);
    expect(changed(diff)[0]?.paragraphs).toEqual([
      { kind: 'removed', beforeIndex: 0, before: 'There were no reports of disappearances by or on behalf of government authorities.' },
    ]);
    expect(changed(diff)[1]?.paragraphs).toEqual([{ kind: 'added', afterIndex: 0, after: 'The government harassed critics living abroad.' }]);
    expect(diff.summary).toMatchObject({ added: 1, removed: 1, unchanged: 12, wordsAdded: 6, wordsRemoved: 13, trivial: false });
  });

  it('treats a changed outline number alone as unchanged, and reports the old number', () => {
    const next = edited((specs) => {
      specs[3]!.number = '7';
    });
    const diff = diffDocuments(base, next);
    expect(changed(diff)).toEqual([]);
    expect(diff.sections.find((section) => section.key === 'discrimination-and-societal-abuses')).toMatchObject({
      kind: 'unchanged',
      number: '7',
      previousNumber: '6',
    });
  });

  it('weights revision significance by section size', () => {
    const next = edited((specs) => {
      findSpec(specs, 'Disappearance').paragraphs![0] += ' Human rights groups documented two cases in Almaty.';
    });
    const diff = diffDocuments(base, next);
    // Only Disappearance changed (8 of its 21 words); every section weighs its word count, at least 1.
    const weights = next.sections.map((section) => Math.max(1, sectionWordCount(section)));
    expect(weights.reduce((sum, weight) => sum + weight, 0)).toBe(191);
    expect(diff.summary.significance).toBe(Math.round((8 / 191) * 10_000) / 10_000);
    expect(diff.summary.significance).toBe(0.0419);
  });

  describe('bounds', () => {
    const twoEdits = (): Document =>
      edited((specs) => {
        findSpec(specs, 'Disappearance').paragraphs![0] = 'There were no reports of disappearances by or on behalf of the authorities.';
        findSpec(specs, 'Women').paragraphs![0] =
          'Rape and domestic violence remained widespread problems, and activists said many cases went unreported.';
      });

    it('skips word diffs over the edit-length cap but still counts words', () => {
      const diff = diffDocuments(base, twoEdits(), { maxEditLength: 1 });
      expect(diff.bounded).toEqual({ reason: 'max-edit-length', paragraphs: 2 });
      const [disappearance, women] = changed(diff);
      // "government" -> "the": a one-token swap is 2 edits, over the cap of 1.
      expect(disappearance?.paragraphs[0]?.words).toBeUndefined();
      expect(disappearance).toMatchObject({ kind: 'modified', wordsAdded: 1, wordsRemoved: 1 });
      expect(women?.paragraphs[0]?.words).toBeUndefined();
      expect(women).toMatchObject({ kind: 'modified', wordsAdded: 1, wordsRemoved: 1 });
    });

    it('skips word diffs once the work budget is spent, counting words from before/after sets', () => {
      // A budget of one step: the first paragraph is diffed (and spends a step per token), the second is not.
      const diff = diffDocuments(base, twoEdits(), { workBudget: 1 });
      expect(diff.bounded).toEqual({ reason: 'work-budget', paragraphs: 1 });
      // Counted work, not time: the same inputs are bounded the same way every time.
      expect(diffDocuments(base, twoEdits(), { workBudget: 1 })).toEqual(diff);
      const [disappearance, women] = changed(diff);
      expect(disappearance?.paragraphs[0]?.words).toBeDefined();
      expect(women?.paragraphs[0]?.words).toBeUndefined();
      // "serious" out, "widespread" in, of 14 words.
      expect(women).toMatchObject({ kind: 'modified', wordsAdded: 1, wordsRemoved: 1, significance: 0.1429 });
      expect(women?.paragraphs[0]).toMatchObject({ kind: 'modified', beforeIndex: 0, afterIndex: 0 });
    });
  });
});

const CORPUS = new URL('../fixtures/corpus/hrr/kazakhstan/', import.meta.url);

describe('diffDocuments on real editions (Kazakhstan 2022 -> 2023)', () => {
  let previous: Document;
  let next: Document;
  beforeAll(() => {
    const load = (year: number): Document =>
      extract(gunzipSync(readFileSync(new URL(`${year}.html.gz`, CORPUS))).toString('utf8'), {
        url: `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/kazakhstan/`,
      });
    previous = load(2022);
    next = load(2023);
  });

  it('finds no change between a document and itself', () => {
    const diff = diffDocuments(next, next);
    expect(diff.summary).toMatchObject({ unchanged: next.sections.length, wordsAdded: 0, wordsRemoved: 0, significance: 0 });
  });

  it('aligns reworded headings, reports moves, and word operations rebuild both texts', () => {
    const diff = diffDocuments(previous, next);
    expect(diff.bounded).toBeUndefined();
    const byKey = new Map(diff.sections.map((section) => [section.key, section]));
    expect(byKey.get('corruption-in-government')).toMatchObject({
      kind: 'renamed',
      previousKey: 'corruption-and-lack-of-transparency-in',
      previousHeading: 'Corruption and Lack of Transparency in Government',
    });
    expect(byKey.get('respect-for-the-integrity-of-the-person/transnational-repression')).toMatchObject({
      kinds: ['moved', 'modified'],
      previousKey: 'respect-for-the-integrity-of-the-person/denial-of-fair-public-trial/transnational-repression',
    });
    // Every section of both documents appears exactly once.
    const previousKeys = diff.sections.filter((section) => section.kind !== 'added').map((section) => section.previousKey ?? section.key);
    expect(previousKeys.sort()).toEqual(previous.sections.map((section) => section.key).sort());
    const nextKeys = diff.sections.filter((section) => section.kind !== 'removed').map((section) => section.key);
    expect(nextKeys).toEqual(next.sections.map((section) => section.key));
    for (const section of diff.sections) {
      for (const paragraph of section.paragraphs) {
        if (!paragraph.words) continue;
        expect(
          paragraph.words
            .filter((word) => word.op !== 'delete')
            .map((word) => word.text)
            .join(''),
        ).toBe(paragraph.after);
        expect(
          paragraph.words
            .filter((word) => word.op !== 'insert')
            .map((word) => word.text)
            .join(''),
        ).toBe(paragraph.before);
      }
    }
  });
});

const CORPUS_ROOT = new URL('../fixtures/corpus/hrr/', import.meta.url);
const COUNTRIES = ['andorra', 'china', 'kazakhstan', 'nigeria', 'russia', 'tuvalu'];
const YEARS = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024];

describe('diffDocuments over every consecutive edition pair of the corpus', () => {
  it.each(COUNTRIES)('%s: every section once, word operations rebuild both texts, counts add up', (country) => {
    const documents = YEARS.map((year) =>
      extract(gunzipSync(readFileSync(new URL(`${country}/${year}.html.gz`, CORPUS_ROOT))).toString('utf8'), {
        url: `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/${country}/`,
      }),
    );
    for (let index = 1; index < documents.length; index++) {
      const previous = documents[index - 1] as Document;
      const next = documents[index] as Document;
      // The default work budget: counted steps, so a loaded machine cannot cut these word diffs short.
      const options = {};
      const diff = diffDocuments(previous, next, options);
      expect(diff.bounded).toBeUndefined();
      expect(diff.sections.filter((section) => section.kind !== 'removed').map((section) => section.key)).toEqual(
        next.sections.map((section) => section.key),
      );
      const previousKeys = diff.sections.filter((section) => section.kind !== 'added').map((section) => section.previousKey ?? section.key);
      expect(previousKeys.sort()).toEqual(previous.sections.map((section) => section.key).sort());
      let wordsAdded = 0;
      let wordsRemoved = 0;
      for (const section of diff.sections) {
        expect(section.kinds[0]).toBe(section.kind);
        expect(section.significance).toBeGreaterThanOrEqual(0);
        expect(section.significance).toBeLessThanOrEqual(1);
        wordsAdded += section.wordsAdded;
        wordsRemoved += section.wordsRemoved;
        for (const paragraph of section.paragraphs) {
          if (!paragraph.words) continue;
          expect(
            paragraph.words
              .filter((word) => word.op !== 'delete')
              .map((word) => word.text)
              .join(''),
          ).toBe(paragraph.after);
          expect(
            paragraph.words
              .filter((word) => word.op !== 'insert')
              .map((word) => word.text)
              .join(''),
          ).toBe(paragraph.before);
        }
      }
      expect(diff.summary).toMatchObject({ wordsAdded, wordsRemoved });
      const counts =
        diff.summary.added + diff.summary.removed + diff.summary.modified + diff.summary.renamed + diff.summary.moved + diff.summary.unchanged;
      expect(counts).toBe(diff.sections.length);
      expect(renderJson(diffDocuments(previous, next, options), { includeUnchanged: true })).toBe(renderJson(diff, { includeUnchanged: true }));
    }
  });
});
