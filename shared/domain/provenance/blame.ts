/**
 * Blame: for every sentence of one version, where it comes from. Its origin is the first version on the timeline
 * that has the same sentence (same `sentenceHash`); when that origin is a version whose predecessor had a similar
 * sentence that vanished, the sentence came in reworded, and the earlier wording is shown with its similarity.
 */
import type { ProvenanceIndex, VersionRef } from './provenance-index.js';

/** A version as blame and the ledger name it. */
export interface VersionLabel {
  page: string;
  seq: number;
  edition?: number;
  capturedAt: string;
}

export function versionLabel(ref: VersionRef): VersionLabel {
  return { page: ref.page, seq: ref.seq, ...(ref.edition !== undefined ? { edition: ref.edition } : {}), capturedAt: ref.capturedAt };
}

export interface BlameRewording {
  /** The earlier wording, as first seen. */
  text: string;
  hash: string;
  /** Dice similarity of the two wordings' token sets (0..1, 3 decimals). */
  similarity: number;
  /** Where the earlier wording first appeared, and the last version that had it. */
  origin: VersionLabel;
  lastSeen: VersionLabel;
}

export interface BlamedSentence {
  /** Position among the version's sentences (document order, from 0). */
  position: number;
  sectionKey: string;
  heading: string;
  /** Paragraph index within the section (from 0). */
  paragraph: number;
  /** Exactly as written in this version. */
  text: string;
  hash: string;
  /** The first version with this sentence (this very wording, up to case, spacing and typographic quotes). */
  origin: VersionLabel;
  /** The last version with it (later than the blamed one when it survived). */
  lastSeen: VersionLabel;
  /** Every edition with at least one version containing it, ascending (empty for pages without editions). */
  editions: number[];
  /** How many versions on the timeline contain it. */
  versions: number;
  /** Set when the sentence came in as a rewording of a sentence of the version before its origin. */
  rewordedFrom?: BlameRewording;
  /** With `rewordedFrom`: the origin of the oldest wording, following rewordings back. */
  firstWordingOrigin?: VersionLabel;
}

export interface BlameSummary {
  sentences: number;
  /** Sentences per origin version, in timeline order. */
  byOrigin: Array<VersionLabel & { sentences: number }>;
  /** Sentences that came in reworded. */
  reworded: number;
}

export interface Blame {
  scope: string;
  version: VersionLabel & { documentHash: string };
  /** Every version of the scope, in timeline order (edition, then revision). */
  timeline: VersionLabel[];
  editions: number[];
  summary: BlameSummary;
  sentences: BlamedSentence[];
}

export interface BlameOptions {
  /** Only sentences of sections whose key starts with this (`liberty` matches `liberty` and `liberty/...`). */
  sectionPrefix?: string;
}

/** Blames every sentence of the version at `position` on the index's timeline. */
export function blameVersion(index: ProvenanceIndex, position: number, options: BlameOptions = {}): Blame {
  const ref = index.version(position);
  const labels = index.versions.map(versionLabel);
  const sentences: BlamedSentence[] = [];
  const originCounts = new Map<number, number>();
  let reworded = 0;
  for (const place of index.places(position)) {
    const section = index.section(place.section);
    if (options.sectionPrefix !== undefined && !section.key.startsWith(options.sectionPrefix)) continue;
    const { hash } = index.sentence(place.sentence);
    const presence = index.presence(place.sentence);
    const originPosition = presence[0]!;
    const blamed: BlamedSentence = {
      position: place.position,
      sectionKey: section.key,
      heading: index.headingIn(position, place.section),
      paragraph: place.paragraph,
      text: place.text,
      hash,
      origin: labels[originPosition]!,
      lastSeen: labels[presence[presence.length - 1]!]!,
      editions: editionsOf(index, presence),
      versions: presence.length,
    };
    const rewording = index.rewordedFrom(originPosition, place.sentence);
    if (rewording) {
      const earlier = index.sentence(rewording.from);
      const earlierPresence = index.presence(rewording.from);
      blamed.rewordedFrom = {
        text: earlier.text,
        hash: earlier.hash,
        similarity: rewording.similarity,
        origin: labels[earlierPresence[0]!]!,
        lastSeen: labels[lastBefore(earlierPresence, originPosition)]!,
      };
      blamed.firstWordingOrigin = labels[firstWordingOrigin(index, rewording.from)]!;
      reworded++;
    }
    originCounts.set(originPosition, (originCounts.get(originPosition) ?? 0) + 1);
    sentences.push(blamed);
  }
  return {
    scope: index.scope,
    version: { ...labels[position]!, documentHash: ref.documentHash },
    timeline: labels,
    editions: index.editions(),
    summary: {
      sentences: sentences.length,
      byOrigin: [...originCounts.entries()].sort((a, b) => a[0] - b[0]).map(([origin, count]) => ({ ...labels[origin]!, sentences: count })),
      reworded,
    },
    sentences,
  };
}

function editionsOf(index: ProvenanceIndex, presence: readonly number[]): number[] {
  const editions: number[] = [];
  for (const position of presence) {
    const edition = index.version(position).edition;
    if (edition !== undefined && editions[editions.length - 1] !== edition) editions.push(edition);
  }
  return editions;
}

/** The last of the ascending positions that comes before `limit` (the first one when none does). */
function lastBefore(presence: readonly number[], limit: number): number {
  let found = presence[0]!;
  for (const position of presence) {
    if (position >= limit) break;
    found = position;
  }
  return found;
}

/** Origin position of the oldest wording reached by following rewordings back from a sentence. */
function firstWordingOrigin(index: ProvenanceIndex, sentence: number): number {
  let current = sentence;
  let origin = index.presence(current)[0]!;
  // Each step goes to a strictly earlier origin, so the chain is at most as long as the timeline.
  for (let step = 0; step < index.versionCount; step++) {
    const earlier = index.rewordedFrom(origin, current);
    if (!earlier) break;
    current = earlier.from;
    origin = index.presence(current)[0]!;
  }
  return origin;
}
