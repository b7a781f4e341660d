/**
 * How much a section change matters: whether it is trivial noise (whitespace, punctuation, numbers/dates) that
 * alerts can skip, and a 0..1 significance score per section and per revision.
 */
import type { SectionChangeKind, Triviality } from './revision-diff.js';
import { isSpaceCode, isWordCode } from './text-normalisation.js';

const END = -2;
const PLACEHOLDER = -1;
// Month names stand for dates; "May" and "March" only count capitalised, as they are common words otherwise.
const MONTH =
  /(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?![\p{L}\p{N}])/uy;

/** Unicode space separators beyond the ones isSpaceCode knows (ogham, en/em/thin spaces, narrow nbsp, ...). */
function isWhitespace(code: number): boolean {
  return isSpaceCode(code) || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x202f || code === 0x205f || code === 0x3000;
}

/** Zero-width characters and the soft hyphen: invisible, so never a change of their own. */
function isInvisible(code: number): boolean {
  return code === 0xad || (code >= 0x200b && code <= 0x200d) || code === 0x2060 || code === 0xfeff;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

type Comparison = 'whitespace' | 'punctuation' | 'numbers';

/**
 * Reads the units a comparison looks at, one at a time, so two texts can be compared with an early exit at the
 * first difference (a real edit is usually found long before the end, and nothing is allocated):
 * - whitespace: every visible character, with each inner run of whitespace read as one space (leading and trailing
 *   whitespace and invisible characters are skipped);
 * - punctuation: letters, digits and combining marks only;
 * - numbers: as punctuation, but each number ("1,200", "3.5", "21st") and month name reads as one placeholder.
 */
class UnitReader {
  private at = 0;
  private started = false;

  constructor(
    private readonly text: string,
    private readonly comparison: Comparison,
  ) {}

  next(): number {
    const text = this.text;
    const length = text.length;
    while (this.at < length) {
      const code = text.charCodeAt(this.at);
      if (this.comparison === 'whitespace') {
        if (isInvisible(code)) {
          this.at++;
          continue;
        }
        if (isWhitespace(code)) {
          while (this.at < length && (isWhitespace(text.charCodeAt(this.at)) || isInvisible(text.charCodeAt(this.at)))) this.at++;
          if (this.started && this.at < length) return 32;
          continue;
        }
        this.started = true;
        this.at++;
        return code;
      }
      if (!isWordCode(code)) {
        this.at++;
        continue;
      }
      if (this.comparison === 'numbers') {
        if (isDigit(code)) {
          this.skipNumber();
          return PLACEHOLDER;
        }
        if (code >= 65 && code <= 90 && (this.at === 0 || !isWordCode(text.charCodeAt(this.at - 1)))) {
          MONTH.lastIndex = this.at;
          const month = MONTH.exec(text);
          if (month) {
            this.at += month[0].length;
            return PLACEHOLDER;
          }
        }
      }
      this.at++;
      return code;
    }
    return END;
  }

  private skipNumber(): void {
    const text = this.text;
    while (isDigit(text.charCodeAt(this.at))) this.at++;
    for (;;) {
      const separator = text.charCodeAt(this.at);
      if ((separator === 44 || separator === 46) && isDigit(text.charCodeAt(this.at + 1))) {
        this.at++;
        while (isDigit(text.charCodeAt(this.at))) this.at++;
      } else break;
    }
    const suffix = text.slice(this.at, this.at + 2);
    if ((suffix === 'st' || suffix === 'nd' || suffix === 'rd' || suffix === 'th') && !isWordCode(text.charCodeAt(this.at + 2))) {
      this.at += 2;
    }
  }
}

function equalUnder(comparison: Comparison, before: string, after: string): boolean {
  const left = new UnitReader(before, comparison);
  const right = new UnitReader(after, comparison);
  for (;;) {
    const unit = left.next();
    if (unit !== right.next()) return false;
    if (unit === END) return true;
  }
}

/**
 * The most specific trivial sort that explains every difference between two texts, or undefined when the change is
 * real (or there is none):
 * - whitespace: equal once whitespace runs are collapsed to one space and trimmed, and invisible characters removed
 *   (diffDocuments also counts a paragraph split in two or two merged into one as whitespace);
 * - punctuation: equal once everything but letters, digits and combining marks is removed (quotes, dashes, commas,
 *   and whitespace, so "web sites" for "websites" is a punctuation change);
 * - numbers: equal once, in addition, every number, ordinal ("21st") and month name is the same placeholder.
 * The sorts nest (a whitespace change is also a punctuation change), so the narrowest one is reported. Letter case
 * always counts as a real change.
 */
export function classifyTextChange(before: string, after: string): Triviality | undefined {
  if (before === after) return undefined;
  if (equalUnder('whitespace', before, after)) return 'whitespace';
  if (equalUnder('punctuation', before, after)) return 'punctuation';
  if (equalUnder('numbers', before, after)) return 'numbers';
  return undefined;
}

const NARROWNESS: Record<Triviality, number> = { whitespace: 0, punctuation: 1, numbers: 2 };

/** The triviality of several changes together: the broadest of them, or undefined as soon as one is real. */
export function combineTriviality(sorts: ReadonlyArray<Triviality | undefined>): Triviality | undefined {
  let combined: Triviality | undefined;
  for (const sort of sorts) {
    if (sort === undefined) return undefined;
    if (combined === undefined || NARROWNESS[sort] > NARROWNESS[combined]) combined = sort;
  }
  return combined;
}

/** Floor for a rename or move that leaves the text alone, and for a section added or removed without text. */
export const STRUCTURAL_SIGNIFICANCE = 0.1;
/** Floor for a real (non-trivial) text change that happens to add and remove no whole words, e.g. a case change. */
export const MINIMUM_TEXT_SIGNIFICANCE = 0.01;

export interface SignificanceInput {
  kinds: readonly SectionChangeKind[];
  wordsAdded: number;
  wordsRemoved: number;
  /** Words of the section in the previous and the next document. */
  wordsBefore: number;
  wordsAfter: number;
  trivial?: Triviality;
}

/**
 * Section significance, 0..1, rounded to 4 decimals:
 * - unchanged, or every change trivial: 0;
 * - added or removed: 1 when the section has text, otherwise STRUCTURAL_SIGNIFICANCE;
 * - otherwise the share of the section that changed, min(1, (wordsAdded + wordsRemoved) / max(wordsBefore,
 *   wordsAfter)) (a full rewrite scores 1, a one-word edit in 500 words 0.004), at least MINIMUM_TEXT_SIGNIFICANCE
 *   when the text changed, and at least STRUCTURAL_SIGNIFICANCE when the section was renamed or moved.
 */
export function sectionSignificance(input: SignificanceInput): number {
  const { kinds } = input;
  if (kinds.includes('added') || kinds.includes('removed')) {
    return Math.max(input.wordsBefore, input.wordsAfter) > 0 ? 1 : STRUCTURAL_SIGNIFICANCE;
  }
  if (input.trivial !== undefined || kinds.includes('unchanged')) return 0;
  const larger = Math.max(input.wordsBefore, input.wordsAfter, 1);
  let score = Math.min(1, (input.wordsAdded + input.wordsRemoved) / larger);
  if (kinds.includes('modified')) score = Math.max(score, MINIMUM_TEXT_SIGNIFICANCE);
  if (kinds.includes('renamed') || kinds.includes('moved')) score = Math.max(score, STRUCTURAL_SIGNIFICANCE);
  return round(score);
}

/**
 * Revision significance: the mean of section significances weighted by section size (words of the larger version,
 * at least 1 so empty sections still weigh something). Rewriting a third of the text gives about 0.33 whatever the
 * number of sections.
 */
export function revisionSignificance(sections: ReadonlyArray<{ significance: number; words: number }>): number {
  let weighted = 0;
  let total = 0;
  for (const section of sections) {
    const weight = Math.max(1, section.words);
    weighted += section.significance * weight;
    total += weight;
  }
  return total === 0 ? 0 : round(weighted / total);
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
