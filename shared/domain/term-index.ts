/**
 * A compact per-Document term index for whole-store audits: per section, its word count and every distinct token of
 * its body paragraphs (in the audit's matching form, foldForMatching) with how often it occurs. It is derived data,
 * stored beside the Document under the Document's hash, so an audit reads a few kilobytes per page instead of the
 * whole Document and folds no text.
 *
 * A token is a maximal run of word characters (letters, digits, combining marks: the characters wholeWord matching
 * treats as word characters). A term whose folded form is made of word characters only cannot match across two
 * tokens, so its count is exact from the index: a whole-word match is a token equal to it, and a substring match lies
 * within one token (non-overlapping matches in a token do not depend on its neighbours). Other terms (a phrase, a
 * hyphenated or apostrophised word) are not answered here: the caller counts them in the Document.
 */

import { sectionWordCount, type Document } from './document.js';
import type { DocumentTermCounts } from './audit.js';
import { foldForMatching } from './audit.js';

/** Bumped when tokens or stored shape change: an index of another version is rebuilt from its Document. */
export const TERM_INDEX_VERSION = 1;

export interface TermIndexSection {
  key: string;
  heading: string;
  wordCount: number;
  /**
   * The section's distinct tokens in first-appearance order, each preceded by a space and the last followed by one
   * (tokens contain no space): ` torture of the `. Empty for a section without words.
   */
  tokens: string;
  /**
   * Occurrences of each token, in the order of `tokens`, as decimal numbers joined by single spaces (`3 1 12`): one
   * string rather than an array, so that reading an index back parses no number until a term matches its token.
   */
  counts: string;
}

export interface TermIndex {
  version: typeof TERM_INDEX_VERSION;
  edition: number | null;
  canonicalUrl: string;
  sections: TermIndexSection[];
}

const WORD_CHARACTER = /[\p{L}\p{N}\p{M}]/u;
const WORD_CHARACTERS_ONLY = /^[\p{L}\p{N}\p{M}]+$/u;
/** Per UTF-16 code unit outside the surrogates: 1 a word character, -1 not, 0 not asked yet (filled as met). */
const wordUnits = new Int8Array(0x10000);

function isWordUnit(code: number): boolean {
  let known = wordUnits[code]!;
  if (known === 0) wordUnits[code] = known = WORD_CHARACTER.test(String.fromCharCode(code)) ? 1 : -1;
  return known === 1;
}

/**
 * Counts the tokens of folded text into `counts`, in order: the maximal runs of word characters (`[\p{L}\p{N}\p{M}]+`
 * by code point, as a `u` regular expression reads them). A scan of the code units with each one's class remembered,
 * rather than that expression's matches: half the time on report pages, the same tokens (term-index.test.ts checks
 * both on the sample pages and on random text). A surrogate pair is one code point, classed as a whole; a lone
 * surrogate is not a word character.
 */
function countTokens(text: string, counts: Map<string, number>): void {
  const count = (token: string) => counts.set(token, (counts.get(token) ?? 0) + 1);
  let start = -1;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    const pair = code >= 0xd800 && code <= 0xdbff && at + 1 < text.length && (text.charCodeAt(at + 1) & 0xfc00) === 0xdc00;
    const word = pair ? WORD_CHARACTER.test(text.slice(at, at + 2)) : code < 0xd800 || code > 0xdfff ? isWordUnit(code) : false;
    if (word) {
      if (start === -1) start = at;
    } else if (start !== -1) {
      count(text.slice(start, at));
      start = -1;
    }
    if (pair) at++;
  }
  if (start !== -1) count(text.slice(start));
}

/** The term index of one Document. */
export function buildTermIndex(document: Document): TermIndex {
  return {
    version: TERM_INDEX_VERSION,
    edition: document.edition ?? null,
    canonicalUrl: document.canonicalUrl,
    sections: document.sections.map((section) => {
      const counts = new Map<string, number>();
      for (const paragraph of section.paragraphs) countTokens(foldForMatching(paragraph.text), counts);
      return {
        key: section.key,
        heading: section.heading,
        wordCount: sectionWordCount(section),
        tokens: counts.size === 0 ? '' : ` ${[...counts.keys()].join(' ')} `,
        counts: [...counts.values()].join(' '),
      };
    }),
  };
}

