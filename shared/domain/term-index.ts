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
  /** The section's distinct tokens, joined by single spaces (tokens contain no space), in first-appearance order. */
  tokens: string;
  /** Occurrences of each token, in the order of `tokens`. */
  counts: number[];
}

export interface TermIndex {
  version: typeof TERM_INDEX_VERSION;
  edition: number | null;
  canonicalUrl: string;
  sections: TermIndexSection[];
}

const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
const WORD_CHARACTERS_ONLY = /^[\p{L}\p{N}\p{M}]+$/u;

/** The term index of one Document. */
export function buildTermIndex(document: Document): TermIndex {
  return {
    version: TERM_INDEX_VERSION,
    edition: document.edition ?? null,
    canonicalUrl: document.canonicalUrl,
    sections: document.sections.map((section) => {
      const counts = new Map<string, number>();
      for (const paragraph of section.paragraphs) {
        for (const token of foldForMatching(paragraph.text).match(TOKEN) ?? []) counts.set(token, (counts.get(token) ?? 0) + 1);
      }
      return { key: section.key, heading: section.heading, wordCount: sectionWordCount(section), tokens: [...counts.keys()].join(' '), counts: [...counts.values()] };
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
  if (section.counts.length === 0) return 0;
  // The tokens framed by spaces: a token starts after each space, and " term " is a whole token.
  const framed = ` ${section.tokens} `;
  if (wholeWord) {
    const at = framed.indexOf(` ${term} `);
    return at === -1 ? 0 : section.counts[tokenAt(framed, at + 1)]!;
  }
  let total = 0;
  let token = 0;
  let tokenEnd = framed.indexOf(' ', 1);
  for (let at = framed.indexOf(term); at !== -1; at = framed.indexOf(term, at + term.length)) {
    // Matches come in order: move to the token holding this one (no match spans a space).
    while (tokenEnd < at) {
      token++;
      tokenEnd = framed.indexOf(' ', tokenEnd + 1);
    }
    total += section.counts[token]!;
  }
  return total;
}

/** Index of the token starting at `start` in the framed token string. */
function tokenAt(framed: string, start: number): number {
  let token = 0;
  for (let at = framed.indexOf(' ', 1); at !== -1 && at < start; at = framed.indexOf(' ', at + 1)) token++;
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
  if (typeof section.tokens !== 'string' || !Array.isArray(section.counts)) return false;
  if (!section.counts.every((count) => Number.isSafeInteger(count) && count > 0)) return false;
  if (section.tokens.length === 0) return section.counts.length === 0;
  let tokens = 1;
  for (let at = section.tokens.indexOf(' '); at !== -1; at = section.tokens.indexOf(' ', at + 1)) tokens++;
  return tokens === section.counts.length && !section.tokens.startsWith(' ') && !section.tokens.endsWith(' ') && !section.tokens.includes('  ');
}
