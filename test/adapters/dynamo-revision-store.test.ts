import { createHash } from 'node:crypto';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { encodeCursor } from '../../shared/adapters/dynamodb/pagination-cursor.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { RevisionRecord, RevisionSectionChange } from '../../shared/domain/revision-records.js';
import type { PageRecord } from '../../shared/domain/page-records.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

function pageRecord(page: string, overrides: Partial<PageRecord> = {}): PageRecord {
  return {
    page,
    url: `https://example.org/${page}`,
    profile: 'state-hrr',
    createdAt: '2025-01-01T00:00:00.000Z',
    consecutiveFailures: 0,
    ...overrides,
  };
}

function revisionRecord(page: string, seq: number, overrides: Partial<RevisionRecord> = {}): RevisionRecord {
  const documentHash = hash(`${page}#${seq}`);
  return {
    page,
    seq,
    capturedAt: new Date(Date.UTC(2025, 2, 1, 12, 0, seq)).toISOString(),
    documentHash,
    documentKey: `docs/${page}/${documentHash}.json`,
    url: `https://example.org/${page}`,
    title: `Title ${page}`,
    summary: null,
    sections: [],
    significance: 0,
    ...(seq > 1 ? { previousSeq: seq - 1, diffKey: `diffs/${page}/${seq - 1}..${seq}-${documentHash.slice(0, 16)}.json` } : {}),
    ...overrides,
  };
}

async function collectAll<T>(list: (cursor?: string) => Promise<{ items: T[]; cursor?: string }>): Promise<{ items: T[]; calls: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let calls = 0;
  do {
    const result = await list(cursor);
    calls++;
    items.push(...result.items);
    cursor = result.cursor;
  } while (cursor && calls < 100);
  return { items, calls };
}

