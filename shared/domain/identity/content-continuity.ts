import type { Document } from '../document.js';
import { fnv1a64 } from '../sentences.js';

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

export type ShingleSet = ReadonlySet<string>;

export function documentShingles(document: Document): ShingleSet {
  const words: string[] = [];
  for (const section of document.sections) {
    for (const paragraph of section.paragraphs) {
      for (const word of paragraph.text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (word) words.push(word);
    }
  }
  const shingles = new Set<string>();
  for (let index = 0; index + SHINGLE_WORDS <= words.length; index++) {
    shingles.add(fnv1a64(words.slice(index, index + SHINGLE_WORDS).join(' ')));
  }
  return shingles;
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
