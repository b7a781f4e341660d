import { mkdtemp, rm } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import type { Metafile } from 'esbuild';
import { buildCli, CLI_ENTRY } from '../../cli/build-cli.js';
import { BufferedOutput } from '../../cli/cli-io.js';
import { buildProgram, COMMAND_MODULES } from '../../cli/main.js';
import { killTrackedProcesses, spawnTracked } from '../support/child-processes.js';
import { cli, saveCorpusPage, temporaryFolder } from './cli-fixture.js';

/**
 * The prebuilt CLI (cli/build-cli.ts, run by `prepare`): what a command loads when it starts, read from the
 * bundle's own metafile (a structural fact, the same on any machine, where start-up TIME is the bench's business),
 * and the bundle run as a plain Node program gives the same answers as the sources.
 */
const REPOSITORY = join(CLI_ENTRY, '..', '..');
let outdir: string;
let metafile: Metafile;

beforeAll(async () => {
  // Inside the repository, so that the bundle's externals (dynalite, s3rver) resolve as they do from dist/cli/.
  outdir = await mkdtemp(join(REPOSITORY, 'dist', 'cli-test-'));
  metafile = await buildCli({ outdir });
});

afterEach(killTrackedProcesses);

afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

/**
 * The source files and packages evaluated when the bundle starts: the entry chunk and its static imports; with
 * `alsoLoading`, plus the chunk that holds that source file (imported dynamically) and its static imports.
 */
function loadedAtStart(alsoLoading?: string): { inputs: Set<string>; bytes: number } {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((file) => outputs[file]!.entryPoint === relative(REPOSITORY, CLI_ENTRY))!;
  const seen = new Set<string>();
  const pending = [entry];
  if (alsoLoading) {
    const chunk = Object.keys(outputs).find((file) => file.endsWith('.js') && alsoLoading in outputs[file]!.inputs);
    if (!chunk) throw new Error(`no chunk holds ${alsoLoading}`);
    pending.push(chunk);
  }
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file) || !outputs[file]) continue;
    seen.add(file);
    for (const imported of outputs[file]!.imports) if (imported.kind === 'import-statement') pending.push(imported.path);
  }
  const inputs = new Set<string>();
  let bytes = 0;
  for (const file of seen) {
    bytes += outputs[file]!.bytes;
    for (const input of Object.keys(outputs[file]!.inputs)) inputs.add(input);
  }
  return { inputs, bytes };
}

/** The CLI from its sources, as `npm run redline` runs it (tsx). */
function runSources(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(args, ['--import', 'tsx', CLI_ENTRY]);
}

