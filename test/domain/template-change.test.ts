import { diffDocuments } from '../../shared/domain/diff-documents.js';
import type { Document, Section } from '../../shared/domain/document.js';
import { editionMapPrior, learnEditionMap, type EditionMap } from '../../shared/domain/edition-map.js';
import { extract } from '../../shared/domain/extract.js';
import type { RevisionDiff, SectionChange } from '../../shared/domain/revision-diff.js';
import { CORPUS_COUNTRIES, loadCorpusPage, type CorpusCountry } from '../support/corpus.js';

/**
 * The 2024 template change on the six real countries (2023 -> 2024): renamed sections are paired, with and without
 * the edition map learned from the six; sections that really were dropped stay removed; a removed section whose text
 * went elsewhere names its likely counterpart, and holds the share of text it claims there (checked here with a
 * shingling of this file's own).
 */
const PRESS = ['Freedom of Expression, Including for Members of the Press and Other Media', 'Freedom of the Press'] as const;
const KILLINGS = ['Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings', 'Extrajudicial Killings'] as const;
const LGBTQI =
  'Acts of Violence, Criminalization, and Other Abuses Based on Sexual Orientation, Gender Identity or Expression, or Sex Characteristics';
const DROPPED = ['Women', 'Persons with Disabilities', LGBTQI];

const documents = new Map<CorpusCountry, { previous: Document; next: Document }>(
  CORPUS_COUNTRIES.map((country) => [country, { previous: extract(loadCorpusPage(country, 2023)), next: extract(loadCorpusPage(country, 2024)) }]),
);
const map: EditionMap = learnEditionMap(
  'hrr',
  2023,
  2024,
  CORPUS_COUNTRIES.map((country) => ({ series: `hrr/${country}`, ...documents.get(country)! })),
);
const diffs = new Map<string, RevisionDiff>();
function diffOf(country: CorpusCountry, withMap: boolean): RevisionDiff {
  const id = `${country}/${withMap}`;
  let diff = diffs.get(id);
  if (!diff) {
    const { previous, next } = documents.get(country)!;
    diff = diffDocuments(previous, next, withMap ? { alignment: { prior: editionMapPrior(map, { exclude: `hrr/${country}` }) } } : {});
    diffs.set(id, diff);
  }
  return diff;
}

