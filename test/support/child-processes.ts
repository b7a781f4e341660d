import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * Child processes a test starts, each in a process group of its own (`detached`), so that one call ends the child
 * and everything it started in turn (a launcher's Node, a server it runs). Register `killTrackedProcesses` in
 * `afterEach`/`afterAll`: a test that fails or times out then leaves no process behind, even when jest abandons the
 * test's own `finally` (a timed-out test's promise is never settled, so its cleanup never runs).
 */
const tracked = new Set<ChildProcess>();

export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  // Kept after it exits: a grandchild may outlive it in its group.
  tracked.add(child);
  return child;
}

/** SIGKILL to the child's whole process group (a no-op once the group is gone). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Kills the process group of every tracked child still running; resolves once each child has exited. */
export async function killTrackedProcesses(): Promise<void> {
  const running = [...tracked];
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            // The child is gone; its group may not be (a grandchild it left behind).
            killGroup(child);
            resolve();
            return;
          }
          child.once('exit', () => resolve());
          killGroup(child);
        }),
    ),
  );
  tracked.clear();
}

/** Whether a process with this id exists (signal 0 probes without signalling). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
