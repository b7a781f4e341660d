/**
 * Names and slugs: how a page's own words (its headline, title, taxonomy terms) are compared with the segments of its
 * URL and with the names other pages give. Slugs are made the way publishing systems make them from titles (lower
 * case, accents and apostrophes dropped, everything else a hyphen), so a name and the slug made from it meet.
 */

const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHES = /['\u2019\u2018\u02bc]/g;

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/** The words of a slug or URL segment (hyphens and underscores separate them). */
export function slugWords(slug: string): string[] {
  return slug.split(/[-_]+/).filter((word) => word.length > 0);
}

/** The words of a name, as a set. */
export function nameWords(name: string): Set<string> {
  return new Set(slugWords(slugify(name)));
}

/**
 * The name and its parts: "China (includes Tibet, Hong Kong, and Macau) – China" gives the whole, "China (includes
 * Tibet, Hong Kong, and Macau)" and "China" (a dash separates a part's name from its report's), each also without
 * its parenthesis.
 */
export function nameParts(name: string): string[] {
  const parts = new Set<string>();
  const add = (value: string) => {
    const trimmed = value.trim();
    if (trimmed) parts.add(trimmed);
  };
  add(name);
  for (const part of name.split(/\s+[-\u2013\u2014]\s+/)) {
    add(part);
    add(part.replace(/\([^)]*\)/g, ' '));
  }
  return [...parts];
}

/**
 * How well a URL segment matches a name: 3 the slug of the name or of one of its parts, 2 every word of the segment
 * is in the name, 1 every word of one of the name's parts is in the segment (a segment with extra words, such as a
 * duplicate counter), 0 none.
 */
export function segmentMatch(segment: string, name: string): number {
  const parts = nameParts(name);
  if (parts.some((part) => slugify(part) === segment)) return 3;
  const words = slugWords(segment);
  if (words.length === 0) return 0;
  const named = nameWords(name);
  if (words.every((word) => named.has(word))) return 2;
  const segmentWords = new Set(words);
  if (parts.some((part) => [...nameWords(part)].every((word) => segmentWords.has(word)))) return 1;
  return 0;
}

/** The best match of a segment against any of the names. */
export function bestSegmentMatch(segment: string, names: readonly string[]): number {
  let best = 0;
  for (const name of names) best = Math.max(best, segmentMatch(segment, name));
  return best;
}

export type SignalVerdict = 'agree' | 'disagree' | 'unknown';

/**
 * Do two names name the same thing? Agree: the same words, the same leading part ("Bahamas, The" and "The Bahamas";
 * "China (includes ...)" and "China (Includes ...)"), or one's words all in the other's ("Micronesia" and "Federated
 * States of Micronesia"). Disagree: no word in common ("Swaziland" and "Eswatini"). Anything between says nothing.
 */
export function compareNames(a: string | undefined, b: string | undefined): SignalVerdict {
  if (!a || !b) return 'unknown';
  const left = nameWords(a);
  const right = nameWords(b);
  if (left.size === 0 || right.size === 0) return 'unknown';
  const [smaller, larger] = left.size <= right.size ? [left, right] : [right, left];
  if ([...smaller].every((word) => larger.has(word))) return 'agree';
  if (slugify(leadingPart(a)) === slugify(leadingPart(b))) return 'agree';
  return [...left].some((word) => right.has(word)) ? 'unknown' : 'disagree';
}

function leadingPart(name: string): string {
  return name.split(/[,(]|\s+[-\u2013\u2014]\s+/)[0] ?? name;
}
