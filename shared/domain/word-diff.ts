/**
 * Word-level diff inside one modified paragraph, with hard caps.
 *
 * Tokens are interned to integers (text-normalisation.ts) and compared after trimming the common prefix and suffix,
 * by Myers' O(ND) diff for small edits and a bit-parallel LCS for heavy rewrites (see diffTokenIds). This replaces
 * jsdiff's diffWords: on the modified paragraphs of two editions of a report (Kazakhstan 2022/2023, 107 pairs),
 * diffWords took ~28 ms (its word `equals` trims both tokens on every comparison) and jsdiff's diffArrays over the
 * same integer tokens ~16 ms, against ~1-2 ms here, while git's word diff of the whole document takes ~10 ms. The
 * contract is jsdiff's: an edit-length cap and a work limit (counted steps, not time, so results never depend on
 * the machine), and no result when either is hit; a capped paragraph
 * keeps approximate word counts and no operations. jsdiff stays as the tests' oracle: diffArrays must find edit
 * scripts of the same length (test/domain/word-diff-jsdiff-oracle.test.ts).
 */
import type { RevisionDiff, WordOperation } from './revision-diff.js';
import { countWordsWithLetters, isSpaceCode, multisetWordChanges, WordTokenizer, type TokenizedText } from './text-normalisation.js';

/**
 * Work for all word diffs of one document diff, in steps of the diff algorithms (a Myers diagonal step, or one 32-column
 * word of a bit-parallel row). Counted, not timed: the same pair of documents always gets the same diff, on any
 * machine and under any load. 2 x 10^8 steps is well under a second of CPU; the sample's heaviest pair of consecutive
 * editions (Russia 2022 -> 2023) needs 233,648, about 1/850 of it.
 */
export const DEFAULT_WORK_BUDGET = 200_000_000;
/** Tokens (words and punctuation marks) inserted plus deleted in one paragraph; far above any real edit. */
export const DEFAULT_MAX_EDIT_LENGTH = 1000;

export type BoundedReason = NonNullable<RevisionDiff['bounded']>['reason'];

const EQUAL = 'equal';
const INSERT = 'insert';
const DELETE = 'delete';
type EditOp = WordOperation['op'];

/** A run of one operation over `count` tokens. */
export interface EditRun {
  op: EditOp;
  count: number;
}

/** Checking the clock is cheap but not free: once every this many edit-distance steps (or rows). */
const CLOCK_CHECK_INTERVAL = 16;

/** Spends `steps` of a work budget; true once the budget is exhausted. */
export type SpendWork = (steps: number) => boolean;
/** The bit-parallel LCS keeps one bit per (row, column): above this many 32-bit words (4 MB) it is not used. */
const BIT_PARALLEL_MAX_WORDS = 1 << 20;
/** Myers keeps about D² integers to walk back; past this many rounds (16 MB) it gives up whatever the cap says. */
const MYERS_MAX_ROUNDS = 2000;

/** Operations of the middle part, from its end backwards (each with a count). */
type ReversedOps = Array<[EditOp, number]>;

/**
 * Shortest edit script between two sequences of ids (tokens here, paragraphs in paragraph-alignment.ts), as runs in
 * order; inside each changed stretch deletions come before insertions. Returns a reason instead when the edit
 * distance exceeds maxEditLength or `spend` reports the work budget exhausted.
 *
 * After trimming the common prefix and suffix it runs Myers' O(ND) diff, which is fastest for small edits. When the
 * edit distance turns out large (a paragraph largely rewritten between editions), Myers costs O(D²) and a
 * bit-parallel LCS (Allison-Dix / Hyyrö: O(N·M/32)) is far cheaper, so Myers hands over to it once it has spent
 * about what the bit-parallel pass would cost. Both give a minimal edit script.
 */
