/**
 * Edition report: one report's two editions across all its series, as newsrooms tabulated them by hand. Per series:
 * words in each edition and their ratio, sections removed, added and renamed, and the share of the earlier edition's
 * sentences still present in the later one (moved ones included). Per template section (a previous section key, in
 * the edition map's outline order): in how many series it exists in each edition, in how many it was removed or
 * renamed, and its words before and after. A summary of the ratios (median, quartiles, the ten lowest).
 *
 * Pure: it takes each series' two Documents and their section diff (diff-documents.ts, the alignment `compare`
 * uses), so every figure can be traced to the sections and sentences behind it.
 */
import { toCsv } from './csv.js';
import { countWords, sectionWordCount, type Document, type Section } from './document.js';
import type { EditionMap } from './edition-map.js';
import type { RevisionDiff } from './revision-diff.js';
import { normaliseSentence, splitSentences } from './sentences.js';

/** Bumped when a figure's definition changes, so cached reports are recomputed. */
export const EDITION_REPORT_VERSION = 1;

/** How many of the lowest ratios the summary lists. */
export const LOWEST_RATIOS = 10;

export interface SeriesReportRow {
  series: string;
  /** Words (runs of non-whitespace, as the audit counts them) in the body of each edition. */
  wordsFrom: number;
  wordsTo: number;
  /** wordsTo / wordsFrom, rounded to 3 decimals (0 when the earlier edition has no words). */
  ratio: number;
  sectionsFrom: number;
  sectionsTo: number;
  /** Sections of the earlier edition with no counterpart in the later one. */
  removed: number;
  /** Sections of the later edition with no counterpart in the earlier one. */
  added: number;
  /** Pairs whose heading changed (more than letter case or typography). */
  renamed: number;
  /** Sentences of the earlier edition (split as provenance splits them). */
  sentencesFrom: number;
  /** Of those, found again in the later edition (same normal form), in the counterpart section or elsewhere. */
  sentencesKept: number;
  /** Of the kept ones, found only outside the section's counterpart (or the section was removed). */
  sentencesMoved: number;
  /** sentencesKept / sentencesFrom, rounded to 3 decimals. */
  keptShare: number;
  /** Headings of the removed sections, in the earlier edition's order. */
  removedSections: string[];
  /** Headings of the added sections, in the later edition's order. */
  addedSections: string[];
}

/** One series' figures for one previous section key. */
export interface SeriesSectionFigures {
  /** Previous section key (for added sections: the later edition's key). */
  key: string;
  heading: string;
  path: string[];
  status: 'kept' | 'renamed' | 'removed' | 'added';
  wordsFrom: number;
  wordsTo: number;
}

export interface SeriesReport {
  row: SeriesReportRow;
  sections: SeriesSectionFigures[];
}

export interface TemplateSectionRow {
  /** The earlier edition's section key (for sections new in the later edition: the later key). */
  key: string;
  heading: string;
  path: string[];
  /** Series whose earlier edition has the section. */
  seriesFrom: number;
  /** Series whose later edition has it (kept or renamed there, or added). */
  seriesTo: number;
  removed: number;
  renamed: number;
  /** Series whose later edition added it (sections new in the later edition only). */
  added: number;
  wordsFrom: number;
  /** Words of the sections it became (its counterparts) in the later edition. */
  wordsTo: number;
  /** The series where it was removed. */
  removedIn: string[];
  /** The series where it was renamed. */
  renamedIn: string[];
  /** The series whose earlier edition has it (for sections new in the later edition: the series that added it). */
  presentIn: string[];
}

export interface RatioSummary {
  series: number;
  wordsFrom: number;
  wordsTo: number;
  /** Total words after over total words before. */
  overallRatio: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  /** The lowest ratios, lowest first (at most ten). */
  lowest: Array<{ series: string; ratio: number }>;
}

