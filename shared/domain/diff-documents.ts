/**
 * diffDocuments: the section-aware diff of two Documents. Sections are aligned first (section-alignment.ts), then
 * paragraphs inside each pair (paragraph-alignment.ts), and words only inside paragraphs that changed (word-diff.ts),
 * so the cost follows the size of the change rather than the size of the documents.
 */
import type { Document, Section } from './document.js';
import type {
  LikelyCounterpart,
  ParagraphChange,
  RevisionDiff,
  RevisionDiffSummary,
  SectionChange,
  SectionChangeKind,
  Triviality,
} from './revision-diff.js';
import { alignParagraphs, paragraphText, TextInterner } from './paragraph-alignment.js';
import { alignSections, type CounterpartMatch, type SectionAlignmentOptions, type SectionMatch } from './section-alignment.js';
import { classifyTextChange, combineTriviality, revisionSignificance, sectionSignificance } from './change-classification.js';
import { collapseWhitespace, foldForComparison, type WordTokenizer } from './text-normalisation.js';
import { WordDiffBudget } from './word-diff.js';

export interface DiffOptions {
  /** Work for all word-level diffs, in algorithm steps (DEFAULT_WORK_BUDGET). Paragraphs past it keep counts only. */
  workBudget?: number;
  /** Cap on tokens (words and punctuation marks) inserted plus deleted in one paragraph's word diff (default 1000). */
  maxEditLength?: number;
  /** Thresholds for pairing sections whose keys differ, and an edition map's prior (edition-map.ts). */
  alignment?: Omit<SectionAlignmentOptions, 'tokenizer'>;
}

const KIND_PRECEDENCE: readonly SectionChangeKind[] = ['added', 'removed', 'renamed', 'moved', 'modified', 'unchanged'];

function sectionWords(section: Section, tokenizer: WordTokenizer): number {
  let words = 0;
  for (const paragraph of section.paragraphs) words += tokenizer.countWords(paragraphText(paragraph));
  return words;
}

function describe(document: Document): RevisionDiff['from'] {
  const described: RevisionDiff['from'] = { url: document.canonicalUrl || document.url, title: document.title };
  if (document.edition !== undefined) described.edition = document.edition;
  return described;
}

function baseChange(section: Section, kind: SectionChangeKind): SectionChange {
  const change: SectionChange = {
    kind,
    kinds: [kind],
    key: section.key,
    heading: section.heading,
    level: section.level,
    wordsAdded: 0,
    wordsRemoved: 0,
    significance: 0,
    paragraphs: [],
  };
  if (section.number !== undefined) change.number = section.number;
  return change;
}

/** A whole section added or removed: every paragraph is listed, every word counted. */
function wholeSectionChange(section: Section, kind: 'added' | 'removed', words: number): SectionChange {
  const change = baseChange(section, kind);
  change.paragraphs = section.paragraphs.map((paragraph, index) =>
    kind === 'added'
      ? { kind: 'added', afterIndex: index, after: paragraphText(paragraph) }
      : { kind: 'removed', beforeIndex: index, before: paragraphText(paragraph) },
  );
  if (kind === 'added') change.wordsAdded = words;
  else change.wordsRemoved = words;
  change.significance = sectionSignificance({ kinds: [kind], wordsAdded: 0, wordsRemoved: 0, wordsBefore: words, wordsAfter: words });
  return change;
}

function counterpartOf(next: readonly Section[], match: CounterpartMatch): LikelyCounterpart {
  const section = next[match.after] as Section;
  const counterpart: LikelyCounterpart = { key: section.key, heading: section.heading, by: match.by, retained: match.retained };
  if (section.number !== undefined) counterpart.number = section.number;
  return counterpart;
}

/** Joined texts of one gap's removed and added paragraphs, classified when the gap closes. */
class GapTexts {
  removed: string[] = [];
  added: string[] = [];
  wordsAdded = 0;
  wordsRemoved = 0;

  /** Equal once joined with spaces means only the paragraph breaks moved: a whitespace change. */
  classify(): Triviality | undefined {
    const removed = this.removed.join(' ');
    const added = this.added.join(' ');
    this.removed = [];
    this.added = [];
    return removed === added ? 'whitespace' : classifyTextChange(removed, added);
  }
}

