import { Option, type Command } from 'commander';
import { editionMapToCsv, type EditionMap } from '../shared/domain/edition-map.js';
import { editionReportSectionsCsv, editionReportSeriesCsv, type EditionReport } from '../shared/domain/edition-report.js';
import { phraseAppearancesToCsv, phraseChangesToCsv } from '../shared/domain/key-phrases.js';
import type { KeyPhrasesResult } from '../shared/use-cases/queries/key-phrases.js';
import type { CliIo } from './cli-io.js';
import { formatTable, normaliseSeries, optionsOf, parseEdition, printJson, printLines, storeTargetOf } from './output.js';
import { addStoreOptions } from './store-selection.js';
import { withBackend } from './tracker-backend.js';

/** `redline editions map`: how one edition's sections became the next edition's, learned across a report's series. */
export function registerEditionCommands(program: Command, io: CliIo): void {
  const editions = program.command('editions').description('Editions of a report across its series (a report is a series prefix, such as hrr).');
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

  addStoreOptions(
    editions
      .command('report')
      .description(
        'Tabulate two editions across every series of a report: words and their ratio, sections removed, added and renamed, and the share of sentences kept, per series (deepest cuts first) and per template section, with the distribution of ratios.',
      )
      .argument('<report>', 'a series prefix (hrr: every series hrr/...), or one series (hrr/kazakhstan)')
      .requiredOption('--from <year>', 'the earlier edition', parseEdition)
      .requiredOption('--to <year>', 'the later edition', parseEdition)
      .addOption(
        new Option('--by <table>', 'the table to write as CSV or show: one row per series, or per template section').choices(['series', 'section']),
      )
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
      .option('--json', 'same as --format json'),
  )
    .addHelpText(
      'after',
      `
Each series with both editions is aligned and diffed as \`redline compare\` does it (with the edition map of the other
series as a prior). Words are runs of non-whitespace in the body, as the audit counts them; ratio = words in the later
edition / words in the earlier. A sentence is kept when the later edition has the same sentence (case, quotes and
trailing punctuation aside), moved when only another section than its own section's counterpart has it.
Template sections are the earlier edition's section keys in the edition map's order, then the sections new in the
later edition; each section's words are its own paragraphs' (not its sub-sections'), so the columns add up to the
series totals. Quartiles interpolate between ranks (as a spreadsheet's QUARTILE.INC does).

The table shows the summary and both tables (headings cut to ${TABLE_HEADING_LENGTH} characters), or the one --by names.
CSV writes one table (--by, series by default); JSON has everything.

CSV columns (--by series): series,words_from,words_to,ratio,sections_from,sections_to,removed,added,renamed,
  sentences_from,sentences_kept,sentences_moved,kept_share,removed_sections,added_sections
CSV columns (--by section): key,heading,series_from,series_to,removed,renamed,added,words_from,words_to,removed_in

Examples:
  $ redline editions report hrr --from 2023 --to 2024
  $ redline editions report hrr --from 2023 --to 2024 --format csv > ratios-2024.csv
  $ redline editions report hrr --from 2023 --to 2024 --by section --format csv > sections-2024.csv
  $ redline editions report hrr --from 2023 --to 2024 --json | jq '.series[] | select(.ratio < 0.25) | .series'`,
    )
    .action(async (report: string, _options: unknown, command: Command) => {
      const options = optionsOf<{ from: number; to: number; by?: 'series' | 'section'; format: 'table' | 'csv' | 'json'; json?: boolean }>(command);
      const format = options.json ? 'json' : options.format;
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        const result = await backend.editionReport({ report: normaliseSeries(report), from: options.from, to: options.to });
        if (format === 'json') return printJson(io, result);
        if (format === 'csv')
          return void io.stdout.write(options.by === 'section' ? editionReportSectionsCsv(result) : editionReportSeriesCsv(result));
        printLines(io, editionReportLines(result, options.by));
      });
    });

  registerPhrasesCommand(editions, io);
}

