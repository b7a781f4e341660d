import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { createDiffHandler } from '../../functions/diff/diff-handler.js';
import { createProvenanceHandler } from '../../functions/provenance/provenance-handler.js';
import { applyEdits, insertSentence } from '../../local/demo/known-edits.js';
import { insertStreamRecord, objectCreatedEvent } from '../../local/runtime/aws-event-shapes.js';
import { itemKeys } from '../../shared/adapters/dynamodb/item-keys.js';
import { snapshotKeys } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { extract } from '../../shared/domain/extract.js';
import { PROVENANCE_ALGORITHM, ProvenanceIndex, type ProvenanceIndexData } from '../../shared/domain/provenance/provenance-index.js';
import { editionPairs, removalLedger } from '../../shared/domain/provenance/removal-ledger.js';
import { ValidationError } from '../../shared/errors.js';
import type { SnapshotStore } from '../../shared/ports/snapshot-store.js';
import {
  blamePage,
  provenanceStatus,
  rebuildProvenance,
  removedSentences,
  removedSentencesPage,
} from '../../shared/use-cases/provenance/provenance-queries.js';
import { ScopeSerializer, syncProvenance } from '../../shared/use-cases/provenance/provenance-sync.js';
import { updateProvenanceAfterRevision } from '../../shared/use-cases/provenance/update-provenance.js';
import { quietObservability } from '../api/api-fixture.js';
import { loadCorpusPage } from '../support/corpus.js';
import { hrrUrl } from './provenance-fixture.js';
import { startProvenanceStore, type ProvenanceStoreFixture } from './provenance-store-fixture.js';

/**
 * The provenance index in the store (dynalite + s3rver, the real adapters): the S3 layout and its conditional
 * create, incremental updates as editions arrive in any order (and at once), the stream consumer that follows the diff step,
 * readers that catch up on what the index lacks, and the on-demand rebuild.
 */
const SERIES = 'hrr/kazakhstan';
const SCOPE = `series:${SERIES}`;
let store: ProvenanceStoreFixture;

beforeAll(async () => {
  store = await startProvenanceStore();
});
afterAll(async () => {
  await store?.close();
});

