/**
 * Section evidence: what a section of the previous document and a section of the next one have in common, as the
 * alignment weighs it. Everything here follows from the two pages:
 *
 * - heading similarity (word Dice without connectives, or character-bigram Dice for "Anti-Semitism"/"Antisemitism")
 *   and heading coverage (the share of the shorter heading's words found in the other: "Freedom of the Press" is
 *   covered by "Freedom of Expression, Including for Members of the Press and Other Media");
 * - text similarity: Dice over word 3-shingles, and containment (shared shingles over the smaller side's), since a
 *   section renamed and cut keeps a subset of its text;
 * - subtree text: a section against another section together with its sub-sections (a section split into
 *   sub-sections, or gathered with its siblings under a new parent), only when the subtree is a tighter container
 *   of the shared text than any one of its children (otherwise the evidence belongs to that child);
 * - carry-over of paragraphs: the share of one section's paragraphs found (mostly) in the other. An annual report's
 *   section keeps its framing sentences from year to year while its narrative changes, so a rewritten section
 *   still opens the way it did.
 *
 * Shared-shingle counts are computed once per diff through an inverted index over the next side's candidates.
 */
import type { Section } from './document.js';
import { paragraphText } from './paragraph-alignment.js';
import { characterBigrams, diceCoefficient, headingWords, type WordTokenizer } from './text-normalisation.js';

/** max(word Dice without connectives, character-bigram Dice over letters and digits). */
export function headingSimilarity(a: string, b: string): number {
  return Math.max(diceCoefficient(headingWords(a), headingWords(b)), diceCoefficient(characterBigrams(a), characterBigrams(b)));
}

/** Share of the shorter word set that the other one has (0 when either is empty). */
export function wordCoverage(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const word of small) if (large.has(word)) shared++;
  return shared / small.size;
}

/** Share of the shorter heading's words (connectives left out) that the other heading has. */
export function headingCoverage(a: string, b: string): number {
  return wordCoverage(headingWords(a), headingWords(b));
}

/** A paragraph takes part in carry-over only with at least this many shingles (about eight words). */
export const MIN_PARAGRAPH_SHINGLES = 6;
/** A paragraph is carried over when this share of its shingles is in the other section. */
export const CARRIED_PARAGRAPH_SHARE = 0.6;
/** Containment is only measured when the smaller side has at least this many shingles (a sentence or so). */
export const MIN_CONTAINMENT_SHINGLES = 8;

export interface SectionProfile {
  words: Set<string>;
  bigrams: Set<string>;
  /** Hashes of the section's word 3-shingles (runs of three consecutive words, punctuation skipped). */
  shingles: Set<number>;
  /** Each long enough paragraph's own shingles (windows inside the paragraph), for carry-over. */
  paragraphs: number[][];
  /** Fewest shared shingles with which a third of `paragraphs` can be carried over (a bound that skips most pairs). */
  carryBound: number;
}

function shingleHash(first: number, second: number, third: number): number {
  return Math.imul(Math.imul(Math.imul(0x811c9dc5 ^ first, 0x01000193) ^ second, 0x01000193) ^ third, 0x01000193) >>> 0;
}

export function sectionProfile(section: Section, tokenizer: WordTokenizer): SectionProfile {
  const shingles = new Set<number>();
  const paragraphs: number[][] = [];
  let first = -1;
  let second = -1;
  for (const paragraph of section.paragraphs) {
    const own: number[] = [];
    let ownFirst = -1;
    let ownSecond = -1;
    for (const id of tokenizer.tokenize(paragraphText(paragraph)).ids) {
      if (!tokenizer.isWord(id)) continue;
      if (first >= 0) shingles.add(shingleHash(first, second, id));
      if (ownFirst >= 0) own.push(shingleHash(ownFirst, ownSecond, id));
      first = second;
      second = id;
      ownFirst = ownSecond;
      ownSecond = id;
    }
    if (own.length >= MIN_PARAGRAPH_SHINGLES) paragraphs.push(own);
  }
  // Shorter than a shingle: the words themselves.
  if (shingles.size === 0 && second >= 0) shingles.add(first >= 0 ? Math.imul(first, 31) ^ second : second);
  return {
    words: headingWords(section.heading),
    bigrams: characterBigrams(section.heading),
    shingles,
    paragraphs,
    carryBound: carryBound(paragraphs),
  };
}

