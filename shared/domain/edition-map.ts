/**
 * Edition map: how the sections of one edition of a report became those of the next, learned from every series
 * that has both editions. Each series' two editions are aligned on their own evidence (no prior); each previous
 * section gives one vote: for the next section it was paired with, or for "removed". Votes are counted per
 * previous section key (the normalised heading path, section-keys.ts), so the same heading in many countries'
 * reports is one row.
 *
 * The map then serves as a prior for one series' alignment (editionMapPrior): the series' own votes are left out
 * (the prior says what the other series did), a pairing needs evidence of the pages' own as well
 * (section-alignment.ts, judgeCandidate), and a section most other series dropped gets no weak pairing.
 */
import { toCsv } from './csv.js';
import type { Document, Section } from './document.js';
import { alignSections, type AlignmentPrior } from './section-alignment.js';

/** Bumped when the learning changes, so stored maps (cached by their inputs) are recomputed. */
export const EDITION_MAP_VERSION = 1;

export interface EditionMapSection {
  key: string;
  /** The heading as most series print it. */
  heading: string;
  /** Headings from the top level down to the section. */
  path: string[];
}

export interface EditionMapRow {
  /**
   * same: paired under the same key; moved: paired with a section of the same heading under another parent;
   * renamed: paired with a section of another heading; removed: no counterpart.
   */
  kind: 'same' | 'moved' | 'renamed' | 'removed';
  from: EditionMapSection;
  /** The next edition's section (absent for removed). */
  to?: EditionMapSection;
  /** Series whose alignment paired the two (removed: series whose next edition has no counterpart). */
  support: number;
  /** Series whose earlier edition has the previous section. */
  present: number;
  /** support / present. */
  confidence: number;
  /** The supporting series. */
  series: string[];
}

export interface EditionMap {
  version: typeof EDITION_MAP_VERSION;
  report: string;
  from: number;
  to: number;
  /** The series the map was learned from (those with both editions captured). */
  series: string[];
  /** Previous sections in outline order (their mean relative position), then by support. */
  rows: EditionMapRow[];
}

export interface SeriesEditions {
  series: string;
  previous: Document;
  next: Document;
}

function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

function headingPaths(sections: readonly Section[]): string[][] {
  const byKey = new Map<string, string[]>();
  return sections.map((section) => {
    const parent = section.parentKey !== undefined ? byKey.get(section.parentKey) : undefined;
    const path = [...(parent ?? []), section.heading];
    if (!byKey.has(section.key)) byKey.set(section.key, path);
    return path;
  });
}

/** Counts of the headings seen for one key; the most frequent wins (the first seen on ties). */
class HeadingVotes {
  private readonly counts = new Map<string, { count: number; path: string[] }>();

  add(heading: string, path: string[]): void {
    const entry = this.counts.get(heading);
    if (entry) entry.count++;
    else this.counts.set(heading, { count: 1, path });
  }

  winner(key: string): EditionMapSection {
    let best: [string, { count: number; path: string[] }] | undefined;
    for (const entry of this.counts) if (!best || entry[1].count > best[1].count) best = entry;
    return { key, heading: best?.[0] ?? key, path: best?.[1].path ?? [] };
  }
}

/** Aligns each series' two editions on their own evidence and counts, per previous section, where it went. */
export function learnEditionMap(report: string, from: number, to: number, inputs: readonly SeriesEditions[]): EditionMap {
  const learner = new EditionMapLearner();
  for (const input of inputs) learner.add(input);
  return learner.map(report, from, to);
}

const REMOVED = '';

/**
 * learnEditionMap one series at a time: `add` aligns a series' two editions and keeps only its votes, so a caller can
 * drop the Documents before reading the next series' (the map then needs memory for one pair, not for all). Series
 * must be added in a fixed order (ties between headings go to the first seen).
 */
export class EditionMapLearner {
  private readonly votes = new Map<string, Map<string, string[]>>();
  private readonly present = new Map<string, Set<string>>();
  private readonly positions = new Map<string, number[]>();
  private readonly fromHeadings = new Map<string, HeadingVotes>();
  private readonly toHeadings = new Map<string, HeadingVotes>();
  private readonly seriesSeen: string[] = [];

  add({ series, previous, next }: SeriesEditions): void {
    const { votes, present, positions, fromHeadings, toHeadings } = this;
    this.seriesSeen.push(series);
    const vote = (map: Map<string, HeadingVotes>, section: Section, path: string[]) => {
      let entry = map.get(section.key);
      if (!entry) map.set(section.key, (entry = new HeadingVotes()));
      entry.add(section.heading, path);
    };
    const alignment = alignSections(previous.sections, next.sections);
    const pairOf = new Map(alignment.matches.map((match) => [match.before, match.after]));
    const previousPaths = headingPaths(previous.sections);
    const nextPaths = headingPaths(next.sections);
    previous.sections.forEach((section, i) => {
      // A key repeated in one document ("-2" keys are distinct) counts once per series.
      const seen = present.get(section.key) ?? new Set<string>();
      if (seen.has(series)) return;
      seen.add(series);
      present.set(section.key, seen);
      vote(fromHeadings, section, previousPaths[i] as string[]);
      const position = positions.get(section.key) ?? [];
      position.push(i / Math.max(1, previous.sections.length));
      positions.set(section.key, position);
      const j = pairOf.get(i);
      const target = j === undefined ? REMOVED : (next.sections[j] as Section).key;
      if (j !== undefined) vote(toHeadings, next.sections[j] as Section, nextPaths[j] as string[]);
      const targets = votes.get(section.key) ?? new Map<string, string[]>();
      targets.set(target, [...(targets.get(target) ?? []), series]);
      votes.set(section.key, targets);
    });
  }