async function provenanceKeys(scope: string): Promise<string[]> {
  const listed = await store.aws.s3.send(new ListObjectsV2Command({ Bucket: store.aws.bucketName, Prefix: snapshotKeys.provenancePrefix(scope) }));
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

describe('the S3 provenance index objects', () => {
  const scope = 'series:test/objects';
  const data = (marker: string): ProvenanceIndexData => ({ ...new ProvenanceIndex(scope).toData(), algorithm: marker });

  test('one gzipped JSON per generation; a generation is created once; older ones are cleaned up', async () => {
    const { snapshots } = store.dependencies;
    expect(await snapshots.getProvenanceIndex(scope)).toBeUndefined();
    expect(await snapshots.putProvenanceIndex(scope, 1, data('first'))).toBe(true);
    expect(await snapshots.putProvenanceIndex(scope, 1, data('second writer'))).toBe(false);
    expect(await snapshots.getProvenanceIndex(scope)).toEqual({
      key: 'provenance/series=test~objects/0000000001.json.gz',
      generation: 1,
      data: data('first'),
    });
    expect(await snapshots.putProvenanceIndex(scope, 2, data('two'))).toBe(true);
    expect(await snapshots.putProvenanceIndex(scope, 3, data('three'))).toBe(true);
    // The generation before the newest stays for readers in flight.
    expect(await provenanceKeys(scope)).toEqual([
      'provenance/series=test~objects/0000000002.json.gz',
      'provenance/series=test~objects/0000000003.json.gz',
    ]);
    expect((await snapshots.getProvenanceIndex(scope))?.data).toEqual(data('three'));
  });

  test('scopes are checked before they become keys', () => {
    expect(snapshotKeys.provenance('page:hrr.kazakhstan.2024', 7)).toBe('provenance/page=hrr.kazakhstan.2024/0000000007.json.gz');
    for (const bad of ['series:../x', 'page:a/b', 'hrr/kazakhstan', 'series:a~b', 'series:'])
      expect(() => snapshotKeys.provenancePrefix(bad)).toThrow(ValidationError);
  });
});

describe('provenance kept up to date as editions arrive', () => {
  test('editions in any order: each update adds the one new version; a repeated update adds nothing', async () => {
    for (const [year, generation] of [
      [2023, 1],
      [2019, 2],
      [2024, 3],
    ] as const) {
      const revision = await store.record('kazakhstan', year);
      expect(await updateProvenanceAfterRevision(store.dependencies, revision)).toEqual({ scope: SCOPE, added: 1, generation });
    }
    expect(await updateProvenanceAfterRevision(store.dependencies, { page: 'hrr.kazakhstan.2024' })).toEqual({
      scope: SCOPE,
      added: 0,
      generation: 3,
    });
    expect(await provenanceStatus(store.dependencies, { series: SERIES })).toMatchObject({
      generation: 3,
      storedIndex: 'current',
      indexedVersions: 3,
      missing: [],
    });
  });

  test('six editions recorded at once: the updates are folded together and nothing is lost', async () => {
    const years = [2016, 2017, 2018, 2020, 2021, 2022];
    const updates = await Promise.all(
      years.map(async (year) => updateProvenanceAfterRevision(store.dependencies, await store.record('kazakhstan', year))),
    );
    // At most one run after the one in progress: everything that waited shares it.
    expect(updates.reduce((total, update) => total + update!.added, 0)).toBe(6);
    expect(new Set(updates.map((update) => update!.generation)).size).toBeLessThanOrEqual(3);
    const status = await provenanceStatus(store.dependencies, { series: SERIES });
    expect(status).toMatchObject({ indexedVersions: 9, listedVersions: 9, missing: [], storedIndex: 'current' });
  });

  test('the incremental index is the one a full rebuild computes, byte for byte', async () => {
    const incremental = (await store.dependencies.snapshots.getProvenanceIndex(SCOPE))!;
    const rebuilt = await rebuildProvenance(store.dependencies, { series: SERIES });
    expect(rebuilt).toMatchObject({ scope: SCOPE, generation: incremental.generation + 1, versions: 9 });
    const stored = (await store.dependencies.snapshots.getProvenanceIndex(SCOPE))!;
    expect(JSON.stringify(stored.data)).toBe(JSON.stringify(incremental.data));
  });

  test('blame and the ledger from the store agree with the domain on the same editions', async () => {
    const state = await syncProvenance(store.dependencies, { kind: 'series', series: SERIES }, { persist: false });
    expect(state).toMatchObject({ storedIndex: 'current', added: 0 });
    const ledger = await removedSentences(store.dependencies, { series: SERIES, from: 2023, to: 2024 });
    expect(ledger.sentences).toEqual(removalLedger(state.index, editionPairs(state.index, 2023, 2024)).sentences);
    const blame = await blamePage(store.dependencies, { page: 'hrr.kazakhstan.2023', limit: 1000 });
    expect(blame.items.find((sentence) => sentence.text.startsWith('There were no reports of disappearances'))).toMatchObject({
      origin: { edition: 2019 },
      editions: [2019, 2020, 2021, 2022, 2023],
    });
  });

  test('blame pages: cursors walk every sentence once, and are refused on another listing', async () => {
    const all = await blamePage(store.dependencies, { page: 'hrr.kazakhstan.2022', limit: 1000 });
    const walked: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await blamePage(store.dependencies, { page: 'hrr.kazakhstan.2022', limit: 100, ...(cursor ? { cursor } : {}) });
      walked.push(...page.items.map((sentence) => sentence.position));
      cursor = page.cursor;
    } while (cursor);
    expect(walked).toEqual(all.items.map((sentence) => sentence.position));
    expect(walked.length).toBe(all.summary.sentences);
    const first = await blamePage(store.dependencies, { page: 'hrr.kazakhstan.2022', limit: 10 });
    await expect(blamePage(store.dependencies, { page: 'hrr.kazakhstan.2021', limit: 10, cursor: first.cursor! })).rejects.toThrow(/cursor/);
    await expect(blamePage(store.dependencies, { page: 'hrr.kazakhstan.2022', cursor: 'not-a-cursor' })).rejects.toThrow(ValidationError);
    await expect(blamePage(store.dependencies, { page: 'hrr.atlantis.2022' })).rejects.toThrow('No page hrr.atlantis.2022');
    await expect(blamePage(store.dependencies, { page: 'hrr.kazakhstan.2022', seq: 9 })).rejects.toThrow('No revision 9 of page hrr.kazakhstan.2022');
    const other = await blamePage(store.dependencies, { page: 'hrr.kazakhstan.2022', edition: 2016, limit: 1 });
    expect(other).toMatchObject({ page: 'hrr.kazakhstan.2016', version: { edition: 2016 } });
  });

  test('the ledger pages and its errors', async () => {
    const whole = await removedSentences(store.dependencies, { series: SERIES });
    expect(whole.transitions).toHaveLength(8);
    const firstPage = await removedSentencesPage(store.dependencies, { series: SERIES, limit: 50 });
    const second = await removedSentencesPage(store.dependencies, { series: SERIES, limit: 50, cursor: firstPage.cursor! });
    expect([...firstPage.items, ...second.items]).toEqual(whole.sentences.slice(0, 100));
    await expect(removedSentences(store.dependencies, { series: SERIES, from: 2023 })).rejects.toThrow('to: missing');
    await expect(removedSentences(store.dependencies, { series: SERIES, from: 2024, to: 2023 })).rejects.toThrow('to: must come after from');
    await expect(removedSentences(store.dependencies, { series: SERIES, from: 2015, to: 2023 })).rejects.toThrow('No captured edition 2015');
    await expect(removedSentences(store.dependencies, { series: 'hrr/atlantis', from: 2022, to: 2023 })).rejects.toThrow('No series hrr/atlantis');
  });
});

