import { foldForMatching } from '../../shared/domain/audit.js';
import { blameVersion, type Blame, type BlamedSentence } from '../../shared/domain/provenance/blame.js';
import { editionPairs, removalLedger } from '../../shared/domain/provenance/removal-ledger.js';
import { positionOf, seriesIndex } from './provenance-fixture.js';

/**
 * Kazakhstan 2016-2024, the nine real editions. Every expectation below was checked by hand in the page texts
 * (zcat test/fixtures/corpus/hrr/kazakhstan/<year>.html.gz | grep ...), not read back from the code.
 */
const index = seriesIndex('kazakhstan');
const blameOf = (year: number): Blame => blameVersion(index, positionOf(index, `hrr.kazakhstan.${year}`));
const sentence = (blame: Blame, start: string): BlamedSentence => {
  const found = blame.sentences.filter((candidate) => candidate.text.startsWith(start));
  expect(found).toHaveLength(1);
  return found[0]!;
};
const edition = (label: { edition?: number } | undefined) => label?.edition;

describe('blame of Kazakhstan 2016-2024', () => {
  test('a sentence that first appeared in 2019 and survived to 2023, reworded from the 2016-2018 wording', () => {
    // 2016-2018: "There were no reports of politically motivated disappearances."; 2019-2023 as below; gone in 2024.
    const disappearances = sentence(blameOf(2023), 'There were no reports of disappearances');
    expect(disappearances).toMatchObject({
      text: 'There were no reports of disappearances by or on behalf of government authorities.',
      sectionKey: 'respect-for-the-integrity-of-the-person/disappearance',
      heading: 'Disappearance',
      origin: { page: 'hrr.kazakhstan.2019', seq: 1, edition: 2019 },
      lastSeen: { edition: 2023 },
      editions: [2019, 2020, 2021, 2022, 2023],
      versions: 5,
    });
    // 6 shared tokens of 8 + 12: exactly at the 0.6 threshold.
    expect(disappearances.rewordedFrom).toMatchObject({
      text: 'There were no reports of politically motivated disappearances.',
      similarity: 0.6,
      origin: { edition: 2016 },
      lastSeen: { edition: 2018 },
    });
    expect(edition(disappearances.firstWordingOrigin)).toBe(2016);
  });

  test('a sentence reworded between 2022 and 2023 ("allows" -> "allowed"), and its whole chain of wordings back to 2016', () => {
    const bail = sentence(blameOf(2024), 'The law allowed conditional release on bail');
    expect(bail).toMatchObject({ origin: { edition: 2023 }, editions: [2023, 2024], lastSeen: { edition: 2024 } });
    expect(bail.rewordedFrom).toMatchObject({
      text: 'The law allows conditional release on bail, although use of bail procedures was limited.',
      similarity: 0.923,
      origin: { edition: 2021 },
      lastSeen: { edition: 2022 },
    });
    // Each edition's wording, and the one it came from.
    const chain = [2016, 2018, 2019, 2020, 2021, 2023].map((year) => {
      const blamed = sentence(
        blameOf(year),
        year < 2019
          ? 'The 2015 criminal code introduced'
          : year < 2020
            ? 'The criminal code allows'
            : year < 2023
              ? 'The law allows conditional'
              : 'The law allowed conditional',
      );
      return [year, blamed.text, blamed.rewordedFrom?.text ?? null, edition(blamed.firstWordingOrigin) ?? null];
    });
    expect(chain).toEqual([
      [2016, 'The 2015 criminal code introduced the concept of conditional release on bail.', null, null],
      [
        2018,
        'The 2015 criminal code introduced the concept of conditional release on bail, although use of bail procedures is limited.',
        'The 2015 criminal code introduced the concept of conditional release on bail.',
        2016,
      ],
      [
        2019,
        'The criminal code allows conditional release on bail, although use of bail procedures is limited.',
        'The 2015 criminal code introduced the concept of conditional release on bail, although use of bail procedures is limited.',
        2016,
      ],
      [
        2020,
        'The law allows conditional release on bail, although use of bail procedures is limited.',
        'The criminal code allows conditional release on bail, although use of bail procedures is limited.',
        2016,
      ],
      [
        2021,
        'The law allows conditional release on bail, although use of bail procedures was limited.',
        'The law allows conditional release on bail, although use of bail procedures is limited.',
        2016,
      ],
      [
        2023,
        'The law allowed conditional release on bail, although use of bail procedures was limited.',
        'The law allows conditional release on bail, although use of bail procedures was limited.',
        2016,
      ],
    ]);
  });

  test('the cabinet sentence is reworded every year (new figures), 2020 to 2023', () => {
    const cabinet = sentence(blameOf(2023), 'Only one of the 26 cabinet members');
    expect(cabinet).toMatchObject({ origin: { edition: 2023 }, editions: [2023] });
    expect(cabinet.rewordedFrom).toMatchObject({
      text: 'Only two of the 23 cabinet members were not ethnic Kazakhs.',
      similarity: 0.609,
      origin: { edition: 2022 },
    });
    expect(edition(cabinet.firstWordingOrigin)).toBe(2020);
  });

  test('the summary counts every sentence once, by edition of origin', () => {
    const blame = blameOf(2023);
    expect(blame.summary.sentences).toBe(blame.sentences.length);
    expect(blame.summary.byOrigin.reduce((total, origin) => total + origin.sentences, 0)).toBe(blame.sentences.length);
    expect(blame.summary.byOrigin.map((origin) => origin.edition)).toEqual([2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023]);
    expect(blame.summary.reworded).toBe(blame.sentences.filter((blamed) => blamed.rewordedFrom).length);
    expect(blame.editions).toEqual([2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]);
  });
});

