import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { extract } from '../../shared/domain/extract.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { recordRevision, type RecordDependencies, type RecordRevisionOutcome } from '../../shared/use-cases/record-revision.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { countRequests } from '../../bench/request-counter.js';
import { replaceText } from '../cli/cli-fixture.js';
import { loadCorpusPage } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

/**
 * recordRevision on the latest revision its caller knows (`expectedLatest`, what an import passes after recording a
 * capture): a new revision is put unread, and its conditional put proves the belief; an outdated belief, a Document
 * already recorded, a stale or an unchanged capture are decided on a read, with the outcome recording without a
 * belief gives.
 */
const NOW = new Date('2026-01-01T00:00:00.000Z');
const URL_2023 = 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/tuvalu/';
const SENTENCE = 'There were no significant changes in the human rights situation in Tuvalu during the year.';

const versions = (() => {
  const html = loadCorpusPage('tuvalu', 2023);
  const edited = (n: number) => replaceText(html, SENTENCE, `${SENTENCE} Addendum number ${n}.`);
  return [html, edited(1), edited(2)].map((text) => extract(text, { url: URL_2023 }));
})();

describe('recordRevision on a believed latest revision', () => {
  let aws: LocalAws;
  let dependencies: RecordDependencies;
  let page: string;
  let keys: string[];

  beforeAll(async () => {
    aws = await startLocalAws();
    const revisions = new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName });
    const snapshots = new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName });
    dependencies = { revisions, snapshots, now: () => NOW };
    ({
      page: { page },
    } = await addWatch({ revisions, now: () => NOW, settings: DEFAULT_TRACKER_SETTINGS }, { url: URL_2023 }));
    keys = [];
    for (const document of versions) keys.push((await snapshots.putDocument(page, document)).key);
  });

  afterAll(async () => {
    await aws?.close();
  });

  const record = (index: number, capturedAt: string, expectedLatest?: Parameters<typeof recordRevision>[1]['expectedLatest']) =>
    recordRevision(dependencies, { page, documentKey: keys[index]!, capturedAt, ...(expectedLatest !== undefined ? { expectedLatest } : {}) });
  const revisionOf = (outcome: RecordRevisionOutcome) => {
    if (outcome.outcome !== 'recorded') throw new Error(`not recorded: ${JSON.stringify(outcome)}`);
    return outcome.revision;
  };

  test('a new revision put unread; an outdated belief costs one conflict and a read, and records what a read would', async () => {
    const counter = countRequests({ dynamodb: aws.dynamodb, s3: aws.s3 });
    try {
      // None believed: the page item and the latest revision are not read, nor the Document just stored.
      const first = revisionOf(await record(0, '2024-01-01T00:00:00.000Z', null));
      expect(first.seq).toBe(1);
      expect(counter.counts()).toEqual({ dynamodb: { PutItem: 1, UpdateItem: 1 }, s3: { PutObject: 2 } });

      // Another process records revision 2 meanwhile; this caller still believes revision 1 is the latest.
      const second = revisionOf(await record(1, '2024-02-01T00:00:00.000Z'));
      counter.reset();
      const third = revisionOf(await record(2, '2024-03-01T00:00:00.000Z', first));
      // Put as revision 2 (refused: it exists), then the latest read and the Document diffed against revision 2.
      expect(third).toMatchObject({ seq: 3, previousSeq: 2, diffKey: expect.stringContaining('/2..3-') });
      expect(counter.counts().dynamodb).toEqual({ PutItem: 2, GetItem: 1, Query: 1, UpdateItem: 1 });
      expect(third.sections).toEqual(revisionOf(await recordFresh(second, 2)).sections);
    } finally {
      counter.detach();
    }
  });

  test('a Document believed recorded already, or a stale capture, is decided on a read, as without a belief (unchanged: import-round-trips)', async () => {
    const latest = await dependencies.revisions.latestRevision(page);
    expect(latest?.seq).toBe(3);
    // Already the latest revision (a redelivery).
    expect(await record(2, '2024-03-01T00:00:00.000Z', latest)).toEqual({ outcome: 'duplicate', seq: 3 });
    // Captured before the latest: stale, whatever the caller believed.
    expect(await record(0, '2023-12-01T00:00:00.000Z', { ...latest!, seq: 1, documentKey: keys[0]!, documentHash: 'x' })).toEqual({
      outcome: 'stale',
      seq: 3,
    });
    // Believed latest revision 2 (outdated), the capture's own Document: believed recorded already, but revision 3 is the
    // latest, and the capture is a new revision against it.
    const revision2 = await dependencies.revisions.getRevision(page, 2);
    const outcome = await record(1, '2024-04-01T00:00:00.000Z', revision2);
    expect(outcome).toMatchObject({ outcome: 'recorded', revision: { seq: 4, previousSeq: 3 } });
  });

  /** The same change recorded on a second page, with no belief: what reading first gives. */
  async function recordFresh(previous: { documentKey: string }, index: number): Promise<RecordRevisionOutcome> {
    const url = URL_2023.replace('tuvalu', 'tuvalu-twin');
    const { page: twin } = await addWatch({ revisions: dependencies.revisions, now: () => NOW, settings: DEFAULT_TRACKER_SETTINGS }, { url });
    const before = await dependencies.snapshots.putDocument(twin.page, await dependencies.snapshots.getDocument(previous.documentKey));
    const after = await dependencies.snapshots.putDocument(twin.page, versions[index]!);
    await recordRevision(dependencies, { page: twin.page, documentKey: before.key, capturedAt: '2024-02-01T00:00:00.000Z' });
    return recordRevision(dependencies, { page: twin.page, documentKey: after.key, capturedAt: '2024-03-01T00:00:00.000Z' });
  }
});