function changeOf(diff: RevisionDiff, previousHeading: string): SectionChange {
  const found = diff.sections.filter((section) => section.kind !== 'added' && (section.previousHeading ?? section.heading) === previousHeading);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function sectionNamed(document: Document, heading: string): Section {
  const found = document.sections.filter((section) => section.heading === heading);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** Lower-cased word 3-shingles of some paragraphs: an independent measure of shared text. */
function shingles(sections: readonly Section[]): Set<string> {
  const found = new Set<string>();
  for (const section of sections) {
    for (const paragraph of section.paragraphs) {
      const words = paragraph.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
      for (let i = 0; i + 2 < words.length; i++) found.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
    }
  }
  return found;
}

function withDescendants(document: Document, key: string): Section[] {
  return document.sections.filter((section) => section.key === key || section.key.startsWith(`${key}/`));
}

describe.each([false, true])('2023 -> 2024 of the six countries (edition map as a prior: %s)', (withMap) => {
  it.each(CORPUS_COUNTRIES)(
    '%s: the press and killings sections are paired, renamed and moved (and modified where their text changed)',
    (country) => {
      const diff = diffOf(country, withMap);
      const { previous, next } = documents.get(country)!;
      for (const [before, after] of [PRESS, KILLINGS]) {
        const change = changeOf(diff, before);
        expect(change.heading).toBe(after);
        const textChanged = JSON.stringify(sectionNamed(previous, before).paragraphs) !== JSON.stringify(sectionNamed(next, after).paragraphs);
        expect(change.kinds).toEqual(['renamed', 'moved', ...(textChanged ? ['modified'] : [])]);
      }
    },
  );

  it.each(CORPUS_COUNTRIES)('%s: Women, Persons with Disabilities and the LGBTQI+ section stay removed', (country) => {
    const diff = diffOf(country, withMap);
    for (const heading of DROPPED) expect(changeOf(diff, heading).kind).toBe('removed');
    // Their text went nowhere: no counterpart (Women's is checked with the others below).
    for (const heading of ['Persons with Disabilities', LGBTQI]) expect(changeOf(diff, heading).likelyCounterpart).toBeUndefined();
  });

  it.each(CORPUS_COUNTRIES)('%s: every likely counterpart by text holds the share of the removed text it claims', (country) => {
    const diff = diffOf(country, withMap);
    const { previous, next } = documents.get(country)!;
    const claimed = diff.sections.filter((section) => section.likelyCounterpart?.by === 'text');
    for (const change of claimed) {
      const removed = shingles(previous.sections.filter((section) => section.key === change.key));
      const there = shingles(withDescendants(next, change.likelyCounterpart!.key));
      const share = [...removed].filter((shingle) => there.has(shingle)).length / removed.size;
      expect(share).toBeGreaterThanOrEqual(0.08);
      expect(Math.abs(share - change.likelyCounterpart!.retained)).toBeLessThan(0.1);
    }
  });

  it.each(CORPUS_COUNTRIES)('%s: a removed section without a counterpart left no real share of its text in any new section', (country) => {
    const diff = diffOf(country, withMap);
    const { previous, next } = documents.get(country)!;
    const previousKeys = new Set(previous.sections.map((section) => section.key));
    // Sections of the next edition under a key the previous one lacks: where a removed section's text could go.
    const fresh = next.sections.filter((section) => !previousKeys.has(section.key));
    for (const change of diff.sections.filter((section) => section.kind === 'removed' && !section.likelyCounterpart)) {
      const removed = shingles(previous.sections.filter((section) => section.key === change.key));
      if (removed.size < 20) continue;
      for (const section of fresh) {
        const there = shingles([section]);
        const shared = [...removed].filter((shingle) => there.has(shingle)).length;
        // A tenth of the text and a sentence or more (boilerplate phrases alone are not a counterpart).
        const real = shared / removed.size >= 0.12 && shared >= 10;
        expect(`${change.heading} in ${section.heading}: ${real}`).toBe(`${change.heading} in ${section.heading}: false`);
      }
    }
  });

  it.each(CORPUS_COUNTRIES)('%s: "Children" is removed; where it names a counterpart, that is the new "Child Marriage"', (country) => {
    const change = changeOf(diffOf(country, withMap), 'Children');
    expect(change.kind).toBe('removed');
    if (change.likelyCounterpart) expect(change.likelyCounterpart).toMatchObject({ heading: 'Child Marriage', by: 'text' });
  });
});

describe('what the edition map adds', () => {
  it('learns the two renames from all six series, and the dropped sections as removed in all six', () => {
    const row = (from: string, to?: string) => map.rows.find((candidate) => candidate.from.heading === from && candidate.to?.heading === to);
    expect(row(PRESS[0], PRESS[1])).toMatchObject({ kind: 'renamed', support: 6, present: 6, confidence: 1 });
    expect(row(KILLINGS[0], KILLINGS[1])).toMatchObject({ kind: 'renamed', support: 6, present: 6, confidence: 1 });
    for (const heading of DROPPED) expect(row(heading)).toMatchObject({ kind: 'removed', support: 6, present: 6 });
  });

  it('pairs sections the other series paired where a country’s own evidence falls short, which without it are removed with that counterpart', () => {
    const cases: Array<[CorpusCountry, string, string]> = [
      ['china', 'Antisemitism', 'Acts of Antisemitism and Antisemitic Incitement'],
      ['russia', 'Antisemitism', 'Acts of Antisemitism and Antisemitic Incitement'],
      [
        'russia',
        'Conflict-related Abuses',
        'War Crimes, Crimes against Humanity, and Evidence of Acts that May Constitute Genocide, or Conflict-Related Abuses',
      ],
    ];
    for (const [country, before, after] of cases) {
      const alone = changeOf(diffOf(country, false), before);
      expect(alone.kind).toBe('removed');
      expect(alone.likelyCounterpart?.heading).toBe(after);
      const mapped = changeOf(diffOf(country, true), before);
      expect(mapped).toMatchObject({ heading: after, kinds: ['renamed', 'moved', 'modified'] });
      expect(mapped.alignment?.prior).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('leaves a country’s own strong pairs as they are', () => {
    for (const country of CORPUS_COUNTRIES) {
      const alone = diffOf(country, false).sections.filter((section) => section.previousKey !== undefined || section.kind === 'unchanged');
      const mapped = new Map(diffOf(country, true).sections.map((section) => [section.key, section]));
      for (const change of alone) expect(mapped.get(change.key)?.previousKey).toBe(change.previousKey);
    }
  });

  it('names where a removed section’s text went: Internet Freedom into the press section, arrests into prolonged detention', () => {
    expect(changeOf(diffOf('kazakhstan', false), 'Internet Freedom').likelyCounterpart).toMatchObject({
      key: 'liberty/freedom-of-the-press',
      by: 'text',
    });
    // "Arbitrary Arrest or Detention" and its sub-section "Arrest Procedures and Treatment of Detainees" both went
    // into "Prolonged Detention without Charges": one of the two is paired with it, the other names it.
    for (const country of ['andorra', 'kazakhstan', 'nigeria', 'russia'] as const) {
      const diff = diffOf(country, false);
      const arrest = [changeOf(diff, 'Arbitrary Arrest or Detention'), changeOf(diff, 'Arrest Procedures and Treatment of Detainees')];
      const paired = arrest.filter((change) => change.kind !== 'removed');
      expect(paired.map((change) => change.heading)).toEqual(['Prolonged Detention without Charges']);
      expect(arrest.find((change) => change.kind === 'removed')!.likelyCounterpart).toMatchObject({
        heading: 'Prolonged Detention without Charges',
        by: 'text',
      });
    }
  });
});
