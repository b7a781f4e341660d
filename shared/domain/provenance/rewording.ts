/**
 * Fuzzy sentence matching: which new sentence rewords which vanished one.
 *
 * A sentence is the set of word tokens of its normal form (split on everything that is not a letter or a digit, so
 * numbers count: "In 2022 there were 12 cases" -> "In 2023 there were 15 cases" is a rewording), and two sentences
 * are compared by the Dice coefficient of their token sets. Candidate pairs come from a prefix-filtered inverted
 * index (the set-similarity join of Chaudhuri et al. and Bayardo et al.): tokens are ordered rarest first, and two
 * sets whose Dice reaches t share a token among the first |x| - ceil(j|x|) + 1 tokens of each, with j = t / (2 - t)
 * the equivalent Jaccard bound. Only those prefixes are indexed and probed, which is exact (no pair above the
 * threshold is missed) and touches short posting lists; candidates are then checked by size and by exact Dice.
 */
import { normaliseSentence } from '../sentences.js';
import { sortedDice } from '../text-normalisation.js';

/** Dice similarity from which a new sentence counts as a rewording of a vanished one. */
export const DEFAULT_REWORDING_THRESHOLD = 0.6;
/** Sentences with fewer distinct tokens ("None.", "See section 1.c.") are too short to tell rewording from chance. */
export const MIN_REWORDING_TOKENS = 4;

const WORD = /[\p{L}\p{N}]+/gu;
/**
 * Text whose every character is ASCII or typographic punctuation and spacing that NFKC maps to non-word characters:
 * its tokens are those of its lowercase form, without the full normalisation (NFKC, invisible characters).
 */
const PLAIN_TEXT = /^[\x20-\x7e\u00a0\u2010-\u201f\u2026]*$/;

/** The word tokens of a sentence's normal form (`normaliseSentence`), lowercase. */
export function sentenceTokens(text: string): string[] {
  if (!PLAIN_TEXT.test(text)) return normaliseSentence(text).match(WORD) ?? [];
  const tokens: string[] = [];
  scanPlainTokens(text.toLowerCase(), (token) => tokens.push(token));
  return tokens;
}

/**
 * Word tokens of lowercase plain text (PLAIN_TEXT): runs of ASCII letters and digits, since every other character
 * such text may hold is punctuation or spacing.
 */
function scanPlainTokens(lower: string, emit: (token: string) => void): void {
  let start = -1;
  for (let index = 0; index <= lower.length; index++) {
    const code = index < lower.length ? lower.charCodeAt(index) : 32;
    const word = (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
    if (word) {
      if (start === -1) start = index;
    } else if (start !== -1) {
      emit(lower.slice(start, index));
      start = -1;
    }
  }
}

/** Interns tokens as small integers, so a sentence is a sorted array of distinct ids. */
export class TokenVocabulary {
  private readonly ids = new Map<string, number>();
  /** Per token id, the last set it was added to (dedupes without a Set per sentence). */
  private stamps = new Int32Array(1024);
  private stamp = 0;

  tokenSet(text: string): Int32Array {
    const stamp = ++this.stamp;
    const ids: number[] = [];
    const add = (token: string): void => {
      let id = this.ids.get(token);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(token, id);
        if (id >= this.stamps.length) {
          const grown = new Int32Array(this.stamps.length * 2);
          grown.set(this.stamps);
          this.stamps = grown;
        }
      }
      if (this.stamps[id] === stamp) return;
      this.stamps[id] = stamp;
      ids.push(id);
    };
    if (PLAIN_TEXT.test(text)) scanPlainTokens(text.toLowerCase(), add);
    else for (const token of normaliseSentence(text).match(WORD) ?? []) add(token);
    return Int32Array.from(ids).sort();
  }
}

/** Dice coefficient of the two sentences' token sets (0..1). */
export function rewordingSimilarity(a: string, b: string): number {
  const vocabulary = new TokenVocabulary();
  return sortedDice(vocabulary.tokenSet(a), vocabulary.tokenSet(b));
}

export interface RewordingMatch {
  /** Index into the vanished sentences. */
  from: number;
  /** Index into the new sentences. */
  to: number;
  /** Dice similarity, rounded to 3 decimals. */
  similarity: number;
}

export interface RewordingOptions {
  threshold?: number;
  minTokens?: number;
}

export interface RewordingMatches {
  /** For each new sentence that rewords a vanished one: its best match (ties: the earliest vanished sentence). */
  byNew: Map<number, RewordingMatch>;
  /** For each vanished sentence reworded by a new one: its best match (ties: the earliest new sentence). */
  byVanished: Map<number, RewordingMatch>;
}

