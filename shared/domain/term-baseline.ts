/**
 * Term baselines: each term's rate per 100,000 words in an edition against the mean rate over the N editions before
 * it, per edition (all series of the edition together) and per series; with the sentences holding the term that were
 * removed from each series' previous edition. As InsideClimateNews measured "Indigenous" in the 2024 Country Reports
 * against the average of the eight prior editions.
 *
 * Counting is the audit's (audit.ts): body paragraphs only, the same matcher, words as runs of non-whitespace.
 * The work is split so a caller can stream: `documentTermCounts` per Document (then the Document can go),
 * `removedTermSentences` per consecutive pair of one series, `termBaselines` over the counts.
 */
import { ValidationError } from '../errors.js';
import { auditTerms, formatRate, termColumnName, termSentenceChanges } from './audit.js';
import { toCsv } from './csv.js';
import type { Document } from './document.js';

/** One Document's words and term counts. */
export interface DocumentTermCounts {
  series: string;
  edition: number;
  wordCount: number;
  counts: Record<string, number>;
}

export interface RemovedTermSentence {
  term: string;
  series: string;
  /** The edition the sentence stood in, and the next edition of the series, which no longer has it. */
  fromEdition: number;
  toEdition: number;
  sectionKey: string;
  heading: string;
  sentence: string;
}

export interface BaselineRow {
  edition: number;
  /** Absent on edition rows (every series of the edition). */
  series?: string;
  /** Documents counted (1 on a series row). */
  reports: number;
  wordCount: number;
  counts: Record<string, number>;
  /** Matches per 100,000 words, unrounded. */
  rates: Record<string, number>;
  /** The editions the baseline is the mean over (the N before this one, oldest first). */
  baselineEditions: number[];
  /** Mean of the N editions' rates, unrounded. */
  baselines: Record<string, number>;
  /** (rate - baseline) / baseline x 100; null when the baseline is 0. */
  changes: Record<string, number | null>;
  /** Sentences with the term removed from the previous edition (series rows: that series'; edition rows: all series'). */
  removed: Record<string, number>;
}

export interface BaselineTable {
  by: 'edition' | 'series';
  baseline: number;
  wholeWord: boolean;
  terms: string[];
  rows: BaselineRow[];
  /** The removed sentences behind the `removed` counts of the rows shown. */
  sentences: RemovedTermSentence[];
}

const RATE_BASE = 100_000;

/** A Document's words and term counts, as the audit counts them. */
export function documentTermCounts(document: Document, series: string, edition: number, terms: string[], wholeWord = false): DocumentTermCounts {
  const table = auditTerms([{ ...document, edition }], terms, { by: 'edition', wholeWord });
  const row = table.rows[0];
  const counts: Record<string, number> = {};
  for (const term of table.terms) counts[term] = row?.counts[term] ?? 0;
  return { series, edition, wordCount: row?.wordCount ?? 0, counts };
}

/** Sentences holding a term that stand in `previous` and not anywhere in `next` (audit.ts, termSentenceChanges). */
export function removedTermSentences(
  series: string,
  previous: { edition: number; document: Document },
  next: { edition: number; document: Document },
  terms: string[],
  wholeWord = false,
): RemovedTermSentence[] {
  return termSentenceChanges(previous.document, next.document, terms, { wholeWord })
    .filter((change) => change.change === 'removed')
    .map((change) => ({
      term: change.term,
      series,
      fromEdition: previous.edition,
      toEdition: next.edition,
      sectionKey: change.sectionKey,
      heading: change.heading,
      sentence: change.sentence,
    }));
}

function rate(count: number, words: number): number {
  return words === 0 ? 0 : (count * RATE_BASE) / words;
}

interface Aggregate {
  edition: number;
  series?: string;
  reports: number;
  wordCount: number;
  counts: Record<string, number>;
}

/**
 * Rows for every edition (or series and edition) that has N editions before it. A ValidationError when N is not a
 * positive integer or when no edition has N before it (a baseline longer than the history).
 */
