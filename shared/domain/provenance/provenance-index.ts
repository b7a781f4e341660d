/**
 * The provenance index of one scope (a series, or a page without a series): every captured version on one
 * timeline, each as its sentence identities in document order, plus what links each version to the one before it
 * (the sentences that reword a vanished one, and the sections aligned under another key). Everything blame and the
 * removal ledger say is derived from it in one pass.
 *
 * The timeline orders versions by edition, then page, then revision: `[(2016, rev 1), (2016, rev 2), (2017, rev 1),
 * ...]`. Adding a version computes at most two links (the new version against its predecessor, its successor
 * against it), whatever the position, so editions and revisions may arrive in any order. The stored form
 * (`toData`) is canonical: sentences and sections are numbered in timeline order, so the same versions give the
 * same bytes however they arrived (incremental updates and a full rebuild agree exactly).
 */
import type { Section } from '../document.js';
import { alignSections } from '../section-alignment.js';
import { DEFAULT_REWORDING_THRESHOLD, matchTokenSets, MIN_REWORDING_TOKENS, TokenVocabulary } from './rewording.js';
import type { SentenceSection, VersionSentences } from './version-sentences.js';

export const PROVENANCE_SCHEMA_VERSION = 1 as const;
/**
 * Names the segmentation, identity, matching and alignment the index was built with. An index stored under another
 * name is not read; it is rebuilt from the Documents.
 */
export const PROVENANCE_ALGORITHM = `sentences-1;fnv1a64;dice-${DEFAULT_REWORDING_THRESHOLD}-min${MIN_REWORDING_TOKENS};sections-1`;

/** One captured version: a revision of a page, which belongs to an edition when the page has one. */
export interface VersionRef {
  page: string;
  seq: number;
  edition?: number;
  /** sha256 of the Document (its docs/ key). */
  documentHash: string;
  capturedAt: string;
}

/** Timeline order: by edition (versions without one after the others), then page, then revision. */
export function compareVersions(a: Pick<VersionRef, 'page' | 'seq' | 'edition'>, b: Pick<VersionRef, 'page' | 'seq' | 'edition'>): number {
  if (a.edition !== b.edition) {
    if (a.edition === undefined) return 1;
    if (b.edition === undefined) return -1;
    return a.edition - b.edition;
  }
  if (a.page !== b.page) return a.page < b.page ? -1 : 1;
  return a.seq - b.seq;
}

/** A version as stored (docs/provenance.md, "Storage"). */
export interface StoredVersion extends VersionRef {
  /** Sections in document order as `[sectionId, paragraphCount]` pairs, flattened. */
  sections: number[];
  /** `[position in sections, heading]` where this version's heading differs from the section's recorded one. */
  headings?: Array<[number, string]>;
  /** Sentences per paragraph, every paragraph in document order. */
  paragraphs: number[];
  /** Sentence ids in document order. */
  sentences: number[];
  /** `[position, exact text]` where this version's wording differs from the sentence's recorded text. */
  wordings?: Array<[number, string]>;
  /** Against the previous version: `[sentenceId, vanishedSentenceId, similarity in thousandths]`. */
  reworded?: Array<[number, number, number]>;
  /** Against the previous version: sections aligned under another key, `[previousSectionId, sectionId]`. */
  renamed?: Array<[number, number]>;
}

export interface ProvenanceIndexData {
  schemaVersion: typeof PROVENANCE_SCHEMA_VERSION;
  algorithm: string;
  /** `series:<series>` or `page:<page>`. */
  scope: string;
  /** By sentence id: `[hash, text as first seen]`. */
  sentences: Array<[string, string]>;
  /** By section id: `[key, heading as first seen, level, parentKey]`. */
  sections: Array<[string, string, number, string | null]>;
  /** Timeline order. */
  versions: StoredVersion[];
}

/** Whether stored data is an index this code can read (schema and algorithm both current). */
export function isCurrentIndexData(data: unknown, scope?: string): data is ProvenanceIndexData {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as Partial<ProvenanceIndexData>;
  return (
    candidate.schemaVersion === PROVENANCE_SCHEMA_VERSION &&
    candidate.algorithm === PROVENANCE_ALGORITHM &&
    (scope === undefined || candidate.scope === scope) &&
    Array.isArray(candidate.sentences) &&
    Array.isArray(candidate.sections) &&
    Array.isArray(candidate.versions)
  );
}

