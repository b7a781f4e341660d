/**
 * One section followed across every edition of a series, through renames and moves: the section's lineage on the
 * provenance index's timeline (sections are aligned between adjacent versions by heading and text; equal lineages
 * mean the same section however it was renamed or moved). For each edition's latest version: the section's heading
 * and key there (or its absence), its sentences and words, and the sentences that came and went since the edition
 * before. Linear in the sentences of the editions' latest versions.
 */
import { versionLabel, type VersionLabel } from './blame.js';
import type { ProvenanceIndex } from './provenance-index.js';

export interface SectionInEdition {
  edition: number;
  version: VersionLabel;
  /** Absent when the edition has no section of this lineage (with text). */
  key?: string;
  heading?: string;
  sentences: number;
  words: number;
  /** Against the previous edition's section of the same lineage (absent for the first edition listed). */
  added?: number;
  removed?: number;
  renamed?: boolean;
}

export interface SectionLineageHistory {
  /** The section asked for: its key and heading in the edition given. */
  key: string;
  heading: string;
  edition: number;
  editions: SectionInEdition[];
}

function wordCount(text: string): number {
  return text.split(/\s+/u).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** Undefined when the edition or the section (with at least one sentence) is not on the timeline. */
export function sectionAcrossEditions(index: ProvenanceIndex, edition: number, key: string): SectionLineageHistory | undefined {
  const start = index.latestOfEdition(edition);
  if (start === -1) return undefined;
  const startPlace = index.places(start).find((place) => index.section(place.section).key === key);
  if (!startPlace) return undefined;
  const lineage = index.lineage(start, startPlace.section);
  const editions: SectionInEdition[] = [];
  let previous: Set<number> | undefined;
  let previousKey: string | undefined;
  for (const year of index.editions()) {
    const position = index.latestOfEdition(year);
    const places = index.places(position).filter((place) => index.lineage(position, place.section) === lineage);
    const ids = new Set(places.map((place) => place.sentence));
    const entry: SectionInEdition = { edition: year, version: versionLabel(index.version(position)), sentences: places.length, words: 0 };
    if (places.length > 0) {
      const section = places[0]!.section;
      entry.key = index.section(section).key;
      entry.heading = index.headingIn(position, section);
      entry.words = places.reduce((sum, place) => sum + wordCount(place.text), 0);
    }
    if (previous !== undefined) {
      entry.added = [...ids].filter((id) => !previous!.has(id)).length;
      entry.removed = [...previous].filter((id) => !ids.has(id)).length;
      if (entry.key !== undefined && previousKey !== undefined && entry.key !== previousKey) entry.renamed = true;
    }
    editions.push(entry);
    previous = ids;
    if (entry.key !== undefined) previousKey = entry.key;
  }
  return { key, heading: index.headingIn(start, startPlace.section), edition, editions };
}