function carryBound(paragraphs: readonly number[][]): number {
  if (paragraphs.length === 0) return Infinity;
  const needed = paragraphs.map((paragraph) => Math.ceil(CARRIED_PARAGRAPH_SHARE * paragraph.length)).sort((x, y) => x - y);
  let bound = 0;
  for (let k = 0; k < Math.ceil(paragraphs.length * CARRY_SHARE_OF_INTEREST); k++) bound += needed[k] as number;
  return bound;
}

/** Carry-over below this share of the paragraphs is reported as 0 (it decides nothing, and skipping it is cheap). */
export const CARRY_SHARE_OF_INTEREST = 1 / 3;

/** Share of `paragraphs` carried over into `other` (0 when none is long enough to count). */
export function carriedShare(paragraphs: readonly number[][], other: ReadonlySet<number>): number {
  if (paragraphs.length === 0) return 0;
  let carried = 0;
  for (const paragraph of paragraphs) {
    let found = 0;
    for (const hash of paragraph) if (other.has(hash)) found++;
    if (found >= CARRIED_PARAGRAPH_SHARE * paragraph.length) carried++;
  }
  return carried / paragraphs.length;
}

/** What two sections have in common. Scores are 0..1. */
export interface PairEvidence {
  heading: number;
  headingCover: number;
  /** Best text Dice: the two sections' own text, or a subtree where it is the tighter container. */
  text: number;
  /** Best containment (shared shingles over the smaller side's) of the same comparisons; 0 for tiny sides. */
  contained: number;
  /**
   * Share of the previous section's own text found in the next section (its own text, or its subtree where that is
   * the tighter container), and the shingles that share stands for.
   */
  retained: number;
  shared: number;
  /** Share of one section's paragraphs carried over into the other (the larger of the two directions); 0 below a third. */
  readonly carried: number;
  /** Neither section has text of its own (parents holding only sub-sections). */
  bothEmpty: boolean;
}

/** PairEvidence with carry-over computed on first use (the costliest measure, needed by few pairs). */
class LazyEvidence implements PairEvidence {
  private carriedShareValue: number | undefined;

  constructor(
    readonly heading: number,
    readonly headingCover: number,
    readonly text: number,
    readonly contained: number,
    readonly retained: number,
    readonly shared: number,
    readonly bothEmpty: boolean,
    private readonly carry: () => number,
  ) {}

  get carried(): number {
    this.carriedShareValue ??= this.carry();
    return this.carriedShareValue;
  }
}

/** Shared-shingle counts between the candidates of both sides, dense while they fit. */
class SharedShingles {
  private readonly dense: Int32Array | undefined;
  private readonly sparse: Map<number, number> | undefined;

  constructor(
    before: readonly SectionProfile[],
    after: readonly SectionProfile[],
    readonly width: number,
    denseLimit: number,
  ) {
    const index = new Map<number, number[]>();
    after.forEach((profile, b) => {
      for (const hash of profile.shingles) {
        const list = index.get(hash);
        if (list) list.push(b);
        else index.set(hash, [b]);
      }
    });
    const product = before.length * width;
    this.dense = product <= denseLimit ? new Int32Array(product) : undefined;
    this.sparse = this.dense ? undefined : new Map<number, number>();
    before.forEach((profile, a) => {
      for (const hash of profile.shingles) {
        for (const b of index.get(hash) ?? []) {
          const id = a * width + b;
          if (this.dense) this.dense[id] = (this.dense[id] as number) + 1;
          else this.sparse?.set(id, (this.sparse.get(id) ?? 0) + 1);
        }
      }
    });
  }

  count(a: number, b: number): number {
    const id = a * this.width + b;
    return this.dense ? (this.dense[id] as number) : (this.sparse?.get(id) ?? 0);
  }