function run(args: string[], command = [join(outdir, 'redline-entry.js')]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnTracked(process.execPath, [...command, ...args], {
      cwd: REPOSITORY,
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe('the CLI bundle', () => {
  it('loads no SDK client, server, UI, runtime, WARC reader or zod schema when it starts', () => {
    const { inputs, bytes } = loadedAtStart();
    const lazy = [
      /node_modules\/@aws-sdk\//,
      /node_modules\/@smithy\//,
      /node_modules\/@aws-lambda-powertools\//,
      /node_modules\/@middy\//,
      /node_modules\/zod\//,
      /node_modules\/undici\//,
      /node_modules\/warcio\//,
      /node_modules\/pako\//,
      /^local\/runtime\//,
      /^functions\//,
      /^shared\/adapters\/(dynamodb|s3|sns|sqs|warc)\//,
    ];
    const loaded = [...inputs];
    for (const pattern of lazy) expect(loaded.filter((input) => pattern.test(input))).toEqual([]);
    // What it does load: the command line, extraction and the diff engine.
    expect(loaded).toEqual(expect.arrayContaining(['cli/main.ts', 'shared/domain/extract.ts', 'shared/domain/diff-documents.ts']));
    expect(loaded.some((input) => input.includes('node_modules/commander/'))).toBe(true);
    // About 0.45 MB today, against 3.6 MB with every module loaded at start.
    expect(bytes).toBeLessThan(1_000_000);
  });

  it('runs `diff A.html B.html` without loading the store, the servers, provenance, import or the other commands', () => {
    const { inputs } = loadedAtStart('cli/diff-commands.ts');
    const loaded = [...inputs];
    expect(loaded).toEqual(expect.arrayContaining(['cli/diff-commands.ts', 'cli/file-commands.ts', 'shared/domain/diff-documents.ts']));
    const unneeded = [
      /^cli\/tracker-backend\.ts$/,
      /^cli\/(audit|edition|history|import|provenance|run|series|serve|subscribe|watch)-commands?\.ts$/,
      /^shared\/use-cases\//,
      /^shared\/domain\/provenance\//,
      /^shared\/adapters\//,
      /node_modules\/ipaddr\.js\//,
    ];
    // Used by the diff commands themselves: the rendering of a diff, and the default settings that --help prints.
    const used = new Set(['shared/use-cases/queries/diff-output.ts', 'shared/use-cases/tracker-dependencies.ts']);
    for (const pattern of unneeded) expect(loaded.filter((input) => pattern.test(input) && !used.has(input))).toEqual([]);
  });

  it('is ESM for the oldest supported Node, with the embedded servers and the worker pool left to node_modules', () => {
    const external = Object.values(metafile.outputs).flatMap((output) =>
      output.imports.filter((imported) => imported.external).map((imported) => imported.path),
    );
    expect(new Set(external.filter((path) => !isBuiltin(path)))).toEqual(new Set(['dynalite', 's3rver', 'tinypool']));
    // The import's worker script is emitted beside the chunks, where the pool module looks for it.
    expect(Object.keys(metafile.outputs)).toContain(`${relative(REPOSITORY, outdir)}/capture-reader-worker.js`);
    // So is the local store servers' worker script (`import` serves dynalite and s3rver from it), where its module looks.
    expect(Object.keys(metafile.outputs)).toContain(`${relative(REPOSITORY, outdir)}/aws-servers-worker.js`);
  });

  // The bundle and the sources run as a user runs them, the store's servers on their own thread (aws-servers-worker.js
  // from the bundle, the sources' worker script through tsx); the in-process run keeps them in its thread (cli-fixture).
  it('imports on worker threads, from the bundle and from the sources through tsx, what the sources import in one thread', async () => {
    const folder = await temporaryFolder();
    try {
      const pages = join(folder.path, 'pages');
      for (const year of [2022, 2023, 2024]) await saveCorpusPage(pages, `kazakhstan-${year}.html.gz`, 'kazakhstan', year);
      await saveCorpusPage(pages, 'tuvalu-2024.html', 'tuvalu', 2024);
      await saveCorpusPage(pages, 'copy-of-tuvalu-2024.html', 'tuvalu', 2024);
      const report = (stdout: string) => {
        const { durationMs: _durationMs, ...rest } = JSON.parse(stdout) as { durationMs: number; notImported: Array<{ source: string }> };
        rest.notImported.sort((a, b) => a.source.localeCompare(b.source));
        return JSON.stringify(rest).replaceAll(folder.path, '<folder>');
      };
      const output = new BufferedOutput();
      const single = await cli(['import', pages, '--data-dir', join(folder.path, 'single'), '--json', '--threads', '0'], { stdout: output });
      expect(single.code).toBe(0);
      const bundled = await run(['import', pages, '--data-dir', join(folder.path, 'bundled'), '--json', '--threads', '2']);
      expect(bundled).toMatchObject({ code: 0, stderr: '' });
      const tsx = await runSources(['import', pages, '--data-dir', join(folder.path, 'tsx'), '--json', '--threads', '2']);
      expect(tsx).toMatchObject({ code: 0, stderr: '' });
      expect(report(bundled.stdout)).toBe(report(output.text));
      expect(report(tsx.stdout)).toBe(report(output.text));
      expect(JSON.parse(output.text)).toMatchObject({ imported: 4, skipped: 1, failed: 0 });
    } finally {
      await folder.remove();
    }
  });

  it('prints the version once and exits 0', async () => {
    const result = await run(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('diffs two real editions exactly as the sources do, exit code included', async () => {
    const folder = await temporaryFolder();
    try {
      const older = await saveCorpusPage(folder.path, 'k2023.html.gz', 'kazakhstan', 2023);
      const newer = await saveCorpusPage(folder.path, 'k2024.html.gz', 'kazakhstan', 2024);
      const bundled = await run(['diff', older, newer]);
      const output = new BufferedOutput();
      const sources = await cli(['diff', older, newer], { stdout: output });
      expect(bundled.code).toBe(sources.code);
      expect(bundled.stdout).toBe(output.text);
      expect(bundled.stdout).toContain('@@ EXECUTIVE SUMMARY (modified');
    } finally {
      await folder.remove();
    }
  });
});

describe('the command modules a command line loads (cli/main.ts COMMAND_MODULES)', () => {
  const io = () => ({ stdout: new BufferedOutput(), stderr: new BufferedOutput(), env: {}, exitCode: 0 });
  const names = async (args?: string[]) => (await buildProgram(io(), args)).commands.map((command) => command.name());

  it('registers exactly the commands each module is listed with, and all of them, in order, without a command', async () => {
    for (const module of COMMAND_MODULES) {
      for (const command of module.commands) expect(await names([command, '--help'])).toEqual(['extract', ...module.commands]);
    }
    expect(await names()).toEqual(['extract', ...COMMAND_MODULES.flatMap((module) => module.commands)]);
    expect(await names(['--help'])).toEqual(await names());
    expect(await names(['nonsense'])).toEqual(await names());
  });

  it('loads no command module for --version and extract', async () => {
    expect(await names(['--version'])).toEqual(['extract']);
    expect(await names(['extract', 'page.html'])).toEqual(['extract']);
  });
});
