import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import {
  importPages,
  type ArchivedCapture,
  type CaptureSourceItem,
  type ImportDependencies,
  type ImportDestination,
} from '../../shared/use-cases/import-pages.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { storeTermIndex } from '../../shared/use-cases/term-index.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { countRequests, type RequestCounter } from '../../bench/request-counter.js';
import { replaceText, withModifiedDate } from '../cli/cli-fixture.js';
import { loadCorpusPage, type CorpusCountry } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { fromList } from './capture-items.js';

/**
 * Issue 13 §3: an import's round trips to the store. The import records each capture on the latest revision it knows
 * (the one it just put), reads back no Document it has just written, stores the pages' lineage signals in batches
 * and registers each series once; the store it leaves is the one the pipeline's path (every page and latest revision
 * read before each recording, every Document read from S3) leaves, item for item and object for object.
 */
const NOW = new Date('2026-01-01T00:00:00.000Z');
const SENTENCE = 'There were no significant changes in the human rights situation in Tuvalu during the year.';
const PAGES: Array<[CorpusCountry, number]> = [
  ['andorra', 2022],
  ['andorra', 2023],
  ['andorra', 2024],
  ['kazakhstan', 2023],
  ['kazakhstan', 2024],
];

function capture(source: string, html: string): CaptureSourceItem {
  const item: ArchivedCapture = { source, body: new TextEncoder().encode(html), text: html, contentType: 'text/html', archivedAt: NOW.toISOString() };
  return { capture: item };
}

/**
 * The sample pages, and Tuvalu 2023 in three versions (two sentence edits, then a metadata-only change): one page
 * with revisions 1-3 and an unchanged capture, recorded one after the other.
 */
function sampleCaptures(): CaptureSourceItem[] {
  const tuvalu = loadCorpusPage('tuvalu', 2023);
  const edited = (n: number) => replaceText(tuvalu, SENTENCE, `${SENTENCE} Addendum number ${n}.`);
  return [
    ...PAGES.map(([country, year]) => capture(`${country}-${year}.html`, loadCorpusPage(country, year))),
    capture('tuvalu-v1.html', withModifiedDate(tuvalu, '2024-01-01T00:00:00Z')),
    capture('tuvalu-v2.html', withModifiedDate(edited(1), '2024-02-01T00:00:00Z')),
    capture('tuvalu-v3.html', withModifiedDate(edited(2), '2024-03-01T00:00:00Z')),
    capture('tuvalu-v4.html', withModifiedDate(edited(2), '2024-04-01T00:00:00Z')),
  ];
}

/**
 * The pipeline's path, as the import recorded before issue 13 §3: each Document stored, then each capture recorded
 * by recordRevision with nothing known (page and latest revision read first, both Documents read from S3).
 */
function readEverythingDestination(dependencies: ImportDependencies): ImportDestination {
  return {
    async storeDocument(page, document, serialized, termIndex) {
      const stored = await dependencies.snapshots.putDocument(page, document, { serialized });
      const termIndexStored = await storeTermIndex(dependencies.snapshots, stored.key, termIndex);
      return { kind: 'stored', key: stored.key, storedBefore: !stored.created, termIndexStored };
    },
    async recordPage(_state, captures, onDecided) {
      for (const pending of captures) {
        const outcome = await recordRevision(dependencies, {
          page: pending.page,
          documentKey: pending.documentKey,
          capturedAt: pending.capturedAt,
          termIndexStored: pending.termIndexStored,
        });
        if (outcome.outcome === 'skipped') throw new Error(outcome.reason);
        onDecided();
      }
      return { settled: Promise.resolve([]) };
    },
  };
}

/** Every item of the table and every object of the bucket (key and the sha256 of its bytes). */
async function storeListing(aws: LocalAws): Promise<{ items: unknown[]; objects: Array<[string, string]> }> {
  const documents = DynamoDBDocumentClient.from(aws.dynamodb);
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: aws.tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  items.sort((a, b) => `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`));
  const objects: Array<[string, string]> = [];
  let token: string | undefined;
  do {
    const listed = await aws.s3.send(new ListObjectsV2Command({ Bucket: aws.bucketName, ContinuationToken: token }));
    for (const object of listed.Contents ?? []) {
      const { Body } = await aws.s3.send(new GetObjectCommand({ Bucket: aws.bucketName, Key: object.Key! }));
      objects.push([
        object.Key!,
        createHash('sha256')
          .update(await Body!.transformToByteArray())
          .digest('hex'),
      ]);
    }
    token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
  } while (token);
  return { items, objects: objects.sort(([a], [b]) => a.localeCompare(b)) };
}

