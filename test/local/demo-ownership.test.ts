import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimLocalStore } from '../../cli/store-selection.js';
import { temporaryFolder } from '../cli/cli-fixture.js';
import { killTrackedProcesses, spawnTracked } from '../support/child-processes.js';

/**
 * Issue 12, item 6: `npm run dev` / `npm start` (local/demo/demo.ts) take the store's owner.lock like every other
 * command. A folder another process owns is refused at once, and nothing in it is reset. A real demo process; the
 * limit only stops a hung child (a process start on a loaded 2-core machine can take 10 s and more).
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TEST_LIMIT_MS = 240_000;

function demo(dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnTracked(join(ROOT, 'node_modules', '.bin', 'tsx'), ['local/demo/demo.ts', '--data-dir', dataDir, '--site-port', '0'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '--openssl-legacy-provider --no-warnings' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the local demo and the store owner lock', () => {
  let folder: { path: string; remove(): Promise<void> };

  beforeAll(async () => {
    folder = await temporaryFolder('redline-demo-owner-');
  });

  afterEach(killTrackedProcesses);

  afterAll(async () => {
    await folder?.remove();
  });

  test(
    'a folder owned by another command is refused at once (exit 1, naming the owner) and its data is not reset',
    async () => {
      const dataDir = join(folder.path, 'store');
      const stored = join(dataDir, 's3', 'redline', 'raw', 'kept.html');
      await mkdir(join(stored, '..'), { recursive: true });
      await writeFile(stored, '<p>stored by the owner</p>');
      const release = await claimLocalStore(dataDir, 'redline import');
      try {
        const result = await demo(dataDir);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`The local store ${dataDir} is in use by redline import (pid ${process.pid})`);
        expect(result.stdout).not.toContain('reset for the demo');
        expect(existsSync(stored)).toBe(true);
        expect(JSON.parse(await readFile(join(dataDir, 'owner.lock'), 'utf8'))).toMatchObject({ pid: process.pid, owner: 'redline import' });
      } finally {
        await release();
      }
    },
    TEST_LIMIT_MS,
  );
});
