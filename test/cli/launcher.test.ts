import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveCorpusPage, temporaryFolder } from './cli-fixture.js';

/** End to end through the `npx redline` launcher (cli/redline.js): a real process, exit codes, signals. */
const LAUNCHER = fileURLToPath(new URL('../../cli/redline.js', import.meta.url));

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return env;
}

function redline(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [LAUNCHER, ...args], { env: childEnv(), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the redline launcher', () => {
  let folder: { path: string; remove(): Promise<void> };
  let dataDir: string;

  beforeAll(async () => {
    folder = await temporaryFolder();
    dataDir = join(folder.path, 'store');
  });

  afterAll(async () => {
    await folder?.remove();
  });

  test('--help lists every command', async () => {
    const help = await redline(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['extract', 'diff', 'watch', 'run', 'history', 'show', 'compare', 'audit', 'subscribe', 'import', 'serve']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  test('import, then an audit CSV, as separate processes on one folder; exit codes reach the shell', async () => {
    const pages = join(folder.path, 'pages');
    await saveCorpusPage(pages, '2023.html.gz', 'andorra', 2023);
    await saveCorpusPage(pages, '2024.html.gz', 'andorra', 2024);
    const imported = await redline(['import', pages, '--data-dir', dataDir, '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 2, failed: 0 });
    const csv = await redline(['audit', '--terms', 'human rights', '--format', 'csv', '--data-dir', dataDir]);
    expect(csv.stdout.split('\r\n').slice(0, 3).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['year,reports', '2023,1', '2024,1']);
    expect((await redline(['history', 'hrr.atlantis.2024', '--data-dir', dataDir])).code).toBe(2);
  });

  test('serve runs until SIGTERM reaches it through the launcher, then closes its servers', async () => {
    const child = spawn(process.execPath, [LAUNCHER, 'serve', '--port', '0', '--json', '--data-dir', dataDir], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 30_000);
        child.stdout.on('data', (chunk: Buffer) => {
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
      expect(existsSync(join(dataDir, 'runtime.json'))).toBe(true);

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
