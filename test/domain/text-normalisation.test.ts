import { foldForMatching } from '../../shared/domain/audit.js';
import { normaliseSentence } from '../../shared/domain/sentences.js';
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

  it('folds every typographic variant the same way for sentence identity, term matching and section similarity', () => {
    const variants: [string, string][] = [
      ...[...'\u2018\u2019\u201A\u201B\u2032\u02BC\u0060\u00B4\uFF07'].map((mark): [string, string] => [mark, "'"]),
      ...[...'\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB'].map((mark): [string, string] => [mark, '"']),
      ...[...'\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D'].map((mark): [string, string] => [mark, '-']),
      ...[...'\u00AD\u200B\u200C\u200D\u2060\uFEFF'].map((mark): [string, string] => [mark, '']),
      ['\u2026', '...'],
    ];
    for (const [mark, ascii] of variants) {
      const text = `So${mark}Called Rights`;
      const expected = `so${ascii}called rights`;
      // The sentence form applies NFKC before the fold (sentence hashes are stored, so the order stays), and NFKC
      // turns two of the marks into something else first: the acute accent into a space and a combining accent, the
      // double prime into two primes.
      const afterNfkc: Record<string, string> = { '\u00B4': ' \u0301', '\u2033': "''" };
      const sentenceForm = mark in afterNfkc ? `so${afterNfkc[mark]}called rights` : expected;
      expect([mark, normaliseSentence(text), foldForMatching(text), foldForComparison(text)]).toEqual([mark, sentenceForm, expected, expected]);
    }
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