export function diffTokenIds(a: Int32Array, b: Int32Array, maxEditLength: number, spend: SpendWork = () => false): EditRun[] | BoundedReason {
  const lengthA = a.length;
  const lengthB = b.length;
  let prefix = 0;
  while (prefix < lengthA && prefix < lengthB && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < lengthA - prefix && suffix < lengthB - prefix && a[lengthA - 1 - suffix] === b[lengthB - 1 - suffix]) suffix++;
  const n = lengthA - prefix - suffix;
  const m = lengthB - prefix - suffix;

  let middle: ReversedOps | BoundedReason;
  if (n === 0 || m === 0) {
    middle =
      n + m > maxEditLength
        ? 'max-edit-length'
        : [
            [INSERT, m],
            [DELETE, n],
          ];
  } else {
    const limit = Math.min(n + m, maxEditLength);
    const words = (m + 31) >>> 5;
    const bitParallel = n * words <= BIT_PARALLEL_MAX_WORDS;
    // Myers spends about D²/2 steps, the bit-parallel pass about 3 per (row, word): hand over where they meet.
    const handOver = bitParallel ? Math.ceil(Math.sqrt(6 * n * words + 2 * m)) + 8 : Infinity;
    const rounds = Math.min(limit, handOver, MYERS_MAX_ROUNDS);
    middle = myers(a, b, prefix, n, m, rounds, spend);
    if (middle === 'max-edit-length' && rounds < limit && bitParallel) {
      middle = bitParallelLcs(a, b, prefix, n, m, spend);
      if (typeof middle !== 'string') {
        let edits = 0;
        for (const [op, count] of middle) if (op !== EQUAL) edits += count;
        if (edits > maxEditLength) middle = 'max-edit-length';
      }
    }
  }
  if (typeof middle === 'string') return middle;

  const runs = new RunBuilder();
  runs.push(EQUAL, prefix);
  for (let i = middle.length - 1; i >= 0; i--) {
    const [op, count] = middle[i] as [EditOp, number];
    runs.push(op, count);
  }
  runs.push(EQUAL, suffix);
  return runs.finish();
}

/** Collects runs in order, merging neighbours and putting each changed stretch's deletions before its insertions. */
class RunBuilder {
  private readonly runs: EditRun[] = [];
  private pendingDelete = 0;
  private pendingInsert = 0;

  push(op: EditOp, count: number): void {
    if (count <= 0) return;
    if (op === DELETE) this.pendingDelete += count;
    else if (op === INSERT) this.pendingInsert += count;
    else {
      this.flush();
      const last = this.runs[this.runs.length - 1];
      if (last && last.op === EQUAL) last.count += count;
      else this.runs.push({ op, count });
    }
  }

  finish(): EditRun[] {
    this.flush();
    return this.runs;
  }

  private flush(): void {
    if (this.pendingDelete > 0) this.runs.push({ op: DELETE, count: this.pendingDelete });
    if (this.pendingInsert > 0) this.runs.push({ op: INSERT, count: this.pendingInsert });
    this.pendingDelete = 0;
    this.pendingInsert = 0;
  }
}

