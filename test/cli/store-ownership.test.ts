import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { announceLocalStore, claimLocalStore, openLocalStore, processStartTime, runningStoreProcess } from '../../cli/store-selection.js';
import { cli, temporaryFolder } from './cli-fixture.js';

const servers = { endpoints: { dynamodb: 'http://127.0.0.1:9', s3: 'http://127.0.0.1:9' }, region: 'us-east-1', table: 't', bucket: 'b' };

describe('one owner per local store', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  beforeEach(async () => {
    folder = await temporaryFolder('redline-owner-');
  });
  afterEach(() => folder.remove());

  it('reads the start time of a live process, and none for a pid that is gone', () => {
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
    expect(processStartTime(2 ** 22 + 7)).toBeUndefined();
  });

  it('a runtime.json whose pid now belongs to another process (another start time) does not block', async () => {
    const ownStart = processStartTime(process.pid)!;
    const stale = { pid: process.pid, pidStartTime: `${Number(ownStart) + 1}`, dataDir: folder.path, ...servers, owner: 'redline serve' };
    await writeFile(join(folder.path, 'runtime.json'), JSON.stringify(stale));
    expect(await runningStoreProcess(folder.path)).toBeUndefined();
    // The same pid with its real start time is the owner.
    await writeFile(join(folder.path, 'runtime.json'), JSON.stringify({ ...stale, pidStartTime: ownStart }));
    expect(await runningStoreProcess(folder.path)).toMatchObject({ pid: process.pid, owner: 'redline serve' });
  });

  it('announces the owner with its start time', async () => {
    const unannounce = await announceLocalStore(folder.path, servers, 'redline serve');
    const file = JSON.parse(await readFile(join(folder.path, 'runtime.json'), 'utf8')) as { pidStartTime?: string };
    expect(file.pidStartTime).toBe(processStartTime(process.pid));
    // Readable by its owner only, and written whole (no draft left beside it).
    expect((await stat(join(folder.path, 'runtime.json'))).mode & 0o777).toBe(0o600);
    expect((await readdir(folder.path)).filter((name) => name.startsWith('runtime.json'))).toEqual(['runtime.json']);
    await unannounce();
  });

  it('a lock left by a reused pid is taken over; a live owner refuses a second claim', async () => {
    await writeFile(join(folder.path, 'owner.lock'), JSON.stringify({ pid: process.pid, pidStartTime: '1', owner: 'redline import' }));
    const release = await claimLocalStore(folder.path, 'redline run');
    await expect(claimLocalStore(folder.path)).rejects.toThrow(`in use by redline run (pid ${process.pid})`);
    await release();
    const again = await claimLocalStore(folder.path);
    await again();
  });

  it('many claims at once: exactly one wins each round, every other is refused as busy, none sees a half-written lock', async () => {
    for (let round = 0; round < 25; round++) {
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, index) => claimLocalStore(folder.path, `claimant ${index}`)));
      const won = results.filter((result): result is PromiseFulfilledResult<() => Promise<void>> => result.status === 'fulfilled');
      const reasons = results
        .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
        .map((result) => String(result.reason));
      expect(won).toHaveLength(1);
      expect(reasons).toHaveLength(7);
      for (const reason of reasons) expect(reason).toMatch(/is in use by claimant \d \(pid \d+\), which does not share it/);
      await won[0]!.value();
      // No drafts or set-aside files are left behind.
      expect((await readdir(folder.path)).filter((name) => name.startsWith('owner.lock'))).toEqual([]);
    }
  });

  it('a lock file that cannot be read as a lock (empty, or not JSON) is taken for stale and taken over', async () => {
    for (const content of ['', '{"pid":', 'not json', '{"owner":"no pid"}']) {
      await writeFile(join(folder.path, 'owner.lock'), content);
      const release = await claimLocalStore(folder.path, 'redline run');
      expect(JSON.parse(await readFile(join(folder.path, 'owner.lock'), 'utf8'))).toMatchObject({ pid: process.pid, owner: 'redline run' });
      await release();
    }
  });

  it('two opens of one store at once: one opens it, the other is refused with a clear message', async () => {
    const target = { kind: 'local' as const, dataDir: folder.path };
    const results = await Promise.allSettled([openLocalStore(target), openLocalStore(target)]);
    const opened = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result) => result.status === 'rejected');
    expect(opened).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/is in use by .* \(pid \d+\), which does not share it/);
    await (opened[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof openLocalStore>>>).value.close();
    // Closed, the folder is free again.
    await (await openLocalStore(target)).close();
  });

  it('a command on a folder a running import holds is refused at once with exit code 2, not connected to its servers', async () => {
    const unannounce = await announceLocalStore(folder.path, servers, 'redline import', { shareable: false });
    try {
      const result = await cli(['series', 'list', '--data-dir', folder.path]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`in use by redline import (pid ${process.pid}), which does not share it`);
    } finally {
      await unannounce();
    }
  });

  it('a command on a folder another command holds is refused with exit code 2', async () => {
    const release = await claimLocalStore(folder.path, 'redline run');
    try {
      const result = await cli(['series', 'list', '--data-dir', folder.path]);
      expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining(`in use by redline run (pid ${process.pid})`) });
    } finally {
      await release();
    }
  });
});
