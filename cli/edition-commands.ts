import { Option, type Command } from 'commander';
import { editionMapToCsv, type EditionMap } from '../shared/domain/edition-map.js';
import type { CliIo } from './cli-io.js';
import { formatTable, normaliseSeries, optionsOf, parseEdition, printJson, printLines, storeTargetOf } from './output.js';
import { addStoreOptions } from './store-selection.js';
import { withBackend } from './tracker-backend.js';

/** `redline editions map`: how one edition's sections became the next edition's, learned across a report's series. */
export function registerEditionCommands(program: Command, io: CliIo): void {
  const editions = program.command('editions').description("Editions of a report across its series (a report is a series prefix, such as hrr).");
  addStoreOptions(
    editions
      .command('map')
      .description(
        "Map each section of one edition to the next edition's section it became (or removed), learned from every series of the report that has both editions, with how many series support it.",
      )
      .argument('<report>', 'a series prefix (hrr: every series hrr/...), or one series (hrr/kazakhstan)')
      .requiredOption('--from <year>', 'the earlier edition', parseEdition)
      .requiredOption('--to <year>', 'the later edition', parseEdition)
      .option('--changed', 'only sections that were renamed, moved or removed')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
      .option('--json', 'same as --format json'),
  )
    .addHelpText(
      'after',
      `
Each series' two editions are aligned on the pages' own evidence (headings, text, place in the outline); a row
counts the series that paired a section with another (support) out of the series that have the section (present);
confidence is support / present. "removed" rows count the series in which the section has no counterpart.
\`redline compare\` uses the map of the series' report as a prior (see docs/edition-map.md).

The table cuts headings to ${TABLE_HEADING_LENGTH} characters; CSV and JSON have them whole, with the section keys.

CSV columns: ${['kind', 'from_key', 'from_heading', 'to_key', 'to_heading', 'support', 'present', 'confidence'].join(',')}

Examples:
  $ redline editions map hrr --from 2023 --to 2024
  $ redline editions map hrr --from 2023 --to 2024 --changed --format csv > template-2024.csv
  $ redline editions map hrr --from 2023 --to 2024 --json | jq '.rows[] | select(.kind == "renamed")'`,
    )
    .action(async (report: string, _options: unknown, command: Command) => {
      const options = optionsOf<{ from: number; to: number; changed?: boolean; format: 'table' | 'csv' | 'json'; json?: boolean }>(command);
      const format = options.json ? 'json' : options.format;
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        const map = await backend.editionMap({ report: normaliseSeries(report), from: options.from, to: options.to });
        const shown = options.changed ? { ...map, rows: map.rows.filter((row) => row.kind !== 'same') } : map;
        if (format === 'json') return printJson(io, shown);
        if (format === 'csv') return void io.stdout.write(editionMapToCsv(shown));
        printLines(io, editionMapLines(shown));
      });
    });
}

/** Headings longer than this are cut in the table (CSV and JSON have them whole). */
const TABLE_HEADING_LENGTH = 60;

function clip(heading: string): string {
  return heading.length <= TABLE_HEADING_LENGTH ? heading : `${heading.slice(0, TABLE_HEADING_LENGTH - 1)}…`;
}

/** The map as a table under a one-line summary (headings cut to 60 characters). */
export function editionMapLines(map: EditionMap): string[] {
  const summary = `${map.report}: edition ${map.from} -> ${map.to}, learned from ${map.series.length} series (${map.series.join(', ')})`;
  if (map.rows.length === 0) return [summary, 'No sections to map.'];
  const rows = map.rows.map((row) => [row.kind, clip(row.from.heading), row.to ? clip(row.to.heading) : '-', row.support, row.present, row.confidence.toFixed(2)]);
  return [summary, '', ...formatTable(['kind', 'from', 'to', 'support', 'present', 'confidence'], rows, [false, false, false, true, true, true])];
}
