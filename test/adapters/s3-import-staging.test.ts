import { PutObjectCommand } from '@aws-sdk/client-s3';
import { importKeys, parseStagedKey, S3ImportStaging } from '../../shared/adapters/s3/s3-import-staging.js';
import { S3SnapshotStore, snapshotKeys } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { importDeduplicationId, importGroupId } from '../../shared/adapters/sqs/sqs-import-queue.js';
import { extract } from '../../shared/domain/extract.js';
import { loadCorpusPage } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

/** The imports/ prefix on s3rver, a Document's capture time as object metadata, and the import queue's message ids. */
const URL = 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/andorra/';

describe('cloud import storage', () => {
  let aws: LocalAws;
  let staging: S3ImportStaging;
  let snapshots: S3SnapshotStore;
  const document = extract(loadCorpusPage('andorra', 2024), { url: URL });

  beforeAll(async () => {
    aws = await startLocalAws();
    staging = new S3ImportStaging({ client: aws.s3, bucket: aws.bucketName });
    snapshots = new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName });
  });
  afterAll(async () => {
    await aws?.close();
  });

  test('a staged Document is keyed by its hash, the same as its docs/ key, and read back checked against it', async () => {
    const staged = await staging.putDocument('hrr.andorra.2024', document);
    expect(staged.sha256).toBe(snapshots.documentHash(document));
    expect(staged.key).toBe(importKeys.document('hrr.andorra.2024', staged.sha256));
    expect(parseStagedKey(staged.key)).toEqual({ page: 'hrr.andorra.2024', sha256: staged.sha256 });
    expect(await staging.getDocument(staged.key)).toEqual(JSON.parse(JSON.stringify(document)));
    // Bytes that do not match the hash in their key are never read as that Document.
    await aws.s3.send(new PutObjectCommand({ Bucket: aws.bucketName, Key: staged.key, Body: '{"title":"other"}' }));
    await expect(staging.getDocument(staged.key)).rejects.toThrow('does not match its hash');
    await expect(staging.getDocument(`docs/hrr.andorra.2024/${staged.sha256}.json`)).rejects.toThrow('Not a staged import key');
  });

  test('an outcome is undefined until stored', async () => {
    const hash = snapshots.documentHash(document);
    expect(await staging.getOutcome('hrr.andorra.2024', hash)).toBeUndefined();
    const outcome = {
      page: 'hrr.andorra.2024',
      documentHash: hash,
      capturedAt: '2025-01-01T00:00:00.000Z',
      source: 'andorra.html',
      outcome: 'recorded' as const,
      seq: 1,
      decidedAt: '2026-01-01T00:00:00.000Z',
    };
    await staging.putOutcome(outcome);
    expect(await staging.getOutcome('hrr.andorra.2024', hash)).toEqual(outcome);
  });

  test('a Document stored with a capture time gives it back; one stored without gives none', async () => {
    const imported = await snapshots.putDocument('hrr.andorra.2024', document, { capturedAt: '2025-03-01T12:00:00+02:00' });
    expect(imported.created).toBe(true);
    expect(await snapshots.documentCaptureTime(imported.key)).toBe('2025-03-01T10:00:00.000Z');
    const live = await snapshots.putDocument('hrr.andorra.2023', extract(loadCorpusPage('andorra', 2023)));
    expect(await snapshots.documentCaptureTime(live.key)).toBeUndefined();
    await expect(snapshots.putDocument('hrr.andorra.2022', document, { capturedAt: 'yesterday' })).rejects.toThrow('Invalid capture time');
    await expect(snapshots.documentCaptureTime(snapshotKeys.document('hrr.andorra.2022', '0'.repeat(64)))).rejects.toThrow('No stored object');
  });

  test('message group = the page (hashed past SQS 128 characters); deduplication id = page and Document hash', () => {
    const hash = 'a'.repeat(64);
    expect(importGroupId('hrr.andorra.2024')).toBe('hrr.andorra.2024');
    const long = `p${'x'.repeat(150)}`;
    expect(importGroupId(long)).toMatch(/^[0-9a-f]{64}$/);
    expect(importDeduplicationId('hrr.andorra.2024', hash)).toMatch(/^[0-9a-f]{64}$/);
    expect(importDeduplicationId('hrr.andorra.2024', hash)).toBe(importDeduplicationId('hrr.andorra.2024', hash));
    expect(importDeduplicationId('hrr.andorra.2023', hash)).not.toBe(importDeduplicationId('hrr.andorra.2024', hash));
  });
});