/** True when the index answers the term exactly: its folded form is one run of word characters. */
export function indexAnswers(term: string): boolean {
  return WORD_CHARACTERS_ONLY.test(foldForMatching(term));
}

/**
 * countDocumentTerms(document, terms, wholeWord) from the Document's index, for terms that indexAnswers (the caller
 * checks): the same sections, word counts and matches. `series` is left for the caller to set.
 */
export function countIndexedTerms(index: TermIndex, terms: string[], wholeWord: boolean): DocumentTermCounts {
  const folded = terms.map((term) => foldForMatching(term));
  return {
    edition: index.edition,
    canonicalUrl: index.canonicalUrl,
    sections: index.sections.map((section) => ({
      key: section.key,
      heading: section.heading,
      wordCount: section.wordCount,
      counts: folded.map((term) => countInSection(section, term, wholeWord)),
    })),
  };
}

function countInSection(section: TermIndexSection, term: string, wholeWord: boolean): number {
  const { tokens } = section;
  if (wholeWord) {
    const at = tokens.indexOf(` ${term} `);
    return at === -1 ? 0 : countOf(section, tokenAt(tokens, at + 1));
  }
  let total = 0;
  let counts: string[] | undefined;
  let token = 0;
  let tokenEnd = tokens.indexOf(' ', 1);
  for (let at = tokens.indexOf(term); at !== -1; at = tokens.indexOf(term, at + term.length)) {
    // Matches come in order: move to the token holding this one (no match spans a space).
    while (tokenEnd < at) {
      token++;
      tokenEnd = tokens.indexOf(' ', tokenEnd + 1);
    }
    counts ??= section.counts.split(' ');
    total += Number(counts[token]);
  }
  return total;
}

function countOf(section: TermIndexSection, token: number): number {
  let start = 0;
  for (let skipped = 0; skipped < token; skipped++) start = section.counts.indexOf(' ', start) + 1;
  const end = section.counts.indexOf(' ', start);
  return Number(section.counts.slice(start, end === -1 ? undefined : end));
}

/** Index of the token starting at `start` in the framed token string. */
function tokenAt(tokens: string, start: number): number {
  let token = 0;
  for (let at = tokens.indexOf(' ', 1); at !== -1 && at < start; at = tokens.indexOf(' ', at + 1)) token++;
  return token;
}

/**
 * A stored term index checked against the shape buildTermIndex gives (derived data read back from storage); undefined
 * when it is of another version or malformed, so the caller rebuilds it from the Document.
 */
export function parseTermIndex(value: unknown): TermIndex | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const index = value as Partial<TermIndex>;
  if (index.version !== TERM_INDEX_VERSION || typeof index.canonicalUrl !== 'string') return undefined;
  if (index.edition !== null && !Number.isSafeInteger(index.edition)) return undefined;
  if (!Array.isArray(index.sections) || !index.sections.every(isSection)) return undefined;
  return index as TermIndex;
}

function isSection(value: unknown): value is TermIndexSection {
  if (typeof value !== 'object' || value === null) return false;
  const section = value as Partial<TermIndexSection>;
  if (typeof section.key !== 'string' || typeof section.heading !== 'string' || !Number.isSafeInteger(section.wordCount)) return false;
  const { tokens, counts } = section;
  if (typeof tokens !== 'string' || typeof counts !== 'string') return false;
  if (tokens.length === 0) return counts.length === 0;
  // ` a b ` and `1 2`: as many counts as tokens, each a positive integer.
  if (!COUNTS.test(counts) || !tokens.startsWith(' ') || !tokens.endsWith(' ') || tokens.length < 3 || tokens.includes('  ')) return false;
  return spaces(tokens) - 1 === spaces(counts) + 1;
}

const COUNTS = /^[1-9][0-9]{0,8}(?: [1-9][0-9]{0,8})*$/;

function spaces(text: string): number {
  let count = 0;
  for (let at = text.indexOf(' '); at !== -1; at = text.indexOf(' ', at + 1)) count++;
  return count;
}
