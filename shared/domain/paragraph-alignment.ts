/**
 * Paragraph alignment inside one pair of sections: identical paragraphs are anchored by an LCS over interned texts,
 * then the removed and added paragraphs between two anchors (a "gap") are paired by word-set similarity into
 * modifications. Pairs never cross, so the result reads top to bottom like the section itself.
 */
import type { Paragraph } from './document.js';
import { sortedDice, WordTokenizer } from './text-normalisation.js';
import { diffTokenIds, type EditRun } from './word-diff.js';

/** Below this Dice score over the paragraphs' distinct words two paragraphs are a removal and an addition rather than one edit. */
export const DEFAULT_PARAGRAPH_SIMILARITY = 0.5;
/** Larger gaps only compare paragraphs near the diagonal, so a rewritten 300-paragraph section stays linear-ish. */
const FULL_GAP_COMPARISONS = 10_000;
const GAP_BAND = 40;

export interface ParagraphStep {
  kind: 'added' | 'removed' | 'modified';
  beforeIndex?: number;
  afterIndex?: number;
  /** Dice score of a modified pair's distinct words. */
  similarity?: number;
  /** Which stretch between unchanged paragraphs the step belongs to (0, 1, ...): steps of one gap replace each other. */
  gap: number;
}

/** The text a paragraph is compared and shown by: its run-in head is part of it (added when the text lacks it). */
export function paragraphText(paragraph: Paragraph): string {
  const { lead, text } = paragraph;
  if (!lead || text.startsWith(lead)) return text;
  return text ? `${lead} ${text}` : lead;
}

/** Assigns small integers to texts so the LCS compares numbers; shared across sections of one document diff. */
export class TextInterner {
  private readonly ids = new Map<string, number>();

  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(text, id);
    }
    return id;
  }
}

/**
 * Pairs paragraphs of one gap: a maximum-weight, order-preserving matching where a pair weighs its similarity and
 * only pairs at or above the threshold may match (a Needleman-Wunsch table without gap costs).
 */
function pairGap(
  before: readonly string[],
  removed: readonly number[],
  after: readonly string[],
  added: readonly number[],
  minSimilarity: number,
  tokenizer: WordTokenizer,
): Array<Omit<ParagraphStep, 'gap'>> {
  const r = removed.length;
  const s = added.length;
  const steps: Array<Omit<ParagraphStep, 'gap'>> = [];
  if (r === 0 || s === 0) {
    for (const beforeIndex of removed) steps.push({ kind: 'removed', beforeIndex });
    for (const afterIndex of added) steps.push({ kind: 'added', afterIndex });
    return steps;
  }
  if (r === 1 && s === 1) {
    // The common case, one paragraph edited in place: no table needed.
    const dice = sortedDice(tokenizer.tokenize(before[removed[0] as number] as string).vocabulary, tokenizer.tokenize(after[added[0] as number] as string).vocabulary);
    if (dice >= minSimilarity) steps.push({ kind: 'modified', beforeIndex: removed[0], afterIndex: added[0], similarity: dice });
    else steps.push({ kind: 'removed', beforeIndex: removed[0] }, { kind: 'added', afterIndex: added[0] });
    return steps;
  }
  const removedWords = removed.map((index) => tokenizer.tokenize(before[index] as string).vocabulary);
  const addedWords = added.map((index) => tokenizer.tokenize(after[index] as string).vocabulary);
  const banded = r * s > FULL_GAP_COMPARISONS;
  const width = s + 1;
  const score = new Float64Array((r + 1) * width);
  const similarity = new Float64Array((r + 1) * width);
  for (let i = 1; i <= r; i++) {
    const centre = Math.round((i * s) / r);
    for (let j = 1; j <= s; j++) {
      let pairScore = -1;
      if (!banded || Math.abs(j - centre) <= GAP_BAND) {
        const dice = sortedDice(removedWords[i - 1] as Int32Array, addedWords[j - 1] as Int32Array);
        if (dice >= minSimilarity) pairScore = dice;
      }
      similarity[i * width + j] = pairScore;
      const skip = Math.max(score[(i - 1) * width + j] as number, score[i * width + j - 1] as number);
      const take = pairScore >= 0 ? (score[(i - 1) * width + j - 1] as number) + pairScore : -1;
      score[i * width + j] = take > skip ? take : skip;
    }
  }
  const pairs: Array<[number, number, number]> = [];
  let i = r;
  let j = s;
  while (i > 0 && j > 0) {
    const here = score[i * width + j] as number;
    const pairScore = similarity[i * width + j] as number;
    if (pairScore >= 0 && here === (score[(i - 1) * width + j - 1] as number) + pairScore) {
      pairs.push([i - 1, j - 1, pairScore]);
      i--;
      j--;
    } else if (here === score[(i - 1) * width + j]) i--;
    else j--;
  }
  pairs.reverse();
  let nextRemoved = 0;
  let nextAdded = 0;
  const flush = (untilRemoved: number, untilAdded: number): void => {
    for (; nextRemoved < untilRemoved; nextRemoved++) steps.push({ kind: 'removed', beforeIndex: removed[nextRemoved] });
    for (; nextAdded < untilAdded; nextAdded++) steps.push({ kind: 'added', afterIndex: added[nextAdded] });
  };
  for (const [removedAt, addedAt, pairSimilarity] of pairs) {
    flush(removedAt, addedAt);
    steps.push({ kind: 'modified', beforeIndex: removed[removedAt], afterIndex: added[addedAt], similarity: pairSimilarity });
    nextRemoved++;
    nextAdded++;
  }
  flush(r, s);
  return steps;
}