interface Link {
  reworded: Array<[number, number, number]>;
  renamed: Array<[number, number]>;
}

interface WorkingVersion {
  ref: VersionRef;
  sections: Array<{ id: number; heading: string; paragraphs: number }>;
  paragraphs: number[];
  sentences: number[];
  texts: string[];
  /** Undefined until computed (after an insertion before or at this version). */
  link?: Link;
}

/** Where a sentence stands in a version. */
export interface SentencePlace {
  position: number;
  sentence: number;
  text: string;
  /** Section id, its position among the version's sections, and the paragraph's index within the section. */
  section: number;
  sectionPosition: number;
  paragraph: number;
}

interface Derived {
  /** By sentence id: the timeline positions of the versions containing it, ascending. */
  presence: number[][];
  sets: Array<Set<number>>;
  /** By version: section id -> lineage (the section across renames and moves). */
  lineage: Array<Map<number, number>>;
  /** By version: sentence id -> [vanished sentence id, similarity in thousandths]. */
  rewordedFrom: Array<Map<number, [number, number]>>;
}

export class ProvenanceIndex {
  private readonly sentenceIds = new Map<string, number>();
  private readonly sentenceTable: Array<{ hash: string; text: string }> = [];
  private readonly sectionIds = new Map<string, number>();
  private readonly sectionTable: SentenceSection[] = [];
  private readonly timeline: WorkingVersion[] = [];
  private readonly vocabulary = new TokenVocabulary();
  private readonly tokens = new Map<number, Int32Array>();
  private derivedCache: Derived | undefined;

  constructor(readonly scope: string) {}

  static fromData(data: ProvenanceIndexData): ProvenanceIndex {
    const index = new ProvenanceIndex(data.scope);
    data.sentences.forEach(([hash, text], id) => {
      index.sentenceIds.set(hash, id);
      index.sentenceTable.push({ hash, text });
    });
    data.sections.forEach(([key, heading, level, parentKey], id) => {
      index.sectionIds.set(key, id);
      index.sectionTable.push({ key, heading, level, ...(parentKey !== null ? { parentKey } : {}) });
    });
    for (const stored of data.versions) {
      const headings = new Map(stored.headings ?? []);
      const sections: WorkingVersion['sections'] = [];
      for (let position = 0; position < stored.sections.length / 2; position++) {
        const id = stored.sections[2 * position]!;
        sections.push({ id, heading: headings.get(position) ?? index.sectionTable[id]!.heading, paragraphs: stored.sections[2 * position + 1]! });
      }
      const wordings = new Map(stored.wordings ?? []);
      const { page, seq, edition, documentHash, capturedAt } = stored;
      index.timeline.push({
        ref: { page, seq, ...(edition !== undefined ? { edition } : {}), documentHash, capturedAt },
        sections,
        paragraphs: [...stored.paragraphs],
        sentences: [...stored.sentences],
        texts: stored.sentences.map((id, position) => wordings.get(position) ?? index.sentenceTable[id]!.text),
        link: { reworded: stored.reworded ?? [], renamed: stored.renamed ?? [] },
      });
    }
    return index;
  }

  /** The versions, in timeline order. */
  get versions(): VersionRef[] {
    return this.timeline.map((version) => version.ref);
  }

  get versionCount(): number {
    return this.timeline.length;
  }

  get sentenceCount(): number {
    return this.sentenceTable.length;
  }

  /** Timeline position of a page's revision, or -1. */
  indexOf(ref: { page: string; seq: number }): number {
    return this.timeline.findIndex((version) => version.ref.page === ref.page && version.ref.seq === ref.seq);
  }

  /** Whether this exact version (same page, revision and Document) is indexed. */
  has(ref: VersionRef): boolean {
    const position = this.indexOf(ref);
    return position !== -1 && this.timeline[position]!.ref.documentHash === ref.documentHash;
  }

