/**
 * Section alignment: which section of the previous document became which section of the next one.
 *
 * 1. Exact key match (the common case: a revision, or an edition whose headings did not change).
 * 2. Same last key segment under parents that are already aligned (children of a renamed parent keep their slug but
 *    their key changes with the parent's).
 * 3. For what is left, greedy best-score-first matching on heading similarity (word Dice, or character-bigram Dice
 *    for "Anti-Semitism"/"Antisemitism") combined with text similarity (Dice over word 3-shingles, counted through
 *    an inverted index), with a bonus for the same parent. It runs in rounds by depth: a section takes part once
 *    its parent is settled, and step 2 runs again between rounds, since a newly aligned parent lets its children
 *    align by slug.
 * Then moves: a pair whose parent is not the counterpart of its old parent, or that is out of order among its
 * aligned siblings (everything outside a longest increasing subsequence of the sibling order, ties going to the
 * order that keeps more text in place).
 */
import type { Section } from './document.js';
import { paragraphText } from './paragraph-alignment.js';
import { characterBigrams, diceCoefficient, headingWords, WordTokenizer } from './text-normalisation.js';

export interface SectionMatch {
  before: number;
  after: number;
  by: 'key' | 'heading' | 'text';
  score: number;
  /** The parent is not the counterpart of the previous parent (top level counts as a parent). */
  parentChanged: boolean;
  /** The parent changed, or the section is out of order relative to its aligned siblings. */
  moved: boolean;
}

/** One row of the merged order: a pair, an added section (after only) or a removed one (before only). */
export interface AlignmentEntry {
  before?: number;
  after?: number;
  match?: SectionMatch;
}

export interface SectionAlignment {
  /** Matches in the next document's order. */
  matches: SectionMatch[];
  removed: number[];
  added: number[];
  /** Next document's order, removed sections placed after the nearest preceding section that stayed in place. */
  entries: AlignmentEntry[];
}

export interface SectionAlignmentOptions {
  /** Heading similarity that pairs two sections on its own. */
  headingThreshold?: number;
  /** Text similarity that pairs two sections on its own. */
  textThreshold?: number;
  /** Threshold for the average of heading and text similarity (plus the same-parent bonus). */
  combinedThreshold?: number;
  /** Shared with the rest of a document diff, so paragraphs are tokenized once. */
  tokenizer?: WordTokenizer;
}

const DEFAULTS = { headingThreshold: 0.85, textThreshold: 0.5, combinedThreshold: 0.45 };
/** Minimum heading similarity for a combined match: text alone must clear textThreshold. */
const MIN_HEADING_FOR_COMBINED = 0.35;
const SAME_PARENT_BONUS = 0.1;
/** Up to this many unpaired pairs every heading is compared with every other; beyond, only those sharing a word. */
const ALL_PAIRS_LIMIT = 40_000;
const DENSE_COUNTER_LIMIT = 4_000_000;

/** max(word Dice without connectives, character-bigram Dice over letters and digits). */
export function headingSimilarity(a: string, b: string): number {
  return Math.max(diceCoefficient(headingWords(a), headingWords(b)), diceCoefficient(characterBigrams(a), characterBigrams(b)));
}

interface Profile {
  words: Set<string>;
  bigrams: Set<string>;
  shingles: Set<number>;
}

/** Hashes of the section's word 3-shingles (runs of three consecutive words, punctuation skipped). */
function textShingles(section: Section, tokenizer: WordTokenizer): Set<number> {
  const shingles = new Set<number>();
  let first = -1;
  let second = -1;
  for (const paragraph of section.paragraphs) {
    for (const id of tokenizer.tokenize(paragraphText(paragraph)).ids) {
      if (!tokenizer.isWord(id)) continue;
      if (first >= 0) shingles.add(Math.imul(Math.imul(Math.imul(0x811c9dc5 ^ first, 0x01000193) ^ second, 0x01000193) ^ id, 0x01000193) >>> 0);
      first = second;
      second = id;
    }
  }
  // Shorter than a shingle: the words themselves.
  if (shingles.size === 0 && second >= 0) shingles.add(first >= 0 ? Math.imul(first, 31) ^ second : second);
  return shingles;
}

