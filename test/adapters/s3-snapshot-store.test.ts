import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { jest } from '@jest/globals';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import type { Document } from '../../shared/domain/document.js';
import type { RevisionDiff } from '../../shared/domain/revision-diff.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { SectionLine } from '../../shared/ports/snapshot-store.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

function documentFixture(overrides: Partial<Document> = {}): Document {
  return {
    schemaVersion: 1,
    url: 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/kazakhstan/',
    canonicalUrl: 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/kazakhstan/',
    title: 'Kazakhstan',
    profile: 'state-hrr',
    series: 'hrr/kazakhstan',
    edition: 2024,
    sections: [
      { key: 'executive-summary', heading: 'Executive Summary', level: 1, paragraphs: [{ text: 'Kazakhstan has a presidential system.' }] },
      {
        key: 'respect-for-civil-liberties',
        heading: 'Respect for Civil Liberties',
        number: '2',
        level: 1,
        paragraphs: [{ text: 'The constitution provides for freedom of expression.' }, { text: 'Second paragraph here.' }],
      },
      {
        key: 'respect-for-civil-liberties/freedom-of-peaceful-assembly',
        heading: 'Freedom of Peaceful Assembly',
        number: 'b',
        level: 2,
        parentKey: 'respect-for-civil-liberties',
        paragraphs: [{ text: 'Restrictions applied.' }],
      },
    ],
    ...overrides,
  };
}

const diffFixture: RevisionDiff = {
  from: { url: 'https://example.org/a', title: 'A', edition: 2023 },
  to: { url: 'https://example.org/a', title: 'A', edition: 2023 },
  sections: [
    {
      kind: 'modified',
      kinds: ['modified'],
      key: 'top',
      heading: 'Top',
      level: 1,
      wordsAdded: 2,
      wordsRemoved: 1,
      significance: 0.4,
      alignment: { by: 'key', score: 1 },
      paragraphs: [
        {
          kind: 'modified',
          beforeIndex: 0,
          afterIndex: 0,
          before: 'old text',
          after: 'new shiny text',
          words: [
            { op: 'delete', text: 'old' },
            { op: 'insert', text: 'new shiny' },
            { op: 'equal', text: ' text' },
          ],
        },
      ],
    },
  ],
  summary: {
    added: 0,
    removed: 0,
    modified: 1,
    renamed: 0,
    moved: 0,
    unchanged: 3,
    wordsAdded: 2,
    wordsRemoved: 1,
    significance: 0.1,
    trivial: false,
  },
};