  /**
   * Adds a version at its place in the timeline (replacing a different Document recorded for the same revision).
   * False when this exact version was indexed already. Links are computed lazily, on the next read or `toData`.
   */
  addVersion(ref: VersionRef, sentences: VersionSentences): boolean {
    if (this.has(ref)) return false;
    const existing = this.indexOf(ref);
    if (existing !== -1) {
      this.timeline.splice(existing, 1);
      const formerSuccessor = this.timeline[existing];
      if (formerSuccessor) formerSuccessor.link = undefined;
    }
    const version: WorkingVersion = {
      ref: { ...ref },
      sections: sentences.sections.map((section) => ({ id: this.internSection(section), heading: section.heading, paragraphs: section.paragraphs })),
      paragraphs: [...sentences.paragraphs],
      sentences: sentences.hashes.map((hash, position) => this.internSentence(hash, sentences.texts[position]!)),
      texts: [...sentences.texts],
    };
    let position = this.timeline.findIndex((other) => compareVersions(ref, other.ref) < 0);
    if (position === -1) position = this.timeline.length;
    this.timeline.splice(position, 0, version);
    const successor = this.timeline[position + 1];
    if (successor) successor.link = undefined;
    this.derivedCache = undefined;
    return true;
  }

  /** Computes the links still missing (each: a rewording match and a section alignment of two adjacent versions). */
  settle(): void {
    const sectionsMemo = new Map<WorkingVersion, Section[]>();
    for (let position = 0; position < this.timeline.length; position++) {
      const version = this.timeline[position]!;
      if (version.link) continue;
      version.link = position === 0 ? { reworded: [], renamed: [] } : this.computeLink(this.timeline[position - 1]!, version, sectionsMemo);
      this.derivedCache = undefined;
    }
  }

  /** The canonical stored form: sentences and sections numbered in timeline order. */
  toData(): ProvenanceIndexData {
    this.settle();
    const sentenceIds = new Map<number, number>();
    const sentences: Array<[string, string]> = [];
    const sectionIds = new Map<number, number>();
    const sections: ProvenanceIndexData['sections'] = [];
    const sentenceId = (id: number, text: string): number => {
      let mapped = sentenceIds.get(id);
      if (mapped === undefined) {
        mapped = sentences.length;
        sentenceIds.set(id, mapped);
        sentences.push([this.sentenceTable[id]!.hash, text]);
      }
      return mapped;
    };
    const sectionId = (id: number, heading: string): number => {
      let mapped = sectionIds.get(id);
      if (mapped === undefined) {
        mapped = sections.length;
        sectionIds.set(id, mapped);
        const section = this.sectionTable[id]!;
        sections.push([section.key, heading, section.level, section.parentKey ?? null]);
      }
      return mapped;
    };
    const versions = this.timeline.map((version): StoredVersion => {
      const stored: StoredVersion = { ...version.ref, sections: [], paragraphs: [...version.paragraphs], sentences: [] };
      const headings: Array<[number, string]> = [];
      version.sections.forEach((section, position) => {
        const id = sectionId(section.id, section.heading);
        stored.sections.push(id, section.paragraphs);
        if (sections[id]![1] !== section.heading) headings.push([position, section.heading]);
      });
      const wordings: Array<[number, string]> = [];
      version.sentences.forEach((id, position) => {
        const text = version.texts[position]!;
        const mapped = sentenceId(id, text);
        stored.sentences.push(mapped);
        if (sentences[mapped]![1] !== text) wordings.push([position, text]);
      });
      if (headings.length > 0) stored.headings = headings;
      if (wordings.length > 0) stored.wordings = wordings;
      const link = version.link!;
      // Ids met in a link are always in this or the previous version, so they are numbered already.
      if (link.reworded.length > 0)
        stored.reworded = link.reworded.map(([id, from, similarity]) => [sentenceIds.get(id)!, sentenceIds.get(from)!, similarity]);
      if (link.renamed.length > 0) stored.renamed = link.renamed.map(([from, to]) => [sectionIds.get(from)!, sectionIds.get(to)!]);
      return stored;
    });
    return { schemaVersion: PROVENANCE_SCHEMA_VERSION, algorithm: PROVENANCE_ALGORITHM, scope: this.scope, sentences, sections, versions };
  }

  // Reads (each settles the links first).

  version(position: number): VersionRef {
    return this.timeline[position]!.ref;
  }

  sentence(id: number): { hash: string; text: string } {
    return this.sentenceTable[id]!;
  }

  sentenceId(hash: string): number | undefined {
    return this.sentenceIds.get(hash);
  }

  section(id: number): SentenceSection {
    return this.sectionTable[id]!;
  }

