import { chmod, chown, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, temporaryFolder, type CliResult } from './cli-fixture.js';

/**
 * Issue 12, item 9: a data folder this user may not write is reported as such (exit 2), not as "in use by another
 * process". The permissions are real; run as root (which writes anywhere), the command runs with the effective user
 * `nobody` for its duration, so the kernel refuses the writes as it would for any other user.
 */
const NOBODY = 65534;

async function chownTree(path: string, uid: number): Promise<void> {
  await chown(path, uid, uid);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.isDirectory()) await chownTree(join(path, entry.name), uid);
    else await chown(join(path, entry.name), uid, uid);
  }
}

async function asUnprivileged(action: () => Promise<CliResult>): Promise<CliResult> {
  const root = process.geteuid?.() === 0;
  if (root) process.seteuid!(NOBODY);
  try {
    return await action();
  } finally {
    if (root) process.seteuid!(0);
  }
}

describe('a local store this user may not write', () => {
  let folder: { path: string; remove(): Promise<void> };
  let dataDir: string;

  beforeAll(async () => {
    folder = await temporaryFolder('redline-read-only-');
    dataDir = join(folder.path, 'store');
    // A real store first: its database and bucket exist.
    expect((await cli(['watch', 'list', '--data-dir', dataDir, '--json'])).code).toBe(0);
    await chmod(folder.path, 0o755);
    // As root, the store is handed to `nobody`, who then runs the commands: the owner of a folder without write
    // permission, as for any user (not merely a stranger to it).
    if (process.geteuid?.() === 0) await chownTree(folder.path, NOBODY);
  });

  afterAll(async () => {
    if (process.geteuid?.() === 0) await chownTree(folder.path, 0).catch(() => undefined);
    await chmod(dataDir, 0o755).catch(() => undefined);
    await chmod(join(dataDir, 'dynamodb'), 0o700).catch(() => undefined);
    await folder?.remove();
  });

  function expectNotWritable(result: CliResult): void {
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`redline: The local store ${dataDir} is not writable by this user (EACCES)`);
    expect(result.stderr).not.toContain('in use by another process');
  }

  test('a read-only data folder (its owner.lock cannot be written): exit 2, "not writable"', async () => {
    await chmod(dataDir, 0o555);
    try {
      expectNotWritable(await asUnprivileged(() => cli(['watch', 'list', '--data-dir', dataDir])));
    } finally {
      await chmod(dataDir, 0o755);
    }
  });

  test('a read-only database folder (LevelDB cannot open it, as it cannot open a locked one): exit 2, "not writable"', async () => {
    // The folder itself is writable by everyone, so owner.lock is taken; the database folder is not.
    await chmod(dataDir, 0o777);
    await chmod(join(dataDir, 'dynamodb'), 0o500);
    try {
      expectNotWritable(await asUnprivileged(() => cli(['watch', 'list', '--data-dir', dataDir])));
    } finally {
      await chmod(join(dataDir, 'dynamodb'), 0o700);
      await chmod(dataDir, 0o755);
    }
  });
});
