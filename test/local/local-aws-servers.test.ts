import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { withoutRequestLog } from '../../local/runtime/embedded-servers.js';
import { localS3ClientConfig } from '../../local/runtime/local-aws-servers.js';
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

describe("s3rver's request log", () => {
  it('is gone from the embedded servers: no request line is formatted for the silent logger, and requests still work', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'redline-s3rver-log-'));
    const requestLines = (calls: unknown[][]) => calls.filter((args) => /\s[1-5]\d\d [\d.]+m?s\s/.test(String(args[0])));
    const serve = async (drop: boolean) => {
      const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, resetOnClose: true });
      const logged: unknown[][] = [];
      const info = s3rver.logger.info.bind(s3rver.logger);
      s3rver.logger.info = (...args: unknown[]) => {
        logged.push(args);
        return info(...args);
      };
      const dropped = drop ? withoutRequestLog(s3rver) : false;
      const { port } = await s3rver.run();
      const s3 = new S3Client(localS3ClientConfig(`http://127.0.0.1:${port}`));
      try {
        await s3.send(new CreateBucketCommand({ Bucket: 'logged' }));
        await s3.send(new PutObjectCommand({ Bucket: 'logged', Key: 'a.txt', Body: 'kept' }));
        const read = await s3.send(new GetObjectCommand({ Bucket: 'logged', Key: 'a.txt' }));
        return { dropped, text: await read.Body!.transformToString(), requestLines: requestLines(logged).length };
      } finally {
        s3.destroy();
        await s3rver.close();
      }
    };
    try {
      // As s3rver comes: each of the three requests logged (its response line: status, time, length).
      expect(await serve(false)).toEqual({ dropped: false, text: 'kept', requestLines: 3 });
      expect(await serve(true)).toEqual({ dropped: true, text: 'kept', requestLines: 0 });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('a PUT with If-None-Match: *', () => {
  it('creates a missing object and answers 412 PreconditionFailed for an existing one, as S3 does (a plain PUT still overwrites)', async () => {
    const aws = await startLocalAws();
    try {
      const put = (body: string, conditional: boolean) =>
        aws.s3.send(
          new PutObjectCommand({ Bucket: aws.bucketName, Key: 'docs/a b/once.json', Body: body, ...(conditional ? { IfNoneMatch: '*' } : {}) }),
        );
      const read = async () =>
        (await aws.s3.send(new GetObjectCommand({ Bucket: aws.bucketName, Key: 'docs/a b/once.json' }))).Body!.transformToString();
      await put('first', true);
      const refused = await put('second', true).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(S3ServiceException);
      expect(refused).toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
      expect(await read()).toBe('first');
      await put('third', false);
      expect(await read()).toBe('third');
    } finally {
      await aws.close();
    }
  });
});
