/**
 * After the pairing: which pairs moved, and the merged order of a diff (pairs and added sections in the next
 * document's order, removed sections where they stood).
 */
import type { Section } from './document.js';

export interface SectionMatch {
  before: number;
  after: number;
  by: 'key' | 'heading' | 'text';
  score: number;
  /** The parent is not the counterpart of the previous parent (top level counts as a parent). */
  parentChanged: boolean;
  /** The parent changed, or the section is out of order relative to its aligned siblings. */
  moved: boolean;
  /** Set when an edition map backed the pairing: its confidence for this pair. */
  prior?: number;
}

/** One row of the merged order: a pair, an added section (after only) or a removed one (before only). */
export interface AlignmentEntry {
  before?: number;
  after?: number;
  match?: SectionMatch;
}

/** The pairs as the pairing phases leave them: counterpart per section (-1 for none) and parents. */
export interface PairedSections {
  previous: readonly Section[];
  next: readonly Section[];
  pairOfBefore: Int32Array;
  pairOfAfter: Int32Array;
  parentBefore: Int32Array;
  parentAfter: Int32Array;
  how: ReadonlyArray<{ by: SectionMatch['by']; score: number; prior?: number } | undefined>;
}

function textSize(section: Section): number {
  let size = 0;
  for (const paragraph of section.paragraphs) size += paragraph.text.length;
  return size;
}

/** Indexes of a heaviest strictly increasing subsequence of `values` (O(k²); sibling lists are short). */
export function heaviestIncreasing(values: readonly number[], weights: readonly number[]): Set<number> {
  const k = values.length;
  if (k > 2000) return longestIncreasing(values);
  const best = new Float64Array(k);
  const previous = new Int32Array(k).fill(-1);
  let end = -1;
  for (let i = 0; i < k; i++) {
    best[i] = weights[i] as number;
    for (let j = 0; j < i; j++) {
      if ((values[j] as number) < (values[i] as number) && (best[j] as number) + (weights[i] as number) > (best[i] as number)) {
        best[i] = (best[j] as number) + (weights[i] as number);
        previous[i] = j;
      }
    }
    if (end < 0 || (best[i] as number) > (best[end] as number)) end = i;
  }
  const kept = new Set<number>();
  for (let i = end; i >= 0; i = previous[i] as number) kept.add(i);
  return kept;
}

/** Patience-sorting LIS, O(k log k), for very long sibling lists. */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Int32Array(values.length).fill(-1);
  values.forEach((value, i) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((values[tails[mid] as number] as number) < value) low = mid + 1;
      else high = mid;
    }
    if (low > 0) previous[i] = tails[low - 1] as number;
    tails[low] = i;
  });
  const kept = new Set<number>();
  for (let i = tails.length > 0 ? (tails[tails.length - 1] as number) : -1; i >= 0; i = previous[i] as number) kept.add(i);
  return kept;
}

/**
 * Matches in the next document's order, with moves: a changed parent, or out of order among the aligned siblings
 * under the same (aligned) parent. Of the siblings, as many as possible stay in place; among equally long orders
 * the bigger sections stay, so of two swapped siblings the smaller one is the one reported as moved.
 */
export function markMoves(paired: PairedSections): SectionMatch[] {
  const { previous, pairOfBefore, pairOfAfter, parentBefore, parentAfter, how } = paired;
  const matches: SectionMatch[] = [];
  const siblings = new Map<number, SectionMatch[]>();
  for (let j = 0; j < pairOfAfter.length; j++) {
    const i = pairOfAfter[j] as number;
    if (i === -1) continue;
    const parentI = parentBefore[i] as number;
    const parentJ = parentAfter[j] as number;
    const parentChanged = parentI === -1 ? parentJ !== -1 : parentJ === -1 || pairOfBefore[parentI] !== parentJ;
    const { by, score, prior } = how[j] as { by: SectionMatch['by']; score: number; prior?: number };
    const match: SectionMatch = { before: i, after: j, by, score, parentChanged, moved: parentChanged };
    if (prior !== undefined) match.prior = prior;
    matches.push(match);
    if (!parentChanged) {
      const group = siblings.get(parentJ);
      if (group) group.push(match);
      else siblings.set(parentJ, [match]);
    }
  }
  for (const group of siblings.values()) {
    if (group.length < 2) continue;
    const sizes = group.map((match) => textSize(previous[match.before] as Section));
    const total = sizes.reduce((sum, size) => sum + size, 0);
    const kept = heaviestIncreasing(
      group.map((match) => match.before),
      sizes.map((size) => 1 + size / (total + 1)),
    );
    group.forEach((match, index) => {
      if (!kept.has(index)) match.moved = true;
    });
  }
  return matches;
}

/** Merged order: removed sections follow the nearest earlier previous section that was aligned and stayed put. */
export function mergeOrder(
  counts: { before: number; after: number },
  matches: readonly SectionMatch[],
): { removed: number[]; added: number[]; entries: AlignmentEntry[] } {
  const matchByBefore = new Map<number, SectionMatch>(matches.map((match) => [match.before, match]));
  const removed: number[] = [];
  const removedAfter = new Map<number, number[]>();
  const removedAtStart: number[] = [];
  let anchor = -1;
  for (let i = 0; i < counts.before; i++) {
    const match = matchByBefore.get(i);
    if (match) {
      if (!match.moved) anchor = match.after;
      continue;
    }
    removed.push(i);
    if (anchor === -1) removedAtStart.push(i);
    else {
      const list = removedAfter.get(anchor);
      if (list) list.push(i);
      else removedAfter.set(anchor, [i]);
    }
  }
  const matchByAfter = new Map<number, SectionMatch>(matches.map((match) => [match.after, match]));
  const added: number[] = [];
  const entries: AlignmentEntry[] = removedAtStart.map((before) => ({ before }));
  for (let j = 0; j < counts.after; j++) {
    const match = matchByAfter.get(j);
    if (match) entries.push({ before: match.before, after: j, match });
    else {
      added.push(j);
      entries.push({ after: j });
    }
    for (const before of removedAfter.get(j) ?? []) entries.push({ before });
  }
  return { removed, added, entries };
}