  /** The sentences of a version in document order, with their section and paragraph. */
  places(position: number): SentencePlace[] {
    const version = this.timeline[position]!;
    const places: SentencePlace[] = [];
    let paragraphIndex = 0;
    let sentencePosition = 0;
    version.sections.forEach((section, sectionPosition) => {
      for (let paragraph = 0; paragraph < section.paragraphs; paragraph++) {
        const count = version.paragraphs[paragraphIndex++] ?? 0;
        for (let k = 0; k < count; k++) {
          places.push({
            position: sentencePosition,
            sentence: version.sentences[sentencePosition]!,
            text: version.texts[sentencePosition]!,
            section: section.id,
            sectionPosition,
            paragraph,
          });
          sentencePosition++;
        }
      }
    });
    return places;
  }

  /** The heading a section had in a version. */
  headingIn(position: number, sectionId: number): string {
    return this.timeline[position]!.sections.find((section) => section.id === sectionId)?.heading ?? this.sectionTable[sectionId]!.heading;
  }

  /** Timeline positions of the versions that contain a sentence, ascending. */
  presence(id: number): readonly number[] {
    return this.derived().presence[id] ?? [];
  }

  contains(position: number, id: number): boolean {
    return this.derived().sets[position]!.has(id);
  }

  distinctSentences(position: number): ReadonlySet<number> {
    return this.derived().sets[position]!;
  }

  /** The vanished sentence of the previous version that this one rewords, when it is new in this version. */
  rewordedFrom(position: number, id: number): { from: number; similarity: number } | undefined {
    const entry = this.derived().rewordedFrom[position]!.get(id);
    return entry ? { from: entry[0], similarity: entry[1] / 1000 } : undefined;
  }

  /** The section's identity across the timeline: equal lineages mean the same section, however renamed or moved. */
  lineage(position: number, sectionId: number): number | undefined {
    return this.derived().lineage[position]!.get(sectionId);
  }

  /** Token set of a sentence (cached), in the index's vocabulary. */
  tokenSet(id: number): Int32Array {
    let set = this.tokens.get(id);
    if (!set) {
      set = this.vocabulary.tokenSet(this.sentenceTable[id]!.text);
      this.tokens.set(id, set);
    }
    return set;
  }

  /** The latest version of an edition (its current text), or -1. */
  latestOfEdition(edition: number): number {
    for (let position = this.timeline.length - 1; position >= 0; position--) if (this.timeline[position]!.ref.edition === edition) return position;
    return -1;
  }

  /** The editions on the timeline, ascending. */
  editions(): number[] {
    return [...new Set(this.timeline.flatMap((version) => (version.ref.edition !== undefined ? [version.ref.edition] : [])))];
  }

  private derived(): Derived {
    this.settle();
    if (this.derivedCache) return this.derivedCache;
    const presence: number[][] = this.sentenceTable.map(() => []);
    const sets: Array<Set<number>> = [];
    const lineage: Array<Map<number, number>> = [];
    const rewordedFrom: Array<Map<number, [number, number]>> = [];
    const lastLineage = new Map<number, number>();
    let nextLineage = 0;
    this.timeline.forEach((version, position) => {
      const set = new Set(version.sentences);
      sets.push(set);
      for (const id of set) presence[id]!.push(position);
      const renamedInto = new Map(version.link!.renamed.map(([from, to]) => [to, from]));
      const previous = lineage[position - 1];
      const lineages = new Map<number, number>();
      for (const section of version.sections) {
        if (lineages.has(section.id)) continue;
        const from = renamedInto.get(section.id);
        const inherited = from !== undefined ? previous?.get(from) : undefined;
        lineages.set(section.id, inherited ?? lastLineage.get(section.id) ?? nextLineage++);
      }
      for (const [id, value] of lineages) lastLineage.set(id, value);
      lineage.push(lineages);
      rewordedFrom.push(new Map(version.link!.reworded.map(([id, from, similarity]) => [id, [from, similarity]])));
    });
    this.derivedCache = { presence, sets, lineage, rewordedFrom };
    return this.derivedCache;
  }

  private internSentence(hash: string, text: string): number {
    let id = this.sentenceIds.get(hash);
    if (id === undefined) {
      id = this.sentenceTable.length;
      this.sentenceIds.set(hash, id);
      this.sentenceTable.push({ hash, text });
    }
    return id;
  }

