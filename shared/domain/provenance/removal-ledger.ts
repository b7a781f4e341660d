/**
 * The removal ledger: the sentences of one version that are gone from a later one ("what was cut"), each with its
 * section, the last version that had it, where it was cut, and whether it comes back later, reworded, or only moved.
 *
 * A sentence still present in the later version is never a removal. If it stands there in another section (not the
 * same section renamed or moved as a whole: sections are followed by their lineage), it is listed as `moved` only
 * when moves are asked for. A gone sentence whose content survives in a new sentence of the later version (the
 * best fuzzy match at or above the rewording threshold) is `reworded`; anything else is `removed`.
 */
import { foldForMatching } from '../audit.js';
import { toCsv } from '../csv.js';
import { versionLabel, type VersionLabel } from './blame.js';
import type { ProvenanceIndex, SentencePlace } from './provenance-index.js';
import { matchTokenSets } from './rewording.js';

export const REMOVAL_FATES = ['removed', 'reworded', 'moved'] as const;
export type RemovalFate = (typeof REMOVAL_FATES)[number];
/** What the ledger lists unless told otherwise: moves are not removals. */
export const DEFAULT_REMOVAL_FATES: readonly RemovalFate[] = ['removed', 'reworded'];

export interface LedgerSection {
  key: string;
  heading: string;
}

export interface RemovedSentence {
  fate: RemovalFate;
  /** As written in the earlier version. */
  text: string;
  hash: string;
  /** Its section in the earlier version. */
  section: LedgerSection;
  /** The pair compared. */
  from: VersionLabel;
  to: VersionLabel;
  /** The first version with this sentence. */
  origin: VersionLabel;
  /** The last version up to `to` that had it (`to` itself for a move). */
  lastSeen: VersionLabel;
  /** The version right after `lastSeen`: where it was cut (absent for a move). */
  removedIn?: VersionLabel;
  /** The first version after `to` that has it again, and its section there. */
  reappears?: VersionLabel & { sectionKey: string };
  /** For `reworded`: the new sentence of `to` that carries it on. */
  rewordedAs?: { text: string; hash: string; similarity: number; section: LedgerSection };
  /** For `moved`: its section in `to`. */
  movedTo?: LedgerSection;
}

export interface LedgerTransition {
  from: VersionLabel;
  to: VersionLabel;
  /** Listed sentences per fate (after the filters). */
  removed: number;
  reworded: number;
  moved: number;
}

export interface RemovalLedger {
  scope: string;
  transitions: LedgerTransition[];
  /** By transition, then in the earlier version's document order. */
  sentences: RemovedSentence[];
}

export interface LedgerOptions {
  /** Only sentences containing this term (case-insensitive, typographic quotes folded, as the term audit counts). */
  term?: string;
  /** Only sentences whose section key (in the earlier version) starts with this. */
  sectionPrefix?: string;
  /** Default: removed and reworded. */
  fates?: readonly RemovalFate[];
}

/**
 * The pairs to compare for a series: the latest versions of two editions, or (without `from` and `to`) every
 * edition with the next one. Positions are timeline positions; -1 marks an edition the timeline lacks.
 */
export function editionPairs(index: ProvenanceIndex, from?: number, to?: number): Array<[number, number]> {
  if (from !== undefined && to !== undefined) return [[index.latestOfEdition(from), index.latestOfEdition(to)]];
  const editions = index.editions();
  const pairs: Array<[number, number]> = [];
  for (let position = 1; position < editions.length; position++) {
    pairs.push([index.latestOfEdition(editions[position - 1]!), index.latestOfEdition(editions[position]!)]);
  }
  return pairs;
}

