/**
 * Text clean-up applied to everything extraction stores. It normalises whitespace and invisible characters only:
 * wording, case and quotation marks are kept exactly as published.
 */

// Zero-width space/joiners, word joiner, BOM, soft hyphen: invisible, and they break word matching.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// Every Unicode space separator, plus line/paragraph separators and ASCII whitespace.
const WHITESPACE_RUN = /[\s\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/g;

export function cleanText(raw: string): string {
  return raw.replace(INVISIBLE, '').replace(WHITESPACE_RUN, ' ').trim();
}

/** True when the text has at least one letter or digit (not only punctuation, bullets or separators). */
export function hasWordCharacters(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
