import {
  characterBigrams,
  collapseWhitespace,
  countWordsWithLetters,
  diceCoefficient,
  foldForComparison,
  headingWords,
  wordsWithLetters,
  wordTokens,
  WordTokenizer,
} from '../../shared/domain/text-normalisation.js';

describe('text normalisation', () => {
  it('folds case, typographic quotes, dashes, diacritics and spaces for comparison', () => {
    expect(foldForComparison('  \u201cCaf\u00e9\u201d \u2013 the Ministry\u2019s\u00a0view\u2026 ')).toBe('"cafe" - the ministry\'s view...');
    expect(collapseWhitespace(' a \u00a0 b\u200b c ')).toBe('a b c');
  });

  it('splits words on anything but letters and digits', () => {
    expect(wordTokens('Anti-Semitism in the U.S., 2022')).toEqual(['anti', 'semitism', 'in', 'the', 'u', 's', '2022']);
  });

  it('drops connectives from heading words, unless nothing else is left', () => {
    expect([...headingWords('Freedom of Speech and Press')]).toEqual(['freedom', 'speech', 'press']);
    expect([...headingWords('Of the')]).toEqual(['of', 'the']);
  });

  it('compares headings by letter bigrams regardless of hyphens and case', () => {
    expect(diceCoefficient(characterBigrams('Anti-Semitism'), characterBigrams('Antisemitism'))).toBe(1);
    expect(characterBigrams('A')).toEqual(new Set(['a']));
    expect(diceCoefficient(new Set(), new Set())).toBe(1);
    expect(diceCoefficient(new Set(['a']), new Set())).toBe(0);
  });

  it('counts words with a letter or digit, not lone punctuation', () => {
    expect(countWordsWithLetters('In 2022 \u2013 police (and courts) detained 12 people .')).toBe(8);
    expect(countWordsWithLetters('')).toBe(0);
    expect(wordsWithLetters('"Police," said (Almaty) - ok.')).toEqual(['Police', 'said', 'Almaty', 'ok']);
  });

  it('counts the same words while tokenizing as countWordsWithLetters', () => {
    const tokenizer = new WordTokenizer();
    for (const text of ['In 2022 \u2013 police (and courts) detained 12 people .', ' lead and trail ', '- , .', 'U.S.-based', '']) {
      expect(tokenizer.tokenize(text).wordCount).toBe(countWordsWithLetters(text));
    }
  });
});