describe('an import’s round trips to the store', () => {
  const stores: Array<{ aws: LocalAws; counter: RequestCounter; dependencies: ImportDependencies }> = [];

  const freshStore = async (documentCacheBytes?: number) => {
    const aws = await startLocalAws();
    const counter = countRequests({ dynamodb: aws.dynamodb, s3: aws.s3 });
    const dependencies: ImportDependencies = {
      revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName }),
      snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName, ...(documentCacheBytes !== undefined ? { documentCacheBytes } : {}) }),
      now: () => NOW,
      settings: DEFAULT_TRACKER_SETTINGS,
    };
    const store = { aws, counter, dependencies };
    stores.push(store);
    return store;
  };

  afterAll(async () => {
    for (const { aws } of stores) await aws.close();
  });

  test('the same store as the pipeline’s path, with no Document read back and no page or latest revision read before recording a capture', async () => {
    const fast = await freshStore();
    const report = await importPages(fast.dependencies, fromList(sampleCaptures()), { concurrency: 2 });
    expect(report).toMatchObject({ imported: 8, unchanged: 1, failed: 0 });
    expect(report.pages.find((page) => page.page.includes('tuvalu'))?.latestSeq).toBe(3);
    expect(report.pages.every((page) => page.latestSeq !== undefined)).toBe(true);
    const fastCounts = fast.counter.counts();

    // Nothing cached, nothing known: every read made.
    const reference = await freshStore(0);
    const referenceReport = await importPages(reference.dependencies, fromList(sampleCaptures()), {
      concurrency: 2,
      destination: readEverythingDestination(reference.dependencies),
    });
    // Each page's latest seq, as its recording saw it, is the one the store's query gives.
    const latestSeqs = (pages: typeof report.pages) => pages.map(({ page, latestSeq }) => ({ page, latestSeq }));
    expect(latestSeqs(referenceReport.pages)).toEqual(latestSeqs(report.pages));
    const referenceCounts = reference.counter.counts();

    // Item for item, object for object (the clock is pinned, so even the times agree).
    const [fastListing, referenceListing] = await Promise.all([storeListing(fast.aws), storeListing(reference.aws)]);
    // 6 page items, 8 revisions, 3 series, 6 pages' signals, the lineage facts version.
    expect(fastListing.items).toHaveLength(6 + 8 + 3 + 6 + 1);
    expect(fastListing.objects.filter(([key]) => key.startsWith('diffs/'))).toHaveLength(2);
    expect(fastListing).toEqual(referenceListing);

    // 9 captures of 6 pages in 3 series (andorra, kazakhstan, tuvalu). Per page: its page item read, its series resolved
    // and its edition looked up, the page put (its series registered once a series). Per capture recorded: the revision
    // put and the check recorded, nothing read; the unchanged Tuvalu capture is decided on a read of the page item and
    // the latest revision. The signals read in one batch and put in one, the facts version moved once; deciding lineage
    // takes the rest (5 queries, the facts version read before and after, one update).
    // S3: per capture its raw body, Document and term index; per revision its section lines; 2 diffs. No read.
    expect(fastCounts.s3).toEqual({ PutObject: 9 + 9 + 9 + 8 + 2 });
    expect(fastCounts.dynamodb).toEqual({
      GetItem: 6 + 6 + 1 + 2,
      Query: 6 + 1 + 5,
      PutItem: 6 + 8,
      UpdateItem: 3 + 9 + 1 + 1,
      BatchGetItem: 1,
      BatchWriteItem: 1,
    });
    // The pipeline's path, on top: the page item and the latest revision read before each of the 8 other captures is
    // recorded, the latest revision of each page read again for the report, and every Document read back from S3 (the
    // 9 just put, and the 3 Tuvalu ones diffed against).
    expect(referenceCounts.s3).toEqual({ PutObject: 37, GetObject: 9 + 3 });
    expect(referenceCounts.dynamodb).toEqual({
      ...fastCounts.dynamodb,
      GetItem: fastCounts.dynamodb.GetItem! + 8,
      Query: fastCounts.dynamodb.Query! + 8 + 6,
    });
  });
});
