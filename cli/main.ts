import { Command, CommanderError, Option } from 'commander';
import { RedlineError } from '../shared/errors.js';
import { EXIT_DIFFERENCES_OR_FAILURE, EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './cli-io.js';
import { extractFile, formatOutline } from './file-commands.js';

type Register = (program: Command, io: CliIo) => void;

/**
 * The command modules, in the order their commands are listed by `--help`, each with the top-level commands it
 * adds. A command line that names one of them loads only that module (`redline diff A B` loads the diff commands,
 * not the store, servers, provenance or import code); anything else (`--help`, no command, an unknown one) loads
 * them all. test/cli/store-commands.test.ts checks that the names match what each module registers.
 */
export const COMMAND_MODULES: readonly { commands: readonly string[]; load: () => Promise<Register> }[] = [
  {
    commands: ['diff', 'compare', 'compare-file'],
    load: async () => {
      const { registerCompareFileCommand, registerDiffCommands } = await import('./diff-commands.js');
      return (program, io) => {
        registerDiffCommands(program, io);
        registerCompareFileCommand(program, io);
      };
    },
  },
  { commands: ['watch'], load: async () => (await import('./watch-commands.js')).registerWatchCommands },
  { commands: ['run'], load: async () => (await import('./run-command.js')).registerRunCommand },
  { commands: ['history', 'show'], load: async () => (await import('./history-commands.js')).registerHistoryCommands },
  { commands: ['audit'], load: async () => (await import('./audit-command.js')).registerAuditCommand },
  { commands: ['editions'], load: async () => (await import('./edition-commands.js')).registerEditionCommands },
  { commands: ['subscribe'], load: async () => (await import('./subscribe-commands.js')).registerSubscribeCommands },
  { commands: ['import'], load: async () => (await import('./import-command.js')).registerImportCommand },
  { commands: ['blame', 'removed', 'provenance'], load: async () => (await import('./provenance-commands.js')).registerProvenanceCommands },
  { commands: ['series'], load: async () => (await import('./series-commands.js')).registerSeriesCommands },
  { commands: ['serve'], load: async () => (await import('./serve-command.js')).registerServeCommand },
];

/** The modules a command line needs: none for `extract` and `--version`, one for a known command, else all. */
function modulesFor(args: readonly string[] | undefined): typeof COMMAND_MODULES {
  const first = args?.[0];
  if (first === undefined) return COMMAND_MODULES;
  if (first === 'extract' || ((first === '--version' || first === '-V') && args!.length === 1)) return [];
  const named = COMMAND_MODULES.filter((module) => module.commands.includes(first));
  return named.length > 0 ? named : COMMAND_MODULES;
}

export { parsePositiveInteger } from './output.js';

/**
 * The `redline` command line. File commands (`extract`, `diff OLD NEW`) need no store; the others work against the
 * local store (.redline/) by default, a deployed stack's table and bucket (REDLINE_TABLE...), or a redline HTTP
 * API (--api / REDLINE_API_URL): see store-selection.ts and docs/cli.md, "Which store".
 *
 * `io` is where the commands write and what they read from the environment; tests pass buffers and run commands
 * in process (`runCli`). `args`, the command line to be parsed, limits the commands loaded to those it needs
 * (COMMAND_MODULES); without it, every command is there.
 */
export async function buildProgram(io: CliIo = processIo(), args?: readonly string[]): Promise<Command> {
  const program = new Command('redline')
    .description('Section-aware change tracking for report pages: watch, capture, diff, compare editions, audit terms.')
    .version('0.1.0')
    .showHelpAfterError()
    // Before any command is added: subcommands inherit these.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(text),
    })
    .addHelpText(
      'after',
      `
Store: the local folder .redline/ by default (--data-dir or REDLINE_DATA_DIR for another); a deployed stack
with REDLINE_TABLE/REDLINE_BUCKET (AWS credentials); or a redline HTTP API with --api URL (or REDLINE_API_URL).
Every command takes --json. Exit codes: 0 ok, 1 differences found or work failed, 2 bad usage or input.

Examples:
  $ redline watch add https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/kazakhstan/
  $ redline run
  $ redline history hrr.kazakhstan.2024
  $ redline import ~/saved-reports/ crawl.warc.gz
  $ redline compare hrr/kazakhstan --from 2023 --to 2024
  $ redline series list
  $ redline editions map hrr --from 2023 --to 2024
  $ redline audit --by edition --terms "human rights,torture,climate change" --format csv > terms.csv`,
    );

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
      io.stdout.write(options.json ? `${JSON.stringify(document, null, 2)}\n` : formatOutline(document));
    });

  // One at a time: Jest's ESM loader (tests run commands in process) fails concurrent imports of shared modules.
  for (const module of modulesFor(args)) (await module.load())(program, io);
  return program;
}

/**
 * Parses and runs one command line (`args` without the node and script paths) and returns the exit code: 0 ok,
 * 1 differences or failure, 2 usage or input errors (commander's own included). Errors are printed to io.stderr.
 */
export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    await (await buildProgram(io, args)).parseAsync([...args], { from: 'user' });
    return io.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with 0; commander has printed its message already.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    // redline's own errors read as sentences (`expose` is about HTTP clients; the CLI user is the operator).
    const message = error instanceof RedlineError ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr.write(`redline: ${message}\n`);
    return error instanceof RedlineError && error.status < 500 ? EXIT_USAGE : EXIT_DIFFERENCES_OR_FAILURE;
  }
}

/** Runs the command line of this process (entry: cli/redline-entry.ts, bundled into dist/cli/ for the bin). */
export async function main(): Promise<void> {
  // `redline ... | head`: a closed pipe ends the output, not the command (its servers still close properly).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  const controller = new AbortController();
  const io = processIo(controller.signal);
  // `serve` stops cleanly (closing its servers); anything else ends at once, as without a handler (the servers
  // are in this process and the database lock goes with it).
  const stop = (signal: NodeJS.Signals) => {
    if (io.stoppable && !controller.signal.aborted) controller.abort();
    else process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.exitCode = await runCli(process.argv.slice(2), io);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
}
