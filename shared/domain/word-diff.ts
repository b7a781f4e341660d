/**
 * Word-level diff inside one modified paragraph, with hard caps.
 *
 * Tokens are interned to integers (text-normalisation.ts) and compared by a Myers O(ND) diff over typed arrays,
 * after trimming the common prefix and suffix. This replaces jsdiff's diffWords here: on two editions of a report
 * jsdiff took ~28 ms for the modified paragraphs (its word `equals` trims both tokens on every comparison), and
 * even its diffArrays over the same integer tokens ~16 ms, against ~1 ms for this loop; git's word diff of the whole
 * document takes ~10-20 ms, which is the bar. The contract is jsdiff's: an edit-length cap and a time limit, and no
 * result when either is hit. A capped paragraph keeps approximate word counts and no operations.
 */
import type { RevisionDiff, WordOperation } from './revision-diff.js';
import { countWordsWithLetters, isSpaceCode, multisetWordChanges, WordTokenizer, type TokenizedText } from './text-normalisation.js';

export const DEFAULT_TIME_BUDGET_MS = 2000;
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

/** Checking the clock is cheap but not free: once every this many edit-distance steps. */
const CLOCK_CHECK_INTERVAL = 16;

/**
 * Shortest edit script between two sequences of ids (tokens here, paragraphs in paragraph-alignment.ts (Myers 1986), as runs in order; inside each changed stretch
 * deletions come before insertions. Returns a reason instead when the edit distance exceeds maxEditLength or
 * expired() turns true.
 */