/** Myers' greedy O(ND) diff of a[offset, offset+n) and b[offset, offset+m), keeping each round's furthest points. */
function myers(a: Int32Array, b: Int32Array, offsetInput: number, n: number, m: number, max: number, spend: SpendWork): ReversedOps | BoundedReason {
  const offset = max + 1;
  // Furthest x reached on each diagonal k = x - y; -1 marks a diagonal no path reaches inside the grid.
  const v = new Int32Array(2 * max + 3).fill(-1);
  v[offset + 1] = 0;
  // Row d of the trace (v after round d, diagonals -d..d) starts at d * d in one flat buffer.
  let trace = new Int32Array(Math.min(1024, (max + 1) * (max + 1)));

  for (let d = 0; d <= max; d++) {
    // The last CLOCK_CHECK_INTERVAL rounds took at most d + 1 diagonal steps each.
    if (d % CLOCK_CHECK_INTERVAL === CLOCK_CHECK_INTERVAL - 1 && spend(CLOCK_CHECK_INTERVAL * (d + 1))) return 'work-budget';
    for (let k = -d; k <= d; k += 2) {
      // Come down from diagonal k+1 (an insertion) or right from k-1 (a deletion), whichever reaches further.
      const fromAbove = v[offset + k + 1] as number;
      const fromLeft = v[offset + k - 1] as number;
      const down = fromAbove >= 0 && fromAbove - k <= m;
      const right = fromLeft >= 0 && fromLeft + 1 <= n;
      let x: number;
      if (down && (!right || fromAbove > fromLeft)) x = fromAbove;
      else if (right) x = fromLeft + 1;
      else {
        v[offset + k] = -1;
        continue;
      }
      let y = x - k;
      while (x < n && y < m && a[offsetInput + x] === b[offsetInput + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        // Walk back through the rows of earlier rounds, collecting operations from the end.
        const reversed: ReversedOps = [];
        let kk = k;
        let xx = x;
        for (let dd = d; dd > 0; dd--) {
          // Row dd-1 holds diagonals -(dd-1)..dd-1; diagonal k sits at (dd-1)^2 + k + dd - 1.
          const at = (dd - 1) * (dd - 1) + kk + dd - 1;
          const above = kk + 1 <= dd - 1 ? (trace[at + 1] as number) : -1;
          const left = kk - 1 >= -(dd - 1) ? (trace[at - 1] as number) : -1;
          const cameDown = above >= 0 && above - kk <= m && !(left >= 0 && left + 1 <= n && above <= left);
          const previousX = cameDown ? above : left;
          reversed.push([EQUAL, xx - (cameDown ? previousX : previousX + 1)]);
          reversed.push([cameDown ? INSERT : DELETE, 1]);
          kk = cameDown ? kk + 1 : kk - 1;
          xx = previousX;
        }
        reversed.push([EQUAL, xx]);
        return reversed;
      }
    }
    const rowEnd = (d + 1) * (d + 1);
    if (rowEnd > trace.length) {
      const grown = new Int32Array(Math.min(Math.max(rowEnd, trace.length * 2), (max + 1) * (max + 1)));
      grown.set(trace);
      trace = grown;
    }
    for (let k = -d, at = d * d; k <= d; k++, at++) trace[at] = v[offset + k] as number;
  }
  return 'max-edit-length';
}

/**
 * LCS of a[offset, offset+n) and b[offset, offset+m) by bit-vector rows (Allison & Dix 1986, Hyyrö 2004): bit j of
 * row i is 1 when LCS(i, j+1) = LCS(i, j). Row i comes from row i-1 with a few word operations per 32 columns:
 * U = V & match(a[i]); V' = (V + U) | (V - U). The rows are kept, so the walk back from (n, m) is O(n + m): equal
 * ids step diagonally, a set bit steps left (an insertion), anything else steps up (a deletion).
 */
function bitParallelLcs(a: Int32Array, b: Int32Array, offsetInput: number, n: number, m: number, spend: SpendWork): ReversedOps | BoundedReason {
  const words = (m + 31) >>> 5;
  const matches = new Map<number, Int32Array>();
  for (let j = 0; j < m; j++) {
    const id = b[offsetInput + j] as number;
    let mask = matches.get(id);
    if (!mask) {
      mask = new Int32Array(words);
      matches.set(id, mask);
    }
    mask[j >>> 5] = (mask[j >>> 5] as number) | (1 << (j & 31));
  }
  const rows = new Int32Array((n + 1) * words);
  rows.fill(-1, 0, words);
  for (let i = 1; i <= n; i++) {
    if (i % CLOCK_CHECK_INTERVAL === 0 && spend(CLOCK_CHECK_INTERVAL * words)) return 'work-budget';
    const previous = (i - 1) * words;
    const current = i * words;
    const mask = matches.get(a[offsetInput + i - 1] as number);
    if (!mask) {
      rows.copyWithin(current, previous, current);
      continue;
    }
    let carry = 0;
    for (let w = 0; w < words; w++) {
      const v = (rows[previous + w] as number) >>> 0;
      const match = mask[w] as number;
      const u = (v & match) >>> 0;
      const sum = v + u + carry;
      carry = sum > 0xffffffff ? 1 : 0;
      rows[current + w] = sum | 0 | (v & ~match);
    }
  }
  const reversed: ReversedOps = [];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    if (a[offsetInput + i - 1] === b[offsetInput + j - 1]) {
      reversed.push([EQUAL, 1]);
      i--;
      j--;
    } else if (((rows[i * words + ((j - 1) >>> 5)] as number) >>> ((j - 1) & 31)) & 1) {
      reversed.push([INSERT, 1]);
      j--;
    } else {
      reversed.push([DELETE, 1]);
      i--;
    }
  }
  if (j > 0) reversed.push([INSERT, j]);
  if (i > 0) reversed.push([DELETE, i]);
  return reversed;
}

