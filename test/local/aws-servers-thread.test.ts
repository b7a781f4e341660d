import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { awsServersWorkerFile, startServersOnThread } from '../../local/runtime/aws-servers-thread.js';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { importPages, type CaptureSourceItem, type ImportDependencies } from '../../shared/use-cases/import-pages.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { replaceText, withModifiedDate } from '../cli/cli-fixture.js';
import { CORPUS_YEARS, loadCorpusPage } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { archivedItem, fromList } from '../import/capture-items.js';
import { hrrUrl } from '../provenance/provenance-fixture.js';

/**
 * Issue 13 §3: dynalite and s3rver on a worker thread of their own (aws-servers-thread.ts) give the caller what the
 * servers in its own thread give, on real pages: the same store after an import, S3 events in order and each
 * delivered before its PUT's response, write failures with their code and path; close() ends the thread, and a thread
 * that dies rejects what waits on it.
 */
/** The servers in the caller's thread (false) or on their own (true), with SDK clients: test/support/local-aws.ts. */
const start = (thread: boolean): Promise<LocalAws> => startLocalAws({ thread });

const NOW = new Date('2026-01-01T00:00:00.000Z');
const SENTENCE = 'There were no significant changes in the human rights situation in Tuvalu during the year.';

function captures(): CaptureSourceItem[] {
  return [
    ...CORPUS_YEARS.map((year) => archivedItem(`warc#${year}`, loadCorpusPage('kazakhstan', year), hrrUrl('kazakhstan', year))),
    // Later captures of one page, each with a sentence added: diffs recorded.
    ...[1, 2].map((n) =>
      archivedItem(
        `saved/tuvalu-2023-v${n}.html`,
        withModifiedDate(replaceText(loadCorpusPage('tuvalu', 2023), SENTENCE, `${SENTENCE} Addendum ${n}.`), `2025-0${n}-01T00:00:00.000Z`),
      ),
    ),
    archivedItem(
      'copy/tuvalu-2023-v1.html',
      withModifiedDate(replaceText(loadCorpusPage('tuvalu', 2023), SENTENCE, `${SENTENCE} Addendum 1.`), '2025-01-01T00:00:00.000Z'),
    ),
  ];
}

async function importInto(aws: LocalAws) {
  const dependencies: ImportDependencies = {
    revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.servers.tableName }),
    snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.servers.bucketName }),
    now: () => NOW,
    settings: DEFAULT_TRACKER_SETTINGS,
  };
  const { durationMs: _durationMs, ...report } = await importPages(dependencies, fromList(captures()), { concurrency: 4 });
  report.notImported.sort((a, b) => a.source.localeCompare(b.source));
  const revisions = [];
  for (const page of report.pages) {
    const listed = await dependencies.revisions.listRevisions(page.page, { limit: 100, newestFirst: false });
    revisions.push(...listed.items.map(({ page: id, seq, documentHash, documentKey, summary }) => ({ id, seq, documentHash, documentKey, summary })));
  }
  const objects = ((await aws.s3.send(new ListObjectsV2Command({ Bucket: aws.servers.bucketName }))).Contents ?? [])
    .map((object) => `${object.Key!} ${object.Size}`)
    .sort();
  return { report, revisions, objects };
}

const keyOf = (event: unknown) => (event as { Records: Array<{ eventName: string; s3: { object: { key: string } } }> }).Records[0]!;

