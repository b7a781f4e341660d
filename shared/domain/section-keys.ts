/**
 * Section keys: derived from the heading path, normalised so that the same section gets the same key in every
 * revision and, where its heading did not change, in every edition.
 *
 * Normalisation folds case, typographic quotes and dashes, diacritics, "&", outline numbering ("Section 2.", "a.",
 * "IV.", "2.1") and trailing punctuation. Each path segment is capped so keys stay readable and small enough to
 * travel in SNS message attributes.
 */

const MAX_SEGMENT_LENGTH = 48;

/** Outline numbering at the start of a heading: "Section 2.", "Section 2:", "a.", "(b)", "IV.", "2.1", "3)". */
const LEADING_NUMBERING =
  /^\s*(?:(?:section|part|chapter|annex|appendix)\s+(?:[0-9]+[a-z]?|[ivxlc]+(?=[.:)]))\s*[.:)\-\u2013\u2014]?\s*|\(?[a-z]\)\s+|[a-z]\.\s+|[0-9]+(?:\.[0-9]+)+\.?\s+|\(?[0-9]{1,2}[.)]\s+|[ivxlc]+\.\s+)/i;

/** Splits an outline prefix ("a." or "Section 3.") from the heading text, returning the bare heading and the label. */
export function splitHeadingNumber(heading: string): { heading: string; label?: string } {
  const match = LEADING_NUMBERING.exec(heading);
  if (!match || match[0].length === heading.length) return { heading };
  return { heading: heading.slice(match[0].length).trim(), label: bareLabel(match[0]) };
}

/** The number in a label that stands alone ("Section 1." -> "1"), or undefined when the text is not a number label. */
export function numberLabel(text: string): string | undefined {
  const match = LEADING_NUMBERING.exec(`${text.trim()} `);
  return match && match[0].trim().length === text.trim().length ? bareLabel(match[0]) : undefined;
}

function bareLabel(prefix: string): string {
  return prefix
    .trim()
    .replace(/^(?:section|part|chapter|annex|appendix)\s+/i, '')
    .replace(/^\(|[.:)\-\u2013\u2014]$/g, '')
    .replace(/\)$/, '');
}

export function slugifyHeading(heading: string): string {
  const folded = splitHeadingNumber(heading)
    .heading.normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201A\u201B\u2032'`]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (folded.length <= MAX_SEGMENT_LENGTH) return folded || 'untitled';
  const cut = folded.slice(0, MAX_SEGMENT_LENGTH);
  const lastHyphen = cut.lastIndexOf('-');
  return lastHyphen > MAX_SEGMENT_LENGTH / 2 ? cut.slice(0, lastHyphen) : cut;
}

/** Allocates unique keys within one document: a repeated path gets "-2", "-3", ... in document order. */
export class SectionKeyAllocator {
  private readonly used = new Map<string, number>();

  allocate(heading: string, parentKey?: string): string {
    const base = parentKey ? `${parentKey}/${slugifyHeading(heading)}` : slugifyHeading(heading);
    const seen = this.used.get(base) ?? 0;
    this.used.set(base, seen + 1);
    return seen === 0 ? base : `${base}-${seen + 1}`;
  }
}