export interface EditionReport {
  version: typeof EDITION_REPORT_VERSION;
  report: string;
  from: number;
  to: number;
  /** Series rows, lowest ratio (deepest cut) first. */
  series: SeriesReportRow[];
  /** Template sections: the earlier edition's, in the edition map's outline order, then those new in the later one. */
  sections: TemplateSectionRow[];
  summary: RatioSummary;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function documentWords(document: Document): number {
  let total = 0;
  for (const section of document.sections) for (const paragraph of section.paragraphs) total += countWords(paragraph.text);
  return total;
}

/** Normal forms of a section's sentences, in order. */
function sectionSentences(section: Section): string[] {
  const sentences: string[] = [];
  for (const paragraph of section.paragraphs) for (const sentence of splitSentences(paragraph.text)) sentences.push(normaliseSentence(sentence));
  return sentences.filter((sentence) => sentence.length > 0);
}

function countOf(counts: Map<string, number>, sentence: string): number {
  return counts.get(sentence) ?? 0;
}

function headingPaths(sections: readonly Section[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const section of sections) {
    const parent = section.parentKey !== undefined ? byKey.get(section.parentKey) : undefined;
    if (!byKey.has(section.key)) byKey.set(section.key, [...(parent ?? []), section.heading]);
  }
  return byKey;
}

/**
 * One series' figures from its two editions and their section diff. Sentences are counted as a multiset: a sentence
 * written twice in the earlier edition and once in the later one counts one kept. A kept sentence is "moved" when
 * its section's counterpart does not hold it (or the section was removed) but another section of the later edition
 * does.
 */
export function seriesEditionReport(series: string, previous: Document, next: Document, diff: RevisionDiff): SeriesReport {
  const previousByKey = new Map(previous.sections.map((section) => [section.key, section]));
  const nextByKey = new Map(next.sections.map((section) => [section.key, section]));
  const previousPaths = headingPaths(previous.sections);
  const nextPaths = headingPaths(next.sections);
  /** Previous key -> next key, for the pairs. */
  const counterpart = new Map<string, string>();
  const figures: SeriesSectionFigures[] = [];
  const removedSections: string[] = [];
  const addedSections: string[] = [];
  let renamed = 0;
  for (const change of diff.sections) {
    if (change.kind === 'added') {
      const section = nextByKey.get(change.key);
      if (!section) continue;
      addedSections.push(section.heading);
      const path = nextPaths.get(section.key) ?? [section.heading];
      figures.push({ key: section.key, heading: section.heading, path, status: 'added', wordsFrom: 0, wordsTo: sectionWordCount(section) });
      continue;
    }
    const fromKey = change.kind === 'removed' ? change.key : (change.previousKey ?? change.key);
    const before = previousByKey.get(fromKey);
    if (!before) continue;
    const path = previousPaths.get(before.key) ?? [before.heading];
    if (change.kind === 'removed') {
      removedSections.push(before.heading);
      figures.push({ key: before.key, heading: before.heading, path, status: 'removed', wordsFrom: sectionWordCount(before), wordsTo: 0 });
      continue;
    }
    const after = nextByKey.get(change.key);
    if (!after) continue;
    counterpart.set(before.key, after.key);
    const wasRenamed = change.kinds.includes('renamed');
    if (wasRenamed) renamed++;
    const status = wasRenamed ? 'renamed' : 'kept';
    figures.push({ key: before.key, heading: before.heading, path, status, wordsFrom: sectionWordCount(before), wordsTo: sectionWordCount(after) });
  }
  removedSections.sort((a, b) => indexOfHeading(previous, a) - indexOfHeading(previous, b));
  addedSections.sort((a, b) => indexOfHeading(next, a) - indexOfHeading(next, b));

  // Sentences: the later edition's as a multiset, whole and per section.
  const remaining = new Map<string, number>();
  const nextSentences = new Map<string, Map<string, number>>();
  for (const section of next.sections) {
    const own = new Map<string, number>();
    for (const sentence of sectionSentences(section)) {
      remaining.set(sentence, countOf(remaining, sentence) + 1);
      own.set(sentence, countOf(own, sentence) + 1);
    }
    nextSentences.set(section.key, own);
  }
  let sentencesFrom = 0;
  let sentencesKept = 0;
  let sentencesMoved = 0;
  // Sentences kept in place are taken first, so a sentence both kept in place and copied elsewhere is not "moved".
  const elsewhere: string[] = [];
  for (const section of previous.sections) {
    const target = counterpart.get(section.key);
    const own = target !== undefined ? nextSentences.get(target) : undefined;
    for (const sentence of sectionSentences(section)) {
      sentencesFrom++;
      if (own && countOf(own, sentence) > 0 && countOf(remaining, sentence) > 0) {
        own.set(sentence, countOf(own, sentence) - 1);
        remaining.set(sentence, countOf(remaining, sentence) - 1);
        sentencesKept++;
      } else elsewhere.push(sentence);
    }
  }
  for (const sentence of elsewhere) {
    if (countOf(remaining, sentence) > 0) {
      remaining.set(sentence, countOf(remaining, sentence) - 1);
      sentencesKept++;
      sentencesMoved++;
    }
  }

  const wordsFrom = documentWords(previous);
  const wordsTo = documentWords(next);
  return {
    row: {
      series,
      wordsFrom,
      wordsTo,
      ratio: wordsFrom === 0 ? 0 : round3(wordsTo / wordsFrom),
      sectionsFrom: previous.sections.length,
      sectionsTo: next.sections.length,
      removed: removedSections.length,
      added: addedSections.length,
      renamed,
      sentencesFrom,
      sentencesKept,
      sentencesMoved,
      keptShare: sentencesFrom === 0 ? 0 : round3(sentencesKept / sentencesFrom),
      removedSections,
      addedSections,
    },
    sections: figures,
  };
}

function indexOfHeading(document: Document, heading: string): number {
  return document.sections.findIndex((section) => section.heading === heading);
}

/**
 * Quantile by linear interpolation between closest ranks (R type 7, Excel QUARTILE.INC, NumPy's default), so a
 * spreadsheet over the series rows gives the same numbers.
 */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return round3(low + (high - low) * (position - lower));
}

