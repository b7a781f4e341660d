import { foldTypography } from './text-normalisation.js';
/**
 * English sentence segmentation tuned for government reports, plus the normal form and hash that identify a sentence
 * across revisions and editions.
 *
 * A small deterministic scanner, not Intl.Segmenter: ICU's sentence rules split after "Mr." and "J." and change with the
 * ICU version a runtime ships, and sentence hashes stored by one Node version must match those computed by another.
 */

/** Closing quotes and brackets that belong to the sentence they follow (`."`, `.”`, `.)`). */
const CLOSERS = new Set(['"', "'", '\u201d', '\u2019', ')', ']', '}', '\u00bb', '\u203a']);
/** Opening quotes and brackets skipped when looking at how the next sentence starts. */
const OPENERS = new Set(['"', "'", '\u201c', '\u2018', '(', '[', '{', '\u00ab', '\u2039']);

/** Abbreviations that never end a sentence: titles and Latin connectives are always followed by more. */
const NEVER_FINAL = new Set([
  'mr',
  'mrs',
  'ms',
  'messrs',
  'mmes',
  'dr',
  'prof',
  'gov',
  'gen',
  'lt',
  'col',
  'sen',
  'rep',
  'capt',
  'sgt',
  'maj',
  'adm',
  'cmdr',
  'cpl',
  'pvt',
  'brig',
  'supt',
  'insp',
  'hon',
  'rev',
  'amb',
  'pres',
  'fr',
  'mt',
  'ft',
  'e.g',
  'i.e',
  'cf',
  'viz',
  'vs',
  'v',
  'approx',
  'ca',
]);

/** Month abbreviations, in both sets below: they precede a number ("Jan. 5") and may end a sentence ("... in Jan. The"). */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec'];

/** Abbreviations that introduce a number ("No. 5", "Art. 174", "para. 3", "Jan. 5"): no break before a digit. */
const BEFORE_NUMBER = new Set(['no', 'nos', 'art', 'arts', 'para', 'paras', 'p', 'pp', 'vol', 'ch', 'sec', 'secs', 'fig', 'cl', ...MONTHS]);

/**
 * Abbreviations that may end a sentence ("... Kazakhmys Corp. The company ..."): they break only when the next word
 * is one that typically starts a sentence. Initialisms ("U.S.") and single initials ("J.") are treated the same way.
 * "etc." is not here: like any word, it ends a sentence before a capital and not before a lowercase word.
 */
const MAYBE_FINAL = new Set([
  'inc',
  'ltd',
  'co',
  'corp',
  'bros',
  'jr',
  'sr',
  'esq',
  'st',
  'ave',
  'blvd',
  'rd',
  'dept',
  'univ',
  'assn',
  'al',
  ...MONTHS,
]);

/** Closed-class words that commonly open a sentence; after an ambiguous abbreviation they signal a boundary. */
const SENTENCE_STARTERS = new Set([
  'a',
  'an',
  'the',
  'this',
  'that',
  'these',
  'those',
  'there',
  'then',
  'thus',
  'therefore',
  'however',
  'moreover',
  'furthermore',
  'also',
  'in',
  'on',
  'at',
  'by',
  'for',
  'from',
  'with',
  'without',
  'during',
  'after',
  'before',
  'since',
  'until',
  'while',
  'when',
  'where',
  'whether',
  'although',
  'though',
  'as',
  'according',
  'despite',
  'following',
  'under',
  'between',
  'among',
  'through',
  'throughout',
  'other',
  'some',
  'many',
  'most',
  'several',
  'both',
  'each',
  'every',
  'all',
  'no',
  'not',
  'nor',
  'neither',
  'only',
  'if',
  'unlike',
  'it',
  'its',
  'he',
  'she',
  'they',
  'we',
  'i',
  'you',
  'his',
  'her',
  'their',
  'our',
  'my',
  'what',
  'who',
  'why',
  'how',
  'which',
  'to',
  'of',
  'but',
  'and',
  'or',
  'yet',
  'so',
  'such',
  'one',
  'two',
  'three',
  'four',
  'five',
]);

