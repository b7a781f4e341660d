/**
 * Wording audits across editions: how often terms appear per edition (or per edition and section), normalised per
 * 100,000 words, and which sentences mentioning a term were added or removed between two documents.
 *
 * Terms are counted in body paragraphs only, the same text whose words are counted (headings count for neither).
 */

import { ValidationError } from '../errors.js';
import { sectionWordCount, type Document } from './document.js';
import { normaliseSentence, sentenceHash, splitSentences } from './sentences.js';
import { foldTypography } from './text-normalisation.js';
import { toCsv } from './csv.js';

export interface AuditOptions {
  /** One row per edition, or one per edition and section key. */
  by: 'edition' | 'section';
  /** Count only matches standing at word boundaries (letters, digits and combining marks are word characters). */
  wholeWord?: boolean;
}

export interface AuditRow {
  /** The edition of the group; null for documents that have none (grouped per canonical URL, see `url`). */
  edition: number | null;
  /** Set only for a group of documents without an edition: their canonical URL. */
  url?: string;
  /** Series that contributed to the row, in order of first appearance; absent when none of its documents has one. */
  series?: string[];
  sectionKey?: string;
  /** Heading of the section where its key first appears in the group. */
  heading?: string;
  /** Documents in the group (for a section row: those that contain the section). */
  reports: number;
  /** Words of the body paragraphs (headings excluded). */
  wordCount: number;
  /** Non-overlapping matches of each term. */
  counts: Record<string, number>;
  /** Matches per 100,000 words, unrounded; 0 when the row has no words. */
  rates: Record<string, number>;
}

export interface AuditTable {
  by: 'edition' | 'section';
  wholeWord: boolean;
  /** The distinct terms, in the order given; the keys of every row's counts and rates. */
  terms: string[];
  rows: AuditRow[];
}

export interface TermSentenceChange {
  term: string;
  change: 'added' | 'removed';
  /** Section where the sentence stands (in `next` for added, in `previous` for removed sentences). */
  sectionKey: string;
  heading: string;
  /** The sentence exactly as written. */
  sentence: string;
}

const RATE_BASE = 100_000;

/**
 * The form both text and terms are matched in: NFC, typography folded (foldTypography: "Women’s" matches "Women's",
 * "so‑called" matches "so-called"), lowercase (en).
 */
