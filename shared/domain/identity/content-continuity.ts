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

export type ShingleSet = ReadonlySet<number>;

export function documentShingles(document: Document): ShingleSet {
  const words: number[] = [];
  for (const section of document.sections) {
    for (const paragraph of section.paragraphs) {
      for (const word of paragraph.text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (word) words.push(wordHash(word));
    }
  }
  const shingles = new Set<number>();
  for (let index = 0; index + SHINGLE_WORDS <= words.length; index++) {
    // Two 32-bit lanes folded into one 52-bit number: collisions stay far below what moves a similarity.
    let high = 0x811c9dc5;
    let low = 0x01000193;
    for (let offset = 0; offset < SHINGLE_WORDS; offset++) {
      const word = words[index + offset]!;
      high = Math.imul(high ^ word, 0x01000193);
      low = Math.imul(low ^ word, 0x5bd1e995) ^ (low >>> 15);
    }
    shingles.add((high >>> 0) * 0x100000 + (low >>> 12));
  }
  return shingles;
}

/** FNV-1a, 32 bits, over UTF-16 code units. */
function wordHash(word: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < word.length; index++) hash = Math.imul(hash ^ word.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

export function shingleSimilarity(a: ShingleSet, b: ShingleSet): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [smaller, larger] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const shingle of smaller) if (larger.has(shingle)) shared++;
  return shared / (a.size + b.size - shared);
}

export function continuityVerdict(similarity: number | undefined): 'agree' | 'disagree' | 'unknown' {
  if (similarity === undefined) return 'unknown';
  if (similarity >= CONTINUITY_AGREES) return 'agree';
  return similarity < CONTINUITY_DISAGREES ? 'disagree' : 'unknown';
}
