import { classifyTextChange } from '../../../shared/domain/change-classification.js';
import type { Document } from '../../../shared/domain/document.js';
import type { RevisionDiff, SectionChange } from '../../../shared/domain/revision-diff.js';
import { countWordsWithLetters, multisetWordChanges } from '../../../shared/domain/text-normalisation.js';

/**
 * Checks of a RevisionDiff against the two Documents it was computed from, written independently of diffDocuments:
 * what a diff must be whatever its alignment choices. Returns the problems found (empty when consistent).
 */
export function diffProblems(before: Document, after: Document, diff: RevisionDiff): string[] {
  const problems: string[] = [];
  const problem = (text: string) => problems.push(text);

  // Every section of both Documents appears exactly once.
  const afterKeys = diff.sections.filter((section) => section.kind !== 'removed').map((section) => section.key);
  if (JSON.stringify(afterKeys) !== JSON.stringify(after.sections.map((section) => section.key)))
    problem('the new sections are not listed once each, in order');
  const beforeKeys = diff.sections.filter((section) => section.kind !== 'added').map((section) => section.previousKey ?? section.key);
  if (JSON.stringify([...beforeKeys].sort()) !== JSON.stringify(before.sections.map((section) => section.key).sort()))
    problem('the old sections are not listed once each');

  const byKey = {
    before: new Map(before.sections.map((section) => [section.key, section])),
    after: new Map(after.sections.map((section) => [section.key, section])),
  };
  let wordsAdded = 0;
  let wordsRemoved = 0;
  const kinds = { added: 0, removed: 0, modified: 0, renamed: 0, moved: 0, unchanged: 0 };
  for (const section of diff.sections) {
    const where = `${section.kind} ${section.key}`;
    kinds[section.kind] += 1;
    wordsAdded += section.wordsAdded;
    wordsRemoved += section.wordsRemoved;
    if (section.kinds[0] !== section.kind) problem(`${where}: kinds ${section.kinds.join(',')} do not start with its kind`);
    if (section.kinds.includes('unchanged') && section.kinds.length > 1) problem(`${where}: unchanged with other kinds`);
    if (!(section.significance >= 0 && section.significance <= 1)) problem(`${where}: significance ${section.significance}`);
    if (section.kind === 'unchanged') {
      if (section.paragraphs.length > 0 || section.wordsAdded !== 0 || section.wordsRemoved !== 0 || section.significance !== 0) {
        problem(`${where}: an unchanged section with paragraphs, words or significance`);
      }
      const old = byKey.before.get(section.previousKey ?? section.key);
      const current = byKey.after.get(section.key);
      if (old && current && JSON.stringify(old.paragraphs.map((p) => p.text)) !== JSON.stringify(current.paragraphs.map((p) => p.text))) {
        problem(`${where}: reported unchanged, but its paragraphs differ`);
      }
    }
    for (const paragraph of section.paragraphs) {
      if (!paragraph.words) continue;
      const rebuiltAfter = paragraph.words
        .filter((word) => word.op !== 'delete')
        .map((word) => word.text)
        .join('');
      const rebuiltBefore = paragraph.words
        .filter((word) => word.op !== 'insert')
        .map((word) => word.text)
        .join('');
      if (rebuiltAfter !== paragraph.after || rebuiltBefore !== paragraph.before) problem(`${where}: word operations do not rebuild the paragraph`);
    }
    const expected = expectedWordCounts(section);
    if (expected.added !== section.wordsAdded || expected.removed !== section.wordsRemoved) {
      problem(`${where}: +${section.wordsAdded}/-${section.wordsRemoved} words, the texts say +${expected.added}/-${expected.removed}`);
    }
  }
  const { summary } = diff;
  if (summary.wordsAdded !== wordsAdded || summary.wordsRemoved !== wordsRemoved) problem('the summary’s word counts are not the sections’ sums');
  for (const kind of Object.keys(kinds) as (keyof typeof kinds)[])
    if (summary[kind] !== kinds[kind]) problem(`summary.${kind} ${summary[kind]} != ${kinds[kind]}`);
  if (!(summary.significance >= 0 && summary.significance <= 1)) problem(`summary significance ${summary.significance}`);
  return problems;
}

/**
 * Words added and removed in one section, from its paragraph changes: word operations where there are some (the
 * inserted and deleted text, counted as countWordsWithLetters counts), whole paragraphs where a paragraph was added
 * or removed, the multiset difference where the word diff was skipped; nothing for a stretch of paragraphs that only
 * moved its paragraph breaks or whitespace.
 */
export function expectedWordCounts(section: SectionChange): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  // Gaps: stretches of changed paragraphs with no unchanged paragraph between them.
  const gaps: SectionChange['paragraphs'][] = [];
  let nextBefore = 0;
  let nextAfter = 0;
  let current: SectionChange['paragraphs'] | undefined;
  for (const paragraph of section.paragraphs) {
    if (section.kind === 'added' || section.kind === 'removed') {
      (current ??= []).push(paragraph);
      continue;
    }
    const skipped = paragraph.beforeIndex !== undefined ? paragraph.beforeIndex - nextBefore : paragraph.afterIndex! - nextAfter;
    if (skipped < 0) return { added: Number.NaN, removed: Number.NaN };
    if (skipped > 0 || !current) {
      current = [];
      gaps.push(current);
      nextBefore += skipped;
      nextAfter += skipped;
    }
    current.push(paragraph);
    if (paragraph.beforeIndex !== undefined) nextBefore = paragraph.beforeIndex + 1;
    if (paragraph.afterIndex !== undefined) nextAfter = paragraph.afterIndex + 1;
  }
  if (section.kind === 'added' || section.kind === 'removed') gaps.push(current ?? []);
  for (const gap of gaps) {
    const removedText = gap.flatMap((paragraph) => (paragraph.before !== undefined ? [paragraph.before] : [])).join(' ');
    const addedText = gap.flatMap((paragraph) => (paragraph.after !== undefined ? [paragraph.after] : [])).join(' ');
    if (
      section.kind !== 'added' &&
      section.kind !== 'removed' &&
      (removedText === addedText || classifyTextChange(removedText, addedText) === 'whitespace')
    )
      continue;
    for (const paragraph of gap) {
      if (paragraph.kind === 'added') added += countWordsWithLetters(paragraph.after!);
      else if (paragraph.kind === 'removed') removed += countWordsWithLetters(paragraph.before!);
      else if (paragraph.words) {
        for (const word of paragraph.words) {
          if (word.op === 'insert') added += countWordsWithLetters(word.text);
          else if (word.op === 'delete') removed += countWordsWithLetters(word.text);
        }
      } else {
        const approximate = multisetWordChanges(paragraph.before!, paragraph.after!);
        added += approximate.added;
        removed += approximate.removed;
      }
    }
  }
  return { added, removed };
}
