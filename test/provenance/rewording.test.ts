import fc from 'fast-check';
import {
  DEFAULT_REWORDING_THRESHOLD,
  matchRewordings,
  matchTokenSets,
  MIN_REWORDING_TOKENS,
  rewordingSimilarity,
  sentenceTokens,
} from '../../shared/domain/provenance/rewording.js';
import { normaliseSentence } from '../../shared/domain/sentences.js';
import { sortedDice } from '../../shared/domain/text-normalisation.js';

describe('rewording similarity', () => {
  test('is the Dice coefficient of the token sets of the normal forms (numbers are tokens)', () => {
    // Shared: only, of, the, cabinet, members, not, ethnic (7), of 11 + 12 tokens (two/one, 23/26, were/was,
    // kazakhs/kazakh and "an" differ).
    expect(
      rewordingSimilarity(
        'Only two of the 23 cabinet members were not ethnic Kazakhs.',
        'Only one of the 26 cabinet members was not an ethnic Kazakh.',
      ),
    ).toBeCloseTo(14 / 23, 10);
    expect(rewordingSimilarity('The Government’s “reform” stalled.', "the government's reform stalled")).toBe(1);
  });

  test('the fast token path for plain text gives exactly the tokens of the normal form', () => {
    const plain = fc.string({
      unit: fc.constantFrom(...'aZ09 .,;:\'"-()?!\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2026'.split('')),
      maxLength: 60,
    });
    const any = fc.string({ unit: 'grapheme', maxLength: 40 });
    const mixed = fc.string({ unit: fc.constantFrom(...'aÉ0 .\u00ad\u200b\ufb01\uff21\u2126\u00b2ß\u0130'.split('')), maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(plain, any, mixed), (text) => {
        expect(sentenceTokens(text)).toEqual(normaliseSentence(text).match(/[\p{L}\p{N}]+/gu) ?? []);
      }),
      { numRuns: 2000 },
    );
  });
});

/** The same answer by comparing every pair: the prefix-filtered index must miss nothing and invent nothing. */
function bruteForce(from: Int32Array[], to: Int32Array[], threshold: number, minTokens: number) {
  const byNew = new Map<number, { from: number; similarity: number }>();
  const byVanished = new Map<number, { to: number; similarity: number }>();
  to.forEach((b, j) => {
    if (b.length < minTokens) return;
    from.forEach((a, i) => {
      if (a.length < minTokens) return;
      const exact = sortedDice(a, b);
      if (exact < threshold) return;
      const similarity = Math.round(exact * 1000) / 1000;
      const bestNew = byNew.get(j);
      if (!bestNew || similarity > bestNew.similarity || (similarity === bestNew.similarity && i < bestNew.from))
        byNew.set(j, { from: i, similarity });
      const bestVanished = byVanished.get(i);
      if (!bestVanished || similarity > bestVanished.similarity || (similarity === bestVanished.similarity && j < bestVanished.to))
        byVanished.set(i, { to: j, similarity });
    });
  });
  return { byNew, byVanished };
}

const tokenSet = fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 14 }).map((tokens) => Int32Array.from(tokens).sort());

describe('matchTokenSets', () => {
  test('finds exactly the best matches that comparing every pair finds, at any threshold', () => {
    fc.assert(
      fc.property(
        fc.array(tokenSet, { maxLength: 25 }),
        fc.array(tokenSet, { maxLength: 25 }),
        fc.constantFrom(0.3, 0.5, DEFAULT_REWORDING_THRESHOLD, 0.75, 0.9, 1),
        fc.integer({ min: 1, max: 5 }),
        (from, to, threshold, minTokens) => {
          const found = matchTokenSets(from, to, { threshold, minTokens });
          const expected = bruteForce(from, to, threshold, minTokens);
          expect(new Map([...found.byNew].map(([j, match]) => [j, { from: match.from, similarity: match.similarity }]))).toEqual(expected.byNew);
          expect(new Map([...found.byVanished].map(([i, match]) => [i, { to: match.to, similarity: match.similarity }]))).toEqual(
            expected.byVanished,
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  test('the threshold is inclusive, short sentences never match, and a split matches both halves', () => {
    const vanished = [
      'There were no reports of politically motivated disappearances.',
      'None.',
      'The court sentenced the journalist to five years in prison and banned him from journalism for three years.',
    ];
    const fresh = [
      'There were no reports of disappearances by or on behalf of government authorities.',
      'None at all.',
      'The court sentenced the journalist to five years in prison.',
      'The court also banned him from journalism for three years.',
    ];
    const { byNew, byVanished } = matchRewordings(vanished, fresh);
    // 6 shared tokens of 8 + 12: exactly 0.6.
    expect(byNew.get(0)).toEqual({ from: 0, to: 0, similarity: 0.6 });
    expect(byNew.has(1)).toBe(false);
    expect(MIN_REWORDING_TOKENS).toBeGreaterThan(1);
    expect([byNew.get(2)?.from, byNew.get(3)?.from]).toEqual([2, 2]);
    expect(byVanished.get(2)?.to).toBe(2);
    expect(matchRewordings(vanished, fresh, { threshold: 0.61 }).byNew.has(0)).toBe(false);
  });
});
