/**
 * Sentence search over a provenance index, as WikiBlame answers "when was this text added, and when was it cut?":
 * every distinct sentence containing the phrase (case-insensitive, typographic quotes and dashes folded, spacing
 * collapsed, as the term audit and the removal ledger match), with the first and the last version that had it, and
 * the version right after the last one when it is gone from the newest version (where it was removed).
 *
 * Linear in the index's distinct sentences (one folded `includes` each); the place of a hit is looked up once per
 * version that holds a hit.
 */
import { foldForMatching } from '../audit.js';
import { versionLabel, type VersionLabel } from './blame.js';
import type { ProvenanceIndex, SentencePlace } from './provenance-index.js';

export interface SentenceHit {
  scope: string;
  /** As first written. */
  text: string;
  hash: string;
  /** Its section where it was last seen. */
  sectionKey: string;
  heading: string;
  /** Where the hit starts and ends in `text` (for highlighting), when the folded text keeps the positions. */
  match?: [number, number];
  firstSeen: VersionLabel;
  lastSeen: VersionLabel;
  /** The version right after `lastSeen`, when the sentence is gone from the newest version. */
  removedIn?: VersionLabel;
  /** Editions with at least one version containing it, ascending. */
  editions: number[];
  versions: number;
}

/** The folded form a query and a sentence are compared in (case, typography and runs of spaces ignored). */
export function foldQuery(text: string): string {
  return foldForMatching(text).replace(/\s+/gu, ' ').trim();
}

/**
 * Folded sentence texts by text (not by sentence hash: the hash is of a normal form that several spellings share), so
 * that a process answering several searches (the API, `redline serve`) folds each distinct sentence once. Bounded:
 * cleared when full.
 */
const foldedByText = new Map<string, string>();
export const FOLDED_SENTENCES_CACHED = 100_000;

function foldedSentence(text: string): string {
  let folded = foldedByText.get(text);
  if (folded === undefined) {
    folded = foldQuery(text);
    if (foldedByText.size >= FOLDED_SENTENCES_CACHED) foldedByText.clear();
    foldedByText.set(text, folded);
  }
  return folded;
}

/** Hits of one index, in timeline order of first appearance, then text. */
export function searchSentences(index: ProvenanceIndex, query: string): SentenceHit[] {
  const folded = foldQuery(query);
  if (folded === '' || index.versionCount === 0) return [];
  const newest = index.versionCount - 1;
  const labels = index.versions.map(versionLabel);
  const placesMemo = new Map<number, Map<number, SentencePlace>>();
  const placeIn = (position: number, sentence: number): SentencePlace | undefined => {
    let places = placesMemo.get(position);
    if (!places) {
      places = new Map();
      for (const place of index.places(position)) if (!places.has(place.sentence)) places.set(place.sentence, place);
      placesMemo.set(position, places);
    }
    return places.get(sentence);
  };

  const hits: SentenceHit[] = [];
  for (let id = 0; id < index.sentenceCount; id++) {
    const { text, hash } = index.sentence(id);
    const foldedText = foldedSentence(text);
    const at = foldedText.indexOf(folded);
    if (at === -1) continue;
    const presence = index.presence(id);
    if (presence.length === 0) continue;
    const first = presence[0]!;
    const last = presence[presence.length - 1]!;
    const place = placeIn(last, id);
    const section = place ? index.section(place.section) : undefined;
    const editions = [...new Set(presence.flatMap((position) => (labels[position]!.edition !== undefined ? [labels[position]!.edition!] : [])))];
    // Positions survive folding when the folded text is as long as the original (no collapsed spaces or expansions).
    const match: [number, number] | undefined = foldedText.length === text.length ? [at, at + folded.length] : undefined;
    hits.push({
      scope: index.scope,
      text,
      hash,
      sectionKey: section?.key ?? '',
      heading: place && section ? index.headingIn(last, place.section) : '',
      ...(match ? { match } : {}),
      firstSeen: labels[first]!,
      lastSeen: labels[last]!,
      ...(last < newest ? { removedIn: labels[last + 1]! } : {}),
      editions,
      versions: presence.length,
    });
  }
  const order = (label: VersionLabel) => index.indexOf(label);
  return hits.sort((a, b) => order(a.firstSeen) - order(b.firstSeen) || a.text.localeCompare(b.text));
}
