import { Option, type Command } from 'commander';
import { auditToCsv, formatRate, termColumnName, type AuditTable } from '../shared/domain/audit.js';
import { UsageError, type CliIo } from './cli-io.js';
import { collectList, formatTable, normaliseSeries, optionsOf, printJson, printLines, storeTargetOf } from './output.js';
import { addStoreOptions } from './store-selection.js';
import { withBackend } from './tracker-backend.js';

/** `redline audit`: term counts and rates per edition (or per edition and section), as a table, CSV or JSON. */
export function registerAuditCommand(program: Command, io: CliIo): void {
  addStoreOptions(
    program
      .command('audit')
      .description(
        'Count terms in the latest capture of every page, per edition (or per edition and section), with rates per 100,000 words.',
      )
      .option('--terms <list>', 'comma-separated terms, e.g. "human rights,torture" (repeatable)', collectList)
      .option('--term <term>', 'one term, taken as is (commas included; repeatable)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
      .option('--series <series>', 'only this series (default: every series in the store)')
      .addOption(new Option('--by <grouping>', 'one row per edition, or per edition and section').choices(['edition', 'section']).default('edition'))
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

Examples:
  $ redline audit --by edition --terms "human rights,torture,climate change" --format csv > terms.csv
  $ redline audit --terms LGBT --series hrr/kazakhstan --by section --whole-word
  $ redline audit --terms torture --json | jq '.rows[] | {edition, count: .counts.torture}'`,
    )
    .action(async (_options: unknown, command: Command) => {
      const options = optionsOf<{ terms?: string[]; term?: string[]; series?: string; by: 'edition' | 'section'; format: 'table' | 'csv' | 'json'; json?: boolean; wholeWord?: boolean }>(command);
      const terms = [...(options.terms ?? []), ...(options.term ?? [])];
      if (terms.length === 0) throw new UsageError('give the terms to count: --terms "human rights,torture"');
      const format = options.json ? 'json' : options.format;
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        const table = await backend.audit({
          terms,
          by: options.by,
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
