/**
 * The Document model: what a captured page means once its chrome is stripped.
 * Pure data, JSON-serialisable, stored in S3 as docs/<page>/<sha256>.json.
 */

export const DOCUMENT_SCHEMA_VERSION = 1 as const;

export interface Paragraph {
  /** Normalised text (whitespace collapsed, entities decoded, zero-width removed); wording and case kept exactly. */
  text: string;
  /** A run-in head at the start of the paragraph ("Physical Conditions"), reassembled from fragmented <u>/<b> tags. */
  lead?: string;
}

export interface Section {
  /** Stable key from the normalised heading path, e.g. "respect-for-civil-liberties/freedom-of-peaceful-assembly". */
  key: string;
  /** The heading text exactly as shown (normalised whitespace), without the outline number. */
  heading: string;
  /** Outline number as printed ("1", "1.c", "a"), when the page gives one. */
  number?: string;
  /** Depth in the outline: 1 for top-level sections, 2 for their sub-sections, ... */
  level: number;
  /** Key of the enclosing section, absent at the top level. */
  parentKey?: string;
  paragraphs: Paragraph[];
}

export interface Document {
  schemaVersion: typeof DOCUMENT_SCHEMA_VERSION;
  /** URL the page was fetched from (or given for a file). */
  url: string;
  /** <link rel="canonical"> when present, otherwise the URL. */
  canonicalUrl: string;
  title: string;
  /** Name of the profile that read the page ("state-hrr", "generic"). */
  profile: string;
  /** Series the page belongs to ("hrr/kazakhstan"); pages of one series differ by edition. */
  series?: string;
  /** Edition (for state-hrr: the year the report covers). */
  edition?: number;
  /** ISO-8601 dates as the page states them. */
  published?: string;
  modified?: string;
  /** Sections in document order (a pre-order walk of the outline). */
  sections: Section[];
}

/** Words as the audit counts them: runs of non-whitespace. */
export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = code === 32 || (code >= 9 && code <= 13) || code === 160 || code === 0x2028 || code === 0x2029;
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      count++;
    }
  }
  return count;
}

export function sectionWordCount(section: Section): number {
  let total = 0;
  for (const paragraph of section.paragraphs) total += countWords(paragraph.text);
  return total;
}

export function documentWordCount(document: Document): number {
  let total = 0;
  for (const section of document.sections) total += sectionWordCount(section);
  return total;
}

/** Plain text of the body, one paragraph per line and headings on their own lines (for reference diffs and exports). */
export function documentPlainText(document: Document): string {
  const lines: string[] = [];
  for (const section of document.sections) {
    lines.push(section.number ? `${section.number}. ${section.heading}` : section.heading);
    for (const paragraph of section.paragraphs) lines.push(paragraph.text);
  }
  return lines.join('\n') + '\n';
}

/** Breadcrumb of headings from the top level down to the section with the given key. */
export function headingPath(document: Document, key: string): string[] {
  const byKey = new Map(document.sections.map((section) => [section.key, section]));
  const path: string[] = [];
  let current = byKey.get(key);
  while (current) {
    path.unshift(current.heading);
    current = current.parentKey ? byKey.get(current.parentKey) : undefined;
  }
  return path;
}