export interface ParagraphWordDiff {
  /** Absent when a cap was hit. */
  words?: WordOperation[];
  wordsAdded: number;
  wordsRemoved: number;
  bounded?: BoundedReason;
}

function leadingSpaceLength(text: string): number {
  let length = 0;
  while (length < text.length && isSpaceCode(text.charCodeAt(length))) length++;
  return length;
}

function trailingSpaceLength(text: string, from: number): number {
  let length = 0;
  while (text.length - length > from && isSpaceCode(text.charCodeAt(text.length - 1 - length))) length++;
  return length;
}

/**
 * Operations from runs. Both versions are rebuilt exactly: equal + delete gives the old text, equal + insert the
 * new one. Equal tokens can differ in the whitespace around them (an insertion at the very start of a paragraph,
 * say); that whitespace becomes a change of its own, which normaliseOperations then tidies.
 */
export function toWordOperations(before: TokenizedText, after: TokenizedText, runs: readonly EditRun[]): ParagraphWordDiff {
  const operations: WordOperation[] = [];
  let atBefore = 0;
  let atAfter = 0;
  for (const run of runs) {
    const count = run.count;
    if (run.op === DELETE) {
      // Consecutive tokens are one slice of the text.
      pushOperation(operations, 'delete', before.text.slice(before.starts[atBefore], before.starts[atBefore + count]));
      atBefore += count;
    } else if (run.op === INSERT) {
      pushOperation(operations, 'insert', after.text.slice(after.starts[atAfter], after.starts[atAfter + count]));
      atAfter += count;
    } else {
      const kept = before.text.slice(before.starts[atBefore], before.starts[atBefore + count]);
      const shown = after.text.slice(after.starts[atAfter], after.starts[atAfter + count]);
      if (kept === shown) pushOperation(operations, 'equal', shown);
      else {
        for (let k = 0; k < count; k++) {
          const old = before.text.slice(before.starts[atBefore + k], before.starts[atBefore + k + 1]);
          const current = after.text.slice(after.starts[atAfter + k], after.starts[atAfter + k + 1]);
          if (old === current) {
            pushOperation(operations, 'equal', current);
            continue;
          }
          const oldLead = leadingSpaceLength(old);
          const currentLead = leadingSpaceLength(current);
          const oldTrail = trailingSpaceLength(old, oldLead);
          const currentTrail = trailingSpaceLength(current, currentLead);
          pushOperation(operations, 'delete', old.slice(0, oldLead));
          pushOperation(operations, 'insert', current.slice(0, currentLead));
          pushOperation(operations, 'equal', current.slice(currentLead, current.length - currentTrail));
          pushOperation(operations, 'delete', old.slice(old.length - oldTrail));
          pushOperation(operations, 'insert', current.slice(current.length - currentTrail));
        }
      }
      atBefore += count;
      atAfter += count;
    }
  }
  const words = normaliseOperations(operations);
  let wordsAdded = 0;
  let wordsRemoved = 0;
  for (const operation of words) {
    if (operation.op === 'insert') wordsAdded += countWordsWithLetters(operation.text);
    else if (operation.op === 'delete') wordsRemoved += countWordsWithLetters(operation.text);
  }
  return { words, wordsAdded, wordsRemoved };
}

function pushOperation(operations: WordOperation[], op: WordOperation['op'], text: string): void {
  if (text) operations.push({ op, text });
}

/** Appends, merging with the previous operation when it is of the same kind. */
function appendOperation(operations: WordOperation[], op: WordOperation['op'], text: string): void {
  if (!text) return;
  const last = operations[operations.length - 1];
  if (last && last.op === op) last.text += text;
  else operations.push({ op, text });
}

function commonSpacePrefix(a: string, b: string): number {
  const limit = Math.min(leadingSpaceLength(a), leadingSpaceLength(b));
  let length = 0;
  while (length < limit && a.charCodeAt(length) === b.charCodeAt(length)) length++;
  return length;
}

