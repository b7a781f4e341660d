import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../../cli/build-cli.js';
import { killTrackedProcesses, spawnTracked } from '../support/child-processes.js';
import { saveCorpusPage, temporaryFolder } from './cli-fixture.js';

/**
 * End to end through the `npx redline` launcher (cli/redline.js): a real process, exit codes, signals. Each child
 * runs in its own process group, killed after every test, so a test that fails or times out leaves no `redline
 * serve` behind. Time limits are sized for a loaded 2-core machine (a process start there can take 10 s and more):
 * they only stop a hung child, they never decide an outcome.
 */
const PROCESS_LIMIT_MS = 120_000;
const TEST_LIMIT_MS = 240_000;
const LAUNCHER = fileURLToPath(new URL('../../cli/redline.js', import.meta.url));

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return env;
}

function redline(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnTracked(process.execPath, [LAUNCHER, ...args], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

describe('the redline launcher', () => {
  let folder: { path: string; remove(): Promise<void> };
  let dataDir: string;

  beforeAll(async () => {
    // The bundle the bin runs, built from the current sources as `prepare` does on `npm ci`.
    await buildCli();
    folder = await temporaryFolder();
    dataDir = join(folder.path, 'store');
  });

  afterEach(killTrackedProcesses);

  afterAll(async () => {
    await folder?.remove();
  });

  test(
    '--version runs the prebuilt bundle (nothing transpiled), in process',
    async () => {
      const version = await redline(['--version']);
      expect(version).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    },
    TEST_LIMIT_MS,
  );

  test(
    '--help lists every command',
    async () => {
      const help = await redline(['--help']);
      expect(help.code).toBe(0);
      for (const command of ['extract', 'diff', 'watch', 'run', 'history', 'show', 'compare', 'audit', 'subscribe', 'import', 'serve']) {
        expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
      }
    },
    TEST_LIMIT_MS,
  );

  test(
    'import, then an audit CSV, as separate processes on one folder; exit codes reach the shell',
    async () => {
      const pages = join(folder.path, 'pages');
      await saveCorpusPage(pages, '2023.html.gz', 'andorra', 2023);
      await saveCorpusPage(pages, '2024.html.gz', 'andorra', 2024);
      const imported = await redline(['import', pages, '--data-dir', dataDir, '--json']);
      expect(imported.code).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 2, failed: 0 });
      const csv = await redline(['audit', '--terms', 'human rights', '--format', 'csv', '--data-dir', dataDir]);
      expect(
        csv.stdout
          .split('\r\n')
          .slice(0, 3)
          .map((line) => line.split(',').slice(0, 2).join(',')),
      ).toEqual(['year,reports', '2023,1', '2024,1']);
      expect((await redline(['history', 'hrr.atlantis.2024', '--data-dir', dataDir])).code).toBe(2);
    },
    TEST_LIMIT_MS,
  );

  test(
    'serve runs until SIGTERM reaches it through the launcher, then closes its servers',
    async () => {
      const child = spawnTracked(process.execPath, [LAUNCHER, 'serve', '--port', '0', '--json', '--data-dir', dataDir], {
        env: childEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        let output = '';
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), PROCESS_LIMIT_MS);
          child.stdout!.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            const match = /"url": "([^"]+)"/.exec(output);
            if (match) {
              clearTimeout(timer);
              resolve(match[1]!);
            }
          });
          child.once('exit', () => reject(new Error(`serve exited: ${output}`)));
        });
        const response = await fetch(`${url}/series/hrr~andorra/editions`);
        expect(response.status).toBe(200);
        expect(((await response.json()) as { editions: unknown[] }).editions).toHaveLength(2);
        // The launcher runs the bundle in its own process: the server's pid is the launcher's (no second Node).
        expect((JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as { pid: number }).pid).toBe(child.pid);

        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
      } finally {
        await killTrackedProcesses();
      }
    },
    TEST_LIMIT_MS,
  );
});
