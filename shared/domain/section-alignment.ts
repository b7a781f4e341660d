/**
 * Section alignment: which section of the previous document became which section of the next one. Named phases,
 * each exported and testable alone, run in this order by alignSections:
 *
 * 1. pairByKey: exact key match (the common case: a revision, or an edition whose headings did not change).
 * 2. pairBySlug: same last key segment under parents that are already aligned (children of a renamed parent keep
 *    their slug but their key changes with the parent's).
 * 3. pairByIdentity: sections whose heading and text both match, or whose substantial text is the same, wherever
 *    they now sit in the outline (a section moved under a new parent, or out of one).
 * 4. pairBySimilarity: for what is left, greedy best-score-first matching on the strong evidence of
 *    section-evidence.ts (heading similarity, text Dice of the sections or of a tighter subtree, their average) with
 *    a bonus for aligned parents (judgeCandidate holds the rules). It runs in rounds by depth: a section takes part
 *    once its parent is settled, and pairBySlug runs again before each round, since a newly aligned parent lets its
 *    children align by slug.
 * 5. pairByWeakEvidence: then, over everything still unpaired whatever its depth, the weaker rules: containment with
 *    agreeing headings, carried-over paragraphs in the same place of the outline, and an edition map's prior (with
 *    some evidence of the pages' own). Run last, so a weak pairing never takes a section whose strong counterpart
 *    sits deeper in the outline.
 * 6. markMoves and mergeOrder (section-order.ts): moves, and the merged order of a diff.
 * 7. findLikelyCounterparts: for each removed section, the next section that holds a real part of its text (or
 *    that its heading or the edition map points to), without pairing them: a reader can tell a cut from a rename.
 */
import type { Section } from './document.js';
import { AlignmentEvidence, type PairEvidence } from './section-evidence.js';
import { markMoves, mergeOrder, type AlignmentEntry, type PairedSections, type SectionMatch } from './section-order.js';
import { WordTokenizer } from './text-normalisation.js';

export { headingSimilarity } from './section-evidence.js';
export type { AlignmentEntry, SectionMatch } from './section-order.js';

/**
 * What an edition map (edition-map.ts) knows about two editions' templates, as a prior for one series' alignment.
 * Confidences are 0..1; 0 means the map has nothing to say.
 */
export interface AlignmentPrior {
  /** Confidence that the previous section became the next one. */
  pairing(before: Section, after: Section): number;
  /** Confidence that the previous section was dropped from the template. */
  dropped(before: Section): number;
}

/** A removed section's likely counterpart: where its surviving text went, or what its heading or the map point to. */
export interface CounterpartMatch {
  before: number;
  after: number;
  by: 'text' | 'heading' | 'edition-map';
  /** Share of the removed section's text (word 3-shingles) found in the counterpart (with its sub-sections). */
  retained: number;
  score: number;
}

export interface SectionAlignment {
  /** Matches in the next document's order. */
  matches: SectionMatch[];
  removed: number[];
  added: number[];
  /** Next document's order, removed sections placed after the nearest preceding section that stayed in place. */
  entries: AlignmentEntry[];
  /** Removed sections that have a likely counterpart, in the previous document's order. */
  counterparts: CounterpartMatch[];
}

export interface SectionAlignmentOptions {
  /** Heading similarity that pairs two sections on its own. */
  headingThreshold?: number;
  /** Text similarity that pairs two sections on its own. */
  textThreshold?: number;
  /** Threshold for the average of heading and text similarity (plus the same-parent bonus). */
  combinedThreshold?: number;
  /** An edition map's prior (edition-map.ts): never pairs on its own, see judgeCandidate. */
  prior?: AlignmentPrior;
  /** Shared with the rest of a document diff, so paragraphs are tokenized once. */
  tokenizer?: WordTokenizer;
}

export type AlignmentThresholds = Required<Pick<SectionAlignmentOptions, 'headingThreshold' | 'textThreshold' | 'combinedThreshold'>>;

/** What the similarity phases take besides the state and the evidence. */
export interface PhaseOptions {
  thresholds?: AlignmentThresholds;
  prior?: AlignmentPrior;
}

/** A judged candidate pair, before the greedy pass. */
interface ScoredPair {
  i: number;
  j: number;
  rank: number;
  by: SectionMatch['by'];
  score: number;
  prior?: number;
}

