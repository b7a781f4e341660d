import fc from 'fast-check';
import { blameVersion } from '../../shared/domain/provenance/blame.js';
import { ProvenanceIndex } from '../../shared/domain/provenance/provenance-index.js';
import { editionPairs, removalLedger } from '../../shared/domain/provenance/removal-ledger.js';
import { sentenceNormalForm, versionSentences } from '../../shared/domain/provenance/version-sentences.js';
import { normaliseSentence, sentenceHash, splitSentences } from '../../shared/domain/sentences.js';
import { CORPUS_COUNTRIES } from '../support/corpus.js';
import { hrrDocument, syntheticDocument } from './provenance-fixture.js';

/**
 * Sentence segmentation and identity as provenance uses them: abbreviations, numbers and quotations must not cut a
 * sentence in two (a cut sentence would show up as two "new" sentences and a removal), and typographic variants of
 * one sentence must keep its identity (and so its origin).
 */
function sentencesOf(...paragraphs: string[]): string[] {
  return versionSentences(syntheticDocument([['body', 'Body', paragraphs]])).texts;
}

describe('segmentation edge cases, at the provenance level', () => {
  test('"U.S." inside a sentence does not end it; before a sentence opener it does', () => {
    expect(sentencesOf('The U.S. Embassy monitored the trial. Officials met U.S. and EU diplomats in March.')).toEqual([
      'The U.S. Embassy monitored the trial.',
      'Officials met U.S. and EU diplomats in March.',
    ]);
    expect(sentencesOf('The delegation travelled to the U.S. The ministry did not comment.')).toEqual([
      'The delegation travelled to the U.S.',
      'The ministry did not comment.',
    ]);
  });

  test('"Art.", "No.", "para." and month abbreviations before a number, and titles, do not end a sentence', () => {
    expect(
      sentencesOf('Under Art. 174 of the criminal code and Decree No. 5, Dr. Smith was detained on Jan. 5 by Gen. Ivanov. He was released.'),
    ).toEqual(['Under Art. 174 of the criminal code and Decree No. 5, Dr. Smith was detained on Jan. 5 by Gen. Ivanov.', 'He was released.']);
  });

  test('decimal numbers, amounts and percentages stay inside their sentence', () => {
    expect(sentencesOf('Inflation reached 3.5 percent and the budget was $1.2 billion. Turnout was 62.8 percent.')).toEqual([
      'Inflation reached 3.5 percent and the budget was $1.2 billion.',
      'Turnout was 62.8 percent.',
    ]);
  });

  test('quoted sentences: a quotation ending a sentence stays with it, one inside a sentence does not cut it', () => {
    expect(sentencesOf('The minister said, “No one is above the law.” The court disagreed.')).toEqual([
      'The minister said, “No one is above the law.”',
      'The court disagreed.',
    ]);
    expect(sentencesOf('"We will not stop," the activist said, and left. Police watched.')).toEqual([
      '"We will not stop," the activist said, and left.',
      'Police watched.',
    ]);
    // An ellipsis marks an omission inside a quotation, not an end.
    expect(sentencesOf('He wrote that "the state ... must answer" for the deaths. No one answered.')).toEqual([
      'He wrote that "the state ... must answer" for the deaths.',
      'No one answered.',
    ]);
  });

  test('punctuation alone is not a sentence; every sentence is counted in its paragraph', () => {
    const sentences = versionSentences(syntheticDocument([['body', 'Body', ['One sentence. Two sentences.', '...', 'Three.']]]));
    expect(sentences.texts).toEqual(['One sentence.', 'Two sentences.', 'Three.']);
    expect(sentences.paragraphs).toEqual([2, 0, 1]);
    expect(sentences.hashes).toEqual(sentences.texts.map((text) => sentenceHash(text)));
  });
});

describe('sentence identity across versions', () => {
  const first = syntheticDocument(
    [
      [
        'body',
        'Body',
        [
          'The U.S. Embassy said "no." Inflation reached 3.5 percent in the year. Under Art. 174, the charge carries 10 years.',
          'The government did not respond to requests for comment on the case.',
        ],
      ],
    ],
    { edition: 2022 },
  );
  // Typographic quotes, case, trailing punctuation and spacing changed; one number changed.
  const second = syntheticDocument(
    [
      [
        'body',
        'Body',
        [
          'The U.S. embassy said “no”. Inflation reached 3.6 percent in the year. Under Art.  174, the charge carries 10 years',
          'The government did not respond to requests for comment on the case.',
        ],
      ],
    ],
    { edition: 2023 },
  );
  const index = new ProvenanceIndex('series:example/report');
  index.addVersion(
    { page: 'example.2022', seq: 1, edition: 2022, documentHash: 'a', capturedAt: '2023-03-01T00:00:00.000Z' },
    versionSentences(first),
  );
  index.addVersion(
    { page: 'example.2023', seq: 1, edition: 2023, documentHash: 'b', capturedAt: '2024-03-01T00:00:00.000Z' },
    versionSentences(second),
  );

  test('typographic variants keep the identity (and the origin); a changed number is a rewording, with its similarity', () => {
    const blame = blameVersion(index, 1);
    expect(blame.sentences.map((sentence) => [sentence.text, sentence.origin.edition, sentence.rewordedFrom?.similarity ?? null])).toEqual([
      ['The U.S. embassy said “no”.', 2022, null],
      // Tokens {inflation, reached, 3, 5|6, percent, in, the, year}: 7 of 8 shared, Dice 14 / 16.
      ['Inflation reached 3.6 percent in the year.', 2023, 0.875],
      ['Under Art.  174, the charge carries 10 years', 2022, null],
      ['The government did not respond to requests for comment on the case.', 2022, null],
    ]);
    expect(blame.sentences[1]!.rewordedFrom).toMatchObject({ text: 'Inflation reached 3.5 percent in the year.', origin: { edition: 2022 } });
  });

  test('the ledger lists the old figure as reworded, and nothing else', () => {
    const ledger = removalLedger(index, editionPairs(index, 2022, 2023), { fates: ['removed', 'reworded', 'moved'] });
    expect(ledger.sentences.map((sentence) => [sentence.fate, sentence.text, sentence.rewordedAs?.text])).toEqual([
      ['reworded', 'Inflation reached 3.5 percent in the year.', 'Inflation reached 3.6 percent in the year.'],
    ]);
  });
});

describe('the normal form behind a sentence identity', () => {
  test('the fast path for plain text gives exactly normaliseSentence', () => {
    const plain = fc.string({ unit: fc.constantFrom(...'aZ0 .,;:\'"`-()?!\u2018\u2019\u201c\u201d\u2013\u2014'.split('')), maxLength: 60 });
    const near = fc.string({ unit: fc.constantFrom(...'aZ0 .\u00a0\t\u2026\u00ad\ufb01\u2011\u201e\u00c9'.split('')), maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(plain, near, fc.string({ unit: 'grapheme', maxLength: 40 })), (text) => {
        expect(sentenceNormalForm(text)).toBe(normaliseSentence(text));
      }),
      { numRuns: 3000 },
    );
  });

  test('and on every sentence of the 2024 corpus pages', () => {
    for (const country of CORPUS_COUNTRIES) {
      for (const section of hrrDocument(country, 2024).sections) {
        for (const paragraph of section.paragraphs) {
          for (const sentence of splitSentences(paragraph.text)) expect(sentenceNormalForm(sentence)).toBe(normaliseSentence(sentence));
        }
      }
    }
  });
});
