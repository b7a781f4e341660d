import fc from 'fast-check';
import { countDocumentTerms, foldForMatching } from '../../shared/domain/audit.js';
import type { Document } from '../../shared/domain/document.js';
import { buildTermIndex, countIndexedTerms, indexAnswers, parseTermIndex, TERM_INDEX_VERSION } from '../../shared/domain/term-index.js';
import { hrrDocument } from '../provenance/provenance-fixture.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS } from '../support/corpus.js';

/**
 * The term index answers every term it claims to answer exactly as counting in the Document does, on the real sample
 * pages: whole words, substrings of words (inside a token, several per token, across paragraphs), other cases and
 * typography, digits; and it declines terms that could match across tokens.
 */
const documents: Document[] = CORPUS_COUNTRIES.flatMap((country) => CORPUS_YEARS.map((year) => hrrDocument(country, year)));
const indexes = new Map(documents.map((document) => [document, buildTermIndex(document)]));

const withoutSeries = ({ series: _series, ...counts }: ReturnType<typeof countDocumentTerms>) => counts;

describe('term index', () => {
  const terms = ['torture', 'Torture', 'TORTUR', 'journalist', 'election', 'women', 'ion', 'the', 'a', 'ss', '2023', 'ngo', 'réfugié', 'Uyghur'];

  it.each([false, true])('gives countDocumentTerms on every sample page (wholeWord %s)', (wholeWord) => {
    let matches = 0;
    for (const document of documents) {
      const expected = withoutSeries(countDocumentTerms(document, terms, wholeWord));
      expect(countIndexedTerms(indexes.get(document)!, terms, wholeWord)).toEqual(expected);
      matches += expected.sections.reduce((sum, section) => sum + section.counts.reduce((a, b) => a + b, 0), 0);
    }
    expect(matches).toBeGreaterThan(10_000);
  });

  it('gives countDocumentTerms for terms drawn from the pages themselves (fixed seed, 300 runs)', () => {
    const tokens = documents.map((document) => [...new Set(document.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.text.split(/\s+/))))]);
    fc.assert(
      fc.property(
        fc.nat(documents.length - 1),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        fc.constantFrom<'lower' | 'upper' | 'same'>('lower', 'upper', 'same'),
        (which, pick, from, length, wholeWord, casing) => {
          const document = documents[which]!;
          const words = tokens[which]!;
          const word = words[pick % words.length]!;
          const start = from % word.length;
          let term = word.slice(start, start + 1 + (length % (word.length - start)));
          term = casing === 'lower' ? term.toLowerCase() : casing === 'upper' ? term.toUpperCase() : term;
          if (foldForMatching(term).trim().length === 0 || !indexAnswers(term)) return;
          expect(countIndexedTerms(indexes.get(document)!, [term], wholeWord)).toEqual(
            withoutSeries(countDocumentTerms(document, [term], wholeWord)),
          );
        },
      ),
      { seed: 1313, numRuns: 300 },
    );
  });

  it('declines terms that can match across tokens, answers one-word terms', () => {
    for (const term of ['human rights', 'so-called', "women's", 'women’s', 'U.S.', ' torture', 'torture ']) expect(indexAnswers(term)).toBe(false);
    for (const term of ['torture', 'Ｔorture', 'naïve', '2024', 'İstanbul']) expect(indexAnswers(term)).toBe(true);
  });

  it('counts non-overlapping matches within one token, for each of its occurrences', () => {
    const document: Document = {
      ...documents[0]!,
      sections: [
        { key: 'a', heading: 'A', level: 2, paragraphs: [{ text: 'Aaaa aa, aaa-aa. AAAA' }, { text: 'baaab aa' }] },
        { key: 'b', heading: 'B', level: 2, paragraphs: [] },
      ],
    } as Document;
    const index = buildTermIndex(document);
    for (const wholeWord of [false, true]) {
      expect(countIndexedTerms(index, ['aa', 'a', 'aaaa', 'b'], wholeWord)).toEqual(
        withoutSeries(countDocumentTerms(document, ['aa', 'a', 'aaaa', 'b'], wholeWord)),
      );
    }
    // "aaaa" twice (2 each), "aa" three times (1 each), "aaa" once (1), "baaab" once (1): 9 substring matches of "aa".
    expect(countIndexedTerms(index, ['aa'], false).sections[0]!.counts).toEqual([9]);
    expect(countIndexedTerms(index, ['aa'], true).sections[0]!.counts).toEqual([3]);
    expect(countIndexedTerms(index, ['aa'], true).sections[1]!.counts).toEqual([0]);
  });

  /** The tokens as the index defines them: the matches of `[\p{L}\p{N}\p{M}]+` (by code point) in the folded text. */
  const tokensByExpression = (document: Document) =>
    document.sections.map((section) => {
      const counts = new Map<string, number>();
      for (const paragraph of section.paragraphs) {
        for (const token of foldForMatching(paragraph.text).match(/[\p{L}\p{N}\p{M}]+/gu) ?? []) counts.set(token, (counts.get(token) ?? 0) + 1);
      }
      return { tokens: counts.size === 0 ? '' : ` ${[...counts.keys()].join(' ')} `, counts: [...counts.values()].join(' ') };
    });
  const tokensOf = (index: ReturnType<typeof buildTermIndex>) => index.sections.map(({ tokens, counts }) => ({ tokens, counts }));

  it('has the tokens of the word-character expression, in order, on every sample page', () => {
    let tokens = 0;
    for (const document of documents) {
      expect(tokensOf(indexes.get(document)!)).toEqual(tokensByExpression(document));
      tokens += indexes.get(document)!.sections.reduce((sum, section) => sum + section.counts.split(' ').length, 0);
    }
    expect(tokens).toBeGreaterThan(100_000);
  });

  it('has the tokens of the word-character expression on any text: astral letters, combining marks, lone surrogates (fixed seed, 500 runs)', () => {
    // Single code points (spread), a decomposed letter, astral letters and a symbol, lone surrogates.
    const pieces = [...'aÉéß1٣ -’\u00a0\u200bΣς中\n', 'e\u0301', '𝐀', '😀', '𐐷', '\ud800', '\udc00'];
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (texts) => {
        const document = {
          ...documents[0]!,
          sections: [{ key: 'a', heading: 'A', level: 2, paragraphs: texts.map((one) => ({ text: one })) }],
        } as Document;
        expect(tokensOf(buildTermIndex(document))).toEqual(tokensByExpression(document));
      }),
      { seed: 1314, numRuns: 500 },
    );
  });

  it('reads back what it stored, and refuses other versions and malformed indexes', () => {
    const index = indexes.get(documents[0]!)!;
    expect(parseTermIndex(JSON.parse(JSON.stringify(index)))).toEqual(index);
    const section = index.sections.find((one) => one.counts.includes(' '))!;
    const broken = (change: object) => ({ ...index, sections: [{ ...section, ...change }] });
    expect(parseTermIndex({ ...index, version: TERM_INDEX_VERSION + 1 })).toBeUndefined();
    expect(parseTermIndex(broken({ counts: section.counts.slice(section.counts.indexOf(' ') + 1) }))).toBeUndefined();
    expect(parseTermIndex(broken({ tokens: `${section.tokens}extra ` }))).toBeUndefined();
    expect(parseTermIndex(broken({ tokens: section.tokens.trim() }))).toBeUndefined();
    expect(parseTermIndex(broken({ counts: `0 ${section.counts.slice(section.counts.indexOf(' ') + 1)}` }))).toBeUndefined();
    expect(parseTermIndex(broken({ counts: section.counts.split(' ').map(Number) }))).toBeUndefined();
    expect(parseTermIndex(broken({ wordCount: '12' }))).toBeUndefined();
    expect(parseTermIndex(null)).toBeUndefined();
    expect(parseTermIndex('{}')).toBeUndefined();
  });
});