export const DEFAULT_THRESHOLDS: AlignmentThresholds = { headingThreshold: 0.85, textThreshold: 0.5, combinedThreshold: 0.45 };
/** Minimum heading similarity for a combined match: text alone must clear textThreshold. */
const MIN_HEADING_FOR_COMBINED = 0.35;
const SAME_PARENT_BONUS = 0.1;
const SAME_NUMBER_BONUS = 0.05;
/** How much an edition map's confidence adds to a candidate's rank. */
const PRIOR_WEIGHT = 0.2;
/** Containment that pairs two sections when their headings agree too. */
const CONTAINMENT_THRESHOLD = 0.5;
/** Heading similarity that counts as agreement for the weaker rules (a shared stem alone does not). */
const HEADINGS_AGREE = 0.5;
/** Heading coverage that counts as agreement (half the shorter heading's words). */
const HEADING_COVER_THRESHOLD = 0.5;
/** Carried-over paragraphs that pair two sections whose headings agree and whose place in the outline does too. */
const CONTINUITY_THRESHOLD = 1 / 3;
/** Edition-map confidence at which the map's pairing is taken (with some evidence of the pages' own). */
const PRIOR_THRESHOLD = 0.5;
/** Identity: text this similar, on at least this many shingles, pairs two sections wherever they sit. */
const IDENTITY_TEXT = 0.9;
const IDENTITY_MIN_SHINGLES = 20;

/** The pairing in progress: counterpart per section (-1 for none), parents, and how each pair was made. */
export class AlignmentState implements PairedSections {
  readonly pairOfBefore: Int32Array;
  readonly pairOfAfter: Int32Array;
  readonly parentBefore: Int32Array;
  readonly parentAfter: Int32Array;
  readonly how: Array<{ by: SectionMatch['by']; score: number; prior?: number } | undefined>;
  /** Next-side indexes paired by identity, before their parents were aligned (see relabelSlugPairs). */
  readonly pairedByIdentity: number[] = [];
  /** Per section, the number of pairs made below it (evidence over subtrees depends on them). */
  readonly pairedBelowBefore: Int32Array;
  readonly pairedBelowAfter: Int32Array;

  constructor(
    readonly previous: readonly Section[],
    readonly next: readonly Section[],
  ) {
    this.pairOfBefore = new Int32Array(previous.length).fill(-1);
    this.pairOfAfter = new Int32Array(next.length).fill(-1);
    this.parentBefore = parentIndexes(previous);
    this.parentAfter = parentIndexes(next);
    this.how = new Array(next.length);
    this.pairedBelowBefore = new Int32Array(previous.length);
    this.pairedBelowAfter = new Int32Array(next.length);
  }

  pair(i: number, j: number, by: SectionMatch['by'], score: number, prior?: number): void {
    this.pairOfBefore[i] = j;
    this.pairOfAfter[j] = i;
    for (let parent = this.parentBefore[i] as number; parent >= 0; parent = this.parentBefore[parent] as number) this.pairedBelowBefore[parent]!++;
    for (let parent = this.parentAfter[j] as number; parent >= 0; parent = this.parentAfter[parent] as number) this.pairedBelowAfter[parent]!++;
    this.how[j] = prior === undefined ? { by, score } : { by, score, prior };
  }

  unpairedBefore(): number[] {
    const list: number[] = [];
    for (let i = 0; i < this.previous.length; i++) if (this.pairOfBefore[i] === -1) list.push(i);
    return list;
  }

  unpairedAfter(): number[] {
    const list: number[] = [];
    for (let j = 0; j < this.next.length; j++) if (this.pairOfAfter[j] === -1) list.push(j);
    return list;
  }