  /** Pairs (as a * width + b) sharing at least one shingle. */
  *nonZero(): Iterable<number> {
    if (this.dense) {
      for (let id = 0; id < this.dense.length; id++) if (this.dense[id] !== 0) yield id;
    } else yield* this.sparse?.keys() ?? [];
  }
}

/** One side of the alignment as the evidence sees it: sections, parents, subtree ends, candidates. */
interface Side {
  sections: readonly Section[];
  parents: Int32Array;
  /** Index just past the section's last descendant (sections are in pre-order). */
  ends: Int32Array;
  /** Position among the candidates, or -1 for a section aligned before the evidence was gathered. */
  position: Int32Array;
  profiles: SectionProfile[];
  sizes: Int32Array;
  paired: (index: number) => boolean;
  stamp: (index: number) => number;
}

function subtreeEnds(parents: Int32Array): Int32Array {
  const ends = new Int32Array(parents.length);
  for (let index = parents.length - 1; index >= 0; index--) {
    ends[index] = Math.max(ends[index] as number, index + 1);
    const parent = parents[index] as number;
    if (parent >= 0) ends[parent] = Math.max(ends[parent] as number, ends[index] as number);
  }
  return ends;
}

/** A child whose heading is this similar to the other section is a match itself. */
const STRONG_HEADING = 0.85;

function dice(shared: number, x: number, y: number): number {
  return x + y === 0 ? 0 : (2 * Math.min(shared, x, y)) / (x + y);
}

/** Text of a subtree still to be aligned: its candidates' positions, bucketed by the child they descend from. */
interface Subtree {
  /** Candidate positions: the root's own first, then descendants still unpaired. */
  members: number[];
  /** Per member, its bucket: 0 for the root's own text, k for the k-th child's subtree. */
  buckets: number[];
  /** Per bucket k >= 1, the child section's index. */
  children: number[];
  /** Shingles per bucket (index 0: the root's own). */
  sizes: number[];
  size: number;
}

export interface EvidenceOptions {
  /** Up to this many candidate pairs every pair is compared; beyond, only those sharing a shingle or heading word. */
  allPairsLimit?: number;
  denseCounterLimit?: number;
}

/**
 * The evidence between the sections still to be aligned (the candidates): profiles and shared shingles computed
 * once, pair evidence on demand. `paired` tells which sections have been aligned since (their text no longer
 * counts in a subtree).
 */
export class AlignmentEvidence {
  readonly candidatesBefore: readonly number[];
  readonly candidatesAfter: readonly number[];
  private readonly before: Side;
  private readonly after: Side;
  private readonly shared: SharedShingles;
  /** Per candidate before, the candidate positions after it is compared with; undefined: all of them. */
  readonly partners: Array<number[] | undefined> | undefined;
  private readonly memo = new Map<number, PairEvidence>();
  private readonly subtreeMemo = new Map<number, { evidence: PairEvidence; stampA: number; stampB: number }>();

  constructor(
    sides: {
      previous: readonly Section[];
      next: readonly Section[];
      parentBefore: Int32Array;
      parentAfter: Int32Array;
      candidatesBefore: readonly number[];
      candidatesAfter: readonly number[];
      pairedBefore: (index: number) => boolean;
      pairedAfter: (index: number) => boolean;
      /** Per section, a count that changes whenever a section below it is paired (subtree evidence depends on it). */
      stampBefore: (index: number) => number;
      stampAfter: (index: number) => number;
    },
    tokenizer: WordTokenizer,
    options: EvidenceOptions = {},
  ) {
    const allPairsLimit = options.allPairsLimit ?? 40_000;
    this.candidatesBefore = sides.candidatesBefore;
    this.candidatesAfter = sides.candidatesAfter;
    const side = (
      sections: readonly Section[],
      parents: Int32Array,
      candidates: readonly number[],
      paired: (index: number) => boolean,
      stamp: (index: number) => number,
    ): Side => {
      const position = new Int32Array(sections.length).fill(-1);
      candidates.forEach((index, at) => (position[index] = at));
      const profiles = candidates.map((index) => sectionProfile(sections[index] as Section, tokenizer));
      return {
        sections,
        parents,
        ends: subtreeEnds(parents),
        position,
        profiles,
        sizes: Int32Array.from(profiles, (profile) => profile.shingles.size),
        paired,
        stamp,
      };
    };
    this.before = side(sides.previous, sides.parentBefore, sides.candidatesBefore, sides.pairedBefore, sides.stampBefore);
    this.after = side(sides.next, sides.parentAfter, sides.candidatesAfter, sides.pairedAfter, sides.stampAfter);
    const width = sides.candidatesAfter.length;
    this.shared = new SharedShingles(this.before.profiles, this.after.profiles, width, options.denseCounterLimit ?? 4_000_000);
    this.partners = sides.candidatesBefore.length * width > allPairsLimit ? this.sparsePartners() : undefined;
  }

