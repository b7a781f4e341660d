import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_MAX_PAGE_BYTES } from '../../shared/page-limits.js';
import type { ImportReport } from '../../shared/use-cases/import-pages.js';
import { htmlResponse, warcBytes } from '../import/warc-fixture.js';
import { loadCorpusPage } from '../support/corpus.js';
import { cli, startSharedStore, temporaryFolder, type SharedStore } from './cli-fixture.js';

/** Issue 12, items 7 and 9: WARC input that is bad (cut inside a record header, a chunked gzip bomb) is exit 2, naming it. */
describe('import: bad WARC input is exit code 2, naming the file and record; the rest is imported', () => {
  let folder: { path: string; remove(): Promise<void> };
  let store: SharedStore;

  beforeAll(async () => {
    folder = await temporaryFolder('redline-bad-warc-');
    store = await startSharedStore(folder.path);
  });

  afterAll(async () => {
    await store?.close();
    await folder?.remove();
  });

  const url = (slug: string, year: number) => `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/${slug}/`;

  test('a WARC cut inside the header of its second record', async () => {
    const bytes = await warcBytes([
      htmlResponse(url('tuvalu', 2023), '2024-04-23T00:00:00Z', loadCorpusPage('tuvalu', 2023)),
      htmlResponse(url('andorra', 2023), '2024-04-23T00:00:00Z', loadCorpusPage('andorra', 2023)),
    ]);
    const second = bytes.indexOf('WARC/1.1', 10);
    const file = join(folder.path, 'cut.warc');
    await writeFile(file, bytes.subarray(0, second + 80));

    const result = await cli(['import', file, '--data-dir', store.dataDir]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^imported 1 revision\(s\) of 1 page\(s\) from 2 capture\(s\)/m);
    expect(result.stdout).toContain(`  bad input: ${file}#${second}: the file ends inside the header of WARC record 2 (offset ${second}; no `);
    expect(result.stdout).not.toContain('not HTML pages');
    expect(result.stderr).toContain('redline: 1 bad input(s)');

    const report = JSON.parse((await cli(['import', file, '--data-dir', store.dataDir, '--json'])).stdout) as ImportReport;
    expect(report).toMatchObject({ skipped: 1, failed: 1, badInput: 1 });
  });

  test('a chunked, gzip-compressed record that inflates over the cap: "over 50 MB", exit 2', async () => {
    const bomb = gzipSync(Buffer.alloc(DEFAULT_MAX_PAGE_BYTES + 10 * 1024 * 1024, 0x20), { level: 9 });
    const chunked = Buffer.concat([Buffer.from(`${bomb.byteLength.toString(16)}\r\n`), bomb, Buffer.from('\r\n0\r\n\r\n')]);
    const file = join(folder.path, 'chunked-bomb.warc');
    await writeFile(
      file,
      await warcBytes([
        htmlResponse(url('nigeria', 2023), '2024-04-23T00:00:00Z', chunked, { 'Transfer-Encoding': 'chunked', 'Content-Encoding': 'gzip' }),
      ]),
    );
    const result = await cli(['import', file, '--data-dir', store.dataDir, '--json']);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as ImportReport;
    expect(report).toMatchObject({ imported: 0, failed: 1, badInput: 1 });
    expect(report.notImported[0]).toMatchObject({
      source: `${file}#0`,
      message: 'over 50 MB once decoded (Content-Encoding gzip)',
      badInput: true,
    });
  });
});
