import { createRequire } from 'node:module';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { extract } from '../../shared/domain/extract.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { guardS3rverStore, nodeStoreFiles } from '../../local/runtime/s3rver-store-guard.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS, loadCorpusPage } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

const page = 'state.hrr.guard';
const html = new TextEncoder().encode(loadCorpusPage(CORPUS_COUNTRIES[0]!, CORPUS_YEARS[0]!));

describe('s3rver store guard: an object left short by a kill counts as missing and is written again', () => {
  let dataDir: string;
  let aws: LocalAws;
  let snapshots: S3SnapshotStore;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'redline-guard-'));
    aws = await startLocalAws({ dataDir });
    snapshots = new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName });
  });

  afterAll(async () => {
    await aws.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const objectFile = (key: string, resource: string): string => {
    const parts = key.split('/');
    return join(dataDir, 's3', aws.bucketName, ...parts.slice(0, -1), `${parts.at(-1)}._S3rver_${resource}`);
  };

  async function expectRewritten(key: string): Promise<void> {
    expect(await snapshots.exists(key)).toBe(false);
    const again = await snapshots.putRaw(page, html, 'text/html');
    expect(again).toMatchObject({ key, created: true });
    expect((await snapshots.getRaw(key)).body).toEqual(html);
  }

  it('a 0-byte _S3rver_metadata.json: HEAD says missing (not UnknownError) and the next put rewrites it', async () => {
    const { key, created } = await snapshots.putRaw(page, html, 'text/html');
    expect(created).toBe(true);
    expect(await snapshots.exists(key)).toBe(true);
    await writeFile(objectFile(key, 'metadata.json'), '');
    await expectRewritten(key);
  });

  it('a 0-byte raw/ object with its metadata (written by the guard, so its size is recorded) is rewritten', async () => {
    const { key } = await snapshots.putRaw(page, html, 'text/html');
    await truncate(objectFile(key, 'object'), 0);
    await expectRewritten(key);
  });

  it('a short object from a store written before the guard (no recorded size, a .md5 of the whole body) is rewritten', async () => {
    const { key } = await snapshots.putRaw(page, html, 'text/html');
    const metadata = JSON.parse(await readFile(objectFile(key, 'metadata.json'), 'utf8')) as Record<string, unknown>;
    delete metadata['redline-object-size'];
    await writeFile(objectFile(key, 'metadata.json'), JSON.stringify(metadata));
    expect(await snapshots.exists(key)).toBe(true); // complete: its MD5 matches
    await truncate(objectFile(key, 'object'), 100);
    await expectRewritten(key);
  });

  it('a 0-byte docs/ object with no metadata at all (s3rver killed before it wrote any) is rewritten', async () => {
    const document = extract(new TextDecoder().decode(html), { url: 'https://www.state.gov/guard/' });
    const { key, created } = await snapshots.putDocument(page, document);
    expect(created).toBe(true);
    await truncate(objectFile(key, 'object'), 0);
    await rm(objectFile(key, 'metadata.json'));
    await rm(objectFile(key, 'object.md5'));
    expect(await snapshots.exists(key)).toBe(false);
    expect(await snapshots.putDocument(page, document)).toMatchObject({ key, created: true });
    expect(await snapshots.getDocument(key)).toEqual(document);
  });
});

describe('s3rver store guard: a full disk during a PUT', () => {
  const require = createRequire(import.meta.url);
  const FilesystemStore = require('s3rver/lib/stores/filesystem.js') as new (root: string) => unknown;

  it('rejects the write with ENOSPC (no unhandled error), leaves no object and no temporary file, and reports it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'redline-enospc-'));
    try {
      const store = new FilesystemStore(root) as {
        putObject(object: unknown): Promise<unknown>;
        existsObject(bucket: string, key: string): Promise<boolean>;
      };
      const failures: unknown[] = [];
      let written = 0;
      guardS3rverStore(store, {
        files: {
          ...nodeStoreFiles,
          // The disk fills after 4 KB of the body.
          createWriteStream: () =>
            new Writable({
              write(chunk: Buffer, _encoding, callback) {
                written += chunk.length;
                if (written <= 4096) return callback();
                const error: NodeJS.ErrnoException = new Error('ENOSPC: no space left on device, write');
                error.code = 'ENOSPC';
                callback(error);
              },
            }),
        },
        onWriteFailure: (error) => failures.push(error),
      });
      const body = Buffer.from(html);
      await expect(
        store.putObject({ bucket: 'redline', key: `raw/${page}/full.html`, content: body, metadata: { 'content-type': 'text/html' } }),
      ).rejects.toMatchObject({
        code: 'ENOSPC',
      });
      expect(failures).toHaveLength(1);
      // write(2) errors name no file: the failure names the object, for "no space left in <dir> (ENOSPC, writing <file>)".
      expect(failures[0]).toMatchObject({ path: join(root, 'redline', 'raw', page, 'full.html._S3rver_object') });
      expect(await store.existsObject('redline', `raw/${page}/full.html`)).toBe(false);
      expect(await readdir(join(root, 'redline', 'raw', page))).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