describe('the removal ledger of Kazakhstan', () => {
  const ledger2024 = removalLedger(index, editionPairs(index, 2023, 2024));
  const entry = (start: string) => {
    const found = ledger2024.sentences.filter((candidate) => candidate.text.startsWith(start));
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  test('a sentence removed in 2024 after four editions (2021-2023, reworded from 2020)', () => {
    // 2020: "... brought to justice for torture were rare ..."; 2021-2023: "for abuse"; 2024: absent.
    expect(entry('Cases of prison officers being brought to justice')).toMatchObject({
      fate: 'removed',
      text: 'Cases of prison officers being brought to justice for abuse were rare, and officers often received light punishment.',
      section: { key: 'respect-for-the-integrity-of-the-person/torture-and-other-cruel-inhuman-or-degrading' },
      from: { edition: 2023 },
      to: { edition: 2024 },
      origin: { edition: 2021 },
      lastSeen: { edition: 2023 },
      removedIn: { edition: 2024 },
    });
    expect(entry('Cases of prison officers being brought to justice').reappears).toBeUndefined();
    expect(entry('Human rights defenders stated the true number of torture cases')).toMatchObject({ fate: 'removed', origin: { edition: 2023 } });
  });

  test('a sentence carried into 2024 in new words is "reworded", with its new text and section', () => {
    expect(entry('There were no reports of disappearances')).toMatchObject({
      fate: 'reworded',
      section: { key: 'respect-for-the-integrity-of-the-person/disappearance' },
      origin: { edition: 2019 },
      lastSeen: { edition: 2023 },
      rewordedAs: {
        text: 'There were no reports of enforced disappearances by or on behalf of government authorities.',
        similarity: 0.96,
        section: { key: 'liberty/disappearance-and-abduction/disappearance' },
      },
    });
  });

  test('over every edition, a sentence cut in 2017 and back in 2022 says so (and its 2023 rewording)', () => {
    const all = removalLedger(index, editionPairs(index));
    expect(all.transitions.map((transition) => [edition(transition.from), edition(transition.to)])).toEqual([
      [2016, 2017],
      [2017, 2018],
      [2018, 2019],
      [2019, 2020],
      [2020, 2021],
      [2021, 2022],
      [2022, 2023],
      [2023, 2024],
    ]);
    const presidency = all.sentences.filter((removed) => removed.text === 'The constitution concentrates power in the presidency.');
    // In 2016 and 2022 only; 2023 has "The constitution concentrated power in the presidency."
    expect(presidency.map((removed) => [edition(removed.from), removed.fate, edition(removed.reappears), removed.rewordedAs?.text ?? null])).toEqual([
      [2016, 'removed', 2022, null],
      [2022, 'reworded', undefined, 'The constitution concentrated power in the presidency.'],
    ]);
  });

  test('moves between sections are never removals; they are listed only when asked for', () => {
    const fromPosition = positionOf(index, 'hrr.kazakhstan.2023');
    const toPosition = positionOf(index, 'hrr.kazakhstan.2024');
    // Nothing the ledger calls removed or reworded is anywhere in the later edition.
    for (const [from, to] of editionPairs(index)) {
      for (const removed of removalLedger(index, [[from, to]]).sentences) expect(index.contains(to, index.sentenceId(removed.hash)!)).toBe(false);
    }
    const moved = removalLedger(index, [[fromPosition, toPosition]], { fates: ['moved'] });
    expect(moved.transitions[0]!.moved).toBe(moved.sentences.length);
    expect(ledger2024.transitions[0]).toMatchObject({ moved: 0 });
    expect(moved.sentences.length).toBeGreaterThan(0);
    for (const sentence of moved.sentences) {
      expect(index.contains(toPosition, index.sentenceId(sentence.hash)!)).toBe(true);
      expect(sentence.movedTo!.key).not.toBe(sentence.section.key);
    }
    // 2023 "Arrest Procedures and Treatment of Detainees" (removed) -> 2024 "Prolonged Detention without Charges"
    // (checked in both texts).
    expect(moved.sentences.find((sentence) => sentence.text === 'Prolonged pretrial detention remained commonplace.')).toMatchObject({
      fate: 'moved',
      section: { key: 'respect-for-the-integrity-of-the-person/arbitrary-arrest-or-detention/arrest-procedures-and-treatment-of-detainees' },
      movedTo: { key: 'liberty/disappearance-and-abduction/prolonged-detention-without-charges' },
    });
    // Its parent "Arbitrary Arrest or Detention" is aligned with "Prolonged Detention without Charges" (its text and
    // its sub-section's went there), so a sentence of its own that is there too did not move.
    const stayed = 'The government generally did not observe these requirements.';
    expect(moved.sentences.some((sentence) => sentence.text === stayed)).toBe(false);
    expect(ledger2024.sentences.some((sentence) => sentence.text === stayed)).toBe(false);
  });

  test('filters: by term (as the audit matches it) and by section key prefix', () => {
    const torture = removalLedger(index, editionPairs(index, 2023, 2024), { term: 'Torture' });
    expect(torture.sentences.length).toBeGreaterThan(0);
    expect(torture.sentences).toEqual(ledger2024.sentences.filter((removed) => foldForMatching(removed.text).includes('torture')));
    const prefix = 'respect-for-the-integrity-of-the-person/torture';
    const section = removalLedger(index, editionPairs(index, 2023, 2024), { sectionPrefix: prefix });
    expect(section.sentences.length).toBeGreaterThan(0);
    expect(section.sentences).toEqual(ledger2024.sentences.filter((removed) => removed.section.key.startsWith(prefix)));
  });
});