/** A list marker standing alone ("1.", "a.", "2.a.", "(iv)"): never a sentence by itself. */
const LIST_MARKER = /^\(?(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,6})(?:\.[0-9A-Za-z]{1,3})*[.)]$/;
/** Initialisms with inner periods ("U.S", "U.N", "a.m", "Ph.D") and outline references ("2.a"), final period removed. */
const INITIALISM = /^(?:\p{L}{1,2}\.)+\p{L}{1,2}$|^\d{1,3}(?:\.\d{1,3})*\.\p{L}$/u;
/** Lowercase words after which a capital and a period are still an initial ("by J. Smith"). */
const INITIAL_INTRODUCERS = new Set(['by', 'and', 'of', 'to', 'for', 'with', 'from', 'said', 'says', 'named', 'judge']);
/** Characters that can open a sentence: a letter other than lowercase, a digit, a currency or section sign. */
const SENTENCE_OPENING = /[\p{Lu}\p{Lt}\p{Lo}\p{N}\p{Sc}\u00a7#]/u;
const ROMAN_NUMERAL = /^[IVXLC]+\b/;
/** Terminators, including spaced ellipses (". . ."). */
const TERMINATOR_RUN = /[.?!\u2026]+(?:[ \u00a0][.?!\u2026]+)*/y;

function isSpace(char: string | undefined): boolean {
  return char !== undefined && /\s/u.test(char);
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}

/** Start offset of the whitespace-delimited token that ends at `end`. */
function tokenStart(text: string, end: number): number {
  let start = end;
  while (start > 0 && !isSpace(text[start - 1])) start--;
  return start;
}

/** The token before `end`, without leading quotes or brackets. */
function tokenBefore(text: string, end: number): string {
  let token = text.slice(tokenStart(text, end), end);
  while (token.length > 0 && OPENERS.has(token[0]!)) token = token.slice(1);
  return token;
}

/** The next word starting at `start` (letters only), and whether a period follows it directly. */
function wordAt(text: string, start: number): { word: string; dotted: boolean } {
  const match = /^[\p{L}\p{M}]+/u.exec(text.slice(start, start + 40));
  const word = match ? match[0] : '';
  return { word, dotted: text[start + word.length] === '.' };
}

/**
 * A capital letter and a period is a person's initial ("J. Smith", "John F. Kennedy", "by J. Smith"), except after a
 * lowercase word, where it is usually part of a term ("hepatitis B. Cheng Yuan ...").
 */
function isInitial(text: string, tokenAt: number, token: string): boolean {
  if (!/^\p{Lu}$/u.test(token) || token === 'I') return false;
  const previous = tokenBefore(text, Math.max(0, tokenAt - 1)).replace(/[,;:]$/, '');
  return previous === '' || !/^\p{Ll}/u.test(previous) || INITIAL_INTRODUCERS.has(previous);
}

/**
 * Whether a single period at `periodAt` ends the sentence, given that whitespace and a possible sentence start follow
 * it (at `nextStart`).
 */
function periodEndsSentence(text: string, periodAt: number, nextStart: number): boolean {
  const tokenAt = tokenStart(text, periodAt);
  const token = tokenBefore(text, periodAt);
  const lower = token.toLowerCase();
  if (NEVER_FINAL.has(lower)) return false;
  const next = text[nextStart] ?? '';
  const numberFollows = isDigit(next) || ROMAN_NUMERAL.test(text.slice(nextStart, nextStart + 8));
  if (numberFollows && BEFORE_NUMBER.has(lower)) return false;
  const ambiguous = MAYBE_FINAL.has(lower) || INITIALISM.test(token) || isInitial(text, tokenAt, token);
  if (!ambiguous) return true;
  const { word, dotted } = wordAt(text, nextStart);
  if (word.length === 0) return true;
  // "J. A. Smith": the next word is itself an initial.
  if (dotted && word.length === 1) return false;
  return SENTENCE_STARTERS.has(word.toLowerCase());
}

/**
 * Splits text into sentences, each trimmed and exactly as written. Boundaries fall after `.`, `?` or `!` (plus any
 * closing quotes or brackets) when whitespace and a sentence start follow. No break before a lowercase word, inside
 * numbers ("3.5", "$1.2"), after an ellipsis ("...", "…", ". . ."), after titles ("Mr.", "Gen."), Latin abbreviations
 * ("e.g.", "vs."), number abbreviations before a number ("No. 5", "Art. 174"), or after initials and initialisms
 * ("J. Smith", "U.S. Embassy") unless a typical sentence opener follows ("... in the U.S. The ...").
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let sentenceStart = 0;
  let i = 0;
  const length = text.length;

  const push = (end: number) => {
    const sentence = text.slice(sentenceStart, end).trim();
    if (sentence.length > 0) sentences.push(sentence);
    sentenceStart = end;
  };

  while (i < length) {
    const char = text[i]!;
    if (char !== '.' && char !== '?' && char !== '!' && char !== '\u2026') {
      i++;
      continue;
    }
    TERMINATOR_RUN.lastIndex = i;
    const run = TERMINATOR_RUN.exec(text)![0];
    const runStart = i;
    i += run.length;
    const runEnd = i;
    while (i < length && CLOSERS.has(text[i]!)) i++;
    const end = i;
    if (end < length && !isSpace(text[end])) continue; // "3.5", "U.S.-based", "state.gov"
    let nextStart = end;
    while (nextStart < length && isSpace(text[nextStart])) nextStart++;
    if (nextStart >= length) break;
    while (nextStart < length && OPENERS.has(text[nextStart]!)) nextStart++;
    const next = text[nextStart];
    if (next === undefined || !SENTENCE_OPENING.test(next)) continue; // "etc. and", "reach.’ — Dalai Lama"
    if (end - sentenceStart <= 24 && LIST_MARKER.test(text.slice(sentenceStart, end).trim())) continue;

    const periods = run.split('.').length - 1;
    const ellipses = run.split('\u2026').length - 1;
    let breaks: boolean;
    if (/[?!]/.test(run)) breaks = true;
    // "...." or "… ." is an ellipsis and a full stop; a bare ellipsis marks an omission, not an end.
    else if (periods >= 4 || (ellipses > 0 && periods > 0)) breaks = true;
    else if (periods === 3 || ellipses > 0) breaks = false;
    // A closing quote or bracket after the period ends the sentence: "(see section 1.f.) Security forces ...".
    else if (end > runEnd) breaks = true;
    else breaks = periodEndsSentence(text, runStart, nextStart);
    if (breaks) push(end);
  }
  push(length);
  return sentences;
}

const TRAILING_PUNCTUATION_CHAR = /[\s.?!,;:'")\]}]/;

/**
 * The text without its trailing run of whitespace, sentence punctuation and closing quotes or brackets. A scan back
 * from the end: the regular expression `/[...]+$/` tries every start position, so it cost more than all the other
 * folds of a sentence together.
 */
export function stripTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING_PUNCTUATION_CHAR.test(text[end - 1]!)) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * The form two sentences are compared in: Unicode NFKC ("…" becomes "..."), typographic quotes and dashes as ASCII,
 * invisible characters removed, whitespace collapsed, lowercase, and trailing punctuation and closing quotes stripped
 * (so `said "no."` and `said "no".` compare equal).
 */
