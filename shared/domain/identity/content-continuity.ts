import type { Document } from '../document.js';

/**
 * Content continuity between two editions: the Jaccard similarity of their sets of 8-word shingles (lower-cased
 * words). Consecutive editions of one country's report re-use much of their text; two countries' reports share
 * only template phrases. Long shingles keep the template out: on the sample, consecutive editions of one report
 * measure 0.15 to 0.78 (the lowest is the 2023 -> 2024 cut), reports of two countries at most 0.08 (two very short
 * reports whose text is mostly the template). See docs/page-identity.md.
 */
export const SHINGLE_WORDS = 8;
/** At or above: the editions continue one another. */
export const CONTINUITY_AGREES = 0.11;
/** Below: the editions are different reports. Between the two the text says nothing either way. */
export const CONTINUITY_DISAGREES = 0.02;

/**
 * A document's distinct shingles, sorted ascending. Built by one sort and compared by one merge: a Set of the same
 * 52-bit numbers boxed each of them and took twice the time (about 30,000 shingles per report).
 */
export type ShingleSet = Readonly<Float64Array>;

export function documentShingles(document: Document): ShingleSet {
  const words: number[] = [];
  for (const section of document.sections) for (const paragraph of section.paragraphs) pushWordHashes(paragraph.text.toLowerCase(), words);
  const shingles = new Float64Array(Math.max(0, words.length - SHINGLE_WORDS + 1));
  for (let index = 0; index < shingles.length; index++) {
    // Two 32-bit lanes folded into one 52-bit number: collisions stay far below what moves a similarity.
    let high = 0x811c9dc5;
    let low = 0x01000193;
    for (let offset = 0; offset < SHINGLE_WORDS; offset++) {
      const word = words[index + offset]!;
      high = Math.imul(high ^ word, 0x01000193);
      low = Math.imul(low ^ word, 0x5bd1e995) ^ (low >>> 15);
    }
    shingles[index] = (high >>> 0) * 0x100000 + (low >>> 12);
  }
  shingles.sort();
  let distinct = 0;
  for (let index = 0; index < shingles.length; index++)
    if (distinct === 0 || shingles[index] !== shingles[distinct - 1]) shingles[distinct++] = shingles[index]!;
  return shingles.slice(0, distinct);
}

const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;

/**
 * The words of a lower-cased text, as `text.split(/[^\p{L}\p{N}]+/u)` finds them (runs of letters and numbers, by code
 * point), each as its FNV-1a 32-bit hash over UTF-16 code units, pushed onto `into`. One scan, no word strings:
 * ASCII is classified inline, any other code point by the same Unicode classes.
 */
function pushWordHashes(text: string, into: number[]): void {
  let hash = 0x811c9dc5;
  let inWord = false;
  for (let index = 0; index < text.length;) {
    const unit = text.charCodeAt(index);
    let width = 1;
    let wordCharacter: boolean;
    if (unit < 0x80) wordCharacter = (unit >= 0x61 && unit <= 0x7a) || (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x5a);
    else {
      const point = text.codePointAt(index)!;
      if (point > 0xffff) width = 2;
      wordCharacter = LETTER_OR_NUMBER.test(String.fromCodePoint(point));
    }
    if (wordCharacter) {
      for (let offset = 0; offset < width; offset++) hash = Math.imul(hash ^ text.charCodeAt(index + offset), 0x01000193);
      inWord = true;
    } else if (inWord) {
      into.push(hash >>> 0);
      hash = 0x811c9dc5;
      inWord = false;
    }
    index += width;
  }
  if (inWord) into.push(hash >>> 0);
}

export function shingleSimilarity(a: ShingleSet, b: ShingleSet): number {
  if (a.length === 0 || b.length === 0) return 0;
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      shared++;
      i++;
      j++;
    }
  }
  return shared / (a.length + b.length - shared);
}

export function continuityVerdict(similarity: number | undefined): 'agree' | 'disagree' | 'unknown' {
  if (similarity === undefined) return 'unknown';
  if (similarity >= CONTINUITY_AGREES) return 'agree';
  return similarity < CONTINUITY_DISAGREES ? 'disagree' : 'unknown';
}
