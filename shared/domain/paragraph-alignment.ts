/**
 * Paragraph alignment inside one pair of sections: identical paragraphs are anchored by an LCS over interned texts,
 * then the removed and added paragraphs between two anchors (a "gap") are paired by word-set similarity into
 * modifications. Pairs never cross, so the result reads top to bottom like the section itself.
 */
import type { Paragraph } from './document.js';
import { sortedDice, WordTokenizer, type TokenizedText } from './text-normalisation.js';
import { diffTokenIds, type EditRun } from './word-diff.js';

/** Below this Dice score over the paragraphs' distinct words two paragraphs are a removal and an addition rather than one edit. */
export const DEFAULT_PARAGRAPH_SIMILARITY = 0.5;

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

/** Gaps up to this many comparisons get a full similarity table; larger ones compare near the diagonal only. */
const FULL_GAP_COMPARISONS = 250_000;
const GAP_BAND = 100;

/** Similarity of every (removed, added) pair of a gap, row-major; -1 where not compared. */
function gapSimilarities(
  before: readonly string[],
  removed: readonly number[],
  after: readonly string[],
  added: readonly number[],
  tokenizer: WordTokenizer,
): Float64Array {
  const r = removed.length;
  const s = added.length;
  const removedTexts = removed.map((index) => tokenizer.tokenize(before[index] as string));
  const addedTexts = added.map((index) => tokenizer.tokenize(after[index] as string));
  if (r * s <= FULL_GAP_COMPARISONS) return tokenizer.diceTable(removedTexts, addedTexts);
  const table = new Float64Array(r * s).fill(-1);
  for (let i = 0; i < r; i++) {
    const centre = Math.round((i * s) / r);
    for (let j = Math.max(0, centre - GAP_BAND); j < Math.min(s, centre + GAP_BAND + 1); j++) {
      table[i * s + j] = sortedDice((removedTexts[i] as TokenizedText).vocabulary, (addedTexts[j] as TokenizedText).vocabulary);
    }
  }
  return table;
}

/**
 * Pairs paragraphs of one gap into `steps`: a maximum-weight, order-preserving matching where a pair weighs its
 * similarity and only pairs at or above the threshold may match (a Needleman-Wunsch table without gap costs).
 */
function pairGap(
  steps: ParagraphStep[],
  gap: number,
  before: readonly string[],
  removed: readonly number[],
  after: readonly string[],
  added: readonly number[],
  minSimilarity: number,
  tokenizer: WordTokenizer,
): void {
  const r = removed.length;
  const s = added.length;
  if (r === 0 || s === 0) {
    for (const beforeIndex of removed) steps.push({ kind: 'removed', beforeIndex, gap });
    for (const afterIndex of added) steps.push({ kind: 'added', afterIndex, gap });
    return;
  }
  if (r === 1 && s === 1) {
    // The common case, one paragraph edited in place: no table needed.
    const beforeIndex = removed[0] as number;
    const afterIndex = added[0] as number;
    const similarity = tokenizer.dice(tokenizer.tokenize(before[beforeIndex] as string), tokenizer.tokenize(after[afterIndex] as string));
    if (similarity >= minSimilarity) steps.push({ kind: 'modified', beforeIndex, afterIndex, similarity, gap });
    else steps.push({ kind: 'removed', beforeIndex, gap }, { kind: 'added', afterIndex, gap });
    return;
  }
  const similarities = gapSimilarities(before, removed, after, added, tokenizer);
  const width = s + 1;
  const score = new Float64Array((r + 1) * width);
  for (let i = 1; i <= r; i++) {
    for (let j = 1; j <= s; j++) {
      const pairScore = similarities[(i - 1) * s + j - 1] as number;
      const skip = Math.max(score[(i - 1) * width + j] as number, score[i * width + j - 1] as number);
      const take = pairScore >= minSimilarity ? (score[(i - 1) * width + j - 1] as number) + pairScore : -1;
      score[i * width + j] = take > skip ? take : skip;
    }
  }
  // Walk back to collect the pairs, then emit in order: unpaired removals and additions before each pair.
  const pairedRemoved = new Int32Array(r).fill(-1);
  let i = r;
  let j = s;
  while (i > 0 && j > 0) {
    const here = score[i * width + j] as number;
    const pairScore = similarities[(i - 1) * s + j - 1] as number;
    if (pairScore >= minSimilarity && here === (score[(i - 1) * width + j - 1] as number) + pairScore) {
      pairedRemoved[i - 1] = j - 1;
      i--;
      j--;
    } else if (here === score[(i - 1) * width + j]) i--;
    else j--;
  }
  let nextAdded = 0;
  let nextRemoved = 0;
  for (let k = 0; k < r; k++) {
    const partner = pairedRemoved[k] as number;
    if (partner === -1) continue;
    for (; nextRemoved < k; nextRemoved++) steps.push({ kind: 'removed', beforeIndex: removed[nextRemoved], gap });
    for (; nextAdded < partner; nextAdded++) steps.push({ kind: 'added', afterIndex: added[nextAdded], gap });
    const similarity = similarities[k * s + partner] as number;
    steps.push({ kind: 'modified', beforeIndex: removed[k], afterIndex: added[partner], similarity, gap });
    nextRemoved = k + 1;
    nextAdded = partner + 1;
  }
  for (; nextRemoved < r; nextRemoved++) steps.push({ kind: 'removed', beforeIndex: removed[nextRemoved], gap });
  for (; nextAdded < s; nextAdded++) steps.push({ kind: 'added', afterIndex: added[nextAdded], gap });
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
  if (start === endBefore || start === endAfter) {
    for (let i = start; i < endBefore; i++) removed.push(i);
    for (let j = start; j < endAfter; j++) added.push(j);
    pairGap(steps, 0, before, removed, after, added, minSimilarity, tokenizer);
    return steps;
  }

  const interner = options.interner ?? new TextInterner();
  const beforeIds = Int32Array.from(before.slice(start, endBefore), (text) => interner.id(text));
  const afterIds = Int32Array.from(after.slice(start, endAfter), (text) => interner.id(text));
  let beforeAt = start;
  let afterAt = start;
  let gap = 0;
  // An uncapped LCS: paragraph lists are short, and every paragraph must be accounted for.
  const runs = diffTokenIds(beforeIds, afterIds, beforeIds.length + afterIds.length) as EditRun[];
  for (const { op, count } of runs) {
    if (op === 'delete') {
      for (let k = 0; k < count; k++) removed.push(beforeAt++);
    } else if (op === 'insert') {
      for (let k = 0; k < count; k++) added.push(afterAt++);
    } else {
      if (removed.length > 0 || added.length > 0) {
        pairGap(steps, gap++, before, removed, after, added, minSimilarity, tokenizer);
        removed.length = 0;
        added.length = 0;
      }
      beforeAt += count;
      afterAt += count;
    }
  }
  if (removed.length > 0 || added.length > 0) pairGap(steps, gap, before, removed, after, added, minSimilarity, tokenizer);
  return steps;
}