  /**
   * Partners beyond the all-pairs limit: pairs sharing a shingle or a heading word, and the ancestors (up to three
   * levels) of pairs sharing a shingle, so subtree evidence is still found.
   */
  private sparsePartners(): number[][] {
    const width = this.candidatesAfter.length;
    const sets = this.candidatesBefore.map(() => new Set<number>());
    const ancestors = (side: Side, position: number, candidates: readonly number[]): number[] => {
      const found = [position];
      let index = side.parents[candidates[position] as number] as number;
      for (let depth = 0; depth < 3 && index >= 0; depth++, index = side.parents[index] as number) {
        if ((side.position[index] as number) >= 0) found.push(side.position[index] as number);
      }
      return found;
    };
    for (const id of this.shared.nonZero()) {
      const a = Math.floor(id / width);
      const b = id % width;
      for (const x of ancestors(this.before, a, this.candidatesBefore))
        for (const y of ancestors(this.after, b, this.candidatesAfter)) sets[x]?.add(y);
    }
    const wordIndex = new Map<string, number[]>();
    this.after.profiles.forEach((profile, b) => {
      for (const word of profile.words) {
        const list = wordIndex.get(word);
        if (list) list.push(b);
        else wordIndex.set(word, [b]);
      }
    });
    this.before.profiles.forEach((profile, a) => {
      for (const word of profile.words) for (const b of wordIndex.get(word) ?? []) sets[a]?.add(b);
    });
    return sets.map((set) => [...set].sort((x, y) => x - y));
  }

  profileBefore(index: number): SectionProfile | undefined {
    const position = this.before.position[index] as number;
    return position >= 0 ? this.before.profiles[position] : undefined;
  }

  profileAfter(index: number): SectionProfile | undefined {
    const position = this.after.position[index] as number;
    return position >= 0 ? this.after.profiles[position] : undefined;
  }

  /** The root's own text and, when `open`, its descendants still unpaired, bucketed by the child they descend from. */
  private subtree(side: Side, root: number, open: boolean): Subtree {
    const rootPosition = side.position[root] as number;
    const subtree: Subtree = { members: [rootPosition], buckets: [0], children: [-1], sizes: [side.sizes[rootPosition] as number], size: 0 };
    if (open) {
      let bucket = 0;
      for (let index = root + 1; index < (side.ends[root] as number); index++) {
        if (side.parents[index] === root) {
          subtree.children.push(index);
          subtree.sizes.push(0);
          bucket = subtree.children.length - 1;
        }
        const position = side.position[index] as number;
        if (position < 0 || side.paired(index)) continue;
        subtree.members.push(position);
        subtree.buckets.push(bucket);
        subtree.sizes[bucket] = (subtree.sizes[bucket] as number) + (side.sizes[position] as number);
      }
    }
    for (const size of subtree.sizes) subtree.size += size;
    return subtree;
  }

  /** Heading similarity and coverage and own-text Dice of two candidates, and the smaller side's shingle count. */
  own(i: number, j: number): { heading: number; headingCover: number; text: number; smaller: number } {
    const a = this.before.position[i] as number;
    const b = this.after.position[j] as number;
    const id = a * this.candidatesAfter.length + b;
    let own = this.memo.get(id);
    if (!own) this.memo.set(id, (own = this.ownEvidence(i, j)));
    return {
      heading: own.heading,
      headingCover: own.headingCover,
      text: own.text,
      smaller: Math.min(this.before.sizes[a] as number, this.after.sizes[b] as number),
    };
  }