/** The report from every series' figures, with the edition map giving the template's outline order and headings. */
export function assembleEditionReport(
  report: string,
  from: number,
  to: number,
  seriesReports: readonly SeriesReport[],
  map?: EditionMap,
): EditionReport {
  const rows = seriesReports.map((entry) => entry.row).sort((a, b) => a.ratio - b.ratio || a.series.localeCompare(b.series));

  const templates = new Map<string, TemplateSectionRow & { headings: Map<string, number>; order: number }>();
  const mapOrder = new Map<string, { index: number; heading: string; path: string[] }>();
  map?.rows.forEach((row, index) => {
    if (!mapOrder.has(row.from.key)) mapOrder.set(row.from.key, { index, heading: row.from.heading, path: row.from.path });
  });
  const newOrder = new Map<string, number[]>();
  for (const { row, sections } of seriesReports) {
    sections.forEach((figures, position) => {
      const id = figures.status === 'added' ? `+${figures.key}` : figures.key;
      let entry = templates.get(id);
      if (!entry) {
        entry = {
          key: figures.key,
          heading: figures.heading,
          path: figures.path,
          seriesFrom: 0,
          seriesTo: 0,
          removed: 0,
          renamed: 0,
          added: 0,
          wordsFrom: 0,
          wordsTo: 0,
          removedIn: [],
          renamedIn: [],
          presentIn: [],
          headings: new Map(),
          order: 0,
        };
        templates.set(id, entry);
      }
      entry.headings.set(figures.heading, (entry.headings.get(figures.heading) ?? 0) + 1);
      entry.presentIn.push(row.series);
      if (figures.status === 'added') {
        entry.added++;
        entry.seriesTo++;
        const positions = newOrder.get(id) ?? [];
        positions.push(position / Math.max(1, sections.length));
        newOrder.set(id, positions);
      } else {
        entry.seriesFrom++;
        if (figures.status === 'removed') {
          entry.removed++;
          entry.removedIn.push(row.series);
        } else {
          entry.seriesTo++;
          if (figures.status === 'renamed') {
            entry.renamed++;
            entry.renamedIn.push(row.series);
          }
        }
      }
      entry.wordsFrom += figures.wordsFrom;
      entry.wordsTo += figures.wordsTo;
    });
  }
  const previousRows: TemplateSectionRow[] = [];
  const newRows: Array<TemplateSectionRow & { position: number }> = [];
  for (const [id, entry] of templates) {
    const { headings, order: _order, ...row } = entry;
    row.removedIn.sort();
    row.renamedIn.sort();
    row.presentIn.sort();
    const known = id.startsWith('+') ? undefined : mapOrder.get(row.key);
    if (known) {
      row.heading = known.heading;
      row.path = known.path;
    } else {
      let best = row.heading;
      let count = 0;
      for (const [heading, seen] of headings) if (seen > count) [best, count] = [heading, seen];
      row.heading = best;
    }
    if (id.startsWith('+')) {
      const positions = newOrder.get(id) ?? [];
      newRows.push({ ...row, position: positions.reduce((sum, value) => sum + value, 0) / Math.max(1, positions.length) });
    } else previousRows.push(row);
  }
  const rank = (key: string) => mapOrder.get(key)?.index ?? Number.MAX_SAFE_INTEGER;
  previousRows.sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
  newRows.sort((a, b) => a.position - b.position || a.key.localeCompare(b.key));

  return {
    version: EDITION_REPORT_VERSION,
    report,
    from,
    to,
    series: rows,
    sections: [...previousRows, ...newRows.map(({ position: _position, ...row }) => row)],
    summary: summarise(rows),
  };
}