/**
 * Best fuzzy matches between sentences that vanished (`from`) and sentences that are new (`to`), in both
 * directions. A new sentence may reword one vanished sentence; two new sentences may reword the same one (a split),
 * and one new sentence may be the best match of two vanished ones (a merge).
 */
export function matchRewordings(from: readonly string[], to: readonly string[], options: RewordingOptions = {}): RewordingMatches {
  const vocabulary = new TokenVocabulary();
  return matchTokenSets(
    from.map((text) => vocabulary.tokenSet(text)),
    to.map((text) => vocabulary.tokenSet(text)),
    options,
  );
}

/** `matchRewordings` over token sets already interned in one vocabulary (sorted arrays of distinct ids). */
export function matchTokenSets(from: readonly Int32Array[], to: readonly Int32Array[], options: RewordingOptions = {}): RewordingMatches {
  const threshold = options.threshold ?? DEFAULT_REWORDING_THRESHOLD;
  const minTokens = Math.max(1, options.minTokens ?? MIN_REWORDING_TOKENS);
  const byNew = new Map<number, RewordingMatch>();
  const byVanished = new Map<number, RewordingMatch>();
  if (from.length === 0 || to.length === 0 || threshold > 1) return { byNew, byVanished };

  // Rank tokens rarest first over both sides (ties: by id); each set becomes its ranks in ascending order.
  let maxToken = -1;
  for (const sets of [from, to]) for (const set of sets) if (set.length >= minTokens) maxToken = Math.max(maxToken, set[set.length - 1]!);
  const frequency = new Int32Array(maxToken + 1);
  for (const sets of [from, to]) for (const set of sets) if (set.length >= minTokens) for (const token of set) frequency[token]! += 1;
  const order: number[] = [];
  for (let token = 0; token <= maxToken; token++) if (frequency[token]! > 0) order.push(token);
  order.sort((a, b) => frequency[a]! - frequency[b]! || a - b);
  const rank = new Int32Array(maxToken + 1);
  order.forEach((token, index) => (rank[token] = index));
  const ranked = (set: Int32Array): Int32Array | undefined => {
    if (set.length < minTokens) return undefined;
    const ranks = new Int32Array(set.length);
    for (let index = 0; index < set.length; index++) ranks[index] = rank[set[index]!]!;
    return ranks.sort();
  };
  const jaccard = threshold / (2 - threshold);
  const prefixLength = (size: number) => Math.min(size, size - Math.ceil(jaccard * size - 1e-9) + 1);

  const fromRanks = from.map(ranked);
  // Posting lists by token rank of (vanished sentence, position of the token in its ranked set), flattened.
  const postings: Array<number[] | undefined> = new Array(order.length);
  fromRanks.forEach((ranks, index) => {
    if (!ranks) return;
    const prefix = prefixLength(ranks.length);
    for (let position = 0; position < prefix; position++) {
      const token = ranks[position]!;
      const list = postings[token];
      if (list) list.push(index, position);
      else postings[token] = [index, position];
    }
  });

  const seen = new Int32Array(from.length).fill(-1);
  to.forEach((set, toIndex) => {
    const ranks = ranked(set);
    if (!ranks) return;
    const prefix = prefixLength(ranks.length);
    for (let position = 0; position < prefix; position++) {
      const list = postings[ranks[position]!];
      if (!list) continue;
      for (let entry = 0; entry < list.length; entry += 2) {
        const fromIndex = list[entry]!;
        if (seen[fromIndex] === toIndex) continue;
        seen[fromIndex] = toIndex;
        const other = fromRanks[fromIndex]!;
        // Dice t needs an overlap of t (a + b) / 2. Sizes bound the overlap by min(a, b); and since this token is
        // the first (rarest) one the two share, by 1 plus the tokens left after it on either side.
        const needed = Math.ceil((threshold * (other.length + ranks.length)) / 2 - 1e-9);
        if (Math.min(other.length, ranks.length) < needed) continue;
        if (1 + Math.min(ranks.length - position - 1, other.length - list[entry + 1]! - 1) < needed) continue;
        const exact = sortedDice(other, ranks);
        if (exact < threshold) continue;
        const similarity = Math.round(exact * 1000) / 1000;
        const match = { from: fromIndex, to: toIndex, similarity };
        const bestForNew = byNew.get(toIndex);
        if (!bestForNew || better(similarity, fromIndex, bestForNew.similarity, bestForNew.from)) byNew.set(toIndex, match);
        const bestForVanished = byVanished.get(fromIndex);
        if (!bestForVanished || better(similarity, toIndex, bestForVanished.similarity, bestForVanished.to)) byVanished.set(fromIndex, match);
      }
    }
  });
  return { byNew, byVanished };
}

function better(similarity: number, index: number, bestSimilarity: number, bestIndex: number): boolean {
  return similarity > bestSimilarity || (similarity === bestSimilarity && index < bestIndex);
}
