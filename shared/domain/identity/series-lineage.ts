import { LineageConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { LineageSignals } from '../profiles/index.js';
import { continuityVerdict } from './content-continuity.js';
import { compareNames, type SignalVerdict } from './names.js';

/**
 * Series lineage. Each page has its own series, from its URL slug ("raw" series). A lineage groups the raw series
 * that are one report across slug renames; it is what users see as a series, named after its newest edition's slug.
 *
 * Two raw series are linked when they never share an edition and, where one hands over to the other (edition N of
 * one, the next edition present of the other), the pages agree on at least two of three signals, none of which is
 * trusted alone: the site's taxonomy term, the name the page gives its subject, and the continuity of the text.
 *   link  <=>  (text continues AND (taxonomy OR name agrees))  OR  (taxonomy AND name agree AND the text does not differ)
 * Manual overrides win: a `link` joins two series (if their editions allow it), an `unlink` keeps them apart for good.
 * Links form a tree per lineage (a link inside one lineage would be a cycle), so removing one splits it in two.
 * Everything here is pure: the use case gathers the facts and the text similarities (series-lineage use case).
 */

export interface SeriesPageFacts {
  page: string;
  /** The page's own series. */
  series: string;
  edition: number;
  profile: string;
  signals: LineageSignals;
}

export interface LineageOverride {
  /** The two series, in sorted order. */
  a: string;
  b: string;
  action: 'link' | 'unlink';
  decidedAt: string;
}

export interface SignalReading<T> {
  verdict: SignalVerdict;
  from?: T;
  to?: T;
}

/** The evidence at one hand-over between two series. */
export interface TransitionEvidence {
  from: { series: string; edition: number; page: string };
  to: { series: string; edition: number; page: string };
  taxonomy: SignalReading<string[]>;
  name: SignalReading<string>;
  content: { verdict: SignalVerdict; similarity?: number };
  /** Whether the signals here are enough for a link. */
  supports: boolean;
}

export interface SeriesLink {
  /** Older series (its first edition comes first), then newer. */
  from: string;
  to: string;
  decidedBy: 'evidence' | 'override';
  /** For an override: when it was decided. */
  decidedAt?: string;
  /** The hand-overs between the two series and what each signal said. */
  transitions: TransitionEvidence[];
}

export interface LineageEdition {
  edition: number;
  series: string;
  page: string;
}

export interface Lineage {
  /** The series users see: the raw series of the newest edition. */
  id: string;
  profile: string;
  /** Raw series, by first edition. */
  members: string[];
  editions: LineageEdition[];
  links: SeriesLink[];
}

export interface RejectedLink {
  from: string;
  to: string;
  reason: string;
  transitions: TransitionEvidence[];
}

export interface LineageDecision {
  lineages: Lineage[];
  /** Pairs whose signals supported a link that could not be made (a conflict), and overrides that no longer apply. */
  rejected: RejectedLink[];
}

/** A pair of pages whose text similarity the decision needs (the use case reads their Documents). */
export interface ContentComparison {
  from: string;
  to: string;
}

/** Text similarities by `similarityKey(fromPage, toPage)`. */
export type Similarities = ReadonlyMap<string, number>;

export function similarityKey(from: string, to: string): string {
  return from < to ? `${from}\u0000${to}` : `${to}\u0000${from}`;
}

export function overridePair(a: string, b: string): { a: string; b: string } {
  return a <= b ? { a, b } : { a: b, b: a };
}

interface Transition {
  from: SeriesPageFacts;
  to: SeriesPageFacts;
}

interface Candidate {
  from: string;
  to: string;
  transitions: Transition[];
}

/** The text comparisons a decision needs: hand-overs where the taxonomy or the name already agrees. */
export function contentComparisonsNeeded(facts: readonly SeriesPageFacts[]): ContentComparison[] {
  const needed = new Map<string, ContentComparison>();
  for (const candidate of candidates(facts)) {
    for (const transition of candidate.transitions) {
      const taxonomy = compareTaxonomy(transition.from.signals.taxonomy, transition.to.signals.taxonomy);
      const name = compareNames(transition.from.signals.name, transition.to.signals.name);
      if (taxonomy !== 'agree' && name !== 'agree') continue;
      needed.set(similarityKey(transition.from.page, transition.to.page), { from: transition.from.page, to: transition.to.page });
    }
  }
  return [...needed.values()];
}

export function decideLineages(
  facts: readonly SeriesPageFacts[],
  overrides: readonly LineageOverride[],
  similarities: Similarities,
): LineageDecision {
  const groups = new SeriesGroups(facts, overrides);
  const rejected: RejectedLink[] = [];
  const evidenceOf = (from: string, to: string) => transitionsBetween(facts, from, to).map((transition) => readTransition(transition, similarities));

  // Manual links first, oldest decision first: they win over evidence.
  for (const override of [...overrides].filter((entry) => entry.action === 'link').sort((x, y) => x.decidedAt.localeCompare(y.decidedAt))) {
    const [from, to] = groups.ordered(override.a, override.b);
    const transitions = evidenceOf(from, to);
    const problem = groups.problemJoining(from, to);
    if (problem) rejected.push({ from, to, reason: `override not applied: ${problem}`, transitions });
    else groups.join({ from, to, decidedBy: 'override', decidedAt: override.decidedAt, transitions });
  }

  const scored = candidates(facts)
    .map((candidate) => {
      const transitions = candidate.transitions.map((transition) => readTransition(transition, similarities));
      return { candidate, transitions, best: bestTransition(transitions) };
    })
    .filter((entry) => entry.best !== undefined)
    .sort(
      (x, y) => compareStrength(x.best!, y.best!) || x.candidate.from.localeCompare(y.candidate.from) || x.candidate.to.localeCompare(y.candidate.to),
    );
  for (const { candidate, transitions } of scored) {
    if (groups.sameGroup(candidate.from, candidate.to)) continue;
    const problem = groups.problemJoining(candidate.from, candidate.to);
    if (problem) rejected.push({ from: candidate.from, to: candidate.to, reason: problem, transitions });
    else groups.join({ from: candidate.from, to: candidate.to, decidedBy: 'evidence', transitions });
  }
  return { lineages: groups.lineages(), rejected };
}

/** The lineage a series belongs to in a decision (a series no page has yet is its own). */
export function lineageOf(decision: LineageDecision, series: string): Lineage | undefined {
  return decision.lineages.find((lineage) => lineage.members.includes(series) || lineage.id === series);
}

/**
 * Checks a manual link of two series against the current decision: both must exist, not be one lineage already (a
 * second link would be a cycle), share no edition, and not join series an earlier unlink keeps apart.
 */
export function checkLink(decision: LineageDecision, overrides: readonly LineageOverride[], a: string, b: string): void {
  if (a === b) throw new ValidationError(`Cannot link ${a} with itself`);
  const left = requireLineage(decision, a);
  const right = requireLineage(decision, b);
  if (left === right) {
    throw new LineageConflictError(
      `${a} and ${b} are already one series (${left.id}: ${pathBetween(left, a, b).join(' - ')}): another link would make a cycle`,
    );
  }
  if (left.profile !== right.profile)
    throw new LineageConflictError(`${a} (${left.profile}) and ${b} (${right.profile}) are read by different profiles`);
  const clash = left.editions.find((edition) => right.editions.some((other) => other.edition === edition.edition));
  if (clash) {
    const other = right.editions.find((entry) => entry.edition === clash.edition)!;
    throw new LineageConflictError(
      `${a} and ${b} both have edition ${clash.edition} (pages ${clash.page} and ${other.page}): one series has one page per edition`,
    );
  }
  const pair = overridePair(a, b);
  for (const override of overrides) {
    if (override.action !== 'unlink' || (override.a === pair.a && override.b === pair.b)) continue;
    const apart = (x: Lineage, y: Lineage) => x.members.includes(override.a) && y.members.includes(override.b);
    if (apart(left, right) || apart(right, left)) {
      throw new LineageConflictError(
        `linking ${a} and ${b} would join ${override.a} and ${override.b}, which were unlinked on ${override.decidedAt}: link those two first`,
      );
    }
  }
}

/** Checks a manual unlink: the two series must be linked directly (a link of their lineage's tree). */
export function checkUnlink(decision: LineageDecision, a: string, b: string): SeriesLink {
  const left = requireLineage(decision, a);
  const right = requireLineage(decision, b);
  if (left !== right) throw new ValidationError(`${a} and ${b} are not linked (they are the series ${left.id} and ${right.id})`);
  const link = left.links.find((entry) => (entry.from === a && entry.to === b) || (entry.from === b && entry.to === a));
  if (!link) {
    throw new ValidationError(
      `${a} and ${b} are not linked directly: ${left.id} links them through ${pathBetween(left, a, b).join(' - ')}; unlink one of those links`,
    );
  }
  return link;
}

function requireLineage(decision: LineageDecision, series: string): Lineage {
  const lineage = lineageOf(decision, series);
  if (!lineage) throw new NotFoundError(`No series ${series} (see \`redline series list\`)`);
  return lineage;
}

/** The members on the tree path from a to b. */
function pathBetween(lineage: Lineage, a: string, b: string): string[] {
  const neighbours = new Map<string, string[]>();
  for (const link of lineage.links) {
    neighbours.set(link.from, [...(neighbours.get(link.from) ?? []), link.to]);
    neighbours.set(link.to, [...(neighbours.get(link.to) ?? []), link.from]);
  }
  const previous = new Map<string, string>([[a, a]]);
  const queue = [a];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const next of neighbours.get(current) ?? []) {
      if (previous.has(next)) continue;
      previous.set(next, current);
      queue.push(next);
    }
  }
  if (!previous.has(b)) return [a, b];
  const path = [b];
  while (path[0] !== a) path.unshift(previous.get(path[0]!)!);
  return path;
}

