import fc from 'fast-check';
import { countWordsWithLetters, multisetWordChanges, sortedDice, WordTokenizer } from '../../shared/domain/text-normalisation.js';
import { diffTokenIds, toWordOperations, WordDiffBudget, type EditRun } from '../../shared/domain/word-diff.js';

/** Length of a longest common subsequence, by the textbook table. */
function lcsLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1] as number);
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** Replays runs over the two sequences, checking equal runs really are equal. */
function replay(a: Int32Array, b: Int32Array, runs: EditRun[]): { rebuiltA: number[]; rebuiltB: number[]; edits: number } {
  const rebuiltA: number[] = [];
  const rebuiltB: number[] = [];
  let i = 0;
  let j = 0;
  let edits = 0;
  for (const { op, count } of runs) {
    expect(count).toBeGreaterThan(0);
    for (let k = 0; k < count; k++) {
      if (op === 'equal') {
        expect(a[i]).toBe(b[j]);
        rebuiltA.push(a[i++] as number);
        rebuiltB.push(b[j++] as number);
      } else if (op === 'delete') rebuiltA.push(a[i++] as number);
      else rebuiltB.push(b[j++] as number);
    }
    if (op !== 'equal') edits += count;
  }
  return { rebuiltA, rebuiltB, edits };
}

describe('diffTokenIds (Myers)', () => {
  it('returns a minimal edit script that rebuilds both sequences', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 40 }),
        (left, right) => {
          const a = Int32Array.from(left);
          const b = Int32Array.from(right);
          const runs = diffTokenIds(a, b, 1000);
          if (typeof runs === 'string') throw new Error(runs);
          const { rebuiltA, rebuiltB, edits } = replay(a, b, runs);
          expect(rebuiltA).toEqual(left);
          expect(rebuiltB).toEqual(right);
          expect(edits).toBe(a.length + b.length - 2 * lcsLength(a, b));
          // Runs alternate, and inside a changed stretch deletions come first.
          for (let r = 1; r < runs.length; r++) {
            expect(runs[r]?.op).not.toBe(runs[r - 1]?.op);
            expect(runs[r - 1]?.op === 'insert' && runs[r]?.op === 'delete').toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stays minimal on long, very different sequences (where it switches to the bit-parallel LCS)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 100, maxLength: 300 }),
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 100, maxLength: 300 }),
        (left, right) => {
          const a = Int32Array.from(left);
          const b = Int32Array.from(right);
          const runs = diffTokenIds(a, b, 10_000);
          if (typeof runs === 'string') throw new Error(runs);
          const { rebuiltA, rebuiltB, edits } = replay(a, b, runs);
          expect(rebuiltA).toEqual(left);
          expect(rebuiltB).toEqual(right);
          expect(edits).toBe(a.length + b.length - 2 * lcsLength(a, b));
          // The cap applies whichever algorithm finished the job.
          expect(diffTokenIds(a, b, edits - 1)).toBe('max-edit-length');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('handles empty and identical sequences', () => {
    expect(diffTokenIds(new Int32Array(0), new Int32Array(0), 10)).toEqual([]);
    expect(diffTokenIds(Int32Array.of(1, 2), Int32Array.of(1, 2), 0)).toEqual([{ op: 'equal', count: 2 }]);
    expect(diffTokenIds(Int32Array.of(1, 2), new Int32Array(0), 10)).toEqual([{ op: 'delete', count: 2 }]);
    expect(diffTokenIds(Int32Array.of(1, 2, 3), Int32Array.of(1, 9, 3), 10)).toEqual([
      { op: 'equal', count: 1 },
      { op: 'delete', count: 1 },
      { op: 'insert', count: 1 },
      { op: 'equal', count: 1 },
    ]);
  });

  it('gives up past the edit-length cap', () => {
    expect(diffTokenIds(Int32Array.of(1, 2, 3), Int32Array.of(4, 5, 6), 5)).toBe('max-edit-length');
    expect(diffTokenIds(Int32Array.of(1, 2, 3), Int32Array.of(4, 5, 6), 6)).toHaveLength(2);
    expect(diffTokenIds(Int32Array.of(1, 2, 3), new Int32Array(0), 2)).toBe('max-edit-length');
  });

  it('bounds the work on a huge rewritten paragraph, whatever cap the caller passes', () => {
    // 20,000 tokens a side is past the bit-parallel size limit, so Myers runs, and stops at its own round limit
    // (a bound on work, so on time and memory, that no machine's speed changes): the answer says it stopped.
    const a = Int32Array.from({ length: 20_000 }, (_, i) => i);
    const b = Int32Array.from({ length: 20_000 }, (_, i) => 100_000 + i);
    expect(diffTokenIds(a, b, 1_000_000)).toBe('max-edit-length');
    // A long paragraph with a small edit is still diffed exactly.
    const edited = Int32Array.from(a);
    edited[10_000] = -1;
    expect(diffTokenIds(a, edited, 1_000_000)).toEqual([
      { op: 'equal', count: 10_000 },
      { op: 'delete', count: 1 },
      { op: 'insert', count: 1 },
      { op: 'equal', count: 9_999 },
    ]);
  });

  it('gives up when the work budget is spent, counting steps rather than time', () => {
    const a = Int32Array.from({ length: 200 }, (_, i) => i);
    const b = Int32Array.from({ length: 200 }, (_, i) => 1000 + i);
    const spent: number[] = [];
    expect(
      diffTokenIds(a, b, 10_000, (steps) => {
        spent.push(steps);
        return true;
      }),
    ).toBe('work-budget');
    // The first check comes after 16 Myers rounds of at most 16 diagonal steps each.
    expect(spent).toEqual([256]);
  });

  it('spends the same steps on the same pair every time', () => {
    const a = Int32Array.from({ length: 400 }, (_, i) => (i * 7) % 50);
    const b = Int32Array.from({ length: 380 }, (_, i) => (i * 11) % 50);
    const total = () => {
      let steps = 0;
      diffTokenIds(a, b, 10_000, (spent) => ((steps += spent), false));
      return steps;
    };
    const first = total();
    expect(first).toBeGreaterThan(0);
    expect([total(), total()]).toEqual([first, first]);
  });
});

