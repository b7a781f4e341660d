import { ScanCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { extract } from '../../shared/domain/extract.js';
import { ProvenanceIndex } from '../../shared/domain/provenance/provenance-index.js';
import type { PageRecord } from '../../shared/domain/page-records.js';
import { pageIdFor } from '../../shared/domain/page-identity.js';
import { readCapture } from '../../shared/use-cases/capture-reading.js';
import { recordPageSignals, recordPagesSignals, type PageSignalsEntry } from '../../shared/use-cases/series-lineage.js';
import { countRequests } from '../../bench/request-counter.js';
import { corpusPages, loadCorpusPage } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

/**
 * Issue 13 §3, the store adapters' share of an import's round trips: Documents read back from memory, pages' lineage
 * signals read and written in batches, a series registered once by a process. Each gives what the one-at-a-time
 * requests gave.
 */
const RECORDED_AT = '2026-01-01T00:00:00.000Z';

/** The sample pages' lineage signals, as an import of each would record them. */
function sampleSignals(count: number): PageSignalsEntry[] {
  return corpusPages()
    .slice(0, count)
    .map(({ country, year }) => {
      const url = `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/${country}/`;
      const { identity } = readCapture(loadCorpusPage(country, year), url);
      const page: PageSignalsEntry['page'] = {
        page: pageIdFor(identity.canonicalUrl!, identity),
        profile: identity.profile.name,
        ...(identity.series !== undefined ? { series: identity.series } : {}),
        ...(identity.edition !== undefined ? { edition: identity.edition } : {}),
      };
      return { page, identity, recordedAt: RECORDED_AT };
    });
}

async function tableItems(aws: LocalAws): Promise<Array<Record<string, unknown>>> {
  const { Items } = await DynamoDBDocumentClient.from(aws.dynamodb).send(new ScanCommand({ TableName: aws.tableName }));
  return (Items ?? []).sort((a, b) => `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`));
}