/** Pairs of series of one profile that share no edition, with their hand-overs. */
function candidates(facts: readonly SeriesPageFacts[]): Candidate[] {
  const bySeries = seriesEditions(facts);
  const names = [...bySeries.keys()].sort();
  const result: Candidate[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const x = bySeries.get(names[i]!)!;
      const y = bySeries.get(names[j]!)!;
      if (x.profile !== y.profile || x.pages.some((page) => y.byEdition.has(page.edition))) continue;
      const [from, to] = x.pages[0]!.edition <= y.pages[0]!.edition ? [names[i]!, names[j]!] : [names[j]!, names[i]!];
      result.push({ from, to, transitions: transitionsBetween(facts, from, to) });
    }
  }
  return result;
}

/** Where the editions of two series, merged in order, pass from one series to the other. */
function transitionsBetween(facts: readonly SeriesPageFacts[], a: string, b: string): Transition[] {
  const merged = facts.filter((fact) => fact.series === a || fact.series === b).sort((x, y) => x.edition - y.edition);
  const transitions: Transition[] = [];
  for (let index = 1; index < merged.length; index++) {
    const before = merged[index - 1]!;
    const after = merged[index]!;
    if (before.series !== after.series && before.edition !== after.edition) transitions.push({ from: before, to: after });
  }
  return transitions;
}