describe('WordTokenizer', () => {
  it('splits words and punctuation, keeps whitespace with the next token, and interns', () => {
    const tokenizer = new WordTokenizer();
    const first = tokenizer.tokenize('In 2022, the U.S. said: "no".');
    const tokens = Array.from(first.ids, (_, i) => first.text.slice(first.starts[i], first.starts[i + 1]));
    expect(tokens).toEqual(['In', ' 2022', ',', ' the', ' U', '.', 'S', '.', ' said', ':', ' "', 'no', '"', '.']);
    const second = tokenizer.tokenize('the U.S.');
    expect(second.ids[0]).toBe(first.ids[3]);
    expect(second.ids[1]).toBe(first.ids[4]);
    // Distinct word tokens only: In, 2022, the, U, S, said, no.
    expect(first.vocabulary).toHaveLength(7);
    expect(tokenizer.tokenize('In 2022, the U.S. said: "no".')).toBe(first);
  });

  it('keeps letters with diacritics and other scripts in one token', () => {
    const tokenizer = new WordTokenizer();
    const text = tokenizer.tokenize('Qazaqstan Respublikasy\u0301 Қазақстан naïve');
    expect(text.ids).toHaveLength(4);
  });

  it('computes the same Dice from token lists as from sorted vocabularies', () => {
    const tokenizer = new WordTokenizer();
    const word = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', ',', '.', '2022');
    const text = fc.array(word, { maxLength: 15 }).map((words) => words.join(' '));
    fc.assert(
      fc.property(text, text, (left, right) => {
        const a = tokenizer.tokenize(left);
        const b = tokenizer.tokenize(right);
        expect(tokenizer.dice(a, b)).toBeCloseTo(sortedDice(a.vocabulary, b.vocabulary), 12);
      }),
      { numRuns: 300 },
    );
  });

  it('measures similarity as Dice over distinct words', () => {
    const tokenizer = new WordTokenizer();
    const a = tokenizer.tokenize('one two three four').vocabulary;
    const b = tokenizer.tokenize('one two five, six!').vocabulary;
    expect(sortedDice(a, b)).toBe(0.5);
    expect(sortedDice(new Int32Array(0), new Int32Array(0))).toBe(1);
  });
});