export function diffTokenIds(
  a: Int32Array,
  b: Int32Array,
  maxEditLength: number,
  expired: () => boolean = () => false,
): EditRun[] | BoundedReason {
  const lengthA = a.length;
  const lengthB = b.length;
  let prefix = 0;
  while (prefix < lengthA && prefix < lengthB && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < lengthA - prefix && suffix < lengthB - prefix && a[lengthA - 1 - suffix] === b[lengthB - 1 - suffix]) suffix++;
  const n = lengthA - prefix - suffix;
  const m = lengthB - prefix - suffix;

  const runs: EditRun[] = [];
  let pendingDelete = 0;
  let pendingInsert = 0;
  const flush = (): void => {
    if (pendingDelete > 0) runs.push({ op: DELETE, count: pendingDelete });
    if (pendingInsert > 0) runs.push({ op: INSERT, count: pendingInsert });
    pendingDelete = 0;
    pendingInsert = 0;
  };
  const push = (op: EditOp, count: number): void => {
    if (count <= 0) return;
    if (op === DELETE) pendingDelete += count;
    else if (op === INSERT) pendingInsert += count;
    else {
      flush();
      const last = runs[runs.length - 1];
      if (last && last.op === EQUAL) last.count += count;
      else runs.push({ op, count });
    }
  };

  if (n === 0 || m === 0) {
    if (n + m > maxEditLength) return 'max-edit-length';
    push(EQUAL, prefix);
    push(DELETE, n);
    push(INSERT, m);
    push(EQUAL, suffix);
    flush();
    return runs;
  }

  const max = Math.min(n + m, maxEditLength);
  const offset = max + 1;
  // Furthest x reached on each diagonal k = x - y; -1 marks a diagonal no path reaches inside the grid.
  const v = new Int32Array(2 * max + 3).fill(-1);
  v[offset + 1] = 0;
  // Row d of the trace (v after round d, diagonals -d..d) starts at d * d in one flat buffer.
  let trace = new Int32Array(Math.min(1024, (max + 1) * (max + 1)));

  for (let d = 0; d <= max; d++) {
    if (d % CLOCK_CHECK_INTERVAL === CLOCK_CHECK_INTERVAL - 1 && expired()) return 'timeout';
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
      while (x < n && y < m && a[prefix + x] === b[prefix + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        // Walk back through the rows of earlier rounds, collecting operations from the end.
        const reversed: Array<[EditOp, number]> = [];
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
        push(EQUAL, prefix);
        for (let i = reversed.length - 1; i >= 0; i--) {
          const [op, count] = reversed[i] as [EditOp, number];
          push(op, count);
        }
        push(EQUAL, suffix);
        flush();
        return runs;
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
  // Consecutive tokens are one slice of the text.
  const beforeSlice = (count: number): string => before.text.slice(before.starts[atBefore], before.starts[(atBefore += count)]);
  const afterSlice = (count: number): string => after.text.slice(after.starts[atAfter], after.starts[(atAfter += count)]);
  const push = (op: WordOperation['op'], text: string): void => {
    if (text) operations.push({ op, text });
  };
  const pushEqual = (count: number): void => {
    const kept = before.text.slice(before.starts[atBefore], before.starts[atBefore + count]);
    const shown = after.text.slice(after.starts[atAfter], after.starts[atAfter + count]);
    if (kept === shown) {
      push('equal', shown);
      atBefore += count;
      atAfter += count;
      return;
    }
    for (let k = 0; k < count; k++) {
      const old = beforeSlice(1);
      const current = afterSlice(1);
      if (old === current) {
        push('equal', current);
        continue;
      }
      const oldLead = leadingSpaceLength(old);
      const currentLead = leadingSpaceLength(current);
      const oldTrail = trailingSpaceLength(old, oldLead);
      const currentTrail = trailingSpaceLength(current, currentLead);
      push('delete', old.slice(0, oldLead));
      push('insert', current.slice(0, currentLead));
      push('equal', current.slice(currentLead, current.length - currentTrail));
      push('delete', old.slice(old.length - oldTrail));
      push('insert', current.slice(current.length - currentTrail));
    }
  };
  for (const run of runs) {
    if (run.op === EQUAL) pushEqual(run.count);
    else if (run.op === DELETE) push('delete', beforeSlice(run.count));
    else push('insert', afterSlice(run.count));
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
  const append = (op: WordOperation['op'], text: string): void => {
    if (!text) return;
    const last = result[result.length - 1];
    if (last && last.op === op) last.text += text;
    else result.push({ op, text });
  };
  let i = 0;
  while (i < operations.length) {
    const operation = operations[i] as WordOperation;
    if (operation.op === 'equal') {
      append('equal', operation.text);
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
      append('equal', inserted.slice(0, lead));
      deleted = deleted.slice(lead);
      inserted = inserted.slice(lead);
      const trail = commonSpaceSuffix(deleted, inserted);
      trailing = inserted.slice(inserted.length - trail);
      deleted = deleted.slice(0, deleted.length - trail);
      inserted = inserted.slice(0, inserted.length - trail);
    }
    append('delete', deleted);
    append('insert', inserted);
    append('equal', trailing);
  }
  return result;
}

/** Counts for a paragraph whose word diff was skipped. */
export function approximateWordChanges(before: string, after: string, reason: BoundedReason): ParagraphWordDiff {
  const { added, removed } = multisetWordChanges(before, after);
  return { wordsAdded: added, wordsRemoved: removed, bounded: reason };
}

/**
 * One per document diff: hands each paragraph diff the edit-length cap and what is left of the time budget, and
 * remembers which caps were hit. `now` is injectable so tests can exhaust the budget deterministically.
 */
export class WordDiffBudget {
  private readonly deadline: number;
  private timedOut = 0;
  private capped = 0;
  readonly tokenizer: WordTokenizer;

  constructor(
    timeBudgetMs: number = DEFAULT_TIME_BUDGET_MS,
    private readonly maxEditLength: number = DEFAULT_MAX_EDIT_LENGTH,
    private readonly now: () => number = () => performance.now(),
    tokenizer?: WordTokenizer,
  ) {
    this.deadline = this.now() + timeBudgetMs;
    this.tokenizer = tokenizer ?? new WordTokenizer();
  }

  private readonly expired = (): boolean => this.now() >= this.deadline;

  diff(before: string, after: string): ParagraphWordDiff {
    if (this.expired()) {
      this.timedOut++;
      return approximateWordChanges(before, after, 'timeout');
    }
    const tokensBefore = this.tokenizer.tokenize(before);
    const tokensAfter = this.tokenizer.tokenize(after);
    const runs = diffTokenIds(tokensBefore.ids, tokensAfter.ids, this.maxEditLength, this.expired);
    if (typeof runs !== 'string') return toWordOperations(tokensBefore, tokensAfter, runs);
    if (runs === 'timeout') this.timedOut++;
    else this.capped++;
    return approximateWordChanges(before, after, runs);
  }

  /** What RevisionDiff.bounded should say: a timeout outranks the edit-length cap, since it cut more work short. */
  bounded(): RevisionDiff['bounded'] {
    const paragraphs = this.timedOut + this.capped;
    if (paragraphs === 0) return undefined;
    return { reason: this.timedOut > 0 ? 'timeout' : 'max-edit-length', paragraphs };
  }
}
