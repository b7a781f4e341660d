import { existsSync, statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { visibleSections } from '../shared/domain/diff-rendering.js';
import { NotFoundError } from '../shared/errors.js';
import { renderDiffOutput } from '../shared/use-cases/queries/diff-output.js';
import { EXIT_DIFFERENCES_OR_FAILURE, UsageError, type CliIo } from './cli-io.js';
import { diffFiles, readPageFile, type DiffFormat } from './file-commands.js';
import { normaliseSeries, optionsOf, parseEdition, parsePositiveInteger, storeTargetOf } from './output.js';
import { addStoreOptions } from './store-selection.js';
import type { RenderableDiff, TrackerBackend } from './tracker-backend.js';
import type { StoreTarget } from './store-selection.js';

/**
 * The store side (tracker-backend.ts: every query, the store adapters, the address guard) is imported by the
 * commands that open a store, when they run: `redline diff A.html B.html` never loads it (test/cli/cli-bundle.test.ts).
 */
async function withBackend<T>(target: StoreTarget, io: Pick<CliIo, 'env'>, work: (backend: TrackerBackend) => Promise<T>): Promise<T> {
  return (await import('./tracker-backend.js')).withBackend(target, io, work);
}

async function latestSeq(backend: TrackerBackend, page: string): Promise<number> {
  return (await import('./history-commands.js')).latestSeq(backend, page);
}

/** `redline diff` (two saved files, or two revisions of a stored page) and `redline compare` (two editions). */

interface RenderFlags {
  format: DiffFormat;
  json?: boolean;
  hideTrivial?: boolean;
  includeUnchanged?: boolean;
  exitCode?: boolean;
}

export function registerDiffCommands(program: Command, io: CliIo): void {
  addStoreOptions(
    program
      .command('diff')
      .description('Section-level diff: of two saved pages (like `git diff --no-index`), or of two revisions of a stored page (--from/--to).')
      .argument('<old-or-page>', 'the earlier saved page (.html or .html.gz), or a page id')
      .argument('[new]', 'the later saved page (with two files)')
      .option('--from <seq>', 'earlier revision of the page (default: the one before --to)', parsePositiveInteger)
      .option('--to <seq>', 'later revision of the page (default: the latest)', parsePositiveInteger)
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'html', 'json']).default('text'))
      .option('--json', 'same as --format json')
      .option('--old-url <url>', 'files: URL of the earlier page (default: its canonical link)')
      .option('--new-url <url>', 'files: URL of the later page')
      .option('--hide-trivial', 'leave out whitespace-, punctuation- and number-only changes')
      .option('--include-unchanged', 'list unchanged sections too')
      .option('--exit-code', 'exit with 1 when there are differences (like git diff --exit-code)'),
  )
    .addHelpText(
      'after',
      `
Two saved files are diffed when both arguments are existing files; a single argument is a page id in the store.

Examples:
  $ redline diff kazakhstan-2023.html kazakhstan-2024.html
  $ redline diff before.html after.html --format html > diff.html
  $ redline diff hrr.kazakhstan.2024                 # latest revision against the one before
  $ redline diff hrr.kazakhstan.2024 --from 1 --to 4 --format json | jq '.diff.summary'`,
    )
    .action(async (first: string, second: string | undefined, _options: unknown, command: Command) => {
      const options = optionsOf<RenderFlags & { from?: number; to?: number; oldUrl?: string; newUrl?: string }>(command);
      const format: DiffFormat = options.json ? 'json' : options.format;
      if (second !== undefined) {
        if (options.from !== undefined || options.to !== undefined)
          throw new UsageError('--from/--to diff revisions of one stored page: give a page id, not two files');
        const missing = [first, second].filter((file) => !isFile(file));
        if (missing.length === 2)
          throw new UsageError(`No such files: ${first}, ${second} (to diff revisions of a page: redline diff <page> --from A --to B)`);
        if (missing.length === 1) throw new UsageError(`No such file: ${missing[0]}`);
        const { output, changed } = await diffFiles(first, second, { ...options, format });
        io.stdout.write(output);
        if (options.exitCode && changed) io.exitCode = EXIT_DIFFERENCES_OR_FAILURE;
        return;
      }
      if (isFile(first)) throw new UsageError(`${first} is a file: give the later one too (redline diff OLD NEW)`);
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        const to = options.to ?? (await latestSeq(backend, first));
        const from = options.from ?? to - 1;
        if (from < 1) throw new NotFoundError(`${first} has only revision ${to}: nothing to diff it against`);
        const result = await backend.diffRevisions(first, from, to, renderOptions(options));
        printDiff(io, result, format, options);
      });
    });

  addStoreOptions(
    program
      .command('compare')
      .description('Compare two editions of a series: sections aligned by key, heading and text, with renames, moves and word diffs.')
      .argument('<series>', 'series id, e.g. hrr/kazakhstan')
      .option('--from <year>', 'earlier edition (default: the one before --to)', parseEdition)
      .option('--to <year>', 'later edition (default: the newest)', parseEdition)
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'html', 'json']).default('text'))
      .option('--json', 'same as --format json')
      .option('--hide-trivial', 'leave out whitespace-, punctuation- and number-only changes')
      .option('--include-unchanged', 'list unchanged (aligned) sections too')
      .option('--exit-code', 'exit with 1 when the editions differ'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ redline compare hrr/kazakhstan --from 2023 --to 2024
  $ redline compare hrr/kazakhstan --from 2016 --to 2024 --format html > kazakhstan-2016-2024.html
  $ redline compare hrr/china --json | jq '[.diff.sections[] | select(.kind == "renamed") | .heading]'`,
    )
    .action(async (seriesArgument: string, _options: unknown, command: Command) => {
      const options = optionsOf<RenderFlags & { from?: number; to?: number }>(command);
      const series = normaliseSeries(seriesArgument);
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        let { from, to } = options;
        if (from === undefined || to === undefined) {
          const editions = (await backend.listEditions(series))
            .map((entry) => entry.edition)
            .filter((edition): edition is number => edition !== undefined);
          to ??= editions.at(-1);
          from ??= editions.filter((edition) => to !== undefined && edition < to).at(-1);
          if (from === undefined || to === undefined) throw new NotFoundError(`Series ${series} has fewer than two editions to compare`);
        }
        const result = await backend.compareEditions(series, from, to, renderOptions(options));
        printDiff(io, result, options.json ? 'json' : options.format, options);
      });
    });
}

/** `redline compare-file`: a saved draft against a published edition of its series, aligned as `compare` aligns. */
export function registerCompareFileCommand(program: Command, io: CliIo): void {
  addStoreOptions(
    program
      .command('compare-file')
      .description(
        'Compare a saved draft (a leaked or released copy of a report page) with a published edition of its series, aligned as compare aligns editions.',
      )
      .argument('<draft>', 'the saved draft (.html or .html.gz)')
      .requiredOption('--with <series>', 'the series the draft belongs to, e.g. hrr/kazakhstan')
      .requiredOption('--edition <year>', 'the published edition to compare it with', parseEdition)
      .option('--draft-before', 'put the draft first (what changed from the draft to the published edition)')
      .option('--url <url>', 'the URL the draft was published at or claims (default: its canonical link)')
      .option('--page-profile <name>', "the page profile to read the draft with (default: the published edition's)")
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'html', 'json']).default('text'))
      .option('--json', 'same as --format json')
      .option('--hide-trivial', 'leave out whitespace-, punctuation- and number-only changes')
      .option('--include-unchanged', 'list unchanged (aligned) sections too')
      .option('--exit-code', 'exit with 1 when the draft and the edition differ'),
  )
    .addHelpText(
      'after',
      `
The published edition is the latest capture of the edition's page in the store. The draft is read with the published
edition's profile unless --page-profile says otherwise; when the draft names another edition than --edition, the report's
edition map serves as a prior, as in compare. By default the published edition comes first and the draft second.

Examples:
  $ redline compare-file draft-2024.html --with hrr/nigeria --edition 2024 --draft-before
  $ redline compare-file draft-2024.html --with hrr/nigeria --edition 2023 --format html > draft-vs-2023.html`,
    )
    .action(async (file: string, _options: unknown, command: Command) => {
      const options = optionsOf<RenderFlags & { with: string; edition: number; draftBefore?: boolean; url?: string; pageProfile?: string }>(command);
      if (!isFile(file)) throw new UsageError(`No such file: ${file}`);
      const html = await readPageFile(file);
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        const result = await backend.compareDraft({
          series: normaliseSeries(options.with),
          edition: options.edition,
          draft: { html, ...(options.url ? { url: options.url } : {}), ...(options.pageProfile ? { profile: options.pageProfile } : {}) },
          draftSide: options.draftBefore ? 'before' : 'after',
        });
        printDiff(io, result, options.json ? 'json' : options.format, options);
      });
    });
}

function renderOptions(options: RenderFlags): { includeUnchanged: boolean; hideTrivial: boolean } {
  return { includeUnchanged: options.includeUnchanged === true, hideTrivial: options.hideTrivial === true };
}

function printDiff(io: CliIo, result: RenderableDiff, format: DiffFormat, flags: RenderFlags): void {
  const options = renderOptions(flags);
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ ...result.meta, diff: { ...result.diff, sections: visibleSections(result.diff, options) } }, null, 2)}\n`);
  } else {
    io.stdout.write(renderDiffOutput(result, format, options).body);
  }
  const changed = result.diff.sections.some((section) => section.kind !== 'unchanged');
  if (flags.exitCode && changed) io.exitCode = EXIT_DIFFERENCES_OR_FAILURE;
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