  /**
   * Evidence between previous section `i` and next section `j` (both candidates). Memoised: what the two sections'
   * own headings and text give for good, the subtree comparisons until a section below either is paired.
   */
  between(i: number, j: number): PairEvidence {
    const id = (this.before.position[i] as number) * this.candidatesAfter.length + (this.after.position[j] as number);
    let own = this.memo.get(id);
    if (!own) this.memo.set(id, (own = this.ownEvidence(i, j)));
    if (!this.hasOpenChildren(this.before, i) && !this.hasOpenChildren(this.after, j)) return own;
    const stampA = this.before.stamp(i);
    const stampB = this.after.stamp(j);
    const cached = this.subtreeMemo.get(id);
    if (cached && cached.stampA === stampA && cached.stampB === stampB) return cached.evidence;
    const evidence = this.withSubtrees(i, j, own);
    this.subtreeMemo.set(id, { evidence, stampA, stampB });
    return evidence;
  }

  private hasOpenChildren(side: Side, root: number): boolean {
    for (let index = root + 1; index < (side.ends[root] as number); index++)
      if ((side.position[index] as number) >= 0 && !side.paired(index)) return true;
    return false;
  }

  /** Headings, and the two sections' own text. */
  private ownEvidence(i: number, j: number): PairEvidence {
    const a = this.before.position[i] as number;
    const b = this.after.position[j] as number;
    const pa = this.before.profiles[a] as SectionProfile;
    const pb = this.after.profiles[b] as SectionProfile;
    const ownShared = this.shared.count(a, b);
    const sizeA = this.before.sizes[a] as number;
    const sizeB = this.after.sizes[b] as number;
    const smaller = Math.min(sizeA, sizeB);
    const retained = sizeA > 0 ? Math.min(1, ownShared / sizeA) : 0;
    // Carry-over only where enough shingles are shared for a third of either side's paragraphs to be carried.
    const canCarryA = ownShared >= pa.carryBound;
    const canCarryB = ownShared >= pb.carryBound;
    const carry = (): number => {
      if (!canCarryA && !canCarryB) return 0;
      const share = Math.max(canCarryA ? carriedShare(pa.paragraphs, pb.shingles) : 0, canCarryB ? carriedShare(pb.paragraphs, pa.shingles) : 0);
      return share >= CARRY_SHARE_OF_INTEREST ? share : 0;
    };
    return new LazyEvidence(
      Math.max(diceCoefficient(pa.words, pb.words), diceCoefficient(pa.bigrams, pb.bigrams)),
      wordCoverage(pa.words, pb.words),
      dice(ownShared, sizeA, sizeB),
      smaller >= MIN_CONTAINMENT_SHINGLES ? Math.min(1, ownShared / smaller) : 0,
      retained,
      retained > 0 ? ownShared : 0,
      sizeA === 0 && sizeB === 0,
      carry,
    );
  }

  /** The own evidence, improved by the subtree comparisons that count (considerSubtrees). */
  private withSubtrees(i: number, j: number, own: PairEvidence): PairEvidence {
    const best = { text: own.text, contained: own.contained, retained: own.retained, shared: own.shared };
    // `ownA`: the previous side of this comparison is section i's own text (not its subtree).
    const consider = (shared: number, x: number, y: number, ownA: boolean) => {
      if (x + y === 0) return;
      best.text = Math.max(best.text, dice(shared, x, y));
      const smaller = Math.min(x, y);
      if (smaller >= MIN_CONTAINMENT_SHINGLES) best.contained = Math.max(best.contained, Math.min(1, shared / smaller));
      if (ownA && x > 0 && shared / x > best.retained) {
        best.retained = Math.min(1, shared / x);
        best.shared = shared;
      }
    };
    const subA = this.subtree(this.before, i, this.hasOpenChildren(this.before, i));
    const subB = this.subtree(this.after, j, this.hasOpenChildren(this.after, j));
    const a = this.before.position[i] as number;
    const b = this.after.position[j] as number;
    this.considerSubtrees(subA, subB, this.before.profiles[a] as SectionProfile, this.after.profiles[b] as SectionProfile, consider);
    return new LazyEvidence(own.heading, own.headingCover, best.text, best.contained, best.retained, best.shared, own.bothEmpty, () => own.carried);
  }

