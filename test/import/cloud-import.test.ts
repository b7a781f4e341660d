import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { archiveCaptures } from '../../shared/adapters/warc/archive-captures.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { SqsImportQueue } from '../../shared/adapters/sqs/sqs-import-queue.js';
import type { ImportMessage } from '../../shared/ports/import-queue.js';
import { cloudImportDestination } from '../../shared/use-cases/cloud-import.js';
import { importPages, type ImportReport } from '../../shared/use-cases/import-pages.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { cli, temporaryFolder } from '../cli/cli-fixture.js';
import { startLocalAws } from '../support/local-aws.js';
import { editedPage, revisionLog, startCloudStack, writeSavedPages, type CloudStack } from './cloud-import-rig.js';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * `redline import` into a deployed stack, end to end on the local servers: the CLI stages Documents and sends
 * them on the FIFO import queue (fauxqs), the diff function's import handler records them (polled as the event
 * source mapping would), and the revisions equal what the local import records for the same files.
 */
const NOW = new Date('2026-01-01T00:00:00.000Z');
let folder: { path: string; remove(): Promise<void> };
let saved: { files: number; pages: string[] };
let localLog: Record<string, unknown[]>;

beforeAll(async () => {
  folder = await temporaryFolder('redline-cloud-import-');
  saved = await writeSavedPages(join(folder.path, 'saved'));
  // The reference: the local import of the same files.
  const aws = await startLocalAws();
  try {
    const revisions = new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName });
    const report = await importPages(
      { revisions, snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName }), now: () => NOW, settings: DEFAULT_TRACKER_SETTINGS },
      archiveCaptures([join(folder.path, 'saved')]),
    );
    expect(report).toMatchObject({ read: saved.files, imported: 8, unchanged: 1, failed: 0, outOfOrder: 0 });
    localLog = await revisionLog(revisions, saved.pages);
  } finally {
    await aws.close();
  }
});

afterAll(async () => {
  await folder?.remove();
});