describe('readers catch up on what the index lacks', () => {
  test('a revision recorded without the hook is blamed correctly; only a persisting reader stores it', async () => {
    const edited = extract(
      applyEdits(loadCorpusPage('kazakhstan', 2024), [insertSentence('Disappearance', 0, 'A sentence added by a later revision of the 2024 page.')]),
      {
        url: hrrUrl('kazakhstan', 2024),
      },
    );
    const revision = await store.record('kazakhstan', 2024, edited);
    expect(revision.seq).toBe(2);
    const status = await provenanceStatus(store.dependencies, { series: SERIES });
    expect(status.missing).toEqual([{ page: 'hrr.kazakhstan.2024', seq: 2, edition: 2024 }]);

    const blame = await blamePage(store.dependencies, { page: 'hrr.kazakhstan.2024', limit: 1000 });
    expect(blame.version).toMatchObject({ edition: 2024, seq: 2 });
    expect(blame.index).toMatchObject({ caughtUp: 1, storedIndex: 'current' });
    expect(blame.items.find((sentence) => sentence.text.startsWith('A sentence added by a later revision'))).toMatchObject({
      origin: { edition: 2024, seq: 2 },
      editions: [2024],
    });
    expect((await provenanceStatus(store.dependencies, { series: SERIES })).missing).toHaveLength(1);

    await blamePage(store.dependencies, { page: 'hrr.kazakhstan.2024' }, { persist: true });
    expect(await provenanceStatus(store.dependencies, { series: SERIES })).toMatchObject({ missing: [], indexedVersions: 10 });
  });

  test('an index built by another algorithm is rebuilt on the next update, and an unreadable one does not stop a reader', async () => {
    const current = (await store.dependencies.snapshots.getProvenanceIndex(SCOPE))!;
    await store.dependencies.snapshots.putProvenanceIndex(SCOPE, current.generation + 1, {
      ...(current.data as ProvenanceIndexData),
      algorithm: 'an-older-one',
    });
    expect(await provenanceStatus(store.dependencies, { series: SERIES })).toMatchObject({ storedIndex: 'outdated', missing: expect.any(Array) });
    const update = await updateProvenanceAfterRevision(store.dependencies, { page: 'hrr.kazakhstan.2016' });
    expect(update).toEqual({ scope: SCOPE, added: 10, generation: current.generation + 2 });
    const rebuilt = (await store.dependencies.snapshots.getProvenanceIndex(SCOPE))!;
    expect((rebuilt.data as ProvenanceIndexData).algorithm).toBe(PROVENANCE_ALGORITHM);
    expect(JSON.stringify(rebuilt.data)).toBe(JSON.stringify(current.data));

    const failing: SnapshotStore = new Proxy(store.dependencies.snapshots, {
      get: (target, property, receiver) =>
        property === 'getProvenanceIndex' ? () => Promise.reject(new Error('AccessDenied')) : (Reflect.get(target, property, receiver) as unknown),
    });
    const reader = await blamePage({ ...store.dependencies, snapshots: failing }, { page: 'hrr.kazakhstan.2019', limit: 1 });
    expect(reader.index).toEqual({ generation: 0, storedIndex: 'unreadable', caughtUp: 10 });
    await expect(updateProvenanceAfterRevision({ ...store.dependencies, snapshots: failing }, { page: 'hrr.kazakhstan.2019' })).rejects.toThrow(
      'AccessDenied',
    );
  });
});