function registerPhrasesCommand(editions: Command, io: CliIo): void {
  addStoreOptions(
    editions
      .command('phrases')
      .description(
        "Track key phrases across every edition of a report's series: the editions and sections where each appears, when it appeared or disappeared, and the summary's sentence that holds it, old and new side by side.",
      )
      .argument('<report>', 'a series prefix (hrr: every series hrr/...), or one series (hrr/kazakhstan)')
      .option('--phrase <phrase>', 'a phrase of your own, taken as is (repeatable)', (value: string, previous: string[] | undefined) => [
        ...(previous ?? []),
        value,
      ])
      .option('--no-profile-phrases', "leave out the phrases the pages' profile names")
      .addOption(new Option('--changes', 'CSV and table: the changes (old and new sentences) instead of the appearances'))
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
      .option('--json', 'same as --format json'),
  )
    .addHelpText(
      'after',
      `
Phrases match case-insensitively, with typographic quotes and dashes folded, inside one sentence. The Country
Reports profile names two: "no credible reports of significant human rights abuses" and "significant human rights
issues included credible reports of". The summary is the document's first top-level section (the Executive Summary).
A change is "appeared", "disappeared" (the closest sentence of the other edition's summary is shown beside it) or
"reworded" (the phrase stayed, the summary's sentence holding it changed).

CSV columns: series,phrase,edition,count,sections,summary_sentence
  (--changes: series,phrase,previous_edition,edition,change,before,after)

Examples:
  $ redline editions phrases hrr
  $ redline editions phrases hrr --phrase "there were no significant changes in the human rights situation" --changes --format csv`,
    )
    .action(async (report: string, _options: unknown, command: Command) => {
      const options = optionsOf<{ phrase?: string[]; profilePhrases: boolean; changes?: boolean; format: 'table' | 'csv' | 'json'; json?: boolean }>(
        command,
      );
      const format = options.json ? 'json' : options.format;
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        const result = await backend.keyPhrases({
          report: normaliseSeries(report),
          ...(options.phrase ? { phrases: options.phrase } : {}),
          profilePhrases: options.profilePhrases,
        });
        if (format === 'json') return printJson(io, result);
        if (format === 'csv')
          return void io.stdout.write(options.changes ? phraseChangesToCsv(result.tracks) : phraseAppearancesToCsv(result.tracks));
        printLines(io, keyPhraseLines(result, options.changes ?? false));
      });
    });
}

/** Per series and phrase: the editions where it appears and its changes (with --changes, the sentences too). */
export function keyPhraseLines(result: KeyPhrasesResult, changes: boolean): string[] {
  const lines: string[] = [];
  for (const phrase of result.phrases) {
    lines.push(`"${phrase}"`);
    for (const track of result.tracks.filter((entry) => entry.phrase === phrase)) {
      const seen = track.appearances.length === 0 ? 'never' : track.appearances.map((entry) => entry.edition).join(' ');
      const moves = track.changes.filter((change) => change.change !== 'reworded').map((change) => `${change.change} ${change.edition}`);
      lines.push(`  ${track.series}: ${seen}${moves.length > 0 ? ` (${moves.join(', ')})` : ''}`);
      if (!changes) continue;
      for (const change of track.changes) {
        lines.push(`    ${change.previousEdition} -> ${change.edition} ${change.change}`);
        lines.push(`      - ${change.before ?? '(no counterpart in the summary)'}`);
        lines.push(`      + ${change.after ?? '(no counterpart in the summary)'}`);
      }
    }
  }
  return lines;
}

/** The ratio summary, then the per-series table and the per-section table (or the one `by` names). */
export function editionReportLines(report: EditionReport, by?: 'series' | 'section'): string[] {
  const { summary } = report;
  const lines = [
    `${report.report}: edition ${report.from} -> ${report.to}, ${summary.series} series, ${summary.wordsFrom} -> ${summary.wordsTo} words (ratio ${summary.overallRatio.toFixed(3)})`,
    `ratios: min ${summary.min.toFixed(3)}, q1 ${summary.q1.toFixed(3)}, median ${summary.median.toFixed(3)}, q3 ${summary.q3.toFixed(3)}, max ${summary.max.toFixed(3)}`,
    `lowest: ${summary.lowest.map((entry) => `${entry.series} ${entry.ratio.toFixed(3)}`).join(', ')}`,
  ];
  if (by !== 'section') {
    const rows = report.series.map((row) => [
      row.series,
      row.wordsFrom,
      row.wordsTo,
      row.ratio.toFixed(3),
      row.removed,
      row.added,
      row.renamed,
      `${(row.keptShare * 100).toFixed(1)}%`,
      row.sentencesMoved,
    ]);
    lines.push(
      '',
      ...formatTable(
        ['series', `words ${report.from}`, `words ${report.to}`, 'ratio', 'removed', 'added', 'renamed', 'sentences kept', 'moved'],
        rows,
        [false, true, true, true, true, true, true, true, true],
      ),
    );
  }
  if (by !== 'series') {
    const rows = report.sections.map((row) => [
      clip(row.heading),
      row.seriesFrom,
      row.seriesTo,
      row.removed,
      row.renamed,
      row.added,
      row.wordsFrom,
      row.wordsTo,
    ]);
    lines.push(
      '',
      ...formatTable(
        ['section', `in ${report.from}`, `in ${report.to}`, 'removed', 'renamed', 'added', `words ${report.from}`, `words ${report.to}`],
        rows,
        [false, true, true, true, true, true, true, true],
      ),
    );
  }
  return lines;
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
  const rows = map.rows.map((row) => [
    row.kind,
    clip(row.from.heading),
    row.to ? clip(row.to.heading) : '-',
    row.support,
    row.present,
    row.confidence.toFixed(2),
  ]);
  return [summary, '', ...formatTable(['kind', 'from', 'to', 'support', 'present', 'confidence'], rows, [false, false, false, true, true, true])];
}