export function foldForMatching(text: string): string {
  // toLowerCase is toLocaleLowerCase('en') (no English-specific case mappings), without the locale lookup.
  return foldTypography(text.normalize('NFC')).toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A matcher for one term: counts non-overlapping occurrences, left to right, in already folded text. */
function termMatcher(term: string, wholeWord: boolean): (foldedText: string) => number {
  const folded = foldForMatching(term);
  if (!wholeWord) {
    return (text) => {
      let count = 0;
      for (let at = text.indexOf(folded); at !== -1; at = text.indexOf(folded, at + folded.length)) count++;
      return count;
    };
  }
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}\\p{M}])${escapeRegExp(folded)}(?![\\p{L}\\p{N}\\p{M}])`, 'gu');
  return (text) => {
    let count = 0;
    pattern.lastIndex = 0;
    while (pattern.exec(text) !== null) count++;
    return count;
  };
}

/** Distinct terms in the order given; an empty or blank term is an error, since it would match everywhere. */
export function checkTerms(terms: string[]): string[] {
  if (terms.length === 0) throw new ValidationError('No terms to audit: give at least one term.');
  for (const term of terms) {
    if (foldForMatching(term).trim().length === 0) throw new ValidationError('An audit term cannot be empty.');
  }
  return [...new Set(terms)];
}

/**
 * What the audit needs of one document: its grouping fields and, per section, its words and the matches of each term
 * (in the order of the terms given to countDocumentTerms). Small enough to cache by document hash.
 */
export interface DocumentTermCounts {
  edition: number | null;
  canonicalUrl: string;
  series?: string;
  sections: Array<{ key: string; heading: string; wordCount: number; counts: number[] }>;
}

/** Counts each (distinct, checked) term in every section's body paragraphs of one document. */
export function countDocumentTerms(document: Document, terms: string[], wholeWord: boolean): DocumentTermCounts {
  const matchers = terms.map((term) => termMatcher(term, wholeWord));
  return {
    edition: document.edition ?? null,
    canonicalUrl: document.canonicalUrl,
    ...(document.series !== undefined && { series: document.series }),
    sections: document.sections.map((section) => {
      const counts = terms.map(() => 0);
      for (const paragraph of section.paragraphs) {
        const text = foldForMatching(paragraph.text);
        matchers.forEach((match, index) => (counts[index]! += match(text)));
      }
      return { key: section.key, heading: section.heading, wordCount: sectionWordCount(section), counts };
    }),
  };
}

interface Group {
  edition: number | null;
  url?: string;
  series: string[];
  sectionKey?: string;
  heading?: string;
  documents: Set<DocumentTermCounts>;
  wordCount: number;
  counts: number[];
}

function addSeries(group: Group, document: DocumentTermCounts): void {
  if (document.series !== undefined && !group.series.includes(document.series)) group.series.push(document.series);
}

/**
 * Counts each term per edition, or per edition and section key, in the documents' body paragraphs.
 *
 * Documents are grouped by `edition` (several countries' reports of one year make one edition row). A document
 * without an edition forms a group with the other documents of its canonical URL, and these groups follow the
 * edition rows in order of first appearance. Rows are sorted by edition, then by the order in which section keys
 * first appear among the group's documents (taken in the order given).
 */
export function auditTerms(documents: Document[], terms: string[], options: AuditOptions): AuditTable {
  const distinctTerms = checkTerms(terms);
  const wholeWord = options.wholeWord ?? false;
  // One summary per Document object, so that a document given twice still counts as one report.
  const summaries = new Map<Document, DocumentTermCounts>();
  for (const document of documents) if (!summaries.has(document)) summaries.set(document, countDocumentTerms(document, distinctTerms, wholeWord));
  return auditTermCounts(
    documents.map((document) => summaries.get(document)!),
    distinctTerms,
    options,
  );
}

/**
 * auditTerms from per-document counts (countDocumentTerms with the same distinct terms, in the same order, and the
 * same wholeWord): the same table as auditTerms over the documents themselves.
 */
export function auditTermCounts(documents: DocumentTermCounts[], terms: string[], options: AuditOptions): AuditTable {
  const distinctTerms = checkTerms(terms);
  const wholeWord = options.wholeWord ?? false;
  const groups = new Map<string, Group>();

  const groupFor = (document: DocumentTermCounts, section?: { key: string; heading: string }): Group => {
    const edition = document.edition;
    const base = edition === null ? `url:${document.canonicalUrl}` : `edition:${edition}`;
    const id = section ? `${base}\u0000${section.key}` : base;
    let group = groups.get(id);
    if (!group) {
      group = { edition, series: [], documents: new Set(), wordCount: 0, counts: distinctTerms.map(() => 0) };
      if (edition === null) group.url = document.canonicalUrl;
      if (section) {
        group.sectionKey = section.key;
        group.heading = section.heading;
      }
      groups.set(id, group);
    }
    return group;
  };

  for (const document of documents) {
    for (const section of document.sections) {
      const group = options.by === 'section' ? groupFor(document, section) : groupFor(document);
      group.documents.add(document);
      addSeries(group, document);
      group.wordCount += section.wordCount;
      section.counts.forEach((count, index) => (group.counts[index]! += count));
    }
    // A document with no sections still counts as a report of its edition.
    if (options.by === 'edition' && document.sections.length === 0) {
      const group = groupFor(document);
      group.documents.add(document);
      addSeries(group, document);
    }
  }

  // Map iteration keeps first-appearance order; a stable sort by edition keeps it within an edition.
  const ordered = [...groups.values()].sort((a, b) => {
    if (a.edition === b.edition) return 0;
    if (a.edition === null) return 1;
    if (b.edition === null) return -1;
    return a.edition - b.edition;
  });

  const rows = ordered.map((group): AuditRow => {
    const counts: Record<string, number> = {};
    const rates: Record<string, number> = {};
    distinctTerms.forEach((term, index) => {
      const count = group.counts[index]!;
      counts[term] = count;
      // Multiply first: the product is an exact integer, so the rate is rounded once.
      rates[term] = group.wordCount === 0 ? 0 : (count * RATE_BASE) / group.wordCount;
    });
    return {
      edition: group.edition,
      ...(group.url !== undefined && { url: group.url }),
      ...(group.series.length > 0 && { series: group.series }),
      ...(group.sectionKey !== undefined && { sectionKey: group.sectionKey, heading: group.heading }),
      reports: group.documents.size,
      wordCount: group.wordCount,
      counts,
      rates,
    };
  });

  return { by: options.by, wholeWord, terms: distinctTerms, rows };
}

/** A rate as the CSV shows it: rounded to 2 decimals, always with 2 decimals. */
export function formatRate(rate: number): string {
  return rate.toFixed(2);
}

/** The CSV column name of a term: whitespace runs become one underscore ("climate change" -> "climate_change"). */
export function termColumnName(term: string): string {
  return term.trim().replace(/\s+/gu, '_');
}

/**
 * The table as RFC 4180 CSV (CRLF line ends, fields quoted only when needed), header first:
 * `year,reports,word_count,count_<term>...,rate_<term>...`, or for section rows
 * `year,section_key,heading,reports,word_count,count_<term>...,rate_<term>...`.
 * `year` is empty for documents without an edition.
 */
export function auditToCsv(table: AuditTable): string {
  const columns = table.terms.map(termColumnName);
  const clash = columns.find((column, index) => columns.indexOf(column) !== index);
  if (clash !== undefined) throw new ValidationError(`Two terms share the CSV column name "${clash}".`);
  const header = [
    'year',
    ...(table.by === 'section' ? ['section_key', 'heading'] : []),
    'reports',
    'word_count',
    ...columns.map((column) => `count_${column}`),
    ...columns.map((column) => `rate_${column}`),
  ];
  const lines: (string | number)[][] = [header];
  for (const row of table.rows) {
    const fields: (string | number)[] = [row.edition ?? ''];
    if (table.by === 'section') fields.push(row.sectionKey ?? '', row.heading ?? '');
    fields.push(row.reports, row.wordCount);
    for (const term of table.terms) fields.push(row.counts[term] ?? 0);
    for (const term of table.terms) fields.push(formatRate(row.rates[term] ?? 0));
    lines.push(fields);
  }
  return toCsv(lines);
}

export interface TermSentenceOptions {
  wholeWord?: boolean;
}

interface LocatedSentence {
  hash: string;
  sentence: string;
  folded: string;
  sectionKey: string;
  heading: string;
}

/** Each distinct sentence of the body (by normal form), at its first occurrence. */
function documentSentences(document: Document): Map<string, LocatedSentence> {
  const sentences = new Map<string, LocatedSentence>();
  for (const section of document.sections) {
    for (const paragraph of section.paragraphs) {
      for (const sentence of splitSentences(paragraph.text)) {
        if (normaliseSentence(sentence).length === 0) continue;
        const hash = sentenceHash(sentence);
        if (sentences.has(hash)) continue;
        sentences.set(hash, {
          hash,
          sentence,
          folded: foldForMatching(sentence),
          sectionKey: section.key,
          heading: section.heading,
        });
      }
    }
  }
  return sentences;
}

/**
 * Sentences that mention a term and stand in one document but not the other. Sentences are compared over the whole
 * document by `sentenceHash`, so a sentence moved to another section, or changed only in case, spacing, typographic
 * quotes or final punctuation, is not reported. Each distinct sentence is reported once per term it contains, at its
 * first occurrence. Order: by term (as given), removed before added, then document order.
 */
export function termSentenceChanges(previous: Document, next: Document, terms: string[], options: TermSentenceOptions = {}): TermSentenceChange[] {
  const distinctTerms = checkTerms(terms);
  const before = documentSentences(previous);
  const after = documentSentences(next);
  const removed = [...before.values()].filter((sentence) => !after.has(sentence.hash));
  const added = [...after.values()].filter((sentence) => !before.has(sentence.hash));
  const changes: TermSentenceChange[] = [];
  for (const term of distinctTerms) {
    const match = termMatcher(term, options.wholeWord ?? false);
    for (const [change, sentences] of [
      ['removed', removed],
      ['added', added],
    ] as const) {
      for (const located of sentences) {
        if (match(located.folded) === 0) continue;
        changes.push({
          term,
          change,
          sectionKey: located.sectionKey,
          heading: located.heading,
          sentence: located.sentence,
        });
      }
    }
  }
  return changes;
}
