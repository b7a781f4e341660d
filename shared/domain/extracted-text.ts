/**
 * Text clean-up applied to everything extraction stores. It normalises whitespace and invisible characters only:
 * wording, case and quotation marks are kept exactly as published.
 */

// Zero-width space/joiners, word joiner, BOM, soft hyphen: invisible, and they break word matching.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// \s covers ASCII whitespace, no-break spaces, every Unicode space separator and the line/paragraph separators.
const WHITESPACE_RUN = /\s+/g;
// Anything cleanText would change: whitespace other than a single inner space, or an invisible character.
const NEEDS_CLEANING = /[^\S ]| {2}|^ | $|[\u200B-\u200D\u2060\uFEFF\u00AD]/;

/** Collapses whitespace runs to one space, trims, and drops invisible characters. */
export function cleanText(raw: string): string {
  // Most paragraphs are already clean: testing is cheaper than rewriting (this runs on every paragraph).
  if (!NEEDS_CLEANING.test(raw)) return raw;
  return raw.replace(INVISIBLE, '').replace(WHITESPACE_RUN, ' ').trim();
}

/** True when the text has at least one letter or digit (not only punctuation, bullets or separators). */
export function hasWordCharacters(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
