import { diffArrays } from 'diff';
import fc from 'fast-check';
import { diffDocuments } from '../../shared/domain/diff-documents.js';
import { extract } from '../../shared/domain/extract.js';
import { WordTokenizer } from '../../shared/domain/text-normalisation.js';
import { diffTokenIds } from '../../shared/domain/word-diff.js';
import { CORPUS_COUNTRIES, loadCorpusPage } from '../support/corpus.js';

/**
 * jsdiff as the test oracle of redline's own word diff: jsdiff's diffArrays (Myers, no caps) and diffTokenIds must
 * find edit scripts of the same length (both are minimal), on random sequences and on real paragraph pairs.
 */

/** Tokens inserted plus deleted by diffTokenIds, uncapped. */
function ownEditLength(a: Int32Array, b: Int32Array): number {
  const runs = diffTokenIds(a, b, Number.MAX_SAFE_INTEGER);
  if (typeof runs === 'string') throw new Error(`diffTokenIds gave up: ${runs}`);
  return runs.reduce((sum, run) => (run.op === 'equal' ? sum : sum + run.count), 0);
}

/** Tokens inserted plus deleted by jsdiff's diffArrays. */
function jsdiffEditLength(a: Int32Array, b: Int32Array): number {
  return diffArrays(Array.from(a), Array.from(b)).reduce(
    (sum, change) => (change.added || change.removed ? sum + (change.count ?? change.value.length) : sum),
    0,
  );
}

const SEED = 14_2024;

describe('diffTokenIds against jsdiff diffArrays', () => {
  it('gives the same edit length on random sequences, short and long', () => {
    // Over a small alphabet, sequences share long runs and have many ties; over a larger one they are rewrites.
    const sequences = fc.integer({ min: 2, max: 40 }).chain((alphabet) => {
      const sequence = fc.array(fc.integer({ min: 0, max: alphabet - 1 }), { maxLength: 400 });
      return fc.tuple(sequence, sequence);
    });
    fc.assert(
      fc.property(sequences, ([left, right]) => {
        const a = Int32Array.from(left);
        const b = Int32Array.from(right);
        expect(ownEditLength(a, b)).toBe(jsdiffEditLength(a, b));
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  describe('on real paragraph pairs of the corpus (2022 and 2023 editions of every country)', () => {
    const tokenizer = new WordTokenizer();
    const pairs: [Int32Array, Int32Array][] = [];
    const paragraphs: Int32Array[] = [];

    beforeAll(() => {
      const load = (country: (typeof CORPUS_COUNTRIES)[number], year: number) =>
        extract(loadCorpusPage(country, year), {
          url: `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/${country}/`,
        });
      for (const country of CORPUS_COUNTRIES) {
        const diff = diffDocuments(load(country, 2022), load(country, 2023));
        for (const section of diff.sections) {
          for (const paragraph of section.paragraphs) {
            if (paragraph.kind !== 'modified' || paragraph.before === undefined || paragraph.after === undefined) continue;
            pairs.push([tokenizer.tokenize(paragraph.before).ids.slice(), tokenizer.tokenize(paragraph.after).ids.slice()]);
          }
          for (const paragraph of section.paragraphs)
            if (paragraph.after !== undefined) paragraphs.push(tokenizer.tokenize(paragraph.after).ids.slice());
        }
      }
    });

    it('gives the same edit length on every modified paragraph the diff found', () => {
      expect(pairs.length).toBeGreaterThan(100);
      const mismatches = pairs.filter(([a, b]) => ownEditLength(a, b) !== jsdiffEditLength(a, b));
      expect(mismatches).toEqual([]);
    });

    it('gives the same edit length on real paragraphs edited at random (cuts, insertions, swaps, whole rewrites)', () => {
      const edit = fc.oneof(
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 30 }) }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), from: fc.nat(), length: fc.integer({ min: 1, max: 30 }) }),
        fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
        fc.record({ kind: fc.constant('rewrite' as const), from: fc.nat() }),
      );
      fc.assert(
        fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 6 }), (index, edits) => {
          const before = paragraphs[index % paragraphs.length]!;
          const after = Array.from(before);
          for (const step of edits) {
            const at = after.length === 0 ? 0 : step.kind === 'rewrite' ? 0 : step.at % after.length;
            if (step.kind === 'cut') after.splice(at, step.length);
            else if (step.kind === 'insert') {
              const source = paragraphs[step.from % paragraphs.length]!;
              after.splice(at, 0, ...source.slice(0, step.length));
            } else if (step.kind === 'swap' && after.length > 1) {
              const other = step.other % after.length;
              [after[at], after[other]] = [after[other]!, after[at]!];
            } else if (step.kind === 'rewrite') after.splice(0, after.length, ...paragraphs[step.from % paragraphs.length]!);
          }
          const b = Int32Array.from(after);
          expect(ownEditLength(before, b)).toBe(jsdiffEditLength(before, b));
        }),
        { numRuns: 300, seed: SEED },
      );
    });
  });
});
