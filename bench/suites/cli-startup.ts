import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { buildCli } from '../../cli/build-cli.js';
import { median, round, type SuiteResult } from '../bench-kit.js';

const VERSION_TARGET = 3;
const DIFF_TARGET = 6;
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const LAUNCHER = path.join(ROOT, 'cli', 'redline.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'corpus', 'hrr');

/** Real report pairs from the embedded corpus: a yearly edit in one layout, and the 2024 restructuring. */
const PAIRS = [
  { country: 'kazakhstan', from: 2022, to: 2023 },
  { country: 'kazakhstan', from: 2023, to: 2024 },
];

/**
 * How fast a `redline` command starts, whole process, as a user runs it (`node cli/redline.js`, the bin), against
 * `node -e 0` measured in the same run, interleaved (one of each per round, so a machine that gets busier part-way
 * weighs on both): `redline --version`, and `redline diff A.html B.html` on real report pairs. The bundle is built
 * first, as `prepare` does. For reference, the same with the sources through tsx (the launcher before the bundle) and
 * `git diff --no-index --word-diff` on the same pair.
 */
export async function cliStartupSuite(runs = 9): Promise<SuiteResult> {
  await buildCli();
  const folder = mkdtempSync(path.join(tmpdir(), 'redline-bench-cli-'));
  try {
    const pairs = PAIRS.map((pair) => {
      const file = (year: number) => {
        const target = path.join(folder, `${pair.country}-${year}.html`);
        writeFileSync(target, gunzipSync(readFileSync(path.join(FIXTURES, pair.country, `${year}.html.gz`))));
        return target;
      };
      return { ...pair, a: file(pair.from), b: file(pair.to) };
    });
    const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const entry = path.join(ROOT, 'cli', 'redline-entry.ts');
    const commands: Record<string, { command: string; args: string[] }> = {
      'node -e 0': { command: process.execPath, args: ['-e', '0'] },
      'redline --version': { command: process.execPath, args: [LAUNCHER, '--version'] },
      'redline --version (sources through tsx)': { command: process.execPath, args: [tsx, entry, '--version'] },
    };
    for (const pair of pairs) {
      const name = `${pair.country} ${pair.from}-${pair.to}`;
      commands[`redline diff ${name}`] = { command: process.execPath, args: [LAUNCHER, 'diff', pair.a, pair.b] };
      commands[`git diff --no-index --word-diff ${name}`] = { command: 'git', args: ['diff', '--no-index', '--word-diff', pair.a, pair.b] };
    }
    const times = new Map<string, number[]>(Object.keys(commands).map((name) => [name, []]));
    for (let round_ = 0; round_ <= runs; round_++) {
      for (const [name, { command, args }] of Object.entries(commands)) {
        const started = performance.now();
        const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
        const ms = performance.now() - started;
        if (result.error) throw result.error;
        // diff exits 1 when the pages differ; anything else is a failure of the command.
        if (result.status !== 0 && result.status !== 1) throw new Error(`${name} exited ${result.status}: ${result.stderr.toString()}`);
        if (round_ > 0) times.get(name)!.push(ms);
      }
    }
    const reference = median(times.get('node -e 0')!);
    const rows: SuiteResult['rows'] = [];
    for (const [name, values] of times) {
      const ms = median(values);
      const target = name === 'redline --version' ? VERSION_TARGET : name.startsWith('redline diff') ? DIFF_TARGET : undefined;
      rows.push({
        suite: 'cli-startup',
        case: name,
        medianMs: round(ms, 0),
        vsNodeE0: round(ms / reference, 2),
        ...(target !== undefined ? { target: `<= ${target}x`, met: ms / reference <= target } : {}),
      });
    }
    const ratio = (name: string) => rows.find((row) => row.case === name)!.vsNodeE0 as number;
    const diffRatios = pairs.map((pair) => ratio(`redline diff ${pair.country} ${pair.from}-${pair.to}`));
    return {
      suite: 'cli-startup',
      rows,
      summary: {
        nodeE0Ms: round(reference, 0),
        versionVsNodeE0: ratio('redline --version'),
        versionTarget: VERSION_TARGET,
        versionMet: ratio('redline --version') <= VERSION_TARGET,
        diffVsNodeE0: Math.max(...diffRatios),
        diffTarget: DIFF_TARGET,
        diffMet: Math.max(...diffRatios) <= DIFF_TARGET,
        tsxVersionVsNodeE0: ratio('redline --version (sources through tsx)'),
        runs,
      },
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