function profileOf(section: Section, tokenizer: WordTokenizer): Profile {
  return {
    words: headingWords(section.heading),
    bigrams: characterBigrams(section.heading),
    shingles: textShingles(section, tokenizer),
  };
}

function parentIndexes(sections: readonly Section[]): Int32Array {
  const byKey = new Map<string, number>();
  const parents = new Int32Array(sections.length).fill(-1);
  sections.forEach((section, index) => {
    if (section.parentKey !== undefined) parents[index] = byKey.get(section.parentKey) ?? -1;
    if (!byKey.has(section.key)) byKey.set(section.key, index);
  });
  return parents;
}

function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

function textSize(section: Section): number {
  let size = 0;
  for (const paragraph of section.paragraphs) size += paragraph.text.length;
  return size;
}

/** Indexes of a heaviest strictly increasing subsequence of `values` (O(k²); sibling lists are short). */
function heaviestIncreasing(values: readonly number[], weights: readonly number[]): Set<number> {
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

export function alignSections(
  previous: readonly Section[],
  next: readonly Section[],
  options: SectionAlignmentOptions = {},
): SectionAlignment {
  const { headingThreshold, textThreshold, combinedThreshold } = { ...DEFAULTS, ...options };
  const tokenizer = options.tokenizer ?? new WordTokenizer();
  const n = previous.length;
  const m = next.length;
  const pairOfBefore = new Int32Array(n).fill(-1);
  const pairOfAfter = new Int32Array(m).fill(-1);
  const how: Array<{ by: SectionMatch['by']; score: number } | undefined> = new Array(m);
  const parentBefore = parentIndexes(previous);
  const parentAfter = parentIndexes(next);
  const pair = (i: number, j: number, by: SectionMatch['by'], score: number): void => {
    pairOfBefore[i] = j;
    pairOfAfter[j] = i;
    how[j] = { by, score };
  };

  // 1. Exact keys; a repeated key pairs its occurrences in order.
  const beforeByKey = new Map<string, number[]>();
  previous.forEach((section, i) => {
    const list = beforeByKey.get(section.key);
    if (list) list.push(i);
    else beforeByKey.set(section.key, [i]);
  });
  next.forEach((section, j) => {
    const i = beforeByKey.get(section.key)?.shift();
    if (i !== undefined) pair(i, j, 'key', 1);
  });

  // 2. Same slug under aligned parents. One pass in document order cascades, since parents come before children.
  const slugPass = (): void => {
    const candidates = new Map<string, number[]>();
    previous.forEach((section, i) => {
      if (pairOfBefore[i] !== -1) return;
      const id = `${parentBefore[i]}\u0000${lastSegment(section.key)}`;
      const list = candidates.get(id);
      if (list) list.push(i);
      else candidates.set(id, [i]);
    });
    if (candidates.size === 0) return;
    next.forEach((section, j) => {
      if (pairOfAfter[j] !== -1) return;
      const parent = parentAfter[j] as number;
      const previousParent = parent === -1 ? -1 : (pairOfAfter[parent] as number);
      if (parent !== -1 && previousParent === -1) return;
      const list = candidates.get(`${previousParent}\u0000${lastSegment(section.key)}`);
      const i = list?.shift();
      if (i !== undefined) pair(i, j, 'key', 1);
    });
  };

  // 3. Similarity, over the sections still unpaired. Profiles and shared-shingle counts are computed once.
  slugPass();
  const unpairedBefore: number[] = [];
  const unpairedAfter: number[] = [];
  for (let i = 0; i < n; i++) if (pairOfBefore[i] === -1) unpairedBefore.push(i);
  for (let j = 0; j < m; j++) if (pairOfAfter[j] === -1) unpairedAfter.push(j);
  if (unpairedBefore.length > 0 && unpairedAfter.length > 0) {
    const before = unpairedBefore.map((i) => profileOf(previous[i] as Section, tokenizer));
    const after = unpairedAfter.map((j) => profileOf(next[j] as Section, tokenizer));
    const width = unpairedAfter.length;
    const product = unpairedBefore.length * width;

    // Shared shingles per pair, through an inverted index over the next side; dense counters while they fit.
    const shingleIndex = new Map<number, number[]>();
    after.forEach((p, b) => {
      for (const hash of p.shingles) {
        const list = shingleIndex.get(hash);
        if (list) list.push(b);
        else shingleIndex.set(hash, [b]);
      }
    });
    const dense = product <= DENSE_COUNTER_LIMIT ? new Int32Array(product) : undefined;
    const sparse = dense ? undefined : new Map<number, number>();
    before.forEach((p, a) => {
      for (const hash of p.shingles) {
        for (const b of shingleIndex.get(hash) ?? []) {
          const id = a * width + b;
          if (dense) dense[id] = (dense[id] as number) + 1;
          else sparse?.set(id, (sparse.get(id) ?? 0) + 1);
        }
      }
    });
    const sharedShingles = (id: number): number => (dense ? (dense[id] as number) : (sparse?.get(id) ?? 0));

    // Which next-side sections each previous one is compared with: all of them while that stays small, otherwise
    // those sharing a shingle or a heading word.
    let partners: Array<number[] | undefined> | undefined;
    if (product > ALL_PAIRS_LIMIT) {
      const sets = before.map(() => new Set<number>());
      if (dense) {
        for (let id = 0; id < product; id++) if (dense[id] !== 0) sets[Math.floor(id / width)]?.add(id % width);
      } else for (const id of sparse?.keys() ?? []) sets[Math.floor(id / width)]?.add(id % width);
      const wordIndex = new Map<string, number[]>();
      after.forEach((p, b) => {
        for (const word of p.words) {
          const list = wordIndex.get(word);
          if (list) list.push(b);
          else wordIndex.set(word, [b]);
        }
      });
      before.forEach((p, a) => {
        for (const word of p.words) for (const b of wordIndex.get(word) ?? []) sets[a]?.add(b);
      });
      partners = sets.map((set) => [...set].sort((x, y) => x - y));
    }

    // Rounds by depth: a section takes part once its parent is settled (aligned, or itself considered in an earlier
    // round), so children of a renamed parent see it aligned, get the same-parent bonus, or align by slug first.
    const eligibleBefore = new Uint8Array(n);
    const eligibleAfter = new Uint8Array(m);
    const settled = (parent: number, paired: Int32Array, eligible: Uint8Array, round: number): boolean =>
      parent === -1 || paired[parent] !== -1 || (eligible[parent] !== 0 && (eligible[parent] as number) < round);
    for (let round = 1; ; round++) {
      if (round > 1) slugPass();
      let fresh = 0;
      for (const i of unpairedBefore) {
        if (pairOfBefore[i] === -1 && !eligibleBefore[i] && settled(parentBefore[i] as number, pairOfBefore, eligibleBefore, round)) {
          eligibleBefore[i] = round;
          fresh++;
        }
      }
      for (const j of unpairedAfter) {
        if (pairOfAfter[j] === -1 && !eligibleAfter[j] && settled(parentAfter[j] as number, pairOfAfter, eligibleAfter, round)) {
          eligibleAfter[j] = round;
          fresh++;
        }
      }
      if (fresh === 0) break;

      const scored: Array<{ i: number; j: number; rank: number; by: SectionMatch['by']; score: number }> = [];
      for (let a = 0; a < unpairedBefore.length; a++) {
        const i = unpairedBefore[a] as number;
        if (pairOfBefore[i] !== -1 || !eligibleBefore[i]) continue;
        const pa = before[a] as Profile;
        const list = partners?.[a];
        const count = list ? list.length : width;
        for (let c = 0; c < count; c++) {
          const b = list ? (list[c] as number) : c;
          const j = unpairedAfter[b] as number;
          if (pairOfAfter[j] !== -1 || !eligibleAfter[j]) continue;
          // Each pair is scored once: in the round the later of the two became eligible.
          if (eligibleBefore[i] !== round && eligibleAfter[j] !== round) continue;
          const pb = after[b] as Profile;
          const heading = Math.max(diceCoefficient(pa.words, pb.words), diceCoefficient(pa.bigrams, pb.bigrams));
          const bothEmpty = pa.shingles.size === 0 && pb.shingles.size === 0;
          const text = bothEmpty ? 0 : (2 * sharedShingles(a * width + b)) / (pa.shingles.size + pb.shingles.size);
          const parentI = parentBefore[i] as number;
          const parentJ = parentAfter[j] as number;
          const sameParent = parentI === -1 ? parentJ === -1 : parentJ !== -1 && pairOfBefore[parentI] === parentJ;
          const bonus = sameParent ? SAME_PARENT_BONUS : 0;
          // Sections without text (a parent holding only sub-sections) are judged on their heading alone.
          const combined = (bothEmpty ? heading : (heading + text) / 2) + bonus;
          const accepted =
            heading >= headingThreshold ||
            text >= textThreshold ||
            (heading >= MIN_HEADING_FOR_COMBINED && combined >= (bothEmpty ? combinedThreshold + 0.15 : combinedThreshold));
          if (!accepted) continue;
          const rank = (Math.max(heading, text) + combined) / 2 + bonus;
          const score = Math.round(Math.max(heading, text) * 1000) / 1000;
          scored.push({ i, j, rank, by: heading >= text ? 'heading' : 'text', score });
        }
      }
      scored.sort((x, y) => y.rank - x.rank || Math.abs(x.i - x.j) - Math.abs(y.i - y.j) || x.j - y.j || x.i - y.i);
      for (const candidate of scored) {
        if (pairOfBefore[candidate.i] !== -1 || pairOfAfter[candidate.j] !== -1) continue;
        pair(candidate.i, candidate.j, candidate.by, candidate.score);
      }
    }
  }

  // Moves: a changed parent, or out of order among the aligned siblings under the same (aligned) parent.
  const matches: SectionMatch[] = [];
  const siblings = new Map<number, SectionMatch[]>();
  for (let j = 0; j < m; j++) {
    const i = pairOfAfter[j] as number;
    if (i === -1) continue;
    const parentI = parentBefore[i] as number;
    const parentJ = parentAfter[j] as number;
    const parentChanged = parentI === -1 ? parentJ !== -1 : parentJ === -1 || pairOfBefore[parentI] !== parentJ;
    const { by, score } = how[j] as { by: SectionMatch['by']; score: number };
    const match: SectionMatch = { before: i, after: j, by, score, parentChanged, moved: parentChanged };
    matches.push(match);
    if (!parentChanged) {
      const group = siblings.get(parentJ);
      if (group) group.push(match);
      else siblings.set(parentJ, [match]);
    }
  }
  for (const group of siblings.values()) {
    if (group.length < 2) continue;
    // Keep as many sections in place as possible; among equally long orders keep the bigger sections in place, so of
    // two swapped siblings the smaller one is the one reported as moved.
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

  // Merged order: removed sections follow the nearest earlier previous section that was aligned and stayed put.
  const matchByBefore = new Map<number, SectionMatch>(matches.map((match) => [match.before, match]));
  const removed: number[] = [];
  const removedAfter = new Map<number, number[]>();
  const removedAtStart: number[] = [];
  let anchor = -1;
  for (let i = 0; i < n; i++) {
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
  for (let j = 0; j < m; j++) {
    const match = matchByAfter.get(j);
    if (match) entries.push({ before: match.before, after: j, match });
    else {
      added.push(j);
      entries.push({ after: j });
    }
    for (const before of removedAfter.get(j) ?? []) entries.push({ before });
  }
  return { matches, removed, added, entries };
}