describe('DynamoRevisionStore against dynalite', () => {
  let aws: LocalAws;
  let store: DynamoRevisionStore;

  beforeAll(async () => {
    aws = await startLocalAws();
    store = new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName, clock: () => new Date('2025-03-02T00:00:00.000Z') });
  });

  afterAll(async () => {
    await aws?.close();
  });

  it('creates the table with both GSIs', async () => {
    const { Table } = await aws.dynamodb.send(new DescribeTableCommand({ TableName: aws.tableName }));
    expect(Table?.KeySchema?.map((key) => key.AttributeName)).toEqual(['pk', 'sk']);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(['gsi1', 'gsi2']);
  });

  it('round-trips a page and registers only new pages with onlyIfNew', async () => {
    const record = pageRecord('roundtrip.page', {
      series: 'hrr/roundtrip',
      edition: 2024,
      title: 'Round trip',
      intervalMinutes: 60,
      nextDueAt: '2025-01-01T00:00:00.000Z',
      robotsOverride: true,
      origin: 'probe',
    });
    expect(await store.putPage(record, { onlyIfNew: true })).toEqual({ written: true });
    expect(await store.putPage({ ...record, title: 'Changed' }, { onlyIfNew: true })).toEqual({ written: false });
    expect(await store.getPage('roundtrip.page')).toEqual(record);
    expect(await store.getPage('missing.page')).toBeUndefined();

    await store.markDispatched('roundtrip.page', '2025-01-01T00:05:00.000Z');
    expect(await store.getPage('roundtrip.page')).toEqual({ ...record, dispatchedAt: '2025-01-01T00:05:00.000Z' });
    await expect(store.markDispatched('missing.page', '2025-01-01T00:05:00.000Z')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets exactly one of two concurrent putRevision calls for the same seq win', async () => {
    await store.putPage(pageRecord('race.page'));
    await store.putRevision(revisionRecord('race.page', 1));
    const contenders = [
      revisionRecord('race.page', 2, { documentHash: hash('worker A'), title: 'A' }),
      revisionRecord('race.page', 2, { documentHash: hash('worker B'), title: 'B' }),
    ];
    const results = await Promise.allSettled(contenders.map((revision) => store.putRevision(revision)));

    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(ConflictError);

    const winnerIndex = results.findIndex((result) => result.status === 'fulfilled');
    const latest = await store.latestRevision('race.page');
    expect(latest?.seq).toBe(2);
    expect(latest?.documentHash).toBe(contenders[winnerIndex]!.documentHash);
  });

  it('reads the latest revision newest-first, and gets one by seq', async () => {
    expect(await store.latestRevision('empty.page')).toBeUndefined();
    // seq 10 and 9 sort correctly only because the sort key is zero-padded.
    for (const seq of [1, 2, 9, 10]) await store.putRevision(revisionRecord('latest.page', seq));
    expect((await store.latestRevision('latest.page'))?.seq).toBe(10);

    const sections: RevisionSectionChange[] = [
      { key: 'a', heading: 'A', kind: 'modified', kinds: ['modified'], wordsAdded: 3, wordsRemoved: 1, significance: 0.3 },
      {
        key: 'b',
        previousKey: 'old-b',
        heading: 'B',
        kind: 'renamed',
        kinds: ['renamed', 'modified'],
        wordsAdded: 0,
        wordsRemoved: 0,
        significance: 0.1,
        trivial: 'punctuation',
      },
    ];
    const revision = revisionRecord('latest.page', 11, {
      series: 'hrr/latest',
      edition: 2024,
      sections,
      significance: 0.3,
      terms: ['torture'],
      summary: {
        added: 0,
        removed: 0,
        modified: 1,
        renamed: 1,
        moved: 0,
        unchanged: 5,
        wordsAdded: 3,
        wordsRemoved: 1,
        significance: 0.3,
        trivial: false,
      },
    });
    await store.putRevision(revision);
    expect(await store.getRevision('latest.page', 11)).toEqual(revision);
    expect(await store.getRevision('latest.page', 12)).toBeUndefined();
  });

  it('caps the changed-sections list and flags it', async () => {
    const sections: RevisionSectionChange[] = Array.from({ length: 450 }, (_, index) => ({
      key: `section-${index}`,
      heading: `Section ${index} `.repeat(20),
      kind: 'modified',
      kinds: ['modified'],
      wordsAdded: 1,
      wordsRemoved: 1,
      significance: (index % 10) / 10,
    }));
    await store.putRevision(revisionRecord('big.page', 1, { sections, significance: 0.9 }));
    const stored = await store.getRevision('big.page', 1);
    expect(stored?.sectionsTruncated).toBe(true);
    expect(stored!.sections.length).toBeLessThanOrEqual(200);
    expect(stored!.sections.length).toBeGreaterThan(0);
    // The most significant sections are the ones kept.
    expect(Math.min(...stored!.sections.map((section) => section.significance))).toBeGreaterThanOrEqual(0.5);
  });

  it('pages through 25 revisions 10 at a time, each exactly once, in both orders', async () => {
    for (let seq = 1; seq <= 25; seq++) await store.putRevision(revisionRecord('paged.page', seq));

    const newest = await collectAll((cursor) => store.listRevisions('paged.page', { cursor, limit: 10 }));
    expect(newest.calls).toBe(3);
    expect(newest.items.map((revision) => revision.seq)).toEqual(Array.from({ length: 25 }, (_, index) => 25 - index));

    const oldest = await collectAll((cursor) => store.listRevisions('paged.page', { cursor, limit: 10, newestFirst: false }));
    expect(oldest.items.map((revision) => revision.seq)).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));

    // Exactly at the limit: no cursor to an empty page.
    const exact = await store.listRevisions('paged.page', { limit: 25 });
    expect(exact.items).toHaveLength(25);
    expect(exact.cursor).toBeUndefined();
  });

  it('refuses bad cursors with ValidationError', async () => {
    const first = await store.listRevisions('paged.page', { limit: 10 });
    expect(first.cursor).toBeDefined();
    await expect(store.listRevisions('paged.page', { cursor: 'not a cursor!' })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.listRevisions('paged.page', { cursor: Buffer.from('{oops').toString('base64url') })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.listRevisions('paged.page', { cursor: encodeCursor({ pk: 'PAGE#paged.page' }) })).rejects.toBeInstanceOf(ValidationError);
    await expect(
      store.listRevisions('paged.page', { cursor: encodeCursor({ pk: 'PAGE#paged.page', sk: 'REV#1', extra: 'x' }) }),
    ).rejects.toBeInstanceOf(ValidationError);
    // A cursor from another page's listing.
    await expect(store.listRevisions('latest.page', { cursor: first.cursor })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.listPages({ cursor: first.cursor })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.listRecentRevisions({ cursor: first.cursor })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.listRevisions('paged.page', { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('lists pages by series through gsi1, ordered by edition, and every page through gsi2', async () => {
    for (const edition of [2021, 2019, 2023, 2020, 2022]) {
      await store.putPage(pageRecord(`hrr.kazakhstan.${edition}`, { series: 'hrr/kazakhstan', edition }));
    }
    await store.putPage(pageRecord('hrr.nigeria.2023', { series: 'hrr/nigeria', edition: 2023 }));

    const series = await collectAll((cursor) => store.listPages({ series: 'hrr/kazakhstan', cursor, limit: 2 }));
    expect(series.items.map((page) => page.edition)).toEqual([2019, 2020, 2021, 2022, 2023]);
    expect(series.calls).toBe(3);

    const editions = await store.listEditions('hrr/kazakhstan');
    expect(editions.map((entry) => entry.page)).toEqual([
      'hrr.kazakhstan.2019',
      'hrr.kazakhstan.2020',
      'hrr.kazakhstan.2021',
      'hrr.kazakhstan.2022',
      'hrr.kazakhstan.2023',
    ]);

    const all = await collectAll((cursor) => store.listPages({ cursor, limit: 4 }));
    const ids = all.items.map((page) => page.page);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['hrr.kazakhstan.2019', 'hrr.nigeria.2023', 'race.page', 'roundtrip.page']));

    const allSeries = await collectAll((cursor) => store.listSeries({ cursor, limit: 1 }));
    expect(allSeries.items.map((entry) => entry.series)).toEqual(['hrr/kazakhstan', 'hrr/nigeria', 'hrr/roundtrip']);
    expect(allSeries.items[0]).toMatchObject({ profile: 'state-hrr', firstSeenAt: '2025-01-01T00:00:00.000Z' });
  });

  it('lists recent revisions across day shards, newest first, with cursors', async () => {
    const captures = [
      ['recent.a', '2025-02-27T23:59:59.000Z'],
      ['recent.b', '2025-02-28T08:00:00.000Z'],
      ['recent.a', '2025-02-28T09:00:00.000Z'],
      ['recent.c', '2025-03-01T00:00:00.000Z'],
      ['recent.b', '2025-03-01T10:30:00.000Z'],
      ['recent.c', '2025-03-01T23:00:00.000Z'],
    ] as const;
    const seqs = new Map<string, number>();
    for (const [page, capturedAt] of captures) {
      const seq = (seqs.get(page) ?? 0) + 1;
      seqs.set(page, seq);
      await store.putRevision(revisionRecord(page, seq, { capturedAt }));
    }
    const window = { since: '2025-02-27T00:00:00.000Z', until: '2025-03-01T23:59:59.999Z' };
    const expected = captures.map(([, capturedAt]) => capturedAt).reverse();

    const paged = await collectAll((cursor) => store.listRecentRevisions({ ...window, cursor, limit: 2 }));
    const recentOnly = paged.items.filter((revision) => revision.page.startsWith('recent.'));
    expect(recentOnly.map((revision) => revision.capturedAt)).toEqual(expected);

    const narrow = await store.listRecentRevisions({ since: '2025-02-28T08:30:00.000Z', until: '2025-03-01T10:30:00.000Z', limit: 10 });
    expect(narrow.items.map((revision) => revision.capturedAt)).toEqual([
      '2025-03-01T10:30:00.000Z',
      '2025-03-01T00:00:00.000Z',
      '2025-02-28T09:00:00.000Z',
    ]);
    expect(narrow.cursor).toBeUndefined();

    await expect(store.listRecentRevisions({ since: '2020-01-01T00:00:00Z' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('counts consecutive failures, ignores a redelivered failure, and resets on a successful check', async () => {
    await store.putPage(pageRecord('flaky.page'));
    const failure = (capturedAt: string) => ({
      kind: 'http-status' as const,
      message: 'HTTP 503',
      httpStatus: 503,
      capturedAt,
      url: 'https://example.org/flaky.page',
    });

    expect(await store.recordFailure('flaky.page', failure('2025-03-01T00:00:00.000Z'))).toBe(1);
    expect(await store.recordFailure('flaky.page', failure('2025-03-01T01:00:00.000Z'))).toBe(2);
    // The same failure delivered again is not counted twice.
    expect(await store.recordFailure('flaky.page', failure('2025-03-01T01:00:00.000Z'))).toBe(2);
    expect(await store.recordFailure('flaky.page', { ...failure('2025-03-01T02:00:00.000Z'), nextDueAt: '2025-03-01T06:00:00.000Z' })).toBe(3);
    expect((await store.getPage('flaky.page'))?.nextDueAt).toBe('2025-03-01T06:00:00.000Z');

    const failures = await store.listFailures('flaky.page');
    expect(failures.items.map((item) => item.capturedAt)).toEqual([
      '2025-03-01T02:00:00.000Z',
      '2025-03-01T01:00:00.000Z',
      '2025-03-01T00:00:00.000Z',
    ]);
    expect(failures.items[0]).toEqual(failure('2025-03-01T02:00:00.000Z'));

    await store.recordCheck('flaky.page', {
      checkedAt: '2025-03-01T03:00:00.000Z',
      etag: '"abc"',
      lastModified: 'Sat, 01 Mar 2025 02:59:00 GMT',
      documentHash: hash('doc'),
    });
    const page = await store.getPage('flaky.page');
    expect(page).toMatchObject({ consecutiveFailures: 0, lastCheckedAt: '2025-03-01T03:00:00.000Z', etag: '"abc"', lastDocumentHash: hash('doc') });

    expect(await store.recordFailure('flaky.page', failure('2025-03-01T04:00:00.000Z'))).toBe(1);
  });

  it('raises NotFoundError when checking or failing an unknown page', async () => {
    await expect(store.recordCheck('unknown.page', { checkedAt: '2025-03-01T00:00:00.000Z' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      store.recordFailure('unknown.page', {
        kind: 'timeout',
        message: 'timed out',
        capturedAt: '2025-03-01T00:00:00.000Z',
        url: 'https://example.org/',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.listFailures('unknown.page')).items).toEqual([]);
  });
});