function summarise(rows: readonly SeriesReportRow[]): RatioSummary {
  const ratios = rows.map((row) => row.ratio).sort((a, b) => a - b);
  const wordsFrom = rows.reduce((sum, row) => sum + row.wordsFrom, 0);
  const wordsTo = rows.reduce((sum, row) => sum + row.wordsTo, 0);
  return {
    series: rows.length,
    wordsFrom,
    wordsTo,
    overallRatio: wordsFrom === 0 ? 0 : round3(wordsTo / wordsFrom),
    min: ratios[0] ?? 0,
    q1: quantile(ratios, 0.25),
    median: quantile(ratios, 0.5),
    q3: quantile(ratios, 0.75),
    max: ratios[ratios.length - 1] ?? 0,
    lowest: rows.slice(0, LOWEST_RATIOS).map((row) => ({ series: row.series, ratio: row.ratio })),
  };
}

/** Sections whose heading list is joined into one CSV cell are separated by this. */
const LIST_SEPARATOR = '; ';

export const EDITION_REPORT_SERIES_COLUMNS = [
  'series',
  'words_from',
  'words_to',
  'ratio',
  'sections_from',
  'sections_to',
  'removed',
  'added',
  'renamed',
  'sentences_from',
  'sentences_kept',
  'sentences_moved',
  'kept_share',
  'removed_sections',
  'added_sections',
] as const;

export const EDITION_REPORT_SECTION_COLUMNS = [
  'key',
  'heading',
  'series_from',
  'series_to',
  'removed',
  'renamed',
  'added',
  'words_from',
  'words_to',
  'removed_in',
] as const;

/** The per-series table as CSV (one row per series, lowest ratio first). */
export function editionReportSeriesCsv(report: EditionReport): string {
  return toCsv([
    EDITION_REPORT_SERIES_COLUMNS,
    ...report.series.map((row) => [
      row.series,
      row.wordsFrom,
      row.wordsTo,
      row.ratio,
      row.sectionsFrom,
      row.sectionsTo,
      row.removed,
      row.added,
      row.renamed,
      row.sentencesFrom,
      row.sentencesKept,
      row.sentencesMoved,
      row.keptShare,
      row.removedSections.join(LIST_SEPARATOR),
      row.addedSections.join(LIST_SEPARATOR),
    ]),
  ]);
}

/** The per-template-section table as CSV (one row per section). */
export function editionReportSectionsCsv(report: EditionReport): string {
  return toCsv([
    EDITION_REPORT_SECTION_COLUMNS,
    ...report.sections.map((row) => [
      row.key,
      row.heading,
      row.seriesFrom,
      row.seriesTo,
      row.removed,
      row.renamed,
      row.added,
      row.wordsFrom,
      row.wordsTo,
      row.removedIn.join(LIST_SEPARATOR),
    ]),
  ]);
}
