import {
  classifyTextChange,
  combineTriviality,
  revisionSignificance,
  sectionSignificance,
  STRUCTURAL_SIGNIFICANCE,
} from '../../shared/domain/change-classification.js';

describe('classifyTextChange', () => {
  it.each([
    ['identical texts are no change', 'Police detained 12 people.', 'Police detained 12 people.', undefined],
    ['a doubled space', 'Police detained 12 people.', 'Police  detained 12 people.', 'whitespace'],
    ['a non-breaking space', 'the U.S. government', 'the U.S.\u00a0government', 'whitespace'],
    ['leading and trailing space, a zero-width space', 'Police detained', ' Police\u200b detained ', 'whitespace'],
    ['a space removed between words', 'web sites', 'websites', 'punctuation'],
    ['typographic quotes', 'the "so-called" court\'s ruling', 'the \u201cso-called\u201d court\u2019s ruling', 'punctuation'],
    ['a comma and a dash', 'In 2022 police - and courts - acted', 'In 2022, police \u2013 and courts \u2013 acted', 'punctuation'],
    ['a year', 'In 2022 police acted.', 'In 2023 police acted.', 'numbers'],
    ['a grouped number', 'There were 1,200 cases.', 'There were 15 cases.', 'numbers'],
    ['an ordinal date and a month', 'on March 21st the court', 'on April 3rd the court', 'numbers'],
    ['an abbreviated month', 'on Sept. 5 the court', 'on Oct. 7 the court', 'numbers'],
    ['a number and punctuation together', 'about 3.5 percent', 'about 4 percent,', 'numbers'],
    ['a changed word', 'Police detained 12 people.', 'Police released 12 people.', undefined],
    ['a changed case', 'the Government said', 'the government said', undefined],
    ['"may" is a word, not a month', 'the court may decide', 'the court June decide', undefined],
    ['a number added where there was none', 'in cases', 'in 12 cases', undefined],
    ['a letter glued to a number', 'Article 5 applies', 'Article 5a applies', undefined],
  ])('%s', (_name, before, after, expected) => {
    expect(classifyTextChange(before, after)).toBe(expected);
  });
});

describe('combineTriviality', () => {
  it('takes the broadest sort, and nothing as soon as one change is real', () => {
    expect(combineTriviality(['whitespace', 'punctuation'])).toBe('punctuation');
    expect(combineTriviality(['numbers', 'whitespace'])).toBe('numbers');
    expect(combineTriviality(['whitespace', undefined])).toBeUndefined();
    expect(combineTriviality([])).toBeUndefined();
  });
});

describe('sectionSignificance', () => {
  const base = { wordsAdded: 0, wordsRemoved: 0, wordsBefore: 100, wordsAfter: 100 };

  it('is 0 for unchanged or trivial sections', () => {
    expect(sectionSignificance({ ...base, kinds: ['unchanged'] })).toBe(0);
    expect(sectionSignificance({ ...base, kinds: ['modified'], wordsAdded: 3, wordsRemoved: 3, trivial: 'numbers' })).toBe(0);
  });

  it('is 1 for an added or removed section with text, the structural floor without', () => {
    expect(sectionSignificance({ ...base, kinds: ['added'], wordsBefore: 0, wordsAfter: 40 })).toBe(1);
    expect(sectionSignificance({ ...base, kinds: ['removed'], wordsBefore: 40, wordsAfter: 0 })).toBe(1);
    expect(sectionSignificance({ ...base, kinds: ['added'], wordsBefore: 0, wordsAfter: 0 })).toBe(STRUCTURAL_SIGNIFICANCE);
  });

  it('is the changed share of the larger version, capped at 1', () => {
    expect(sectionSignificance({ ...base, kinds: ['modified'], wordsAdded: 10, wordsRemoved: 5, wordsAfter: 105 })).toBe(0.1429);
    expect(sectionSignificance({ ...base, kinds: ['modified'], wordsAdded: 100, wordsRemoved: 100 })).toBe(1);
    // A real change that adds and removes no whole word still registers.
    expect(sectionSignificance({ ...base, kinds: ['modified'] })).toBe(0.01);
  });

  it('has a floor for renames and moves', () => {
    expect(sectionSignificance({ ...base, kinds: ['renamed'] })).toBe(0.1);
    expect(sectionSignificance({ ...base, kinds: ['moved', 'modified'], wordsAdded: 1 })).toBe(0.1);
    expect(sectionSignificance({ ...base, kinds: ['renamed', 'modified'], wordsAdded: 30, wordsRemoved: 20 })).toBe(0.5);
  });
});

describe('revisionSignificance', () => {
  it('weights sections by size', () => {
    expect(revisionSignificance([])).toBe(0);
    expect(
      revisionSignificance([
        { significance: 1, words: 100 },
        { significance: 0, words: 300 },
      ]),
    ).toBe(0.25);
    // Empty sections weigh 1.
    expect(
      revisionSignificance([
        { significance: 0.1, words: 0 },
        { significance: 0, words: 9 },
      ]),
    ).toBe(0.01);
  });
});