describe('provenance follows the revision stream, off the diff step', () => {
  function sqsEvent(key: string): SQSEvent {
    const body = JSON.stringify(
      objectCreatedEvent({ bucket: store.aws.bucketName, key, size: 1, etag: 'e', at: new Date('2025-04-01T00:00:00.000Z') }),
    );
    return {
      Records: [
        {
          messageId: randomUUID(),
          receiptHandle: 'r',
          body,
          attributes: {} as never,
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:diff',
          awsRegion: 'us-east-1',
        },
      ],
    };
  }
  /** The INSERT record the table's stream carries for a revision: its item as stored, read back. */
  async function streamEvent(page: string, seq: number): Promise<DynamoDBStreamEvent> {
    const { Item } = await store.aws.dynamodb.send(
      new GetItemCommand({
        TableName: store.aws.tableName,
        Key: { pk: { S: itemKeys.pagePk(page) }, sk: { S: itemKeys.revisionSk(seq) } },
        ConsistentRead: true,
      }),
    );
    const streamArn = `arn:aws:dynamodb:us-east-1:000000000000:table/${store.aws.tableName}/stream/2025-04-01T00:00:00.000`;
    return { Records: [insertStreamRecord({ newImage: Item!, keyNames: ['pk', 'sk'], sequenceNumber: `${seq}00`, at: new Date(), streamArn })] };
  }
  const trackerDependencies = (snapshots: SnapshotStore) => ({ revisions: store.dependencies.revisions, snapshots });
  const edition2024 = (sentence: string) =>
    extract(applyEdits(loadCorpusPage('kazakhstan', 2024), [insertSentence('Disappearance', 0, sentence)]), { url: hrrUrl('kazakhstan', 2024) });

  test('the diff step records the revision without touching the index; the stream consumer adds it', async () => {
    const before = (await store.dependencies.snapshots.getProvenanceIndex(SCOPE))!.generation;
    const stored = await store.dependencies.snapshots.putDocument('hrr.kazakhstan.2024', edition2024('A third revision of the 2024 page.'));
    const diff = createDiffHandler(trackerDependencies(store.dependencies.snapshots), quietObservability());
    expect(await diff(sqsEvent(stored.key), {} as never)).toEqual({ batchItemFailures: [] });
    const seq = (await store.dependencies.revisions.latestRevision('hrr.kazakhstan.2024'))!.seq;
    expect(await provenanceStatus(store.dependencies, { series: SERIES })).toMatchObject({
      generation: before,
      missing: [{ page: 'hrr.kazakhstan.2024', seq, edition: 2024 }],
    });

    const provenance = createProvenanceHandler(trackerDependencies(store.dependencies.snapshots), quietObservability());
    expect(await provenance(await streamEvent('hrr.kazakhstan.2024', seq), {} as never)).toEqual({ batchItemFailures: [] });
    expect(await provenanceStatus(store.dependencies, { series: SERIES })).toMatchObject({
      generation: before + 1,
      missing: [],
      indexedVersions: 11,
    });
  });

  test('a failed update fails its stream record; the retry catches up (eventually consistent)', async () => {
    const before = (await store.dependencies.snapshots.getProvenanceIndex(SCOPE))!.generation;
    const stored = await store.dependencies.snapshots.putDocument('hrr.kazakhstan.2024', edition2024('A fourth revision of the 2024 page.'));
    const diff = createDiffHandler(trackerDependencies(store.dependencies.snapshots), quietObservability());
    expect(await diff(sqsEvent(stored.key), {} as never)).toEqual({ batchItemFailures: [] });
    const seq = (await store.dependencies.revisions.latestRevision('hrr.kazakhstan.2024'))!.seq;
    const event = await streamEvent('hrr.kazakhstan.2024', seq);

    // The first attempt cannot write the index: the record fails (a whole batch failing, the invocation fails and the
    // stream retries it), and nothing is written.
    let failures = 1;
    const flaky: SnapshotStore = new Proxy(store.dependencies.snapshots, {
      get: (target, property, receiver) =>
        property === 'putProvenanceIndex' && failures-- > 0
          ? () => Promise.reject(new Error('AccessDenied'))
          : (Reflect.get(target, property, receiver) as unknown),
    });
    const provenance = createProvenanceHandler(trackerDependencies(flaky), quietObservability());
    await expect(provenance(event, {} as never)).rejects.toThrow('All records failed processing');
    expect(await provenanceStatus(store.dependencies, { series: SERIES })).toMatchObject({
      generation: before,
      missing: [{ page: 'hrr.kazakhstan.2024', seq, edition: 2024 }],
    });

    // The retry (the same record, redelivered) completes it; a duplicate delivery after that adds nothing.
    expect(await provenance(event, {} as never)).toEqual({ batchItemFailures: [] });
    expect(await provenanceStatus(store.dependencies, { series: SERIES })).toMatchObject({
      generation: before + 1,
      missing: [],
      indexedVersions: 12,
    });
    expect(await provenance(event, {} as never)).toEqual({ batchItemFailures: [] });
    expect((await store.dependencies.snapshots.getProvenanceIndex(SCOPE))!.generation).toBe(before + 1);
  });
  test("a batch of one series' records costs at most two index syncs, not one per record, and indexes them all", async () => {
    const years = [2021, 2022, 2023, 2024] as const;
    const recorded = [];
    for (const year of years) recorded.push(await store.record('tuvalu', year));
    const events = await Promise.all(recorded.map((revision) => streamEvent(revision.page, revision.seq)));
    let indexReads = 0;
    const counting: SnapshotStore = new Proxy(store.dependencies.snapshots, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property !== 'getProvenanceIndex') return value;
        return (...args: Parameters<SnapshotStore['getProvenanceIndex']>) => {
          indexReads++;
          return target.getProvenanceIndex(...args);
        };
      },
    });
    const provenance = createProvenanceHandler(trackerDependencies(counting), quietObservability());
    expect(await provenance({ Records: events.flatMap((event) => event.Records) }, {} as never)).toEqual({ batchItemFailures: [] });
    expect(indexReads).toBeLessThanOrEqual(2);
    expect(await provenanceStatus(store.dependencies, { series: 'hrr/tuvalu' })).toMatchObject({
      generation: 1,
      missing: [],
      indexedVersions: years.length,
    });
  });
});

describe('ScopeSerializer', () => {
  test('one run per scope at a time; callers arriving while one waits to start share it', async () => {
    const serializer = new ScopeSerializer();
    const storeKey = {};
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = serializer.run(storeKey, 's', async () => {
      events.push('first:start');
      await gate;
      events.push('first:end');
      return 1;
    });
    // Callers arriving before the first run started join it: it will see what they recorded.
    expect(serializer.run(storeKey, 's', async () => 0)).toBe(first);
    while (!events.includes('first:start')) await new Promise((resolve) => setImmediate(resolve));
    const second = serializer.run(storeKey, 's', async () => {
      events.push('second');
      return 2;
    });
    const third = serializer.run(storeKey, 's', async () => {
      events.push('third');
      return 3;
    });
    const elsewhere = serializer.run(storeKey, 'other', async () => {
      events.push('other');
      return 4;
    });
    await elsewhere;
    release();
    expect(await Promise.all([first, second, third])).toEqual([1, 2, 2]);
    expect(events).toEqual(['first:start', 'other', 'first:end', 'second']);
  });
});