function commonSpaceSuffix(a: string, b: string): number {
  let length = 0;
  while (
    length < a.length &&
    length < b.length &&
    a.charCodeAt(a.length - 1 - length) === b.charCodeAt(b.length - 1 - length) &&
    isSpaceCode(a.charCodeAt(a.length - 1 - length))
  ) {
    length++;
  }
  return length;
}

/**
 * Tidies operations for reading, keeping both texts intact: the changes between two equal stretches become one
 * deletion followed by one insertion, and whitespace both sides share at their start or end moves out to the equal
 * text ("in [-2022-]{+2023+} there" rather than "in[- 2022-]{+ 2023+} there").
 */
export function normaliseOperations(operations: readonly WordOperation[]): WordOperation[] {
  const result: WordOperation[] = [];
  let i = 0;
  while (i < operations.length) {
    const operation = operations[i] as WordOperation;
    if (operation.op === 'equal') {
      appendOperation(result, 'equal', operation.text);
      i++;
      continue;
    }
    let deleted = '';
    let inserted = '';
    for (; i < operations.length && (operations[i] as WordOperation).op !== 'equal'; i++) {
      const change = operations[i] as WordOperation;
      if (change.op === 'delete') deleted += change.text;
      else inserted += change.text;
    }
    let trailing = '';
    if (deleted && inserted) {
      const lead = commonSpacePrefix(deleted, inserted);
      appendOperation(result, 'equal', inserted.slice(0, lead));
      deleted = deleted.slice(lead);
      inserted = inserted.slice(lead);
      const trail = commonSpaceSuffix(deleted, inserted);
      trailing = inserted.slice(inserted.length - trail);
      deleted = deleted.slice(0, deleted.length - trail);
      inserted = inserted.slice(0, inserted.length - trail);
    }
    appendOperation(result, 'delete', deleted);
    appendOperation(result, 'insert', inserted);
    appendOperation(result, 'equal', trailing);
  }
  return result;
}

/** Counts for a paragraph whose word diff was skipped. */
export function approximateWordChanges(before: string, after: string, reason: BoundedReason): ParagraphWordDiff {
  const { added, removed } = multisetWordChanges(before, after);
  return { wordsAdded: added, wordsRemoved: removed, bounded: reason };
}

/**
 * One per document diff: hands each paragraph diff the edit-length cap and what is left of the work budget, and
 * remembers which caps were hit. Work is counted in algorithm steps, so the outcome never depends on the machine.
 */
export class WordDiffBudget {
  private workLeft: number;
  private exhausted = 0;
  private capped = 0;
  readonly tokenizer: WordTokenizer;

  constructor(
    workBudget: number = DEFAULT_WORK_BUDGET,
    private readonly maxEditLength: number = DEFAULT_MAX_EDIT_LENGTH,
    tokenizer?: WordTokenizer,
  ) {
    this.workLeft = workBudget;
    this.tokenizer = tokenizer ?? new WordTokenizer();
  }

  private readonly spend: SpendWork = (steps) => (this.workLeft -= steps) < 0;

  /** Steps left (negative once exhausted). */
  get workRemaining(): number {
    return this.workLeft;
  }

  diff(before: string, after: string): ParagraphWordDiff {
    if (this.workLeft < 0) {
      this.exhausted++;
      return approximateWordChanges(before, after, 'work-budget');
    }
    const tokensBefore = this.tokenizer.tokenize(before);
    const tokensAfter = this.tokenizer.tokenize(after);
    const runs = diffTokenIds(tokensBefore.ids, tokensAfter.ids, this.maxEditLength, this.spend);
    // Tokenising and trimming are linear in the tokens: a step each, so many small paragraphs count too.
    this.spend(tokensBefore.ids.length + tokensAfter.ids.length);
    if (typeof runs !== 'string') return toWordOperations(tokensBefore, tokensAfter, runs);
    if (runs === 'work-budget') this.exhausted++;
    else this.capped++;
    return approximateWordChanges(before, after, runs);
  }

  /** What RevisionDiff.bounded should say: an exhausted budget outranks the edit-length cap (it cut more short). */
  bounded(): RevisionDiff['bounded'] {
    const paragraphs = this.exhausted + this.capped;
    if (paragraphs === 0) return undefined;
    return { reason: this.exhausted > 0 ? 'work-budget' : 'max-edit-length', paragraphs };
  }
}