  /**
   * own/subtree, subtree/own and subtree/subtree comparisons. A subtree counts only when it is a tighter container
   * of the shared text than every one of its children's subtrees (higher Dice), and when no child is a match of the
   * other section by its heading: the text then belongs to that child, which is compared in its own right (a section
   * moved under a new parent is not the new parent).
   */
  private considerSubtrees(
    subA: Subtree,
    subB: Subtree,
    profileA: SectionProfile,
    profileB: SectionProfile,
    consider: (shared: number, x: number, y: number, ownA: boolean) => void,
  ): void {
    // Shared shingles per (bucket before, bucket after); bucket 0 is the root's own text.
    const width = subB.children.length;
    const cells = new Float64Array(subA.children.length * width);
    for (let ka = 0; ka < subA.members.length; ka++) {
      for (let kb = 0; kb < subB.members.length; kb++) {
        const count = this.shared.count(subA.members[ka] as number, subB.members[kb] as number);
        if (count === 0) continue;
        const cell = (subA.buckets[ka] as number) * width + (subB.buckets[kb] as number);
        cells[cell] = (cells[cell] as number) + count;
      }
    }
    // Row sums (a bucket of A against all of B, or against B's own text) and column sums likewise.
    const rowAll = new Float64Array(subA.children.length);
    const columnAll = new Float64Array(width);
    for (let x = 0; x < subA.children.length; x++) {
      for (let y = 0; y < width; y++) {
        rowAll[x] = (rowAll[x] as number) + (cells[x * width + y] as number);
        columnAll[y] = (columnAll[y] as number) + (cells[x * width + y] as number);
      }
    }
    let total = 0;
    for (const value of rowAll) total += value;
    const ownA = subA.sizes[0] as number;
    const ownB = subB.sizes[0] as number;
    const openA = subA.children.length > 1;
    const openB = subB.children.length > 1;

    // B's subtree against A's own text, or against A's subtree (`whole`), must beat each child of B.
    const tighterB = (againstWholeA: boolean): boolean => {
      const x = againstWholeA ? subA.size : ownA;
      const whole = dice(againstWholeA ? total : (rowAll[0] as number), x, subB.size);
      for (let child = 1; child < width; child++) {
        const part = dice(againstWholeA ? (columnAll[child] as number) : (cells[child] as number), x, subB.sizes[child] as number);
        if (!(whole > part) || this.headingMatch(this.after, subB.children[child] as number, profileA)) return false;
      }
      return true;
    };
    const tighterA = (againstWholeB: boolean): boolean => {
      const y = againstWholeB ? subB.size : ownB;
      const whole = dice(againstWholeB ? total : (columnAll[0] as number), subA.size, y);
      for (let child = 1; child < subA.children.length; child++) {
        const part = dice(againstWholeB ? (rowAll[child] as number) : (cells[child * width] as number), subA.sizes[child] as number, y);
        if (!(whole > part) || this.headingMatch(this.before, subA.children[child] as number, profileB)) return false;
      }
      return true;
    };
    if (openB && tighterB(false)) consider(rowAll[0] as number, ownA, subB.size, true);
    if (openA && tighterA(false)) consider(columnAll[0] as number, subA.size, ownB, false);
    if (openA && openB && tighterB(true) && tighterA(true)) consider(total, subA.size, subB.size, false);
  }

  /** The child section's heading matches the other side's section by itself. */
  private headingMatch(side: Side, child: number, other: SectionProfile): boolean {
    const position = side.position[child] as number;
    if (position < 0 || side.paired(child)) return false;
    const profile = side.profiles[position] as SectionProfile;
    return Math.max(diceCoefficient(profile.words, other.words), diceCoefficient(profile.bigrams, other.bigrams)) >= STRONG_HEADING;
  }
}