export function termBaselines(
  documents: readonly DocumentTermCounts[],
  removed: readonly RemovedTermSentence[],
  options: { terms: string[]; baseline: number; by: 'edition' | 'series'; wholeWord?: boolean },
): BaselineTable {
  const terms = [...new Set(options.terms)];
  const { baseline, by } = options;
  if (!Number.isInteger(baseline) || baseline < 1)
    throw new ValidationError(`baseline: must be a whole number of editions, 1 or more (got ${baseline})`);
  const groups = new Map<string, Aggregate[]>();
  const add = (groupId: string, entry: DocumentTermCounts, series?: string) => {
    const list = groups.get(groupId) ?? [];
    let aggregate = list.find((candidate) => candidate.edition === entry.edition);
    if (!aggregate) {
      aggregate = { edition: entry.edition, reports: 0, wordCount: 0, counts: Object.fromEntries(terms.map((term) => [term, 0])) };
      if (series !== undefined) aggregate.series = series;
      list.push(aggregate);
    }
    aggregate.reports++;
    aggregate.wordCount += entry.wordCount;
    for (const term of terms) aggregate.counts[term]! += entry.counts[term] ?? 0;
    groups.set(groupId, list);
  };
  for (const entry of documents) {
    if (by === 'edition') add('', entry);
    else add(entry.series, entry, entry.series);
  }

  const rows: BaselineRow[] = [];
  let longest = 0;
  for (const list of groups.values()) {
    list.sort((a, b) => a.edition - b.edition);
    longest = Math.max(longest, list.length);
    list.forEach((aggregate, index) => {
      if (index < baseline) return;
      const before = list.slice(index - baseline, index);
      const rates: Record<string, number> = {};
      const baselines: Record<string, number> = {};
      const changes: Record<string, number | null> = {};
      const removedCounts: Record<string, number> = {};
      for (const term of terms) {
        rates[term] = rate(aggregate.counts[term] ?? 0, aggregate.wordCount);
        baselines[term] = before.reduce((sum, earlier) => sum + rate(earlier.counts[term] ?? 0, earlier.wordCount), 0) / baseline;
        changes[term] = baselines[term] === 0 ? null : ((rates[term] - baselines[term]) / baselines[term]) * 100;
        removedCounts[term] = removed.filter(
          (sentence) =>
            sentence.term === term &&
            sentence.toEdition === aggregate.edition &&
            (aggregate.series === undefined || sentence.series === aggregate.series),
        ).length;
      }
      rows.push({
        edition: aggregate.edition,
        ...(aggregate.series !== undefined ? { series: aggregate.series } : {}),
        reports: aggregate.reports,
        wordCount: aggregate.wordCount,
        counts: aggregate.counts,
        rates,
        baselineEditions: before.map((earlier) => earlier.edition),
        baselines,
        changes,
        removed: removedCounts,
      });
    });
  }
  if (rows.length === 0) {
    throw new ValidationError(
      `baseline: ${baseline} editions is longer than the history (${longest === 0 ? 'no edition' : `at most ${longest} editions`} captured${by === 'series' ? ' per series' : ''}; a baseline needs ${baseline + 1})`,
    );
  }
  rows.sort((a, b) => a.edition - b.edition || (a.series ?? '').localeCompare(b.series ?? ''));
  const shown = new Set(rows.map((row) => `${row.series ?? ''}\u0000${row.edition}`));
  const sentences = removed.filter(
    (sentence) =>
      terms.includes(sentence.term) &&
      (by === 'edition' ? rows.some((row) => row.edition === sentence.toEdition) : shown.has(`${sentence.series}\u0000${sentence.toEdition}`)),
  );
  return { by, baseline, wholeWord: options.wholeWord ?? false, terms, rows, sentences };
}

/** A change as the CSV shows it: a percentage with one decimal, empty when there is no baseline. */
export function formatChange(change: number | null): string {
  return change === null ? '' : change.toFixed(1);
}

/**
 * One row per edition (or series and edition), one column group per term:
 * `year,[series,]reports,word_count,count_<t>...,rate_<t>...,baseline_<t>...,change_pct_<t>...,removed_<t>...`,
 * plus `baseline_editions` (the N editions, "2016-2023" when consecutive).
 */
export function baselineToCsv(table: BaselineTable): string {
  const columns = table.terms.map(termColumnName);
  const clash = columns.find((column, index) => columns.indexOf(column) !== index);
  if (clash !== undefined) throw new ValidationError(`Two terms share the CSV column name "${clash}".`);
  const header = [
    'year',
    ...(table.by === 'series' ? ['series'] : []),
    'reports',
    'word_count',
    'baseline_editions',
    ...columns.map((column) => `count_${column}`),
    ...columns.map((column) => `rate_${column}`),
    ...columns.map((column) => `baseline_${column}`),
    ...columns.map((column) => `change_pct_${column}`),
    ...columns.map((column) => `removed_${column}`),
  ];
  return toCsv([
    header,
    ...table.rows.map((row) => [
      row.edition,
      ...(table.by === 'series' ? [row.series ?? ''] : []),
      row.reports,
      row.wordCount,
      editionSpan(row.baselineEditions),
      ...table.terms.map((term) => row.counts[term] ?? 0),
      ...table.terms.map((term) => formatRate(row.rates[term] ?? 0)),
      ...table.terms.map((term) => formatRate(row.baselines[term] ?? 0)),
      ...table.terms.map((term) => formatChange(row.changes[term] ?? null)),
      ...table.terms.map((term) => row.removed[term] ?? 0),
    ]),
  ]);
}

/** The removed sentences as CSV: `term,series,from_edition,to_edition,section_key,heading,sentence`. */
export function removedSentencesToCsv(table: BaselineTable): string {
  return toCsv([
    ['term', 'series', 'from_edition', 'to_edition', 'section_key', 'heading', 'sentence'],
    ...table.sentences.map((entry) => [
      entry.term,
      entry.series,
      entry.fromEdition,
      entry.toEdition,
      entry.sectionKey,
      entry.heading,
      entry.sentence,
    ]),
  ]);
}

/** "2016-2023" for consecutive editions, otherwise "2016 2018 2019". */
export function editionSpan(editions: readonly number[]): string {
  if (editions.length === 0) return '';
  const consecutive = editions.every((edition, index) => index === 0 || edition === editions[index - 1]! + 1);
  return consecutive && editions.length > 1 ? `${editions[0]}-${editions[editions.length - 1]}` : editions.join(' ');
}
