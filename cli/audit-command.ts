import { Option, type Command } from 'commander';
import { auditToCsv, formatRate, termColumnName, type AuditTable } from '../shared/domain/audit.js';
import { UsageError, type CliIo } from './cli-io.js';
import { collectList, formatTable, normaliseSeries, optionsOf, parsePositiveInteger, printJson, printLines, storeTargetOf } from './output.js';
import { baselineToCsv, editionSpan, formatChange, removedSentencesToCsv, type BaselineTable } from '../shared/domain/term-baseline.js';
import { addStoreOptions } from './store-selection.js';
import { withBackend } from './tracker-backend.js';

/** `redline audit`: term counts and rates per edition (or per edition and section), as a table, CSV or JSON. */
export function registerAuditCommand(program: Command, io: CliIo): void {
  addStoreOptions(
    program
      .command('audit')
      .description('Count terms in the latest capture of every page, per edition (or per edition and section), with rates per 100,000 words.')
      .option('--terms <list>', 'comma-separated terms, e.g. "human rights,torture" (repeatable)', collectList)
      .option('--term <term>', 'one term, taken as is (commas included; repeatable)', (value: string, previous: string[] | undefined) => [
        ...(previous ?? []),
        value,
      ])
      .option('--series <series>', 'only this series (default: every series in the store)')
      .addOption(
        new Option('--by <grouping>', 'one row per edition, or per edition and section (with --baseline: per edition, or per series and edition)')
          .choices(['edition', 'section', 'series'])
          .default('edition'),
      )
      .option('--baseline <n>', "each edition's rates against the mean rate over the N editions before it", parsePositiveInteger)
      .option('--sentences', 'with --baseline and --format csv: the removed sentences holding each term, instead of the rates')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
      .option('--json', 'same as --format json')
      .option('--whole-word', 'count only matches that stand as whole words ("tortured" does not count for "torture")'),
  )
    .addHelpText(
      'after',
      `
Counting: case-insensitive, in body paragraphs (headings count for neither words nor terms); typographic quotes
and apostrophes match their ASCII forms. Words are runs of non-blank characters. A rate is matches per 100,000
words, rounded to 2 decimals. "reports" is the number of pages of the edition (for --by section: of the
edition's pages that have the section).

CSV columns: year,reports,word_count,count_<term>...,rate_<term>...
  (--by section: year,section_key,heading,reports,word_count,...; spaces in terms become underscores)

--baseline N: each edition (all series together, or --by series: each series' edition) against the mean of the
rates of the N editions before it; only editions with N before them get a row. change_pct = (rate - baseline) /
baseline x 100, empty when the baseline is 0. removed_<term> counts the sentences holding the term that stood in
the series' previous edition and stand nowhere in this one; --sentences lists them (CSV), JSON has both.
CSV columns: year,[series,]reports,word_count,baseline_editions,count_<term>...,rate_<term>...,baseline_<term>...,
  change_pct_<term>...,removed_<term>...   (--sentences: term,series,from_edition,to_edition,section_key,heading,sentence)

Examples:
  $ redline audit --by edition --terms "human rights,torture,climate change" --format csv > terms.csv
  $ redline audit --terms LGBT --series hrr/kazakhstan --by section --whole-word
  $ redline audit --terms torture --json | jq '.rows[] | {edition, count: .counts.torture}'
  $ redline audit --terms "Indigenous,LGBTQI,women" --baseline 8 --by series --format csv > baseline.csv
  $ redline audit --terms Indigenous --baseline 8 --sentences --format csv > removed-indigenous.csv`,
    )
    .action(async (_options: unknown, command: Command) => {
      const options = optionsOf<{
        terms?: string[];
        term?: string[];
        series?: string;
        by: 'edition' | 'section' | 'series';
        format: 'table' | 'csv' | 'json';
        json?: boolean;
        wholeWord?: boolean;
        baseline?: number;
        sentences?: boolean;
      }>(command);
      const terms = [...(options.terms ?? []), ...(options.term ?? [])];
      if (terms.length === 0) throw new UsageError('give the terms to count: --terms "human rights,torture"');
      const format = options.json ? 'json' : options.format;
      const by = options.by;
      if (options.baseline !== undefined) {
        if (by === 'section') throw new UsageError('--baseline compares editions per edition or per series: --by edition or --by series');
        const baseline = options.baseline;
        return withBackend(storeTargetOf(command, io), io, async (backend) => {
          const table = await backend.auditBaseline({
            terms,
            baseline,
            by,
            ...(options.series !== undefined ? { series: normaliseSeries(options.series) } : {}),
            ...(options.wholeWord ? { wholeWord: true } : {}),
          });
          if (format === 'json') return printJson(io, table);
          if (format === 'csv') return void io.stdout.write(options.sentences ? removedSentencesToCsv(table) : baselineToCsv(table));
          printLines(io, baselineTableLines(table));
        });
      }
      if (by === 'series') throw new UsageError('--by series needs --baseline N');
      if (options.sentences) throw new UsageError('--sentences needs --baseline N');
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        const table = await backend.audit({
          terms,
          by,
          ...(options.series !== undefined ? { series: normaliseSeries(options.series) } : {}),
          ...(options.wholeWord ? { wholeWord: true } : {}),
        });
        if (format === 'json') return printJson(io, table);
        if (format === 'csv') return void io.stdout.write(auditToCsv(table));
        if (table.rows.length === 0) return printLines(io, ['No captured pages to audit.']);
        printLines(io, auditTableLines(table));
      });
    });
}

/** The CSV's columns, aligned for reading in a terminal. */
export function auditTableLines(table: AuditTable): string[] {
  const columns = table.terms.map(termColumnName);
  const bySection = table.by === 'section';
  const headers = [
    'year',
    ...(bySection ? ['section_key'] : []),
    'reports',
    'word_count',
    ...columns.map((column) => `count_${column}`),
    ...columns.map((column) => `rate_${column}`),
  ];
  const rows = table.rows.map((row) => [
    row.edition ?? row.url ?? '',
    ...(bySection ? [row.sectionKey ?? ''] : []),
    row.reports,
    row.wordCount,
    ...table.terms.map((term) => row.counts[term] ?? 0),
    ...table.terms.map((term) => formatRate(row.rates[term] ?? 0)),
  ]);
  const numeric = headers.map((header) => header !== 'section_key');
  return formatTable(headers, rows, numeric);
}

/** Baseline rows for a terminal: per term its rate, baseline and change; then how many removed sentences JSON lists. */
export function baselineTableLines(table: BaselineTable): string[] {
  const columns = table.terms.map(termColumnName);
  const bySeries = table.by === 'series';
  const headers = [
    'year',
    ...(bySeries ? ['series'] : []),
    'word_count',
    'baseline',
    ...columns.flatMap((column) => [`rate_${column}`, `baseline_${column}`, `change_%_${column}`, `removed_${column}`]),
  ];
  const rows = table.rows.map((row) => [
    row.edition,
    ...(bySeries ? [row.series ?? ''] : []),
    row.wordCount,
    editionSpan(row.baselineEditions),
    ...table.terms.flatMap((term) => [
      formatRate(row.rates[term] ?? 0),
      formatRate(row.baselines[term] ?? 0),
      formatChange(row.changes[term] ?? null) || '-',
      row.removed[term] ?? 0,
    ]),
  ]);
  const numeric = headers.map((header) => header !== 'series' && header !== 'baseline');
  return [
    ...formatTable(headers, rows, numeric),
    '',
    `${table.sentences.length} removed sentences hold a term (--sentences --format csv, or --json, lists them with series and section).`,
  ];
}
