import {
  closestSentence,
  phraseAppearancesToCsv,
  phraseChangesToCsv,
  phraseFacts,
  trackPhrases,
  type PhraseTrack,
} from '../../shared/domain/key-phrases.js';
import { stateHrrProfile } from '../../shared/domain/profiles/index.js';
import { ValidationError } from '../../shared/errors.js';
import { hrrDocument } from '../provenance/provenance-fixture.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS } from '../support/corpus.js';

/**
 * Key phrases on the sample: six countries, nine editions. The Country Reports profile names two; appearances and
 * sentences below were read off the pages (grep of each edition's Executive Summary).
 */
const NO_ABUSES = 'no credible reports of significant human rights abuses';
const ISSUES = 'significant human rights issues included credible reports of';
let tracks: PhraseTrack[];
const track = (series: string, phrase: string) => tracks.find((entry) => entry.series === series && entry.phrase === phrase)!;

beforeAll(() => {
  const phrases = [...stateHrrProfile.keyPhrases!];
  tracks = CORPUS_COUNTRIES.flatMap((country) =>
    trackPhrases(
      `hrr/${country}`,
      CORPUS_YEARS.map((year) => phraseFacts(hrrDocument(country, year), year, phrases)),
      phrases,
    ),
  );
});

describe('key phrases across editions', () => {
  it('the Country Reports profile names the two summary formulas', () => {
    expect(stateHrrProfile.keyPhrases).toEqual([NO_ABUSES, ISSUES]);
  });

  it('tells in which editions and sections each phrase appears, and when it first appeared or disappeared', () => {
    const seen = (phrase: string) =>
      CORPUS_COUNTRIES.map((country) => [country, track(`hrr/${country}`, phrase).appearances.map((entry) => entry.edition)]);
    expect(seen(NO_ABUSES)).toEqual([
      ['andorra', [2023, 2024]],
      ['china', []],
      ['kazakhstan', []],
      ['nigeria', []],
      ['russia', []],
      ['tuvalu', []],
    ]);
    expect(seen(ISSUES)).toEqual([
      ['andorra', []],
      ['china', [2021, 2022, 2023, 2024]],
      ['kazakhstan', [2021, 2022, 2023, 2024]],
      ['nigeria', [2022, 2023, 2024]],
      ['russia', [2021, 2022, 2023, 2024]],
      ['tuvalu', [2021, 2022]],
    ]);
    for (const entry of tracks)
      for (const appearance of entry.appearances)
        expect(appearance.sections).toEqual([{ key: 'executive-summary', heading: 'EXECUTIVE SUMMARY', count: 1 }]);
    expect(track('hrr/tuvalu', ISSUES)).toMatchObject({ firstSeen: 2021, lastSeen: 2022 });
    expect(track('hrr/china', NO_ABUSES).firstSeen).toBeUndefined();
    const changes = (series: string, phrase: string) => track(series, phrase).changes.map((change) => `${change.edition}:${change.change}`);
    expect(changes('hrr/tuvalu', ISSUES)).toEqual(['2021:appeared', '2022:reworded', '2023:disappeared']);
    expect(changes('hrr/nigeria', ISSUES)).toEqual(['2022:appeared', '2023:reworded', '2024:reworded']);
    expect(changes('hrr/andorra', NO_ABUSES)).toEqual(['2023:appeared']);
  });

  it('puts the summary’s old and new sentences side by side', () => {
    expect(track('hrr/andorra', NO_ABUSES).changes[0]).toEqual({
      edition: 2023,
      previousEdition: 2022,
      change: 'appeared',
      before: 'There were no reports of significant human rights abuses.',
      after: 'There were no credible reports of significant human rights abuses.',
    });
    expect(track('hrr/tuvalu', ISSUES).changes[2]).toEqual({
      edition: 2023,
      previousEdition: 2022,
      change: 'disappeared',
      before:
        'Significant human rights issues included credible reports of: laws criminalizing consensual same-sex sexual activities between men, although the law was not enforced.',
      after:
        'Significant human rights issues included criminalization of consensual same-sex sexual conduct between men, although the law was not enforced.',
    });
    // A summary sentence unlike any other has no counterpart.
    expect(closestSentence('Observers reported a new broadcaster.', ['The government respected these rights.'])).toBeUndefined();
  });

  it('matches phrases of the user’s, case and typography folded, and refuses an empty one', () => {
    const facts = phraseFacts(hrrDocument('tuvalu', 2024), 2024, ['THERE WERE NO SIGNIFICANT CHANGES in the human rights situation']);
    expect(facts.phrases['THERE WERE NO SIGNIFICANT CHANGES in the human rights situation']!.sections.map((section) => section.key)).toEqual([
      'executive-summary',
    ]);
    expect(() => phraseFacts(hrrDocument('tuvalu', 2024), 2024, ['  '])).toThrow(ValidationError);
    expect(() => trackPhrases('hrr/tuvalu', [], [])).toThrow('No phrases to track');
  });

  it('writes appearances and changes as spreadsheet rows', () => {
    const appearances = phraseAppearancesToCsv(tracks).split('\r\n');
    expect(appearances[0]).toBe('series,phrase,edition,count,sections,summary_sentence');
    expect(appearances).toContain(
      'hrr/andorra,no credible reports of significant human rights abuses,2023,1,EXECUTIVE SUMMARY,There were no credible reports of significant human rights abuses.',
    );
    expect(appearances).toHaveLength(2 + 4 + 4 + 3 + 4 + 2 + 2);
    const changes = phraseChangesToCsv(tracks).split('\r\n');
    expect(changes[0]).toBe('series,phrase,previous_edition,edition,change,before,after');
    expect(changes).toHaveLength(tracks.reduce((sum, entry) => sum + entry.changes.length, 0) + 2);
  });
});
