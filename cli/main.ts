import { Command, InvalidArgumentError, Option } from 'commander';
import { RedlineError } from '../shared/errors.js';
import { diffFiles, extractFile, formatOutline, type DiffFormat } from './file-commands.js';

/**
 * The `redline` command line. File commands need no store; the store-backed commands work against the local
 * store (.redline/) by default, or against a deployed stack when configured.
 */

export function buildProgram(): Command {
  const program = new Command('redline')
    .description('Section-aware change tracking for report pages.')
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command('extract')
    .description('Read a saved page and print its section outline (keys, headings, word counts) or the Document as JSON.')
    .argument('<file>', 'saved HTML page (.html or .html.gz)')
    .option('--url <url>', 'the URL the page came from (chooses the profile; default: its canonical link)')
    .addOption(new Option('--profile <name>', 'force a profile').choices(['state-hrr', 'generic']))
    .option('--json', 'print the whole Document as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ redline extract kazakhstan-2023.html
  $ redline extract page.html --url https://example.org/report --json > document.json`,
    )
    .action(async (file: string, options: { url?: string; profile?: string; json?: boolean }) => {
      const document = await extractFile(file, options);
      process.stdout.write(options.json ? `${JSON.stringify(document, null, 2)}\n` : formatOutline(document));
    });

  program
    .command('diff')
    .description('Show the section-level diff of two saved pages, as `git diff --no-index` does for files.')
    .argument('<old>', 'the earlier page (.html or .html.gz)')
    .argument('<new>', 'the later page')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'html', 'json']).default('text'))
    .option('--old-url <url>', 'URL of the earlier page (default: its canonical link)')
    .option('--new-url <url>', 'URL of the later page')
    .option('--hide-trivial', 'leave out whitespace-, punctuation- and number-only changes')
    .option('--include-unchanged', 'list unchanged sections too')
    .option('--exit-code', 'exit with 1 when the pages differ (like git diff --exit-code)')
    .addHelpText(
      'after',
      `
Examples:
  $ redline diff kazakhstan-2023.html kazakhstan-2024.html
  $ redline diff before.html after.html --format html > diff.html
  $ redline diff before.html after.html --format json | jq '.summary'`,
    )
    .action(
      async (
        oldFile: string,
        newFile: string,
        options: {
          format: DiffFormat;
          oldUrl?: string;
          newUrl?: string;
          hideTrivial?: boolean;
          includeUnchanged?: boolean;
          exitCode?: boolean;
        },
      ) => {
        const { output, changed } = await diffFiles(oldFile, newFile, options);
        process.stdout.write(output);
        if (options.exitCode && changed) process.exitCode = 1;
      },
    );

  return program;
}

export function parsePositiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('expected a positive integer');
  return parsed;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    const message = error instanceof RedlineError && error.expose ? error.message : String(error);
    process.stderr.write(`redline: ${message}\n`);
    process.exitCode = error instanceof RedlineError && error.status < 500 ? 2 : 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli/main.ts')) {
  await main(process.argv);
}
