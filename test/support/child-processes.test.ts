import { killTrackedProcesses, processExists, spawnTracked } from './child-processes.js';

/**
 * The cleanup every test that starts processes registers: a child that started a grandchild of its own (as the
 * launcher starts `redline serve`) and never exits is ended with its grandchild, and so is the grandchild of a
 * child that already exited (an orphan in the child's group).
 */
const GRANDPARENT = `
  const { spawn } = require('node:child_process');
  const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
  process.stdout.write(String(grandchild.pid) + '\\n');
  if (process.argv[1] === 'exit') setTimeout(() => process.exit(0), 50);
  else setInterval(() => undefined, 1000);
`;

async function startChildWithGrandchild(mode: 'stay' | 'exit'): Promise<{ child: number; grandchild: number }> {
  const child = spawnTracked(process.execPath, ['-e', GRANDPARENT, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const grandchild = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(Number(output.trim()));
    });
    child.once('error', reject);
  });
  if (mode === 'exit') await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  return { child: child.pid!, grandchild };
}

async function gone(pid: number): Promise<boolean> {
  // A killed process is reaped by its parent (or init) soon after the signal: poll by count, not by a deadline.
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if (!processExists(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return !processExists(pid);
}

describe('tracked child processes', () => {
  afterAll(killTrackedProcesses);

  it('ends a running child and the grandchild it started', async () => {
    const { child, grandchild } = await startChildWithGrandchild('stay');
    expect(processExists(child)).toBe(true);
    expect(processExists(grandchild)).toBe(true);
    await killTrackedProcesses();
    expect(await gone(child)).toBe(true);
    expect(await gone(grandchild)).toBe(true);
  });

  it('ends the orphan left by a child that already exited', async () => {
    const { child, grandchild } = await startChildWithGrandchild('exit');
    expect(await gone(child)).toBe(true);
    expect(processExists(grandchild)).toBe(true);
    await killTrackedProcesses();
    expect(await gone(grandchild)).toBe(true);
  });
});
