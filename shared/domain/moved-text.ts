/**
 * Moved paragraphs in a diff, as Wikipedia's diff marks them: a paragraph deleted in one section and inserted,
 * with the same text (up to case, spacing, typographic quotes and trailing punctuation: the sentence normal form),
 * in another section of the same diff is one move, not a deletion plus an insertion. Each deleted paragraph is
 * paired with at most one inserted paragraph and vice versa, in document order (the first unpaired insertion with
 * the same text wins), so repeated boilerplate pairs one to one.
 *
 * Deleted paragraphs are the `removed` paragraphs (including every paragraph of a removed section); inserted ones
 * the `added` paragraphs. A move within one section is an ordinary reordering and is left to the word diff.
 * Linear in the diff's paragraphs (one map of normal forms).
 */
import type { RevisionDiff } from './revision-diff.js';
import { normaliseSentence } from './sentences.js';

/** A paragraph of the diff: its section's index in `diff.sections` and its index in that section's `paragraphs`. */
export interface DiffParagraphRef {
  section: number;
  paragraph: number;
}

export interface ParagraphMove {
  /** Numbered from 1 in the order of the deleted paragraphs (anchors `moved-<id>-from` and `moved-<id>-to`). */
  id: number;
  from: DiffParagraphRef;
  to: DiffParagraphRef;
}

export interface MovedText {
  moves: ParagraphMove[];
  /** `section:paragraph` -> the move, for both ends. */
  byParagraph: Map<string, { move: ParagraphMove; end: 'from' | 'to' }>;
}

/** Paragraphs this short (after normalising) are too common to call moved ("None.", "Not applicable."). */
const MIN_MOVED_LENGTH = 20;

function movedForm(text: string): string {
  return normaliseSentence(text).replace(/\s+/gu, ' ');
}

export function paragraphKey(ref: DiffParagraphRef): string {
  return `${ref.section}:${ref.paragraph}`;
}

export function findMovedParagraphs(diff: RevisionDiff): MovedText {
  const inserted = new Map<string, DiffParagraphRef[]>();
  diff.sections.forEach((section, sectionIndex) => {
    section.paragraphs.forEach((paragraph, paragraphIndex) => {
      if (paragraph.kind !== 'added' || paragraph.after === undefined) return;
      const form = movedForm(paragraph.after);
      if (form.length < MIN_MOVED_LENGTH) return;
      const list = inserted.get(form);
      if (list) list.push({ section: sectionIndex, paragraph: paragraphIndex });
      else inserted.set(form, [{ section: sectionIndex, paragraph: paragraphIndex }]);
    });
  });
  const moves: ParagraphMove[] = [];
  const byParagraph = new Map<string, { move: ParagraphMove; end: 'from' | 'to' }>();
  diff.sections.forEach((section, sectionIndex) => {
    section.paragraphs.forEach((paragraph, paragraphIndex) => {
      if (paragraph.kind !== 'removed' || paragraph.before === undefined) return;
      const candidates = inserted.get(movedForm(paragraph.before));
      if (!candidates) return;
      const at = candidates.findIndex((candidate) => candidate.section !== sectionIndex);
      if (at === -1) return;
      const [to] = candidates.splice(at, 1);
      const move: ParagraphMove = { id: moves.length + 1, from: { section: sectionIndex, paragraph: paragraphIndex }, to: to! };
      moves.push(move);
      byParagraph.set(paragraphKey(move.from), { move, end: 'from' });
      byParagraph.set(paragraphKey(move.to), { move, end: 'to' });
    });
  });
  return { moves, byParagraph };
}