function pairedChange(
  before: Section,
  after: Section,
  match: SectionMatch,
  budget: WordDiffBudget,
  interner: TextInterner,
): { change: SectionChange; wordsBefore: number; wordsAfter: number } {
  const tokenizer = budget.tokenizer;
  const change = baseChange(after, 'unchanged');
  if (before.key !== after.key) change.previousKey = before.key;
  if (before.number !== undefined && before.number !== after.number) change.previousNumber = before.number;
  change.alignment = { by: match.by, score: match.score };
  if (match.prior !== undefined) change.alignment.prior = match.prior;

  const kinds: SectionChangeKind[] = [];
  const sorts: Array<Triviality | undefined> = [];
  if (collapseWhitespace(before.heading) !== collapseWhitespace(after.heading)) {
    change.previousHeading = before.heading;
    // Letter-case and typographic drift ("TRIAL PROCEDURES" -> "Trial Procedures") is shown, not reported as a rename.
    if (foldForComparison(before.heading) !== foldForComparison(after.heading)) {
      kinds.push('renamed');
      sorts.push(classifyTextChange(before.heading, after.heading));
    }
  }
  if (match.moved) {
    kinds.push('moved');
    sorts.push(undefined); // a move is structural, never noise
  }

  const beforeTexts = before.paragraphs.map(paragraphText);
  const afterTexts = after.paragraphs.map(paragraphText);
  const steps = alignParagraphs(beforeTexts, afterTexts, { interner, tokenizer });
  if (steps.length > 0) {
    kinds.push('modified');
    // Classified gap by gap: a gap is one stretch of replaced paragraphs between unchanged ones.
    const gapTexts = new GapTexts();
    let gap = 0;
    const closeGap = () => {
      const sort = gapTexts.classify();
      sorts.push(sort);
      // Only paragraph breaks moved in this gap: no word was added or removed.
      if (sort !== 'whitespace') {
        change.wordsAdded += gapTexts.wordsAdded;
        change.wordsRemoved += gapTexts.wordsRemoved;
      }
      gapTexts.wordsAdded = 0;
      gapTexts.wordsRemoved = 0;
    };
    for (const step of steps) {
      if (step.gap !== gap) {
        closeGap();
        gap = step.gap;
      }
      const paragraph: ParagraphChange = { kind: step.kind };
      if (step.beforeIndex !== undefined) {
        paragraph.beforeIndex = step.beforeIndex;
        paragraph.before = beforeTexts[step.beforeIndex] as string;
        gapTexts.removed.push(paragraph.before);
      }
      if (step.afterIndex !== undefined) {
        paragraph.afterIndex = step.afterIndex;
        paragraph.after = afterTexts[step.afterIndex] as string;
        gapTexts.added.push(paragraph.after);
      }
      if (step.kind === 'modified') {
        const words = budget.diff(paragraph.before as string, paragraph.after as string);
        if (words.words) paragraph.words = words.words;
        gapTexts.wordsAdded += words.wordsAdded;
        gapTexts.wordsRemoved += words.wordsRemoved;
      } else if (step.kind === 'added') gapTexts.wordsAdded += tokenizer.countWords(paragraph.after as string);
      else gapTexts.wordsRemoved += tokenizer.countWords(paragraph.before as string);
      change.paragraphs.push(paragraph);
    }
    closeGap();
  }

  // Counted after the diff, so the paragraphs it tokenized are counted for free.
  const wordsAfter = sectionWords(after, tokenizer);
  const wordsBefore = steps.length > 0 ? sectionWords(before, tokenizer) : wordsAfter;
  if (kinds.length > 0) {
    kinds.sort((x, y) => KIND_PRECEDENCE.indexOf(x) - KIND_PRECEDENCE.indexOf(y));
    change.kinds = kinds;
    change.kind = kinds[0] as SectionChangeKind;
    const trivial = combineTriviality(sorts);
    if (trivial !== undefined) change.trivial = trivial;
  }
  change.significance = sectionSignificance({
    kinds: change.kinds,
    wordsAdded: change.wordsAdded,
    wordsRemoved: change.wordsRemoved,
    wordsBefore,
    wordsAfter,
    trivial: change.trivial,
  });
  return { change, wordsBefore, wordsAfter };
}

/**
 * The diff of two versions of a document (two revisions of one URL, or two editions of one series). Pure and
 * deterministic: the work budget counts steps, so a pair always gets the same diff, whatever the machine's load.
 */
export function diffDocuments(previous: Document, next: Document, options: DiffOptions = {}): RevisionDiff {
  const budget = new WordDiffBudget(options.workBudget, options.maxEditLength);
  const interner = new TextInterner();
  const alignment = alignSections(previous.sections, next.sections, { ...options.alignment, tokenizer: budget.tokenizer });
  const counterparts = new Map(alignment.counterparts.map((match) => [match.before, counterpartOf(next.sections, match)]));
  const sections: SectionChange[] = [];
  const weights: Array<{ significance: number; words: number }> = [];
  for (const entry of alignment.entries) {
    let change: SectionChange;
    let words: number;
    if (entry.match) {
      const paired = pairedChange(
        previous.sections[entry.match.before] as Section,
        next.sections[entry.match.after] as Section,
        entry.match,
        budget,
        interner,
      );
      change = paired.change;
      words = Math.max(paired.wordsBefore, paired.wordsAfter);
    } else if (entry.after !== undefined) {
      const section = next.sections[entry.after] as Section;
      words = sectionWords(section, budget.tokenizer);
      change = wholeSectionChange(section, 'added', words);
    } else {
      const section = previous.sections[entry.before as number] as Section;
      words = sectionWords(section, budget.tokenizer);
      change = wholeSectionChange(section, 'removed', words);
      const counterpart = counterparts.get(entry.before as number);
      if (counterpart) change.likelyCounterpart = counterpart;
    }
    sections.push(change);
    weights.push({ significance: change.significance, words });
  }

  const summary: RevisionDiffSummary = {
    added: 0,
    removed: 0,
    modified: 0,
    renamed: 0,
    moved: 0,
    unchanged: 0,
    wordsAdded: 0,
    wordsRemoved: 0,
    significance: revisionSignificance(weights),
    trivial: true,
  };
  for (const change of sections) {
    // Counted by primary kind, so the counts add up to the number of sections.
    summary[change.kind]++;
    summary.wordsAdded += change.wordsAdded;
    summary.wordsRemoved += change.wordsRemoved;
    if (change.kind !== 'unchanged' && change.trivial === undefined) summary.trivial = false;
  }

  const diff: RevisionDiff = { from: describe(previous), to: describe(next), sections, summary };
  const bounded = budget.bounded();
  if (bounded) diff.bounded = bounded;
  return diff;
}
