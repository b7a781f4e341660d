import { diffDocuments } from '../../shared/domain/diff-documents.js';
import { extract } from '../../shared/domain/extract.js';
import type { RevisionDiff, SectionChange } from '../../shared/domain/revision-diff.js';
import { loadCorpusPage, type CorpusCountry } from '../support/corpus.js';

/**
 * Real edition pairs (consecutive years of one series): named sections must be aligned across reworded headings,
 * outline shifts and the 2024 restructuring, and reported as renamed, moved, removed or added.
 */
const diffs = new Map<string, RevisionDiff>();
function editionDiff(country: CorpusCountry, from: number): RevisionDiff {
  const id = `${country}/${from}`;
  let diff = diffs.get(id);
  if (!diff) {
    diff = diffDocuments(extract(loadCorpusPage(country, from)), extract(loadCorpusPage(country, from + 1)));
    diffs.set(id, diff);
  }
  return diff;
}

function pairOf(diff: RevisionDiff, previousHeading: string): SectionChange | undefined {
  return diff.sections.find((section) => section.kind !== 'added' && (section.previousHeading ?? section.heading) === previousHeading);
}

type Case = [country: CorpusCountry, from: number, before: string, after: string | null, kinds: string[]];

const CASES: Case[] = [
  ['kazakhstan', 2016, 'FREEDOM OF ASSEMBLY', 'FREEDOM OF PEACEFUL ASSEMBLY', ['renamed', 'modified']],
  ['kazakhstan', 2018, 'Freedom of Speech and Press', 'Freedom of Expression, Including for the Press', ['renamed', 'modified']],
  ['kazakhstan', 2018, 'PROTECTION OF REFUGEES', 'Protection of Refugees', ['moved', 'modified']],
  [
    'kazakhstan',
    2020,
    'Freedom of Expression, Including for the Press',
    'Freedom of Expression, Including for Members of the Press and Other Media',
    ['renamed', 'modified'],
  ],
  ['kazakhstan', 2021, 'Anti-Semitism', 'Antisemitism', ['renamed', 'modified']],
  [
    'kazakhstan',
    2023,
    'Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other Related Abuses',
    'Torture and Cruel, Inhuman, or Degrading Treatment or Punishment',
    ['renamed', 'modified'],
  ],
  ['kazakhstan', 2023, 'Worker Rights', 'Worker Rights', ['moved']],
  ['kazakhstan', 2023, 'Protection of Refugees', 'Protection to Refugees', ['renamed', 'moved', 'modified']],
  ['kazakhstan', 2023, 'Transnational Repression', 'Instances of Transnational Repression', ['renamed', 'modified']],
  ['kazakhstan', 2023, 'Prison and Detention Center Conditions', null, ['removed']],
  ['china', 2016, 'Freedom of Speech and Press', 'Freedom of Expression, Including for the Press', ['renamed', 'modified']],
  ['china', 2018, 'Worker Rights', 'Workers’ Rights', ['renamed']],
  ['china', 2021, 'Anti-Semitism', 'Antisemitism', ['renamed', 'modified']],
  ['china', 2022, 'Organ Harvesting', 'Forced Organ Harvesting', ['renamed', 'modified']],
  ['china', 2023, 'Freedom of Religion', 'Violations in Religious Freedom', ['renamed', 'moved', 'modified']],
  ['china', 2023, 'Transnational Repression', 'Instances of Transnational Repression', ['renamed', 'modified']],
];

describe('alignment of named sections between real editions', () => {
  it.each(CASES)('%s %i: "%s" -> "%s"', (country, from, before, after, kinds) => {
    const change = pairOf(editionDiff(country, from), before);
    expect(change).toBeDefined();
    expect(change!.kinds).toEqual(kinds);
    if (after !== null) expect(change!.heading).toBe(after);
  });

  it('does not report letter-case drift of headings as renames (2018 ALL CAPS -> 2019 Title Case)', () => {
    const diff = editionDiff('kazakhstan', 2018);
    for (const heading of ['TRIAL PROCEDURES', 'POLITICAL PRISONERS AND DETAINEES', 'INTERNET FREEDOM']) {
      const change = pairOf(diff, heading)!;
      expect(change.previousHeading).toBe(heading);
      expect(change.kinds).not.toContain('renamed');
    }
  });

  it('follows the Torture sub-section from 2016 to 2024 through every edition', () => {
    let heading = 'Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment';
    const numbers: string[] = [];
    for (let from = 2016; from < 2024; from++) {
      const change = pairOf(editionDiff('kazakhstan', from), heading);
      expect(change?.kind).not.toBe('removed');
      heading = change!.heading;
      numbers.push(change!.number ?? '');
    }
    expect(heading).toBe('Torture and Cruel, Inhuman, or Degrading Treatment or Punishment');
    expect(numbers).toEqual(['1.c', '1.c', '1.c', '1.c', '1.c', '1.c', '1.c', '3.a']);
  });

  it('reports the 2024 cut: many more sections removed than added, and most of the words gone', () => {
    for (const country of ['kazakhstan', 'china'] as const) {
      const { summary } = editionDiff(country, 2023);
      expect(summary.removed).toBeGreaterThan(summary.added);
      expect(summary.wordsRemoved).toBeGreaterThan(2 * summary.wordsAdded);
      expect(summary.unchanged).toBe(0);
    }
  });
});
