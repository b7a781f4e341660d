import type { RevisionDiff, SectionChange } from '../../../shared/domain/revision-diff.js';
import { normaliseSentence, sentenceHash, splitSentences } from '../../../shared/domain/sentences.js';

/**
 * Sentences that a diff cuts from paragraphs that remain (a paragraph removed whole is shown as one deletion):
 * sentences of the old text that appear nowhere in the new text of the diff (by
 * normalised hash, so a sentence moved to another paragraph or section is not "removed"), and that were not merely
 * edited: a sentence whose paragraph keeps a sentence sharing at least half its words counts as edited, which the
 * word diff already shows. Linear in the diff's text (each modified paragraph compares its own few sentences).
 *
 * Only changed paragraphs are in a diff; a sentence cannot move into an unchanged paragraph without changing it, so
 * the diff's new text is enough to tell moved from removed.
 */
export interface RemovedSentences {
  /** Per section index in `diff.sections`. */
  bySection: Map<number, string[]>;
  total: number;
}

const EDITED_OVERLAP = 0.5;

function wordSet(sentence: string): Set<string> {
  return new Set(
    normaliseSentence(sentence)
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 0),
  );
}

function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / Math.max(a.size, b.size);
}

export function removedSentences(diff: RevisionDiff): RemovedSentences {
  const newSentences = new Set<string>();
  for (const section of diff.sections) {
    for (const paragraph of section.paragraphs) {
      if (paragraph.after !== undefined) for (const sentence of splitSentences(paragraph.after)) newSentences.add(sentenceHash(sentence));
    }
  }
  const bySection = new Map<number, string[]>();
  let total = 0;
  diff.sections.forEach((section: SectionChange, index) => {
    const removed: string[] = [];
    for (const paragraph of section.paragraphs) {
      // A paragraph removed whole is already one deletion; the list is for sentences cut from paragraphs that stay.
      if (paragraph.kind !== 'modified' || paragraph.before === undefined) continue;
      const candidates = splitSentences(paragraph.before).filter((sentence) => !newSentences.has(sentenceHash(sentence)));
      if (candidates.length === 0) continue;
      const kept = paragraph.after !== undefined ? splitSentences(paragraph.after).map(wordSet) : [];
      for (const sentence of candidates) {
        const words = wordSet(sentence);
        if (words.size === 0) continue;
        if (kept.some((other) => overlap(words, other) >= EDITED_OVERLAP)) continue;
        removed.push(sentence);
      }
    }
    if (removed.length > 0) {
      bySection.set(index, removed);
      total += removed.length;
    }
  });
  return { bySection, total };
}
