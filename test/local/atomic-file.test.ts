import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../local/runtime/atomic-file.js';

describe('writeFileAtomic', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'redline-atomic-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('replaces the content whole, with the mode asked for, and leaves no draft behind', async () => {
    const file = join(folder, 'runtime.json');
    await writeFile(file, 'old');
    await writeFileAtomic(file, '{"token":"secret"}\n', { mode: 0o600 });
    expect(await readFile(file, 'utf8')).toBe('{"token":"secret"}\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(folder)).toEqual(['runtime.json']);
  });

  it('a failed write keeps the old content and removes its draft', async () => {
    const file = join(folder, 'inside', 'runtime.json');
    // The parent does not exist: the draft cannot be written.
    await expect(writeFileAtomic(file, 'new')).rejects.toMatchObject({ code: 'ENOENT' });
    const target = join(folder, 'kept.json');
    await writeFile(target, 'old');
    await chmod(folder, 0o500);
    try {
      if (process.getuid?.() === 0) return; // root writes anywhere: the permission case cannot be shown.
      await expect(writeFileAtomic(target, 'new')).rejects.toMatchObject({ code: 'EACCES' });
      expect(await readFile(target, 'utf8')).toBe('old');
      expect(await readdir(folder)).toEqual(['kept.json']);
    } finally {
      await chmod(folder, 0o700);
    }
  });
});