describe('store round trips', () => {
  let one: LocalAws;
  let other: LocalAws;

  beforeAll(async () => {
    [one, other] = await Promise.all([startLocalAws(), startLocalAws()]);
  });

  afterAll(async () => {
    await Promise.all([one?.close(), other?.close()]);
  });

  const revisions = (aws: LocalAws) => new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName });

  test('30 pages’ signals in batches: the items and facts version one at a time gives, in 4 requests instead of 90', async () => {
    const entries = sampleSignals(30);
    expect(new Set(entries.map((entry) => entry.page.series)).size).toBeGreaterThan(3);
    const counter = countRequests({ dynamodb: other.dynamodb });
    try {
      const oneAtATime = revisions(one);
      for (const entry of entries)
        expect(await recordPageSignals({ revisions: oneAtATime }, entry.page, entry.identity, entry.recordedAt)).toBe(true);

      expect(await recordPagesSignals({ revisions: revisions(other) }, entries)).toBe(true);
      // One BatchGetItem (up to 100 keys), two BatchWriteItem (25 and 5 puts), one facts version update.
      expect(counter.counts().dynamodb).toEqual({ BatchGetItem: 1, BatchWriteItem: 2, UpdateItem: 1 });
      expect(await tableItems(other)).toEqual(await tableItems(one));
      expect(await revisions(other).lineageFactsVersion()).toBe(30);

      // Unchanged signals: read, and nothing written.
      counter.reset();
      expect(await recordPagesSignals({ revisions: revisions(other) }, entries)).toBe(false);
      expect(counter.counts().dynamodb).toEqual({ BatchGetItem: 1 });

      // One page's signals changed: that one put, the version moved by one, as recordPageSignals does.
      counter.reset();
      const renamed = entries.map((entry, index) =>
        index === 7 ? { ...entry, identity: { ...entry.identity, signals: { ...entry.identity.signals, name: 'Renamed' } } } : entry,
      );
      expect(await recordPagesSignals({ revisions: revisions(other) }, renamed)).toBe(true);
      expect(await recordPageSignals({ revisions: oneAtATime }, renamed[7]!.page, renamed[7]!.identity, RECORDED_AT)).toBe(true);
      expect(counter.counts().dynamodb).toEqual({ BatchGetItem: 1, BatchWriteItem: 1, UpdateItem: 1 });
      expect(await tableItems(other)).toEqual(await tableItems(one));
    } finally {
      counter.detach();
    }
  });

  test('a series is registered once by a store: the next pages of the series are one put each', async () => {
    const entries = sampleSignals(54).filter((entry) => entry.page.series === 'hrr/kazakhstan');
    expect(entries.length).toBe(9);
    const page = (entry: PageSignalsEntry): PageRecord => ({
      ...entry.page,
      url: `https://www.state.gov/reports/${entry.page.edition}-country-reports-on-human-rights-practices/kazakhstan/`,
      createdAt: RECORDED_AT,
      consecutiveFailures: 0,
    });
    const counter = countRequests({ dynamodb: one.dynamodb });
    try {
      const store = revisions(one);
      for (const entry of entries.slice(0, 5)) expect(await store.putPage(page(entry), { onlyIfNew: true })).toEqual({ written: true });
      expect(counter.counts().dynamodb).toEqual({ UpdateItem: 1, PutItem: 5 });
      // Another store (another process) registers it again: the same item, unchanged.
      const before = (await tableItems(one)).filter((item) => String(item.pk).startsWith('SERIES#'));
      counter.reset();
      for (const entry of entries.slice(5)) await revisions(one).putPage(page(entry), { onlyIfNew: true });
      expect(counter.counts().dynamodb).toEqual({ UpdateItem: 4, PutItem: 4 });
      expect((await tableItems(one)).filter((item) => String(item.pk).startsWith('SERIES#'))).toEqual(before);
      expect((await store.listEditions('hrr/kazakhstan')).map((edition) => edition.edition)).toEqual([
        2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024,
      ]);
    } finally {
      counter.detach();
    }
  });

  test('a provenance generation is one write-once PUT, with no HEAD before it; one that exists is refused by that PUT', async () => {
    const store = new S3SnapshotStore({ client: one.s3, bucket: one.bucketName });
    const scope = 'series:hrr/round-trips';
    const data = new ProvenanceIndex(scope).toData();
    const counter = countRequests({ s3: one.s3 });
    try {
      expect(await store.putProvenanceIndex(scope, 1, data)).toBe(true);
      // The PUT, then the listing that cleans up generations older than the one before it (none yet).
      expect(counter.counts().s3).toEqual({ PutObject: 1, ListObjectsV2: 1 });
      counter.reset();
      expect(await store.putProvenanceIndex(scope, 1, { ...data, algorithm: 'another writer' })).toBe(false);
      expect(counter.counts().s3).toEqual({ PutObject: 1 });
      expect((await store.getProvenanceIndex(scope))?.data).toEqual(data);
    } finally {
      counter.detach();
    }
  });

  test('a Document this store wrote or read is read back from memory, with its capture time, within its byte budget', async () => {
    const documents = (['tuvalu', 'andorra', 'russia'] as const).map((country) => extract(loadCorpusPage(country, 2023)));
    const sizes = documents.map(
      (document) => new S3SnapshotStore({ client: one.s3, bucket: one.bucketName }).serializeDocument(document).bytes.byteLength,
    );
    // Room for the last two (the first, Tuvalu's, is the smallest), not for all three.
    expect(sizes[0]).toBeLessThan(Math.min(sizes[1]!, sizes[2]!));
    const store = new S3SnapshotStore({ client: one.s3, bucket: one.bucketName, documentCacheBytes: sizes[1]! + sizes[2]! });
    const counter = countRequests({ s3: one.s3 });
    try {
      const keys: string[] = [];
      for (const document of documents) keys.push((await store.putDocument('hrr.cache.page', document)).key);
      const readBack = async (index: number) => {
        const read = await store.getDocument(keys[index]!);
        expect(read).toEqual(documents[index]);
        expect(store.documentHash(read)).toBe(keys[index]!.split('/').at(-1)!.replace('.json', ''));
      };
      // The first went out when the third came in; the other two are in memory.
      counter.reset();
      await readBack(1);
      await readBack(2);
      expect(counter.counts().s3).toEqual({});
      await readBack(0);
      expect(counter.counts().s3).toEqual({ GetObject: 1 });
      // Read from S3, it is kept in turn (the least recently used, the second, goes out).
      counter.reset();
      await readBack(0);
      await readBack(2);
      expect(counter.counts().s3).toEqual({});
      await readBack(1);
      expect(counter.counts().s3).toEqual({ GetObject: 1 });

      // Bytes that are not the canonical JSON their key names are parsed, never kept (each read goes to S3).
      const otherKey = keys[1]!.replace('hrr.cache.page', 'hrr.cache.other');
      await one.s3.send(new PutObjectCommand({ Bucket: one.bucketName, Key: otherKey, Body: JSON.stringify(documents[1], null, 2) }));
      counter.reset();
      await store.getDocument(otherKey);
      await store.getDocument(otherKey);
      expect(counter.counts().s3).toEqual({ GetObject: 2 });

      // Its capture time (the diff step's question about a Document just stored) is known too: no HEAD. A store that
      // did not write or read it asks S3, and gets the same answer.
      counter.reset();
      const imported = await store.putDocument('hrr.cache.imported', documents[0]!, { capturedAt: '2024-05-01T00:00:00Z' });
      expect(await store.documentCaptureTime(imported.key)).toBe('2024-05-01T00:00:00.000Z');
      expect(await store.documentCaptureTime(keys[1]!)).toBeUndefined();
      expect(counter.counts().s3).toEqual({ PutObject: 1 });
      const another = new S3SnapshotStore({ client: one.s3, bucket: one.bucketName });
      expect(await another.documentCaptureTime(imported.key)).toBe('2024-05-01T00:00:00.000Z');
      expect(await another.documentCaptureTime(keys[1]!)).toBeUndefined();
      expect(counter.counts().s3).toEqual({ PutObject: 1, HeadObject: 2 });
      // Read through GET, its metadata comes with it.
      await another.getDocument(imported.key);
      counter.reset();
      expect(await another.documentCaptureTime(imported.key)).toBe('2024-05-01T00:00:00.000Z');
      expect(counter.counts().s3).toEqual({});

      // Asked while its PUT is still under way, by the object's storage event (as the local runtime's diff step is):
      // known already. A Document that was stored before goes out of memory (its metadata may not be this one's).
      const asked: Array<Promise<string | undefined>> = [];
      const stopListening = one.onS3Event(() => asked.push(store.documentCaptureTime(keys[2]!.replace('hrr.cache.page', 'hrr.cache.event'))));
      counter.reset();
      try {
        await store.putDocument('hrr.cache.event', documents[2]!, { capturedAt: '2024-06-01T00:00:00Z' });
      } finally {
        stopListening();
      }
      expect(asked).toHaveLength(1);
      expect(await asked[0]).toBe('2024-06-01T00:00:00.000Z');
      expect((await store.putDocument('hrr.cache.event', documents[2]!)).created).toBe(false);
      expect(await store.documentCaptureTime(keys[2]!.replace('hrr.cache.page', 'hrr.cache.event'))).toBe('2024-06-01T00:00:00.000Z');
      expect(counter.counts().s3).toEqual({ PutObject: 2, HeadObject: 1 });

      // No budget: every read is a GET.
      const uncached = new S3SnapshotStore({ client: one.s3, bucket: one.bucketName, documentCacheBytes: 0 });
      counter.reset();
      await uncached.putDocument('hrr.cache.fresh', documents[2]!);
      await uncached.getDocument(keys[2]!.replace('hrr.cache.page', 'hrr.cache.fresh'));
      expect(counter.counts().s3).toEqual({ PutObject: 1, GetObject: 1 });
    } finally {
      counter.detach();
    }
  });
});
