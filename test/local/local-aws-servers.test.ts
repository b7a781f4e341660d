import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { startLocalAws } from '../support/local-aws.js';

describe('local AWS servers with a data folder', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'redline-persist-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the table (which holds the webhook secrets) readable by its owner only, even in a folder made 0755 before', async () => {
    const folder = join(dataDir, 'modes');
    await mkdir(join(folder, 'dynamodb'), { recursive: true, mode: 0o755 });
    await chmod(join(folder, 'dynamodb'), 0o755);
    const servers = await startLocalAws({ dataDir: folder });
    try {
      expect((await stat(join(folder, 'dynamodb'))).mode & 0o777).toBe(0o700);
    } finally {
      await servers.close();
    }
  });

  it('keeps the table, the bucket and their data across a restart', async () => {
    const first = await startLocalAws({ dataDir });
    let rawKey: string;
    try {
      const revisions = new DynamoRevisionStore({ client: first.dynamodb, tableName: first.tableName });
      await revisions.putPage({
        page: 'persisted.page',
        url: 'https://example.org/',
        profile: 'generic',
        createdAt: '2025-01-01T00:00:00.000Z',
        consecutiveFailures: 0,
      });
      const snapshots = new S3SnapshotStore({ client: first.s3, bucket: first.bucketName });
      rawKey = (await snapshots.putRaw('persisted.page', new TextEncoder().encode('<p>kept</p>'), 'text/html')).key;
    } finally {
      await first.close();
    }

    // Second start: CreateTable and CreateBucket find them already there.
    const second = await startLocalAws({ dataDir });
    try {
      const revisions = new DynamoRevisionStore({ client: second.dynamodb, tableName: second.tableName });
      expect((await revisions.getPage('persisted.page'))?.url).toBe('https://example.org/');
      const snapshots = new S3SnapshotStore({ client: second.s3, bucket: second.bucketName });
      expect(new TextDecoder().decode((await snapshots.getRaw(rawKey)).body)).toBe('<p>kept</p>');
    } finally {
      await second.close();
    }
  });
});
