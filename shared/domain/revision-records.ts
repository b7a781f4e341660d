import type { RevisionDiff, RevisionDiffSummary, SectionChange, SectionChangeKind, Triviality } from './revision-diff.js';

/** A revision as recorded (one item per page and seq), with its compact list of changed sections. */

/** One changed section of a revision, compact enough to keep in the revision item and the notification. */
export interface RevisionSectionChange {
  key: string;
  previousKey?: string;
  heading: string;
  kind: SectionChangeKind;
  kinds: SectionChangeKind[];
  wordsAdded: number;
  wordsRemoved: number;
  significance: number;
  trivial?: Triviality;
}

export interface RevisionRecord {
  page: string;
  /** 1 for the first capture of the page, then +1 per revision. */
  seq: number;
  capturedAt: string;
  documentHash: string;
  documentKey: string;
  rawKey?: string;
  previousSeq?: number;
  diffKey?: string;
  series?: string;
  edition?: number;
  url: string;
  title: string;
  /** Null for the first (baseline) revision. */
  summary: RevisionDiffSummary | null;
  /** Changed sections only (never `unchanged`), in document order, at most MAX_REVISION_SECTIONS. */
  sections: RevisionSectionChange[];
  /** Set when `sections` was cut to the cap; the full list is in the diff at `diffKey`. */
  sectionsTruncated?: boolean;
  significance: number;
  /** Audit terms that occur in the changed text, when the use case computed them. */
  terms?: string[];
}

/** Caps that keep a revision item far below DynamoDB's 400 KB. */
export const MAX_REVISION_SECTIONS = 200;
export const MAX_REVISION_TERMS = 100;
export const MAX_HEADING_LENGTH = 300;

/**
 * The compact changed-section list for a RevisionRecord or a notification: unchanged sections dropped, at most
 * `max` entries (the most significant ones, kept in document order).
 */
export function revisionSectionsFrom(
  changes: readonly SectionChange[] | RevisionDiff,
  max: number = MAX_REVISION_SECTIONS,
): { sections: RevisionSectionChange[]; truncated: boolean } {
  const list = 'sections' in changes ? changes.sections : changes;
  const changed = list.filter((change) => change.kind !== 'unchanged').map(compactSectionChange);
  return capSectionChanges(changed, max);
}

export function capSectionChanges<T extends { significance: number }>(
  sections: readonly T[],
  max: number = MAX_REVISION_SECTIONS,
): { sections: T[]; truncated: boolean } {
  if (sections.length <= max) return { sections: [...sections], truncated: false };
  const keep = new Set(
    sections
      .map((section, index) => ({ index, significance: section.significance }))
      .sort((a, b) => b.significance - a.significance || a.index - b.index)
      .slice(0, max)
      .map((entry) => entry.index),
  );
  return { sections: sections.filter((_, index) => keep.has(index)), truncated: true };
}

function compactSectionChange(change: SectionChange): RevisionSectionChange {
  const compact: RevisionSectionChange = {
    key: change.key,
    heading: change.heading.length > MAX_HEADING_LENGTH ? change.heading.slice(0, MAX_HEADING_LENGTH) : change.heading,
    kind: change.kind,
    kinds: [...change.kinds],
    wordsAdded: change.wordsAdded,
    wordsRemoved: change.wordsRemoved,
    significance: change.significance,
  };
  if (change.previousKey !== undefined && change.previousKey !== change.key) compact.previousKey = change.previousKey;
  if (change.trivial !== undefined) compact.trivial = change.trivial;
  return compact;
}
