/**
 * Types of the section-aware diff between two Documents (two revisions of one URL, or two editions of one series).
 * The implementation lives in diff-documents.ts; renderings in diff-rendering.ts.
 */

export type SectionChangeKind = 'unchanged' | 'added' | 'removed' | 'modified' | 'renamed' | 'moved';

/** Why a change can be ignored by alerts: only whitespace, only punctuation, or only numbers/dates changed. */
export type Triviality = 'whitespace' | 'punctuation' | 'numbers';

export interface WordOperation {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface ParagraphChange {
  kind: 'added' | 'removed' | 'modified';
  /** Index in the previous section's paragraphs (removed, modified). */
  beforeIndex?: number;
  /** Index in the next section's paragraphs (added, modified). */
  afterIndex?: number;
  before?: string;
  after?: string;
  /** Word-level operations for a modified paragraph; absent when the word diff was skipped (see RevisionDiff.bounded). */
  words?: WordOperation[];
}

/** Where a removed section's text, heading or the edition map points to in the next document (it was not paired). */
export interface LikelyCounterpart {
  key: string;
  heading: string;
  number?: string;
  /** What points there: most of the surviving text, a similar heading, or the edition map (with some shared text or words). */
  by: 'text' | 'heading' | 'edition-map';
  /** Share (0..1) of the removed section's text (word 3-shingles) found in the counterpart and its sub-sections. */
  retained: number;
}

export interface SectionChange {
  /** The primary kind, by precedence: added, removed, renamed, moved, modified, unchanged. */
  kind: SectionChangeKind;
  /** Every kind that applies (a section can be renamed and modified at once). Never contains 'unchanged' with another kind. */
  kinds: SectionChangeKind[];
  /** Key in the next document (or in the previous one for a removed section). */
  key: string;
  previousKey?: string;
  heading: string;
  previousHeading?: string;
  number?: string;
  previousNumber?: string;
  level: number;
  wordsAdded: number;
  wordsRemoved: number;
  /** Set when every textual change in the section is of this trivial sort. */
  trivial?: Triviality;
  /** 0 (nothing or trivial) .. 1 (whole section added/removed/rewritten). */
  significance: number;
  /**
   * How the pair was aligned: by key, by heading similarity or by text similarity (with its score), and the edition
   * map's confidence when a map backed the pairing.
   */
  alignment?: { by: 'key' | 'heading' | 'text'; score: number; prior?: number };
  /** A removed section's likely counterpart in the next document: tells a cut from a rename. */
  likelyCounterpart?: LikelyCounterpart;
  /** Changed paragraphs only, in order. */
  paragraphs: ParagraphChange[];
}

export interface RevisionDiffSummary {
  added: number;
  removed: number;
  modified: number;
  renamed: number;
  moved: number;
  unchanged: number;
  wordsAdded: number;
  wordsRemoved: number;
  /** Significance of the whole revision (0..1), weighted by section size. */
  significance: number;
  /** True when every non-unchanged section change is trivial. */
  trivial: boolean;
}

export interface RevisionDiff {
  from: { url: string; title: string; edition?: number };
  to: { url: string; title: string; edition?: number };
  /** One entry per aligned section pair, in the next document's order, removed sections placed where they stood. */
  sections: SectionChange[];
  summary: RevisionDiffSummary;
  /** Set when a time or edit-length cap was hit: the affected paragraphs carry no word-level operations. */
  /** `timeout`: diffs stored before the budget counted work instead of time. */
  bounded?: { reason: 'work-budget' | 'max-edit-length' | 'timeout'; paragraphs: number };
}