export function normaliseSentence(sentence: string): string {
  // toLowerCase is toLocaleLowerCase('en'): English has no language-specific case mappings (ECMA-402), and the two
  // agree on every code point (test/domain/sentences.test.ts).
  return stripTrailingPunctuation(foldTypography(sentence.normalize('NFKC')).toLowerCase()).trim();
}

/**
 * FNV-1a 64-bit over the UTF-16LE bytes of a string, as 16 hex digits. Computed in four 16-bit limbs (v0 lowest), so
 * every product stays a small integer: no BigInt, no floating-point division, the same result everywhere. Sentence
 * identities, provenance and term audits hash every sentence of every edition with it.
 */
export function fnv1a64(text: string): string {
  // offset basis 0xcbf29ce484222325
  let v0 = 0x2325;
  let v1 = 0x8422;
  let v2 = 0x9ce4;
  let v3 = 0xcbf2;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    for (let shift = 0; shift <= 8; shift += 8) {
      v0 ^= (unit >>> shift) & 0xff;
      // times the prime 0x100000001b3 = 2^40 + 0x1b3, modulo 2^64: each limb times 0x1b3, plus v0 << 8 into limb 2 and
      // v1 << 8 into limb 3 (the 2^40), carries rippling up
      const t0 = v0 * 0x1b3;
      const t1 = v1 * 0x1b3 + (t0 >>> 16);
      const t2 = v2 * 0x1b3 + (v0 << 8) + (t1 >>> 16);
      v3 = (v3 * 0x1b3 + (v1 << 8) + (t2 >>> 16)) & 0xffff;
      v0 = t0 & 0xffff;
      v1 = t1 & 0xffff;
      v2 = t2 & 0xffff;
    }
  }
  return (v3 * 0x10000 + v2).toString(16).padStart(8, '0') + (v1 * 0x10000 + v0).toString(16).padStart(8, '0');
}

/** Stable identity of a sentence: FNV-1a 64 of its normal form. */
export function sentenceHash(sentence: string): string {
  return fnv1a64(normaliseSentence(sentence));
}