function seriesEditions(facts: readonly SeriesPageFacts[]) {
  const bySeries = new Map<string, { profile: string; pages: SeriesPageFacts[]; byEdition: Map<number, SeriesPageFacts> }>();
  for (const fact of [...facts].sort((x, y) => x.edition - y.edition)) {
    let entry = bySeries.get(fact.series);
    if (!entry) bySeries.set(fact.series, (entry = { profile: fact.profile, pages: [], byEdition: new Map() }));
    entry.pages.push(fact);
    entry.byEdition.set(fact.edition, fact);
  }
  return bySeries;
}

function readTransition(transition: Transition, similarities: Similarities): TransitionEvidence {
  const { from, to } = transition;
  const taxonomy = compareTaxonomy(from.signals.taxonomy, to.signals.taxonomy);
  const name = compareNames(from.signals.name, to.signals.name);
  const similarity = similarities.get(similarityKey(from.page, to.page));
  const content = continuityVerdict(similarity);
  const supports =
    (content === 'agree' && (taxonomy === 'agree' || name === 'agree')) || (taxonomy === 'agree' && name === 'agree' && content !== 'disagree');
  return {
    from: { series: from.series, edition: from.edition, page: from.page },
    to: { series: to.series, edition: to.edition, page: to.page },
    taxonomy: {
      verdict: taxonomy,
      ...(from.signals.taxonomy ? { from: from.signals.taxonomy } : {}),
      ...(to.signals.taxonomy ? { to: to.signals.taxonomy } : {}),
    },
    name: { verdict: name, ...(from.signals.name ? { from: from.signals.name } : {}), ...(to.signals.name ? { to: to.signals.name } : {}) },
    content: { verdict: content, ...(similarity !== undefined ? { similarity: Math.round(similarity * 1000) / 1000 } : {}) },
    supports,
  };
}

