/**
 * The sentences of one captured version of a page, as provenance sees it: every sentence of the body paragraphs in
 * document order, with its identity (`sentenceHash`, FNV-1a 64 of the normal form), its exact wording, and where it
 * stands (section, paragraph). Headings are not sentences (as in the term audit).
 */
import type { Document } from '../document.js';
import { fnv1a64, normaliseSentence, splitSentences, stripTrailingPunctuation } from '../sentences.js';

export interface SentenceSection {
  key: string;
  heading: string;
  level: number;
  parentKey?: string;
}

export interface VersionSentences {
  /** Sections in document order (those without paragraphs too), each with its number of paragraphs. */
  sections: Array<SentenceSection & { paragraphs: number }>;
  /** Sentences per paragraph, for every paragraph of every section in document order (0 for one with none). */
  paragraphs: number[];
  /** Sentence identities in document order; a sentence written twice is listed twice. */
  hashes: string[];
  /** The sentences exactly as written, parallel to `hashes`. */
  texts: string[];
}

/** Splits a Document's body into identified sentences. Pure; the same Document always gives the same result. */
export function versionSentences(document: Document): VersionSentences {
  const result: VersionSentences = { sections: [], paragraphs: [], hashes: [], texts: [] };
  for (const section of document.sections) {
    result.sections.push({
      key: section.key,
      heading: section.heading,
      level: section.level,
      ...(section.parentKey !== undefined ? { parentKey: section.parentKey } : {}),
      paragraphs: section.paragraphs.length,
    });
    for (const paragraph of section.paragraphs) {
      let count = 0;
      for (const sentence of splitSentences(paragraph.text)) {
        const normal = sentenceNormalForm(sentence);
        // Punctuation alone ("..." between quotations) has no identity worth tracking.
        if (normal.length === 0) continue;
        // sentenceHash(sentence), without normalising twice.
        result.hashes.push(fnv1a64(normal));
        result.texts.push(sentence);
        count++;
      }
      result.paragraphs.push(count);
    }
  }
  return result;
}

/**
 * Text made of printable ASCII, typographic quotes and en/em dashes (most report sentences): NFKC leaves it alone and
 * it holds no invisible characters, so its normal form needs only the quote, dash, space and case folds.
 */
const PLAIN_SENTENCE = /^[\x20-\x7e\u2018\u2019\u201c\u201d\u2013\u2014]*$/;

/** `normaliseSentence`, with a fast path for plain text (same result: the tests compare them). */
export function sentenceNormalForm(sentence: string): string {
  if (!PLAIN_SENTENCE.test(sentence)) return normaliseSentence(sentence);
  return stripTrailingPunctuation(
    sentence
      .replace(/[\u2018\u2019`]/g, "'")
      .replace(/[\u201c\u201d]/g, '"')
      .replace(/[\u2013\u2014]/g, '-')
      .replace(/ {2,}/g, ' ')
      .toLowerCase(),
  ).trim();
}