/** The changed paragraphs between two versions of a section, in reading order. Empty when the texts are equal. */
export function alignParagraphs(
  before: readonly string[],
  after: readonly string[],
  options: { interner?: TextInterner; tokenizer?: WordTokenizer; minSimilarity?: number } = {},
): ParagraphStep[] {
  const minSimilarity = options.minSimilarity ?? DEFAULT_PARAGRAPH_SIMILARITY;
  const tokenizer = options.tokenizer ?? new WordTokenizer();
  // Most paragraphs of a revision are untouched: trim the common ends before the LCS.
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  if (start === endBefore && start === endAfter) return [];

  const steps: ParagraphStep[] = [];
  const removed: number[] = [];
  const added: number[] = [];
  let gap = 0;
  const closeGap = (): void => {
    if (removed.length === 0 && added.length === 0) return;
    for (const step of pairGap(before, removed, after, added, minSimilarity, tokenizer)) steps.push({ ...step, gap });
    gap++;
    removed.length = 0;
    added.length = 0;
  };

  if (start === endBefore || start === endAfter) {
    for (let i = start; i < endBefore; i++) removed.push(i);
    for (let j = start; j < endAfter; j++) added.push(j);
    closeGap();
    return steps;
  }

  const interner = options.interner ?? new TextInterner();
  const beforeIds = Int32Array.from(before.slice(start, endBefore), (text) => interner.id(text));
  const afterIds = Int32Array.from(after.slice(start, endAfter), (text) => interner.id(text));
  let beforeAt = start;
  let afterAt = start;
  // An uncapped LCS: paragraph lists are short, and every paragraph must be accounted for.
  const runs = diffTokenIds(beforeIds, afterIds, beforeIds.length + afterIds.length) as EditRun[];
  for (const { op, count } of runs) {
    if (op === 'delete') {
      for (let k = 0; k < count; k++) removed.push(beforeAt++);
    } else if (op === 'insert') {
      for (let k = 0; k < count; k++) added.push(afterAt++);
    } else {
      closeGap();
      beforeAt += count;
      afterAt += count;
    }
  }
  closeGap();
  return steps;
}