describe('S3SnapshotStore against s3rver', () => {
  let aws: LocalAws;
  let store: S3SnapshotStore;

  beforeAll(async () => {
    aws = await startLocalAws();
    store = new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName, listPageSize: 2 });
  });

  afterAll(async () => {
    await aws?.close();
  });

  it('stores a raw body once, under its hash, gzipped, and reads it back', async () => {
    const body = new TextEncoder().encode('<html><body><h1>Kazakhstan</h1>' + 'x'.repeat(5000) + '</body></html>');
    const first = await store.putRaw('hrr.kazakhstan.2024', body, 'text/html; charset=utf-8');
    const second = await store.putRaw('hrr.kazakhstan.2024', body, 'text/html; charset=utf-8');

    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    expect(first.key).toBe(`raw/hrr.kazakhstan.2024/${first.sha256}.html.gz`);
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);

    const stored = await aws.s3.send(new GetObjectCommand({ Bucket: aws.bucketName, Key: first.key }));
    const storedBytes = await stored.Body!.transformToByteArray();
    expect([storedBytes[0], storedBytes[1]]).toEqual([0x1f, 0x8b]);
    expect(storedBytes.length).toBeLessThan(body.length);

    const raw = await store.getRaw(first.key);
    expect(Buffer.from(raw.body).equals(Buffer.from(body))).toBe(true);
    expect(raw.contentType).toBe('text/html; charset=utf-8');
    expect(raw.sha256).toBe(first.sha256);
  });

  it('stores a Document under the hash of its canonical JSON and round-trips it', async () => {
    const document = documentFixture();
    const first = await store.putDocument('hrr.kazakhstan.2024', document);
    expect(first.created).toBe(true);
    expect(first.key).toBe(`docs/hrr.kazakhstan.2024/${first.sha256}.json`);
    expect(store.documentHash(document)).toBe(first.sha256);

    // Same content built with another key order: same hash, not written again.
    const reordered = JSON.parse(JSON.stringify(document, Object.keys(document).reverse())) as Document;
    reordered.sections = document.sections;
    const second = await store.putDocument('hrr.kazakhstan.2024', reordered);
    expect(second).toEqual({ ...first, created: false });

    expect(await store.getDocument(first.key)).toEqual(document);

    const changed = await store.putDocument('hrr.kazakhstan.2024', documentFixture({ title: 'Kazakhstan (revised)' }));
    expect(changed.created).toBe(true);
    expect(changed.sha256).not.toBe(first.sha256);
  });

  it('hashes a Document it read from the bytes it read (not serialised again), and one stored otherwise canonically', async () => {
    const document = documentFixture();
    const stored = await store.putDocument('hrr.kazakhstan.2024', document);
    const read = await store.getDocument(stored.key);
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      expect(store.documentHash(read)).toBe(stored.sha256);
      expect(stringify).not.toHaveBeenCalled();
      // The same content as another object (not read): serialised, same hash.
      expect(store.documentHash(structuredClone(read))).toBe(stored.sha256);
      expect(stringify).toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }

    // Bytes that are not its canonical JSON (pretty-printed, by hand, under a key naming another hash): the hash is the
    // canonical one, as before, not the bytes'.
    const otherKey = `docs/hrr.kazakhstan.2024/${'e'.repeat(64)}.json`;
    await aws.s3.send(new PutObjectCommand({ Bucket: aws.bucketName, Key: otherKey, Body: JSON.stringify(document, null, 2) }));
    expect(store.documentHash(await store.getDocument(otherKey))).toBe(stored.sha256);
  });

  it('stores a Document serialised before (serializeDocument) without serialising it again', async () => {
    const document = documentFixture({ title: 'Kazakhstan (serialised once)' });
    const serialized = store.serializeDocument(document);
    expect(serialized.sha256).toBe(store.documentHash(document));
    const stringify = jest.spyOn(JSON, 'stringify');
    let stored;
    try {
      stored = await store.putDocument('hrr.kazakhstan.2024', document, { serialized });
      // Neither the Document nor a key-sorted copy of it went through JSON.stringify.
      expect(stringify.mock.calls.filter(([value]) => typeof value === 'object' && value !== null && 'sections' in value)).toEqual([]);
    } finally {
      stringify.mockRestore();
    }
    expect(stored).toEqual({ key: `docs/hrr.kazakhstan.2024/${serialized.sha256}.json`, sha256: serialized.sha256, created: true });
    expect(await store.getDocument(stored.key)).toEqual(document);
  });

  it('round-trips a diff under diffs/<page>/<from>..<to>-<to hash>.json', async () => {
    const toHash = 'ab'.repeat(32);
    const key = await store.putDiff('example.org.0123456789ab', 3, 4, diffFixture, toHash);
    expect(key).toBe(`diffs/example.org.0123456789ab/3..4-${toHash.slice(0, 16)}.json`);
    expect(await store.getDiff(key)).toEqual(diffFixture);
    // Idempotent rewrite after a crash.
    expect(await store.putDiff('example.org.0123456789ab', 3, 4, diffFixture, toHash)).toBe(key);
    // A racing worker with another capture for the same seq writes elsewhere, never over the winner's diff.
    const otherKey = await store.putDiff('example.org.0123456789ab', 3, 4, { ...diffFixture, sections: [] }, 'cd'.repeat(32));
    expect(otherKey).not.toBe(key);
    expect(await store.getDiff(key)).toEqual(diffFixture);
  });

  it('raises NotFoundError for missing objects', async () => {
    const missingHash = '0'.repeat(64);
    await expect(store.getDocument(`docs/hrr.kazakhstan.2024/${missingHash}.json`)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.getRaw(`raw/hrr.kazakhstan.2024/${missingHash}.html.gz`)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.getDiff(`diffs/hrr.kazakhstan.2024/1..2-${'0'.repeat(16)}.json`)).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.exists(`docs/hrr.kazakhstan.2024/${missingHash}.json`)).toBe(false);
  });

  it('rejects bad page ids and foreign keys with ValidationError', async () => {
    await expect(store.putRaw('../etc', new Uint8Array([1]), 'text/html')).rejects.toBeInstanceOf(ValidationError);
    await expect(store.putDocument('a/b', documentFixture())).rejects.toBeInstanceOf(ValidationError);
    await expect(store.getDocument('raw/x/y.html.gz')).rejects.toBeInstanceOf(ValidationError);
    await expect(store.putDiff('page', -1, 2, diffFixture, 'ab'.repeat(32))).rejects.toBeInstanceOf(ValidationError);
    await expect(store.putDiff('page', 1, 2, diffFixture, 'not-a-hash')).rejects.toBeInstanceOf(ValidationError);
  });

  it('writes one JSON line per section, partitioned by series and edition', async () => {
    const document = documentFixture();
    const key = await store.putSectionLines(document, 'hrr.kazakhstan.2024');
    expect(key).toBe('sections/series=hrr~kazakhstan/edition=2024/hrr.kazakhstan.2024.jsonl');

    const object = await aws.s3.send(new GetObjectCommand({ Bucket: aws.bucketName, Key: key }));
    const text = await object.Body!.transformToString();
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as SectionLine);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toEqual({
      series: 'hrr/kazakhstan',
      edition: 2024,
      page: 'hrr.kazakhstan.2024',
      url: document.canonicalUrl,
      documentHash: store.documentHash(document),
      key: 'respect-for-civil-liberties',
      heading: 'Respect for Civil Liberties',
      number: '2',
      level: 1,
      parentKey: null,
      wordCount: 10,
      text: 'The constitution provides for freedom of expression.\nSecond paragraph here.',
    });
    expect(lines[2]!.parentKey).toBe('respect-for-civil-liberties');

    const generic = await store.putSectionLines(documentFixture({ series: undefined, edition: undefined }), 'example.org.0123456789ab');
    expect(generic).toBe('sections/series=__HIVE_DEFAULT_PARTITION__/edition=__HIVE_DEFAULT_PARTITION__/example.org.0123456789ab.jsonl');
  });

  it("lists a page's documents across several ListObjectsV2 pages", async () => {
    const keys = new Set<string>();
    for (let i = 0; i < 5; i++) keys.add((await store.putDocument('listing.page', documentFixture({ title: `Version ${i}` }))).key);
    await store.putDocument('listing.page2', documentFixture());

    const listed: string[] = [];
    for await (const object of store.listDocuments('listing.page')) {
      expect(object.size).toBeGreaterThan(0);
      listed.push(object.key);
    }
    expect(listed).toHaveLength(5);
    expect(new Set(listed)).toEqual(keys);
  });
});