  /** The parents of i and j are each other's counterparts (both at the top level counts). */
  sameParent(i: number, j: number): boolean {
    const parentI = this.parentBefore[i] as number;
    const parentJ = this.parentAfter[j] as number;
    return parentI === -1 ? parentJ === -1 : parentJ !== -1 && this.pairOfBefore[parentI] === parentJ;
  }
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

/** Phase 1: exact keys; a repeated key pairs its occurrences in order. */
export function pairByKey(state: AlignmentState): void {
  const beforeByKey = new Map<string, number[]>();
  state.previous.forEach((section, i) => {
    if (state.pairOfBefore[i] !== -1) return;
    const list = beforeByKey.get(section.key);
    if (list) list.push(i);
    else beforeByKey.set(section.key, [i]);
  });
  state.next.forEach((section, j) => {
    if (state.pairOfAfter[j] !== -1) return;
    const i = beforeByKey.get(section.key)?.shift();
    if (i !== undefined) state.pair(i, j, 'key', 1);
  });
}

/** Phase 2: same slug under aligned parents. One pass in document order cascades, since parents come first. */
export function pairBySlug(state: AlignmentState): void {
  const candidates = new Map<string, number[]>();
  state.previous.forEach((section, i) => {
    if (state.pairOfBefore[i] !== -1) return;
    const id = `${state.parentBefore[i]}\u0000${lastSegment(section.key)}`;
    const list = candidates.get(id);
    if (list) list.push(i);
    else candidates.set(id, [i]);
  });
  if (candidates.size === 0) return;
  state.next.forEach((section, j) => {
    if (state.pairOfAfter[j] !== -1) return;
    const parent = state.parentAfter[j] as number;
    const previousParent = parent === -1 ? -1 : (state.pairOfAfter[parent] as number);
    if (parent !== -1 && previousParent === -1) return;
    const i = candidates.get(`${previousParent}\u0000${lastSegment(section.key)}`)?.shift();
    if (i !== undefined) state.pair(i, j, 'key', 1);
  });
}

/** The evidence between the sections still unpaired (profiles and shared shingles computed once). */
export function gatherEvidence(state: AlignmentState, tokenizer: WordTokenizer = new WordTokenizer()): AlignmentEvidence {
  return new AlignmentEvidence(
    {
      previous: state.previous,
      next: state.next,
      parentBefore: state.parentBefore,
      parentAfter: state.parentAfter,
      candidatesBefore: state.unpairedBefore(),
      candidatesAfter: state.unpairedAfter(),
      pairedBefore: (i) => state.pairOfBefore[i] !== -1,
      pairedAfter: (j) => state.pairOfAfter[j] !== -1,
      stampBefore: (i) => state.pairedBelowBefore[i] as number,
      stampAfter: (j) => state.pairedBelowAfter[j] as number,
    },
    tokenizer,
  );
}

/** Calls `visit` for each pair of unpaired candidates worth judging: all, or the evidence's partners beyond its all-pairs limit. */
function forCandidatePairs(state: AlignmentState, evidence: AlignmentEvidence, visit: (i: number, j: number) => void): void {
  const after = evidence.candidatesAfter;
  const before = evidence.candidatesBefore;
  for (let a = 0; a < before.length; a++) {
    const i = before[a] as number;
    if (state.pairOfBefore[i] !== -1) continue;
    const list = evidence.partners?.[a];
    const count = list ? list.length : after.length;
    for (let c = 0; c < count; c++) {
      const j = after[list ? (list[c] as number) : c] as number;
      if (state.pairOfAfter[j] === -1) visit(i, j);
    }
  }
}

/** Greedy best-first: candidates sorted by rank (ties: nearer positions first, then document order). */
function pairGreedily(state: AlignmentState, scored: ScoredPair[]): void {
  scored.sort((x, y) => y.rank - x.rank || Math.abs(x.i - x.j) - Math.abs(y.i - y.j) || x.j - y.j || x.i - y.i);
  for (const candidate of scored) {
    if (state.pairOfBefore[candidate.i] !== -1 || state.pairOfAfter[candidate.j] !== -1) continue;
    state.pair(candidate.i, candidate.j, candidate.by, candidate.score, candidate.prior);
  }
}

/**
 * Phase 3: sections whose heading and text both match (heading >= the heading threshold and text >= the text
 * threshold), or whose text is the same on a substantial length (Dice >= 0.9, 20 shingles or more) while neither
 * has another candidate whose heading matches (or holds all the words of) its own, wherever they sit in the outline. Pairing them first keeps a new parent
 * (which holds a moved section as its only child) from taking the moved section's place.
 */
export function pairByIdentity(state: AlignmentState, evidence: AlignmentEvidence, thresholds: AlignmentThresholds = DEFAULT_THRESHOLDS): void {
  const scored: ScoredPair[] = [];
  const textOnly: ScoredPair[] = [];
  // Sections with a candidate whose heading matches theirs (or holds all its words): their text alone does not
  // decide (a section split into sub-sections keeps its heading, while one sub-section may take most of its text).
  const headingMatchBefore = new Set<number>();
  const headingMatchAfter = new Set<number>();
  forCandidatePairs(state, evidence, (i, j) => {
    // Own text only: a subtree's text is a container's, not the section's identity.
    const { heading, headingCover, text, smaller } = evidence.own(i, j);
    if (heading >= thresholds.headingThreshold || headingCover === 1) {
      headingMatchBefore.add(i);
      headingMatchAfter.add(j);
    }
    if (text < thresholds.textThreshold) return;
    const by = heading >= text ? 'heading' : 'text';
    const score = Math.round(Math.max(heading, text) * 1000) / 1000;
    if (heading >= thresholds.headingThreshold) scored.push({ i, j, rank: heading + text, by, score });
    else if (smaller >= IDENTITY_MIN_SHINGLES && text >= IDENTITY_TEXT) textOnly.push({ i, j, rank: heading + text, by, score });
  });
  for (const pair of textOnly) {
    const own = evidence.own(pair.i, pair.j);
    const matchedElsewhere =
      (headingMatchBefore.has(pair.i) || headingMatchAfter.has(pair.j)) && !(own.heading >= thresholds.headingThreshold || own.headingCover === 1);
    if (!matchedElsewhere) scored.push(pair);
  }
  pairGreedily(state, scored);
  for (const { i, j } of scored) if (state.pairOfBefore[i] === j) state.pairedByIdentity.push(j);
}

/**
 * After phase 5: a pair made by identity whose parents ended up aligned and whose slug is the same is what the slug
 * pass would have made, had the parents been aligned first: reported as a key pair.
 */
export function relabelSlugPairs(state: AlignmentState): void {
  for (const j of state.pairedByIdentity) {
    const i = state.pairOfAfter[j] as number;
    if (i !== -1 && state.sameParent(i, j) && lastSegment((state.previous[i] as Section).key) === lastSegment((state.next[j] as Section).key)) {
      state.pair(i, j, 'key', 1);
    }
  }
}

/** Where a candidate pair sits, and what an edition map says of it. */
export interface CandidateContext {
  /** The parents are each other's counterparts (top level counts). */
  sameParent: boolean;
  /** Both carry the same outline number ("1.a"). */
  sameNumber: boolean;
  /** Edition-map confidence for this pair (0 without a map). */
  prior: number;
  /** Edition-map confidence that the previous section was dropped (0 without a map). */
  dropped: number;
}

export type CandidateRule = 'heading' | 'text' | 'combined' | 'containment' | 'continuity' | 'edition-map';

export interface CandidateVerdict {
  rule: CandidateRule;
  rank: number;
  by: 'heading' | 'text';
  score: number;
  /** The edition map's confidence, when the map backed the pairing. */
  prior?: number;
}

/** The pages' own evidence that two sections are related at all: a shared heading word, or shared text. */
export function relatedByEvidence(evidence: PairEvidence): boolean {
  return evidence.headingCover > 0 || evidence.contained >= 0.15 || evidence.carried > 0;
}

/**
 * Whether a candidate pair is accepted, by which rule, and its rank among the candidates (higher first):
 *
 * - heading: heading similarity >= headingThreshold;
 * - text: text Dice (own text or a tighter subtree) >= textThreshold;
 * - combined: heading >= 0.35 and the average of heading and text (heading alone for two parents without text of
 *   their own, which need 0.15 more) plus the same-parent bonus >= combinedThreshold;
 * - containment: most of the smaller side's text is in the other (>= 0.5), and the headings agree (coverage >= 0.5
 *   or similarity >= 0.5): a section renamed and cut;
 * - continuity: at least a third of one side's paragraphs carried over into the other, headings agreeing, and the
 *   same place in the outline (aligned parents or the same outline number): a section whose framing survived while
 *   its narrative was rewritten;
 * - edition-map: the map's confidence >= 0.5 and the pages relate the two at all (relatedByEvidence). The map never
 *   pairs on its own.
 *
 * The last three are weak (rules 'all' only, pairByWeakEvidence). An edition map that saw the previous section
 * dropped in most series (dropped >= 0.5) turns containment and continuity off for it.
 */
export function judgeCandidate(
  evidence: PairEvidence,
  context: CandidateContext,
  thresholds: AlignmentThresholds = DEFAULT_THRESHOLDS,
  rules: 'strong' | 'all' = 'all',
): CandidateVerdict | undefined {
  const { heading, headingCover, text, contained, bothEmpty } = evidence;
  const bonus = context.sameParent ? SAME_PARENT_BONUS : 0;
  const combined = (bothEmpty ? heading : (heading + text) / 2) + bonus;
  const headingsAgree = headingCover >= HEADING_COVER_THRESHOLD || heading >= HEADINGS_AGREE;
  const weakAllowed = rules === 'all' && context.dropped < PRIOR_THRESHOLD;
  let rule: CandidateRule | undefined;
  if (heading >= thresholds.headingThreshold) rule = 'heading';
  else if (text >= thresholds.textThreshold) rule = 'text';
  else if (heading >= MIN_HEADING_FOR_COMBINED && combined >= (bothEmpty ? thresholds.combinedThreshold + 0.15 : thresholds.combinedThreshold))
    rule = 'combined';
  else if (weakAllowed && contained >= CONTAINMENT_THRESHOLD && headingsAgree) rule = 'containment';
  else if (
    weakAllowed &&
    headingCover >= HEADING_COVER_THRESHOLD &&
    (context.sameParent || context.sameNumber) &&
    evidence.carried >= CONTINUITY_THRESHOLD
  )
    rule = 'continuity';
  else if (rules === 'all' && context.prior >= PRIOR_THRESHOLD && relatedByEvidence(evidence)) rule = 'edition-map';
  if (rule === undefined) return undefined;
  const rank =
    (Math.max(heading, text) + combined) / 2 +
    bonus +
    0.1 * Math.max(contained, evidence.carried) +
    (context.sameNumber ? SAME_NUMBER_BONUS : 0) +
    PRIOR_WEIGHT * context.prior;
  const verdict: CandidateVerdict = {
    rule,
    rank,
    by: heading >= text ? 'heading' : 'text',
    score: Math.round(Math.max(heading, text) * 1000) / 1000,
  };
  if (context.prior > 0) verdict.prior = Math.round(context.prior * 1000) / 1000;
  return verdict;
}

function contextOf(state: AlignmentState, i: number, j: number, prior: AlignmentPrior | undefined): CandidateContext {
  const before = state.previous[i] as Section;
  const after = state.next[j] as Section;
  return {
    sameParent: state.sameParent(i, j),
    sameNumber: before.number !== undefined && before.number === after.number,
    prior: prior ? prior.pairing(before, after) : 0,
    dropped: prior ? prior.dropped(before) : 0,
  };
}

/**
 * Phase 4: similarity on the strong rules, over the sections still unpaired, in rounds by depth: a section takes
 * part once its parent is settled (aligned, or itself considered in an earlier round), so children of a renamed
 * parent see it aligned, get the same-parent bonus, or align by slug first.
 */
export function pairBySimilarity(state: AlignmentState, evidence: AlignmentEvidence, options: PhaseOptions = {}): void {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const eligibleBefore = new Uint8Array(state.previous.length);
  const eligibleAfter = new Uint8Array(state.next.length);
  const settled = (parent: number, paired: Int32Array, eligible: Uint8Array, round: number): boolean =>
    parent === -1 || paired[parent] !== -1 || (eligible[parent] !== 0 && (eligible[parent] as number) < round);
  for (let round = 1; round < 256; round++) {
    // Parents aligned since the last pass (by identity, or in the last round) let their children align by slug.
    pairBySlug(state);
    let fresh = 0;
    for (const i of evidence.candidatesBefore) {
      if (state.pairOfBefore[i] === -1 && !eligibleBefore[i] && settled(state.parentBefore[i] as number, state.pairOfBefore, eligibleBefore, round)) {
        eligibleBefore[i] = round;
        fresh++;
      }
    }
    for (const j of evidence.candidatesAfter) {
      if (state.pairOfAfter[j] === -1 && !eligibleAfter[j] && settled(state.parentAfter[j] as number, state.pairOfAfter, eligibleAfter, round)) {
        eligibleAfter[j] = round;
        fresh++;
      }
    }
    if (fresh === 0) break;
    const scored: ScoredPair[] = [];
    forCandidatePairs(state, evidence, (i, j) => {
      if (!eligibleBefore[i] || !eligibleAfter[j]) return;
      // Each pair is judged once: in the round the later of the two became eligible.
      if (eligibleBefore[i] !== round && eligibleAfter[j] !== round) return;
      const verdict = judgeCandidate(evidence.between(i, j), contextOf(state, i, j, options.prior), thresholds, 'strong');
      if (verdict) scored.push(scoredOf(i, j, verdict));
    });
    pairGreedily(state, scored);
  }
}

function scoredOf(i: number, j: number, verdict: CandidateVerdict): ScoredPair {
  return { i, j, rank: verdict.rank, by: verdict.by, score: verdict.score, ...(verdict.prior !== undefined ? { prior: verdict.prior } : {}) };
}

/**
 * Phase 5: every rule (the weak ones included) over all sections still unpaired, whatever their depth, best first;
 * repeated after a slug pass while it pairs anything (a pair made here can let children align by slug).
 */
export function pairByWeakEvidence(state: AlignmentState, evidence: AlignmentEvidence, options: PhaseOptions = {}): void {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  for (let pass = 0; pass < 8; pass++) {
    pairBySlug(state);
    const scored: ScoredPair[] = [];
    forCandidatePairs(state, evidence, (i, j) => {
      const verdict = judgeCandidate(evidence.between(i, j), contextOf(state, i, j, options.prior), thresholds, 'all');
      if (verdict) scored.push(scoredOf(i, j, verdict));
    });
    if (scored.length === 0) return;
    pairGreedily(state, scored);
  }
}

/** A likely counterpart by text holds at least this share of the removed section's text ... */
const COUNTERPART_RETAINED = 0.1;
/** ... and at least this many of its shingles (a sentence or so). */
const COUNTERPART_MIN_SHARED = 8;

/**
 * Phase 7: for each removed section, the next section that holds a real part of its text (at least a tenth of it,
 * a sentence or more), or whose heading would have paired it (heading similarity >= the heading threshold) had it
 * not been taken, or that the edition map pairs it with (confidence >= 0.5, with some evidence of the pages'). Any
 * next section that was a candidate counts, paired or not: text of a dropped section often ends up in a section
 * that continues another one. A section whose text went nowhere has none: it was cut.
 */
export function findLikelyCounterparts(
  state: AlignmentState,
  evidence: AlignmentEvidence,
  removed: readonly number[],
  options: PhaseOptions = {},
): CounterpartMatch[] {
  const headingThreshold = (options.thresholds ?? DEFAULT_THRESHOLDS).headingThreshold;
  const candidates = new Set(evidence.candidatesBefore);
  const found: CounterpartMatch[] = [];
  for (const i of removed) {
    if (!candidates.has(i)) continue;
    let best: (CounterpartMatch & { rank: number }) | undefined;
    for (const j of evidence.candidatesAfter) {
      const between = evidence.between(i, j);
      const confidence = options.prior ? options.prior.pairing(state.previous[i] as Section, state.next[j] as Section) : 0;
      let by: CounterpartMatch['by'] | undefined;
      if (between.retained >= COUNTERPART_RETAINED && between.shared >= COUNTERPART_MIN_SHARED) by = 'text';
      else if (between.heading >= headingThreshold) by = 'heading';
      else if (confidence >= PRIOR_THRESHOLD && relatedByEvidence(between)) by = 'edition-map';
      if (by === undefined) continue;
      const rank = between.retained + between.heading / 2 + PRIOR_WEIGHT * confidence;
      if (!best || rank > best.rank) {
        best = {
          before: i,
          after: j,
          by,
          retained: Math.round(between.retained * 1000) / 1000,
          score: Math.round(Math.max(between.retained, between.heading, confidence) * 1000) / 1000,
          rank,
        };
      }
    }
    if (best) {
      const { rank: _rank, ...counterpart } = best;
      found.push(counterpart);
    }
  }
  return found;
}

export function alignSections(previous: readonly Section[], next: readonly Section[], options: SectionAlignmentOptions = {}): SectionAlignment {
  const thresholds: AlignmentThresholds = {
    headingThreshold: options.headingThreshold ?? DEFAULT_THRESHOLDS.headingThreshold,
    textThreshold: options.textThreshold ?? DEFAULT_THRESHOLDS.textThreshold,
    combinedThreshold: options.combinedThreshold ?? DEFAULT_THRESHOLDS.combinedThreshold,
  };
  const state = new AlignmentState(previous, next);
  pairByKey(state);
  pairBySlug(state);
  let evidence: AlignmentEvidence | undefined;
  const phaseOptions = { thresholds, ...(options.prior ? { prior: options.prior } : {}) };
  if (state.pairOfBefore.includes(-1) && state.pairOfAfter.includes(-1)) {
    evidence = gatherEvidence(state, options.tokenizer);
    pairByIdentity(state, evidence, thresholds);
    pairBySimilarity(state, evidence, phaseOptions);
    pairByWeakEvidence(state, evidence, phaseOptions);
    relabelSlugPairs(state);
  }
  const matches = markMoves(state);
  const order = mergeOrder({ before: previous.length, after: next.length }, matches);
  const counterparts = evidence ? findLikelyCounterparts(state, evidence, order.removed, phaseOptions) : [];
  return { matches, ...order, counterparts };
}
