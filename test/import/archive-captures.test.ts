import { mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { archiveCaptures, archiveKind, surveyArchives } from '../../shared/adapters/warc/archive-captures.js';
import type { CaptureSourceItem } from '../../shared/use-cases/import-pages.js';
import { temporaryFolder } from '../cli/cli-fixture.js';
import { htmlResponse, warcBytes, writeWarc } from './warc-fixture.js';

/** Reading archives from disk: walking folders, saved pages (gzip, charsets), WARC records (encodings). */
const PAGE =
  '<!doctype html><html><head><link rel="canonical" href="https://example.org/r"></head><body><main><h1>R</h1><p>café</p></main></body></html>';

async function collect(source: AsyncIterable<CaptureSourceItem>): Promise<CaptureSourceItem[]> {
  const items: CaptureSourceItem[] = [];
  for await (const item of source) items.push(item);
  return items;
}

describe('archive captures', () => {
  let folder: { path: string; remove(): Promise<void> };

  beforeAll(async () => {
    folder = await temporaryFolder('redline-archives-');
  });

  afterAll(async () => {
    await folder?.remove();
  });

  test('kinds by name', () => {
    expect(['a.html', 'a.HTM', 'a.html.gz', 'a.xhtml', 'a.warc', 'a.warc.gz', 'a.txt', 'a.gz', 'warc'].map(archiveKind)).toEqual([
      'html',
      'html',
      'html',
      'html',
      'warc',
      'warc',
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('folders are walked recursively in name order; hidden entries, other files and links to folders are left alone', async () => {
    const root = join(folder.path, 'tree');
    await mkdir(join(root, 'b', 'deeper'), { recursive: true });
    await mkdir(join(root, '.hidden'), { recursive: true });
    await writeFile(join(root, 'b', 'deeper', 'z.html'), PAGE);
    await writeFile(join(root, 'b', 'a.htm'), PAGE);
    await writeFile(join(root, 'c.html.gz'), gzipSync(PAGE));
    await writeFile(join(root, '.hidden', 'secret.html'), PAGE);
    await writeFile(join(root, 'readme.txt'), 'not a page');
    await symlink(join(root, 'b'), join(root, 'link-to-b'));
    await symlink(join(root, 'c.html.gz'), join(root, 'd-link.html.gz'));
    const mtime = new Date('2024-02-03T04:05:06.000Z');
    await utimes(join(root, 'b', 'a.htm'), mtime, mtime);

    const items = await collect(archiveCaptures([root]));
    expect(items.map((item) => item.capture!.source.slice(root.length + 1))).toEqual(['b/a.htm', 'b/deeper/z.html', 'c.html.gz', 'd-link.html.gz']);
    expect(items[0]!.capture).toMatchObject({ contentType: 'text/html', archivedAt: '2024-02-03T04:05:06.000Z' });
    expect(items.every((item) => item.capture!.text === PAGE)).toBe(true);
    expect(await surveyArchives([root])).toEqual({ htmlFiles: 4, warcFiles: 0, bytes: expect.any(Number), ignoredFiles: 1 });
  });

  test('saved pages: gzip by its magic bytes whatever the name, the charset from <meta>, a size cap', async () => {
    const gzipped = join(folder.path, 'compressed.html');
    await writeFile(gzipped, gzipSync(PAGE));
    const latin = join(folder.path, 'latin.html');
    await writeFile(latin, Buffer.from(PAGE.replace('<head>', '<head><meta charset="iso-8859-1">'), 'latin1'));
    const big = join(folder.path, 'big.html');
    await writeFile(big, PAGE.repeat(100));
    const items = await collect(archiveCaptures([gzipped, latin, big], { maxPageBytes: 5_000 }));
    expect(items[0]!.capture!.text).toBe(PAGE);
    expect(items[1]!.capture!.text).toContain('<p>café</p>');
    expect(items[2]!.unreadable).toMatchObject({ source: big, error: 'larger than 5000 bytes' });
  });

  test('WARC records: content encodings undone (gzip, br, chunked), the target URI and WARC-Date kept', async () => {
    const warc = await writeWarc(join(folder.path, 'encodings.warc'), [
      htmlResponse('https://example.org/br', '2024-05-06T07:08:09Z', brotliCompressSync(PAGE), { 'Content-Encoding': 'br' }),
      htmlResponse('https://example.org/chunked', '2024-05-06T07:08:10Z', `${Buffer.byteLength(PAGE).toString(16)}\r\n${PAGE}\r\n0\r\n\r\n`, {
        'Transfer-Encoding': 'chunked',
      }),
      htmlResponse('https://example.org/zstd', '2024-05-06T07:08:11Z', 'opaque', { 'Content-Encoding': 'zstd' }),
      htmlResponse('https://example.org/xhtml', '2024-05-06T07:08:12Z', PAGE, { 'Content-Type': 'application/xhtml+xml' }),
    ]);
    const items = await collect(archiveCaptures([warc]));
    expect(items[0]!.capture).toMatchObject({ url: 'https://example.org/br', archivedAt: '2024-05-06T07:08:09.000Z', text: PAGE });
    expect(items[0]!.capture!.source).toMatch(/encodings\.warc#0$/);
    expect(items[1]!.capture!.text).toBe(PAGE);
    expect(items[2]!.unreadable!.error).toBe('unsupported Content-Encoding zstd');
    expect(items[3]!.capture).toMatchObject({ contentType: 'application/xhtml+xml' });
    expect(await surveyArchives([warc])).toMatchObject({ htmlFiles: 0, warcFiles: 1 });
  });

  test('WARC records: gzip and deflate decoded under the cap while decoding; a bomb is refused by its decoded bytes', async () => {
    const bomb = Buffer.alloc(200_000, 0x20);
    const warc = await writeWarc(join(folder.path, 'bombs.warc'), [
      htmlResponse('https://example.org/gzip', '2024-05-06T07:08:09Z', gzipSync(PAGE), { 'Content-Encoding': 'gzip' }),
      htmlResponse('https://example.org/deflate', '2024-05-06T07:08:10Z', deflateSync(PAGE), { 'Content-Encoding': 'deflate' }),
      htmlResponse('https://example.org/raw-deflate', '2024-05-06T07:08:11Z', deflateRawSync(PAGE), { 'Content-Encoding': 'deflate' }),
      htmlResponse('https://example.org/gzip-bomb', '2024-05-06T07:08:12Z', gzipSync(bomb, { level: 9 }), { 'Content-Encoding': 'gzip' }),
      htmlResponse('https://example.org/deflate-bomb', '2024-05-06T07:08:13Z', deflateSync(bomb, { level: 9 }), { 'Content-Encoding': 'deflate' }),
    ]);
    const items = await collect(archiveCaptures([warc], { maxPageBytes: 100_000 }));
    expect(items.slice(0, 3).map((item) => item.capture?.text)).toEqual([PAGE, PAGE, PAGE]);
    expect(items[3]!.unreadable!.error).toBe('over 100000 bytes once decoded (Content-Encoding gzip)');
    expect(items[4]!.unreadable!.error).toBe('over 100000 bytes once decoded (Content-Encoding deflate)');
  });

  test('a broken WARC is reported once, after the records read before the damage', async () => {
    const good = await writeWarc(join(folder.path, 'good.warc'), [htmlResponse('https://example.org/one', '2024-01-01T00:00:00Z', PAGE)]);
    const broken = join(folder.path, 'broken.warc');
    const { readFile } = await import('node:fs/promises');
    await writeFile(
      broken,
      Buffer.concat([await readFile(good), Buffer.from('WARC/1.1\r\nContent-Length: 99999\r\nWARC-Type: response\r\n\r\nshort')]),
    );
    const items = await collect(archiveCaptures([broken]));
    expect(items[0]!.capture).toBeDefined();
    expect(items.length).toBeLessThanOrEqual(2);
  });

  test('a WARC cut inside a record header is bad input, naming the file, the record and its offset (not "not an HTML page")', async () => {
    const bytes = await warcBytes([
      htmlResponse('https://example.org/one', '2024-01-01T00:00:00Z', PAGE),
      htmlResponse('https://example.org/two', '2024-01-02T00:00:00Z', PAGE),
    ]);
    const second = bytes.indexOf('WARC/1.1', 10);
    // In the version line, among the fields, and just before the header's end.
    const headerEnd = bytes.indexOf('\r\n\r\n', second);
    for (const cut of [second + 5, second + 60, headerEnd - 2]) {
      const file = join(folder.path, `cut-${cut - second}.warc`);
      await writeFile(file, bytes.subarray(0, cut));
      const ignored: string[] = [];
      const items = await collect(archiveCaptures([file], { onIgnoredRecord: (source) => ignored.push(source) }));
      expect(items).toHaveLength(2);
      expect(items[0]!.capture).toMatchObject({ url: 'https://example.org/one', text: PAGE });
      expect(items[1]!.unreadable).toEqual({
        source: `${file}#${second}`,
        error: expect.stringMatching(
          new RegExp(`^the file ends inside the header of WARC record 2 \\(offset ${second}; no [^)]+\\): a truncated WARC$`),
        ),
        badInput: true,
      });
      expect(ignored).toEqual([]);
    }
  });

  test('a chunked and gzip-compressed record is decoded under the cap while decoding, with the same "over" message', async () => {
    const chunked = (bytes: Uint8Array) => Buffer.concat([Buffer.from(`${bytes.byteLength.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]);
    const headers = { 'Transfer-Encoding': 'chunked', 'Content-Encoding': 'gzip' };
    const warc = await writeWarc(join(folder.path, 'chunked-gzip.warc'), [
      htmlResponse('https://example.org/page', '2024-05-06T07:08:09Z', chunked(gzipSync(PAGE)), headers),
      htmlResponse('https://example.org/bomb', '2024-05-06T07:08:10Z', chunked(gzipSync(Buffer.alloc(200_000, 0x20), { level: 9 })), headers),
    ]);
    const items = await collect(archiveCaptures([warc], { maxPageBytes: 100_000 }));
    expect(items[0]!.capture!.text).toBe(PAGE);
    expect(items[1]!.unreadable).toMatchObject({ error: 'over 100000 bytes once decoded (Content-Encoding gzip)', badInput: true });
  });
});