describe('toWordOperations and WordDiffBudget', () => {
  const word = fc.constantFrom('police', 'detained', 'the', 'U.S.', '2022', 'activists', '"quoted"', '(a)', 'Almaty,', '-');
  const text = fc
    .array(fc.tuple(fc.constantFrom(' ', ' ', '  ', '\u00a0'), word), { maxLength: 12 })
    .map((parts) => parts.map(([space, token], i) => (i === 0 ? token : space + token)).join(''));

  it('rebuilds both texts exactly from the operations', () => {
    fc.assert(
      fc.property(fc.constantFrom('', ' '), text, text, (lead, before, after) => {
        const budget = new WordDiffBudget();
        const result = budget.diff(lead + before, after);
        const words = result.words ?? [];
        expect(
          words
            .filter((op) => op.op !== 'insert')
            .map((op) => op.text)
            .join(''),
        ).toBe(lead + before);
        expect(
          words
            .filter((op) => op.op !== 'delete')
            .map((op) => op.text)
            .join(''),
        ).toBe(after);
        for (let k = 1; k < words.length; k++) expect(words[k]?.op).not.toBe(words[k - 1]?.op);
        expect(result.wordsAdded).toBe(words.filter((op) => op.op === 'insert').reduce((sum, op) => sum + countWordsWithLetters(op.text), 0));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps a replacement's shared leading space outside the markers", () => {
    const tokenizer = new WordTokenizer();
    const before = tokenizer.tokenize('in 2022 there');
    const after = tokenizer.tokenize('in 2023 there');
    const runs = diffTokenIds(before.ids, after.ids, 10) as EditRun[];
    expect(toWordOperations(before, after, runs)).toEqual({
      words: [
        { op: 'equal', text: 'in ' },
        { op: 'delete', text: '2022' },
        { op: 'insert', text: '2023' },
        { op: 'equal', text: ' there' },
      ],
      wordsAdded: 1,
      wordsRemoved: 1,
    });
  });

  it('counts approximate changes as a multiset difference of words', () => {
    expect(multisetWordChanges('a b b c', 'b c c d e')).toEqual({ added: 3, removed: 2 });
    expect(multisetWordChanges('one, two', 'one , two')).toEqual({ added: 0, removed: 0 });
  });

  it('reports which cap was hit', () => {
    const capped = new WordDiffBudget(2000, 1);
    expect(capped.diff('a b c', 'a x c')).toEqual({ wordsAdded: 1, wordsRemoved: 1, bounded: 'max-edit-length' });
    expect(capped.diff('a b c', 'a b c d')).toMatchObject({ wordsAdded: 1, wordsRemoved: 0 });
    expect(capped.bounded()).toEqual({ reason: 'max-edit-length', paragraphs: 1 });
    // A budget of 5 steps: the first pair (3 tokens each) is diffed and spends 6, the next paragraph gets counts only.
    const late = new WordDiffBudget(5, 1000);
    expect(late.diff('a b c', 'a x c').bounded).toBeUndefined();
    expect(late.workRemaining).toBe(-1);
    expect(late.diff('a', 'b').bounded).toBe('work-budget');
    expect(late.bounded()).toEqual({ reason: 'work-budget', paragraphs: 1 });
    // A whole rewrite runs out inside the algorithm, at its first check.
    const rewrite = (offset: number) => Array.from({ length: 60 }, (_, i) => `w${offset + i}`).join(' ');
    expect(new WordDiffBudget(200, 1000).diff(rewrite(0), rewrite(100)).bounded).toBe('work-budget');
  });
});