  private internSection(section: SentenceSection): number {
    let id = this.sectionIds.get(section.key);
    if (id === undefined) {
      id = this.sectionTable.length;
      this.sectionIds.set(section.key, id);
      this.sectionTable.push({
        key: section.key,
        heading: section.heading,
        level: section.level,
        ...(section.parentKey !== undefined ? { parentKey: section.parentKey } : {}),
      });
    }
    return id;
  }

  /** Rewordings (new sentences against vanished ones) and renamed sections between two adjacent versions. */
  private computeLink(previous: WorkingVersion, next: WorkingVersion, sectionsMemo: Map<WorkingVersion, Section[]>): Link {
    const before = new Set(previous.sentences);
    const after = new Set(next.sentences);
    const vanished = [...before].filter((id) => !after.has(id));
    const fresh = [...after].filter((id) => !before.has(id));
    const matches = matchTokenSets(
      vanished.map((id) => this.tokenSet(id)),
      fresh.map((id) => this.tokenSet(id)),
    );
    const reworded: Array<[number, number, number]> = [...matches.byNew.values()]
      .sort((a, b) => a.to - b.to)
      .map((match) => [fresh[match.to]!, vanished[match.from]!, Math.round(match.similarity * 1000)]);

    return { reworded, renamed: this.renamedSections(previous, next, sectionsMemo) };
  }

  /**
   * Sections aligned under another key. Only sections whose key the other version lacks can be renamed, so only
   * they (with their ancestors, which the alignment uses to follow renamed parents) are aligned: usually none.
   */
  private renamedSections(previous: WorkingVersion, next: WorkingVersion, sectionsMemo: Map<WorkingVersion, Section[]>): Array<[number, number]> {
    const beforeIds = new Set(previous.sections.map((section) => section.id));
    const afterIds = new Set(next.sections.map((section) => section.id));
    const unmatchedBefore = previous.sections.filter((section) => !afterIds.has(section.id));
    const unmatchedAfter = next.sections.filter((section) => !beforeIds.has(section.id));
    if (unmatchedBefore.length === 0 || unmatchedAfter.length === 0) return [];
    const before = withAncestors(
      this.sectionsOf(previous, sectionsMemo),
      new Set(unmatchedBefore.map((section) => this.sectionTable[section.id]!.key)),
    );
    const after = withAncestors(this.sectionsOf(next, sectionsMemo), new Set(unmatchedAfter.map((section) => this.sectionTable[section.id]!.key)));
    const alignment = alignSections(before, after);
    const renamed: Array<[number, number]> = [];
    for (const match of alignment.matches) {
      const from = this.sectionIds.get(before[match.before]!.key)!;
      const to = this.sectionIds.get(after[match.after]!.key)!;
      if (from !== to) renamed.push([from, to]);
    }
    return renamed;
  }

  /** The version's sections rebuilt from its sentences (enough for heading and text alignment). */
  private sectionsOf(version: WorkingVersion, memo: Map<WorkingVersion, Section[]>): Section[] {
    const cached = memo.get(version);
    if (cached) return cached;
    const sections: Section[] = [];
    let paragraphIndex = 0;
    let sentencePosition = 0;
    for (const section of version.sections) {
      const info = this.sectionTable[section.id]!;
      const paragraphs: Section['paragraphs'] = [];
      for (let paragraph = 0; paragraph < section.paragraphs; paragraph++) {
        const count = version.paragraphs[paragraphIndex++] ?? 0;
        paragraphs.push({ text: version.texts.slice(sentencePosition, sentencePosition + count).join(' ') });
        sentencePosition += count;
      }
      sections.push({
        key: info.key,
        heading: section.heading,
        level: info.level,
        ...(info.parentKey !== undefined ? { parentKey: info.parentKey } : {}),
        paragraphs,
      });
    }
    memo.set(version, sections);
    return sections;
  }
}

/** The sections with the given keys and every ancestor of theirs, in document order. */
function withAncestors(sections: readonly Section[], keys: ReadonlySet<string>): Section[] {
  const wanted = new Set(keys);
  const byKey = new Map(sections.map((section) => [section.key, section]));
  for (const key of keys) {
    for (let parent = byKey.get(key)?.parentKey; parent !== undefined && !wanted.has(parent); parent = byKey.get(parent)?.parentKey)
      wanted.add(parent);
  }
  return sections.filter((section) => wanted.has(section.key));
}