describe('the local AWS servers on a thread of their own', () => {
  it('find their worker script beside the module, from the sources and in the CLI bundle', () => {
    expect(awsServersWorkerFile().filename).toMatch(/local\/runtime\/aws-servers-worker-sources\.mjs$/);
    expect(awsServersWorkerFile('file:///opt/redline/dist/cli/chunk-ABC.js')).toEqual({
      filename: '/opt/redline/dist/cli/aws-servers-worker.js',
      fromSources: false,
    });
  });

  it("store what the servers in the caller's thread store for an import of real pages: same report, revisions, S3 keys", async () => {
    const [caller, threaded] = await Promise.all([start(false), start(true)]);
    try {
      expect([caller.servers.thread, threaded.servers.thread]).toEqual(['caller', 'worker']);
      const expected = await importInto(caller);
      const actual = await importInto(threaded);
      expect(actual).toEqual(expected);
      // What there is to compare: every Kazakhstan edition and two captures of Tuvalu 2023 (one diff), one copy skipped.
      expect(expected.report).toMatchObject({ imported: CORPUS_YEARS.length + 2, skipped: 1, failed: 0 });
      expect(expected.revisions.filter((revision) => revision.summary !== null)).toHaveLength(1);
      expect(expected.objects.filter((object) => object.startsWith('docs/'))).toHaveLength(expected.revisions.length);
    } finally {
      await Promise.all([caller.close(), threaded.close()]);
    }
  });

  it('deliver S3 events in order, each before the response of the PUT or DELETE that made it, with its size and ETag', async () => {
    const aws = await start(true);
    try {
      const events: unknown[] = [];
      const unlisten = aws.servers.onS3Event((event) => events.push(event));
      const bodies = CORPUS_YEARS.map((year) => loadCorpusPage('kazakhstan', year));
      for (const [index, body] of bodies.entries()) {
        await aws.s3.send(new PutObjectCommand({ Bucket: aws.servers.bucketName, Key: `docs/kazakhstan/${index}.html`, Body: body }));
        // Delivered by the time the client has its response, as with the servers in one thread.
        expect(events).toHaveLength(index + 1);
        const record = keyOf(events[index]) as unknown as { eventName: string; s3: { object: { key: string; size: number; eTag: string } } };
        expect(record).toMatchObject({
          eventName: 'ObjectCreated:Put',
          s3: {
            object: {
              key: `docs/kazakhstan/${index}.html`,
              size: Buffer.byteLength(body),
              eTag: createHash('md5').update(body).digest('hex'),
            },
          },
        });
      }
      await aws.s3.send(new DeleteObjectCommand({ Bucket: aws.servers.bucketName, Key: 'docs/kazakhstan/0.html' }));
      expect(keyOf(events.at(-1))).toMatchObject({ eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'docs/kazakhstan/0.html' } } });

      // Many at once: every one delivered once, by the time the last response arrived.
      events.length = 0;
      const keys = Array.from({ length: 12 }, (_, index) => `docs/at-once/${index}.html`);
      await Promise.all(
        keys.map((Key, index) => aws.s3.send(new PutObjectCommand({ Bucket: aws.servers.bucketName, Key, Body: bodies[index % bodies.length] }))),
      );
      expect(events.map((event) => keyOf(event).s3.object.key).sort()).toEqual([...keys].sort());

      // No listener left: nothing is relayed (and no request waits for a delivery).
      unlisten();
      await aws.s3.send(new PutObjectCommand({ Bucket: aws.servers.bucketName, Key: 'docs/unheard.html', Body: bodies[0] }));
      expect(events).toHaveLength(keys.length);
    } finally {
      await aws.close();
    }
  });

  it("relay a failed write with the code and path s3rver's store met (as in one thread): the client gets a 500", async () => {
    const failures: Record<string, NodeJS.ErrnoException[]> = {};
    for (const thread of [false, true]) {
      const aws = await start(thread);
      try {
        const name = `blocked-${thread}`;
        // A folder where the object's file goes: the store's final rename fails (EISDIR), a real file-system refusal.
        await mkdir(join(aws.servers.dataDir, 's3', aws.servers.bucketName, `${name}._S3rver_object`, 'occupied'), { recursive: true });
        const heard: NodeJS.ErrnoException[] = (failures[String(thread)] = []);
        aws.servers.onWriteFailure((error) => heard.push(error));
        const put = aws.s3.send(new PutObjectCommand({ Bucket: aws.servers.bucketName, Key: name, Body: loadCorpusPage('tuvalu', 2024) }));
        await expect(put).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
      } finally {
        await aws.close();
      }
    }
    const summary = (errors: NodeJS.ErrnoException[]) =>
      errors.map((error) => ({ code: error.code, syscall: error.syscall, file: /[^/]*\._S3rver_object/.exec(error.path ?? '')?.[0] }));
    expect(failures.true!.length).toBeGreaterThan(0);
    expect(failures.true![0]).toBeInstanceOf(Error);
    expect(failures.true![0]!.message).toContain('EISDIR');
    expect(summary(failures.true!)).toEqual(summary(failures.false!).map((entry) => ({ ...entry, file: entry.file?.replace('false', 'true') })));
  });

  it('end their thread on close(): no worker left, and a second close() resolves', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'redline-servers-thread-'));
    try {
      const workers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'MessagePort').length;
      const before = workers();
      const servers = await startServersOnThread({ dataDir, dynamodbInMemory: true, resetS3OnClose: true });
      expect(workers()).toBe(before + 1);
      await servers.close();
      expect(workers()).toBe(before);
      await expect(servers.close()).resolves.toBeUndefined();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('reject a pending start and a pending close clearly when their thread dies, and tell onCrash of a death meanwhile', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'redline-servers-thread-'));
    try {
      // Dies while starting: out of memory under a heap limit far below what the servers load.
      await expect(startServersOnThread({ dataDir, dynamodbInMemory: true }, { resourceLimits: { maxOldGenerationSizeMb: 4 } })).rejects.toThrow(
        /The local AWS servers' thread ended unexpectedly .*out of memory/,
      );
      // A start that fails (the S3 folder cannot be made: a file is in its way) is refused with the reason.
      await writeFile(join(dataDir, 'a-file'), 'in the way');
      await expect(startServersOnThread({ dataDir: join(dataDir, 'a-file') })).rejects.toMatchObject({ code: 'ENOTDIR' });

      // Dies while running: the listeners hear of it, and close() after it has nothing left to end.
      const running = await startServersOnThread({ dataDir, dynamodbInMemory: true, resetS3OnClose: true });
      const crashed = new Promise<Error>((resolve) => running.onCrash(resolve));
      running.injectCrash('a bug in a server');
      await expect(crashed).resolves.toMatchObject({ message: expect.stringMatching(/thread ended unexpectedly .*a bug in a server/) });
      await expect(running.close()).resolves.toBeUndefined();

      // Dies while closing: the close rejects with why.
      const closing = await startServersOnThread({ dataDir, dynamodbInMemory: true, resetS3OnClose: true });
      closing.injectCrash('a bug met while closing');
      await expect(closing.close()).rejects.toThrow(/thread ended unexpectedly .*a bug met while closing/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
