import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_MAX_PAGE_BYTES } from '../../shared/page-limits.js';
import { loadCorpusPage } from '../support/corpus.js';
import { cli, temporaryFolder } from './cli-fixture.js';

/** Issue 12, items 7 and 9: `extract` and `diff` read gzip files under the import's cap, and bad gzip is bad input. */
describe('saved gzip files that are bad input', () => {
  let folder: { path: string; remove(): Promise<void> };
  let page: string;
  let truncated: string;
  let bomb: string;

  beforeAll(async () => {
    folder = await temporaryFolder();
    page = join(folder.path, 'tuvalu.html.gz');
    const compressed = gzipSync(loadCorpusPage('tuvalu', 2023));
    await writeFile(page, compressed);
    truncated = join(folder.path, 'truncated.html.gz');
    await writeFile(truncated, compressed.subarray(0, Math.floor(compressed.length / 2)));
    // A few hundred KB that inflate to 10 MB over the cap: classified by bytes, never by time.
    bomb = join(folder.path, 'bomb.html.gz');
    const inflated = Buffer.alloc(DEFAULT_MAX_PAGE_BYTES + 10 * 1024 * 1024, 0x20);
    await writeFile(bomb, gzipSync(inflated, { level: 9 }));
  });

  afterAll(async () => {
    await folder?.remove();
  });

  test('a truncated gzip: exit code 2, naming the file', async () => {
    for (const args of [
      ['extract', truncated],
      ['diff', page, truncated],
    ]) {
      const result = await cli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${truncated} is not a readable gzip file`);
    }
  });

  test('a gzip bomb: exit code 2 with "over 50 MB", the cap enforced while decoding', async () => {
    for (const args of [
      ['extract', bomb],
      ['diff', page, bomb],
    ]) {
      const result = await cli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${bomb} is over 50 MB once decompressed`);
    }
  });

  test('the real page still reads', async () => {
    expect((await cli(['extract', page])).code).toBe(0);
  });
});