  map(report: string, from: number, to: number): EditionMap {
    const { votes, present, positions, fromHeadings, toHeadings } = this;
    const rows: Array<EditionMapRow & { position: number }> = [];
    for (const [fromKey, targets] of votes) {
      const seenIn = present.get(fromKey)?.size ?? 0;
      const position = mean(positions.get(fromKey) ?? []);
      for (const [toKey, series] of targets) {
        const row: EditionMapRow & { position: number } = {
          kind: toKey === REMOVED ? 'removed' : toKey === fromKey ? 'same' : lastSegment(toKey) === lastSegment(fromKey) ? 'moved' : 'renamed',
          from: (fromHeadings.get(fromKey) as HeadingVotes).winner(fromKey),
          support: series.length,
          present: seenIn,
          confidence: Math.round((series.length / seenIn) * 1000) / 1000,
          series: [...series].sort(),
          position,
        };
        if (toKey !== REMOVED) row.to = (toHeadings.get(toKey) as HeadingVotes).winner(toKey);
        rows.push(row);
      }
    }
    rows.sort(
      (a, b) =>
        a.position - b.position || b.support - a.support || a.from.key.localeCompare(b.from.key) || (a.to?.key ?? '').localeCompare(b.to?.key ?? ''),
    );
    return {
      version: EDITION_MAP_VERSION,
      report,
      from,
      to,
      series: [...this.seriesSeen].sort(),
      rows: rows.map(({ position: _position, ...row }) => row),
    };
  }
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 1 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export interface EditionMapPriorOptions {
  /** The series being aligned: its own votes are left out, so the prior is what the other series did. */
  exclude?: string;
}

interface PriorRow {
  toKey: string | undefined;
  support: number;
}

/**
 * "Dropped" turns the pages' own weak evidence off, so it needs more than one other series behind it; a pairing only
 * adds to the pages' own evidence, so one other series is enough.
 */
const MIN_DROPPED_SUPPORT = 2;

/**
 * The map as a prior for one series' alignment. A previous section is looked up by key, or by its last key segment
 * when only one section of the map ends that way (a country whose parent heading differs); the next section alike.
 * Confidence is support / present among the other series; without another series that has the section, 0, and
 * "dropped" is 0 unless at least two other series dropped the section.
 */
export function editionMapPrior(map: EditionMap, options: EditionMapPriorOptions = {}): AlignmentPrior {
  const byFrom = new Map<string, { present: number; rows: PriorRow[] }>();
  for (const row of map.rows) {
    const own = options.exclude !== undefined && row.series.includes(options.exclude) ? 1 : 0;
    const entry = byFrom.get(row.from.key) ?? { present: row.present, rows: [] };
    if (own) entry.present = row.present - 1;
    entry.rows.push({ toKey: row.to?.key, support: row.support - own });
    byFrom.set(row.from.key, entry);
  }
  const uniqueBySegment = <T>(keys: Iterable<string>, value: (key: string) => T): Map<string, T | undefined> => {
    const bySegment = new Map<string, T | undefined>();
    for (const key of keys) {
      const segment = lastSegment(key);
      bySegment.set(segment, bySegment.has(segment) ? undefined : value(key));
    }
    return bySegment;
  };
  const fromBySegment = uniqueBySegment(byFrom.keys(), (key) => byFrom.get(key));
  const toKeys = new Set(map.rows.flatMap((row) => (row.to ? [row.to.key] : [])));
  const toBySegment = uniqueBySegment(toKeys, (key) => key);
  const entryOf = (section: Section) => byFrom.get(section.key) ?? fromBySegment.get(lastSegment(section.key));
  const targetOf = (section: Section) => (toKeys.has(section.key) ? section.key : toBySegment.get(lastSegment(section.key)));
  const confidence = (entry: { present: number; rows: PriorRow[] } | undefined, toKey: string | undefined, minSupport: number): number => {
    if (!entry || entry.present <= 0) return 0;
    const row = entry.rows.find((candidate) => candidate.toKey === toKey);
    return row && row.support >= minSupport ? row.support / entry.present : 0;
  };
  return {
    pairing(before, after) {
      const target = targetOf(after);
      return target === undefined ? 0 : confidence(entryOf(before), target, 1);
    },
    dropped(before) {
      return confidence(entryOf(before), undefined, MIN_DROPPED_SUPPORT);
    },
  };
}

/** The CSV columns of an edition map (one line per row, RFC 4180 quoting). */
export const EDITION_MAP_CSV_COLUMNS = ['kind', 'from_key', 'from_heading', 'to_key', 'to_heading', 'support', 'present', 'confidence'] as const;

export function editionMapToCsv(map: EditionMap): string {
  return toCsv([
    EDITION_MAP_CSV_COLUMNS,
    ...map.rows.map((row) => [
      row.kind,
      row.from.key,
      row.from.heading,
      row.to?.key ?? '',
      row.to?.heading ?? '',
      row.support,
      row.present,
      row.confidence,
    ]),
  ]);
}