/** Taxonomy agrees when the pages share a term, and disagrees when both list terms and share none. */
function compareTaxonomy(a: readonly string[] | undefined, b: readonly string[] | undefined): SignalVerdict {
  if (!a?.length || !b?.length) return 'unknown';
  return a.some((term) => b.includes(term)) ? 'agree' : 'disagree';
}

/** The strongest supporting hand-over, if any. */
function bestTransition(transitions: readonly TransitionEvidence[]): TransitionEvidence | undefined {
  return transitions.filter((transition) => transition.supports).sort(compareStrength)[0];
}

/** Adjacent editions first, then more agreeing signals, then closer text. */
function compareStrength(x: TransitionEvidence, y: TransitionEvidence): number {
  const gap = (transition: TransitionEvidence) => transition.to.edition - transition.from.edition;
  const agreeing = (transition: TransitionEvidence) =>
    [transition.taxonomy.verdict, transition.name.verdict, transition.content.verdict].filter((verdict) => verdict === 'agree').length;
  return gap(x) - gap(y) || agreeing(y) - agreeing(x) || (y.content.similarity ?? 0) - (x.content.similarity ?? 0);
}

/** Union-find over series, keeping each group's editions, links and the unlink constraints. */
class SeriesGroups {
  private readonly parent = new Map<string, string>();
  private readonly editions = new Map<string, Map<number, SeriesPageFacts>>();
  private readonly links = new Map<string, SeriesLink[]>();
  private readonly apart: Array<{ a: string; b: string; decidedAt: string }>;
  private readonly profiles = new Map<string, string>();

  constructor(facts: readonly SeriesPageFacts[], overrides: readonly LineageOverride[]) {
    for (const fact of facts) {
      if (!this.parent.has(fact.series)) {
        this.parent.set(fact.series, fact.series);
        this.editions.set(fact.series, new Map());
        this.links.set(fact.series, []);
        this.profiles.set(fact.series, fact.profile);
      }
      this.editions.get(fact.series)!.set(fact.edition, fact);
    }
    this.apart = overrides.filter((override) => override.action === 'unlink');
  }

  find(series: string): string {
    let root = series;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    return root;
  }

  sameGroup(a: string, b: string): boolean {
    return this.find(a) === this.find(b);
  }

  /** Oldest series first (by first edition). */
  ordered(a: string, b: string): [string, string] {
    const first = (series: string) => Math.min(...(this.editions.get(series)?.keys() ?? [Number.POSITIVE_INFINITY]));
    return first(a) <= first(b) ? [a, b] : [b, a];
  }

  problemJoining(a: string, b: string): string | undefined {
    if (!this.parent.has(a) || !this.parent.has(b)) return `${!this.parent.has(a) ? a : b} has no pages`;
    const [left, right] = [this.find(a), this.find(b)];
    if (left === right) return `${a} and ${b} are already one series`;
    if (this.profiles.get(left) !== this.profiles.get(right)) return 'different profiles';
    const leftEditions = this.editions.get(left)!;
    for (const [edition, fact] of this.editions.get(right)!) {
      const other = leftEditions.get(edition);
      if (other) return `both have edition ${edition} (pages ${other.page} and ${fact.page})`;
    }
    for (const constraint of this.apart) {
      const [x, y] = [this.find(constraint.a), this.find(constraint.b)];
      if ((x === left && y === right) || (x === right && y === left))
        return `${constraint.a} and ${constraint.b} were unlinked on ${constraint.decidedAt}`;
    }
    return undefined;
  }

  join(link: SeriesLink): void {
    const [left, right] = [this.find(link.from), this.find(link.to)];
    this.parent.set(right, left);
    const editions = this.editions.get(left)!;
    for (const [edition, fact] of this.editions.get(right)!) editions.set(edition, fact);
    this.links.set(left, [...this.links.get(left)!, ...this.links.get(right)!, link]);
  }

  lineages(): Lineage[] {
    const roots = [...this.parent.keys()].filter((series) => this.find(series) === series);
    return roots
      .map((root): Lineage => {
        const editions = [...this.editions.get(root)!.values()].sort((x, y) => x.edition - y.edition);
        const members = [...new Set(editions.map((edition) => edition.series))];
        return {
          id: editions[editions.length - 1]!.series,
          profile: this.profiles.get(root)!,
          members,
          editions: editions.map(({ edition, series, page }) => ({ edition, series, page })),
          links: this.links.get(root)!,
        };
      })
      .sort((x, y) => x.id.localeCompare(y.id));
  }
}