describe('cloud import (redline import with REDLINE_TABLE and REDLINE_IMPORT_QUEUE_URL)', () => {
  let stack: CloudStack;
  afterEach(async () => {
    await stack?.close();
  });

  test('records each page in capture order, as the local import does; late S3 events and a second run change nothing', async () => {
    stack = await startCloudStack();
    stack.startConsumer();
    const first = await cli(['import', join(folder.path, 'saved'), '--json'], { env: stack.env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as ImportReport;
    expect(report).toMatchObject({ read: saved.files, imported: 8, unchanged: 1, queued: 0, failed: 0, outOfOrder: 0, watched: 5 });
    const cloudLog = await revisionLog(stack.revisions, saved.pages);
    expect(cloudLog).toEqual(localLog);
    // Tuvalu: three revisions, in capture order, each diffed against the one before.
    expect(cloudLog['hrr.tuvalu.2023']!.map((entry) => (entry as unknown[])[1])).toEqual([
      '2025-03-01T00:00:00.000Z',
      '2025-04-01T00:00:00.000Z',
      '2025-05-01T00:00:00.000Z',
    ]);
    expect(stack.delivered).toHaveLength(9);

    // The docs/ writes raised S3 events; delivered now (after every later capture was recorded), each carries its
    // capture time on the object and is a duplicate or stale, not a revision dated at the upload.
    expect(await stack.deliverDocumentEvents()).toBe(9);
    expect(await revisionLog(stack.revisions, saved.pages)).toEqual(localLog);

    const again = await cli(['import', join(folder.path, 'saved')], { env: stack.env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`imported 0 revision(s) of 5 page(s) from ${saved.files} capture(s)`);
    expect(again.stdout).toContain(`skipped (already stored): ${saved.files}`);
    expect(again.stdout).toContain(
      'nothing new: every capture is already a revision of the stack or was decided by an earlier run; nothing was sent',
    );
    expect(stack.delivered).toHaveLength(9);
    expect(await revisionLog(stack.revisions, saved.pages)).toEqual(localLog);
  });

  test('a run that stopped part way through sending is completed by running it again, and nothing is recorded twice', async () => {
    stack = await startCloudStack();
    // The importer dies after its third message (a killed process sends nothing more).
    const real = new SqsImportQueue({ client: stack.sqs, queueUrl: stack.queueUrl });
    let sent = 0;
    const dying = {
      async sendInOrder(messages: readonly ImportMessage[]) {
        for (const message of messages) {
          if (sent >= 3) throw new Error('killed');
          await real.sendInOrder([message]);
          sent++;
        }
      },
    };
    const partial = await importPages(
      { revisions: stack.revisions, snapshots: stack.snapshots, now: () => new Date(), settings: DEFAULT_TRACKER_SETTINGS },
      archiveCaptures([join(folder.path, 'saved')]),
      { concurrency: 1, destination: cloudImportDestination({ staging: stack.staging, queue: dying }, { waitMs: 0 }) },
    );
    expect(partial).toMatchObject({ imported: 0, failed: saved.files, unchanged: 0 });
    expect(sent).toBe(3);

    stack.startConsumer();
    const resumed = await cli(['import', join(folder.path, 'saved'), '--json'], { env: stack.env });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ imported: 8, unchanged: 1, failed: 0, outOfOrder: 0, queued: 0 });
    expect(await revisionLog(stack.revisions, saved.pages)).toEqual(localLog);
    // The three messages sent before the stop were sent again with the same deduplication ids: delivered once.
    expect(stack.delivered).toHaveLength(9);
  });

  test('stopped (Ctrl-C) while waiting for the stack: what was sent is reported queued, and the same import completes it', async () => {
    stack = await startCloudStack();
    const controller = new AbortController();
    const stopped = await importPages(
      { revisions: stack.revisions, snapshots: stack.snapshots, now: () => new Date(), settings: DEFAULT_TRACKER_SETTINGS },
      archiveCaptures([join(folder.path, 'saved')]),
      {
        signal: controller.signal,
        destination: cloudImportDestination(
          { staging: stack.staging, queue: new SqsImportQueue({ client: stack.sqs, queueUrl: stack.queueUrl }) },
          // The first pause while waiting is where the user presses Ctrl-C.
          { waitMs: 10 * 60_000, sleep: async () => controller.abort() },
        ),
      },
    );
    expect(stopped).toMatchObject({ interrupted: 'while recording', imported: 0, failed: 0 });
    expect(stopped.queued).toBeGreaterThan(0);

    stack.startConsumer();
    const resumed = await cli(['import', join(folder.path, 'saved'), '--json'], { env: stack.env });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ failed: 0, queued: 0, outOfOrder: 0 });
    expect(await revisionLog(stack.revisions, saved.pages)).toEqual(localLog);
  });

  test('a capture the stack gives up on (dead-lettered) is reported failed; the rest of its page is recorded after it', async () => {
    stack = await startCloudStack({ maxReceiveCount: 2 });
    stack.startConsumer();
    const real = new SqsImportQueue({ client: stack.sqs, queueUrl: stack.queueUrl });
    // Tuvalu's first capture points at a staged Document that is not there: every delivery fails.
    const poisoned = {
      async sendInOrder(messages: readonly ImportMessage[]) {
        await real.sendInOrder(
          messages.map((message) =>
            message.capturedAt === '2025-03-01T00:00:00.000Z'
              ? { ...message, stagedKey: message.stagedKey.replace(/[0-9a-f]{64}/, '0'.repeat(64)) }
              : message,
          ),
        );
      },
    };
    const report = await importPages(
      { revisions: stack.revisions, snapshots: stack.snapshots, now: () => new Date(), settings: DEFAULT_TRACKER_SETTINGS },
      archiveCaptures([join(folder.path, 'saved')]),
      { destination: cloudImportDestination({ staging: stack.staging, queue: poisoned }, { waitMs: 10 * 60_000, pollIntervalMs: 20 }) },
    );
    expect(report).toMatchObject({ imported: 7, unchanged: 1, failed: 1, queued: 0 });
    expect(report.notImported.find((item) => item.outcome === 'failed')).toMatchObject({
      page: 'hrr.tuvalu.2023',
      capturedAt: '2025-03-01T00:00:00.000Z',
      message: expect.stringContaining('dead-letter queue'),
    });
    const log = await revisionLog(stack.revisions, ['hrr.tuvalu.2023']);
    expect(log['hrr.tuvalu.2023']!.map((entry) => (entry as unknown[])[1])).toEqual(['2025-04-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z']);
  });

  test('--no-wait sends and stops (queued); the next run reports what the stack decided and sends nothing again', async () => {
    stack = await startCloudStack();
    const sentOnly = await cli(['import', join(folder.path, 'saved'), '--no-wait', '--json'], { env: stack.env });
    expect(sentOnly.code).toBe(0);
    expect(JSON.parse(sentOnly.stdout)).toMatchObject({ imported: 0, queued: 9, failed: 0 });
    const attributes = await stack.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: stack.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(attributes.Attributes?.ApproximateNumberOfMessages).toBe('9');

    stack.startConsumer();
    const after = await cli(['import', join(folder.path, 'saved'), '--json'], { env: stack.env });
    expect(after.code).toBe(0);
    // Their outcomes are in the bucket by the time the second run has waited for the pages' last messages.
    const report = JSON.parse(after.stdout) as ImportReport;
    expect(report.queued).toBe(0);
    expect(await revisionLog(stack.revisions, saved.pages)).toEqual(localLog);
    // Sent once: the second run's messages, if any, carried the same deduplication ids.
    expect(new Set(stack.delivered).size).toBe(9);
  });

  test('a capture older than the stack history is stale: reported out of order, not appended (exit 1)', async () => {
    stack = await startCloudStack();
    stack.startConsumer();
    const newer = join(folder.path, 'newer');
    const older = join(folder.path, 'older');
    await writeSavedPage(newer, 'tuvalu-late.html', editedPage('tuvalu', 'Tuvalu', 8, '2025-09-01T00:00:00+00:00'));
    await writeSavedPage(older, 'tuvalu-early.html', editedPage('tuvalu', 'Tuvalu', 9, '2025-01-01T00:00:00+00:00'));
    expect((await cli(['import', newer], { env: stack.env })).code).toBe(0);
    const result = await cli(['import', older], { env: stack.env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('out of order: 1');
    expect(result.stdout).toMatch(
      /out-of-order: .*tuvalu-early\.html: stale: captured 2025-01-01T00:00:00\.000Z, before the page's latest revision 1/,
    );
    const log = await revisionLog(stack.revisions, ['hrr.tuvalu.2023']);
    expect(log['hrr.tuvalu.2023']).toHaveLength(1);
  });

  test('--stack reads the table, bucket and import queue from the stack outputs; an unknown stack is a usage error (exit 2)', async () => {
    stack = await startCloudStack();
    stack.startConsumer();
    const outputs = { TableName: stack.aws.tableName, BucketName: stack.aws.bucketName, ImportQueueUrl: stack.queueUrl };
    const requests: string[] = [];
    // CloudFormation's DescribeStacks (query protocol): no local server exists for it, so this one answers it.
    const cloudformation = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const name = new URLSearchParams(body).get('StackName') ?? '';
        requests.push(name);
        response.setHeader('Content-Type', 'text/xml');
        if (name !== 'Redline-Test-Stateless') {
          response.statusCode = 400;
          response.end(
            '<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code>' +
              `<Message>Stack with id ${name} does not exist</Message></Error><RequestId>r2</RequestId></ErrorResponse>`,
          );
          return;
        }
        const members = Object.entries(outputs)
          .map(([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${value}</OutputValue></member>`)
          .join('');
        response.end(
          '<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>' +
            `<StackName>${name}</StackName><StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime>` +
            `<Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult>` +
            '<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DescribeStacksResponse>',
        );
      });
    });
    await new Promise<void>((resolve) => cloudformation.listen(0, '127.0.0.1', resolve));
    try {
      const { REDLINE_TABLE: _table, REDLINE_BUCKET: _bucket, REDLINE_IMPORT_QUEUE_URL: _queue, AWS_REGION: _region, ...rest } = stack.env;
      const env = { ...rest, REDLINE_CLOUDFORMATION_ENDPOINT: `http://127.0.0.1:${(cloudformation.address() as AddressInfo).port}` };
      const result = await cli(['import', join(folder.path, 'saved'), '--stack', 'Redline-Test-Stateless', '--region', 'us-east-1', '--json'], {
        env,
      });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toMatchObject({ imported: 8, unchanged: 1, failed: 0 });
      expect(await revisionLog(stack.revisions, saved.pages)).toEqual(localLog);

      const unknown = await cli(['import', join(folder.path, 'saved'), '--stack', 'Redline-Typo', '--region', 'us-east-1'], { env });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('No stack named Redline-Typo in us-east-1');
      const noRegion = await cli(['import', join(folder.path, 'saved'), '--stack', 'Redline-Test-Stateless'], { env });
      expect(noRegion.code).toBe(2);
      expect(noRegion.stderr).toContain('needs a region');
      expect(requests).toEqual(['Redline-Test-Stateless', 'Redline-Typo']);
    } finally {
      await new Promise((resolve) => cloudformation.close(resolve));
    }
  });

  test('a standard queue, a missing queue URL or another region is a usage error that writes nothing (exit 2)', async () => {
    stack = await startCloudStack();
    const saved = join(folder.path, 'saved');
    const standard = await cli(['import', saved], { env: { ...stack.env, REDLINE_IMPORT_QUEUE_URL: stack.queueUrl.replace('.fifo', '') } });
    expect(standard.code).toBe(2);
    expect(standard.stderr).toContain('is not a FIFO queue');
    const { REDLINE_IMPORT_QUEUE_URL: _unset, ...withoutQueue } = stack.env;
    const missing = await cli(['import', saved], { env: withoutQueue });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('REDLINE_IMPORT_QUEUE_URL is not set');
    const region = await cli(['import', saved], {
      env: { ...stack.env, REDLINE_IMPORT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/redline-import.fifo' },
    });
    expect(region.code).toBe(2);
    expect(region.stderr).toContain('The import queue is in eu-west-1 but AWS_REGION is us-east-1');
    const gone = await cli(['import', saved], { env: { ...stack.env, REDLINE_IMPORT_QUEUE_URL: stack.queueUrl.replace('redline-import', 'nope') } });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('cannot be reached');
    expect(await stack.revisions.getPage('hrr.tuvalu.2023')).toBeUndefined();
  });
});

async function writeSavedPage(directory: string, name: string, html: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, name), html);
}