/** The ledger over the given pairs of timeline positions (earlier, later). */
export function removalLedger(index: ProvenanceIndex, pairs: ReadonlyArray<readonly [number, number]>, options: LedgerOptions = {}): RemovalLedger {
  const fates = new Set(options.fates ?? DEFAULT_REMOVAL_FATES);
  const term = options.term !== undefined && foldForMatching(options.term).trim() !== '' ? foldForMatching(options.term) : undefined;
  const labels = index.versions.map(versionLabel);
  const transitions: LedgerTransition[] = [];
  const sentences: RemovedSentence[] = [];
  const placesMemo = new Map<number, SentencePlace[]>();
  const placesOf = (position: number): SentencePlace[] => {
    let places = placesMemo.get(position);
    if (!places) {
      places = index.places(position);
      placesMemo.set(position, places);
    }
    return places;
  };

  for (const [fromPosition, toPosition] of pairs) {
    const transition: LedgerTransition = { from: labels[fromPosition]!, to: labels[toPosition]!, removed: 0, reworded: 0, moved: 0 };
    transitions.push(transition);
    const before = firstPlaces(placesOf(fromPosition));
    const afterPlaces = placesOf(toPosition);
    const after = firstPlaces(afterPlaces);
    const afterSections = new Map<number, number[]>();
    for (const place of afterPlaces) {
      const list = afterSections.get(place.sentence);
      if (list) list.push(place.section);
      else afterSections.set(place.sentence, [place.section]);
    }

    const vanished = [...before.keys()].filter((id) => !after.has(id));
    const fresh = [...after.keys()].filter((id) => !before.has(id));
    const rewordings = fates.has('reworded')
      ? matchTokenSets(
          vanished.map((id) => index.tokenSet(id)),
          fresh.map((id) => index.tokenSet(id)),
        ).byVanished
      : new Map();
    const rewordedAs = new Map<number, { to: number; similarity: number }>();
    for (const match of rewordings.values()) rewordedAs.set(vanished[match.from]!, { to: fresh[match.to]!, similarity: match.similarity });

    for (const [id, place] of before) {
      const section = index.section(place.section);
      if (options.sectionPrefix !== undefined && !section.key.startsWith(options.sectionPrefix)) continue;
      if (term !== undefined && !foldForMatching(place.text).includes(term)) continue;
      const sectionHere = { key: section.key, heading: index.headingIn(fromPosition, place.section) };
      const presence = index.presence(id);
      const { hash } = index.sentence(id);
      const base = {
        text: place.text,
        hash,
        section: sectionHere,
        from: labels[fromPosition]!,
        to: labels[toPosition]!,
        origin: labels[presence[0]!]!,
      };

      const stillThere = afterSections.get(id);
      if (stillThere) {
        const lineage = index.lineage(fromPosition, place.section);
        if (stillThere.some((sectionId) => index.lineage(toPosition, sectionId) === lineage)) continue;
        if (!fates.has('moved')) continue;
        const target = after.get(id)!.section;
        sentences.push({
          fate: 'moved',
          ...base,
          lastSeen: labels[toPosition]!,
          movedTo: { key: index.section(target).key, heading: index.headingIn(toPosition, target) },
        });
        transition.moved++;
        continue;
      }

      const rewording = rewordedAs.get(id);
      const fate: RemovalFate = rewording ? 'reworded' : 'removed';
      if (!fates.has(fate)) continue;
      const lastSeen = lastAtOrBefore(presence, toPosition);
      const entry: RemovedSentence = { fate, ...base, lastSeen: labels[lastSeen]! };
      if (lastSeen + 1 <= toPosition) entry.removedIn = labels[lastSeen + 1]!;
      const later = presence.find((position) => position > toPosition);
      if (later !== undefined) {
        const there = placesOf(later).find((candidate) => candidate.sentence === id)!;
        entry.reappears = { ...labels[later]!, sectionKey: index.section(there.section).key };
      }
      if (rewording) {
        const target = after.get(rewording.to)!;
        const newer = index.sentence(rewording.to);
        entry.rewordedAs = {
          text: target.text,
          hash: newer.hash,
          similarity: rewording.similarity,
          section: { key: index.section(target.section).key, heading: index.headingIn(toPosition, target.section) },
        };
      }
      sentences.push(entry);
      transition[fate]++;
    }
  }
  return { scope: index.scope, transitions, sentences };
}

/** Each distinct sentence at its first place, in document order. */
function firstPlaces(places: readonly SentencePlace[]): Map<number, SentencePlace> {
  const first = new Map<number, SentencePlace>();
  for (const place of places) if (!first.has(place.sentence)) first.set(place.sentence, place);
  return first;
}

function lastAtOrBefore(presence: readonly number[], limit: number): number {
  let found = presence[0]!;
  for (const position of presence) {
    if (position > limit) break;
    found = position;
  }
  return found;
}

/** A version in one short cell: `2023` (an edition's first revision), `2023#2` (a later one), `#3` (no edition). */
export function versionText(label: VersionLabel | undefined): string {
  if (!label) return '';
  if (label.edition === undefined) return `#${label.seq}`;
  return label.seq > 1 ? `${label.edition}#${label.seq}` : String(label.edition);
}

export const LEDGER_CSV_COLUMNS = [
  'fate',
  'from',
  'to',
  'section_key',
  'heading',
  'sentence',
  'origin',
  'last_seen',
  'removed_in',
  'reappears_in',
  'reworded_as',
  'similarity',
  'moved_to',
] as const;

/** The ledger as RFC 4180 CSV (CRLF line ends, fields quoted only when needed), header first (LEDGER_CSV_COLUMNS). */
export function removalLedgerToCsv(sentences: readonly RemovedSentence[]): string {
  const lines: (string | number)[][] = [[...LEDGER_CSV_COLUMNS]];
  for (const sentence of sentences) {
    lines.push([
      sentence.fate,
      versionText(sentence.from),
      versionText(sentence.to),
      sentence.section.key,
      sentence.section.heading,
      sentence.text,
      versionText(sentence.origin),
      versionText(sentence.lastSeen),
      versionText(sentence.removedIn),
      versionText(sentence.reappears),
      sentence.rewordedAs?.text ?? '',
      sentence.rewordedAs ? sentence.rewordedAs.similarity.toFixed(3) : '',
      sentence.movedTo?.key ?? '',
    ]);
  }
  return toCsv(lines);
}
