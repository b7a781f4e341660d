import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createImportHandler } from '../../functions/diff/import-handler.js';
import { SqsImportQueue } from '../../shared/adapters/sqs/sqs-import-queue.js';
import { extract } from '../../shared/domain/extract.js';
import type { ImportMessage } from '../../shared/ports/import-queue.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { quietObservability } from '../api/api-fixture.js';
import { editedPage, startCloudStack, type CloudStack } from './cloud-import-rig.js';

/**
 * The import queue's consumer held to the SQS FIFO rules: a group stops at its first failure (its later messages are
 * given back, in order) while other groups go on; a message delivered twice records once; fauxqs (the queue the
 * end-to-end tests use) delivers one batch per group at a time, in send order, and drops a message sent again.
 */
const TUVALU = 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/tuvalu/';
const ANDORRA = 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/andorra/';

describe('the import queue consumer (functions/diff/import-handler.ts)', () => {
  let stack: CloudStack;
  let messages: { tuvalu: ImportMessage[]; andorra: ImportMessage[] };

  /** Watches both pages and stages their captures (Tuvalu: 3, Andorra: 1), as pass 1 of a cloud import does. */
  const stageCaptures = async () => {
    const dependencies = { revisions: stack.revisions, snapshots: stack.snapshots, now: () => new Date(), settings: DEFAULT_TRACKER_SETTINGS };
    const stage = async (url: string, country: 'tuvalu' | 'andorra', name: string, n: number, day: number): Promise<ImportMessage> => {
      const { page } = await addWatch(dependencies, { url, origin: 'import' });
      const capturedAt = `2025-0${n}-${String(day).padStart(2, '0')}T00:00:00.000Z`;
      const document = extract(editedPage(country, name, n, capturedAt), { url: page.url, profile: page.profile });
      const staged = await stack.staging.putDocument(page.page, document);
      return { page: page.page, documentHash: staged.sha256, stagedKey: staged.key, capturedAt, source: `${country}-${n}.html` };
    };
    messages = {
      tuvalu: [
        await stage(TUVALU, 'tuvalu', 'Tuvalu', 1, 1),
        await stage(TUVALU, 'tuvalu', 'Tuvalu', 2, 1),
        await stage(TUVALU, 'tuvalu', 'Tuvalu', 3, 1),
      ],
      andorra: [await stage(ANDORRA, 'andorra', 'Andorra', 1, 2)],
    };
  };

  const sqsEvent = (items: readonly ImportMessage[]): SQSEvent => ({
    Records: items.map((message, index) => ({
      messageId: `m${index}`,
      receiptHandle: `r${index}`,
      body: JSON.stringify(message),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: '0',
        MessageGroupId: message.page,
        MessageDeduplicationId: `${message.page}.${message.documentHash}`,
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: stack.queueArn,
      awsRegion: 'us-east-1',
    })),
  });

  afterEach(async () => {
    await stack?.close();
  });

  test("a group stops at its first failure and its later messages are given back; another page's group goes on", async () => {
    stack = await startCloudStack();
    await stageCaptures();
    const handler = createImportHandler({ revisions: stack.revisions, snapshots: stack.snapshots, staging: stack.staging }, quietObservability());
    const [first, second, third] = messages.tuvalu as [ImportMessage, ImportMessage, ImportMessage];
    const broken = { ...first, stagedKey: first.stagedKey.replace(/[0-9a-f]{64}/, second.documentHash) };
    const response = (await handler(sqsEvent([broken, second, messages.andorra[0]!, third]), localLambdaContext('diff'))) as SQSBatchResponse;
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(['m0', 'm1', 'm3']);
    expect(await stack.revisions.latestRevision('hrr.tuvalu.2023')).toBeUndefined();
    expect((await stack.revisions.latestRevision('hrr.andorra.2023'))?.seq).toBe(1);

    // Given back in order, the group records in capture order; the same messages again record nothing more.
    for (const attempt of [1, 2]) {
      const again = (await handler(sqsEvent(messages.tuvalu), localLambdaContext('diff'))) as SQSBatchResponse;
      expect(again.batchItemFailures).toEqual([]);
      const { items } = await stack.revisions.listRevisions('hrr.tuvalu.2023', { limit: 10, newestFirst: false });
      expect({ attempt, captured: items.map((revision) => revision.capturedAt) }).toEqual({
        attempt,
        captured: messages.tuvalu.map((message) => message.capturedAt),
      });
    }
    expect(await stack.staging.getOutcome(third.page, third.documentHash)).toMatchObject({ outcome: 'recorded', seq: 3 });
  });

  test('fauxqs keeps the FIFO rules the consumer relies on: one batch per group in flight, send order, deduplication', async () => {
    stack = await startCloudStack();
    await stageCaptures();
    const queue = new SqsImportQueue({ client: stack.sqs, queueUrl: stack.queueUrl });
    await queue.sendInOrder(messages.tuvalu);
    await queue.sendInOrder(messages.andorra);
    await queue.sendInOrder(messages.tuvalu); // sent again: dropped by deduplication id
    const receive = async () => {
      const { Messages = [] } = await stack.sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.queueUrl, MaxNumberOfMessages: 10 }));
      return Messages.map((message) => ({ receipt: message.ReceiptHandle!, body: JSON.parse(message.Body!) as ImportMessage }));
    };
    const tuvalu: string[] = [];
    let rounds = 0;
    // Receive without deleting: a group's messages come in one batch (a prefix of the group, in send order) and
    // none of the group comes again while that batch is in flight. Then delete, and the group goes on.
    while (rounds++ < 10) {
      const inFlight: Array<{ receipt: string; body: ImportMessage }> = [];
      const tuvaluBatches = new Set<number>();
      for (let batch = await receive(), index = 0; batch.length > 0; batch = await receive(), index++) {
        inFlight.push(...batch);
        if (batch.some(({ body }) => body.page === 'hrr.tuvalu.2023')) tuvaluBatches.add(index);
      }
      if (inFlight.length === 0) break;
      expect(tuvaluBatches.size).toBeLessThanOrEqual(1);
      const groups = new Map<string, string[]>();
      for (const { body } of inFlight) groups.set(body.page, [...(groups.get(body.page) ?? []), body.source]);
      tuvalu.push(...(groups.get('hrr.tuvalu.2023') ?? []));
      await stack.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: stack.queueUrl,
          Entries: inFlight.map((message, index) => ({ Id: String(index), ReceiptHandle: message.receipt })),
        }),
      );
    }
    // Send order, each once (the second sending was dropped by its deduplication ids).
    expect(tuvalu).toEqual(['tuvalu-1.html', 'tuvalu-2.html', 'tuvalu-3.html']);
    expect(rounds).toBeGreaterThan(2);
  });

  test('a message that keeps failing goes to the DLQ after maxReceiveCount; the rest of its page is then recorded', async () => {
    stack = await startCloudStack({ maxReceiveCount: 2 });
    await stageCaptures();
    const [first, second, third] = messages.tuvalu as [ImportMessage, ImportMessage, ImportMessage];
    const missing = { ...first, stagedKey: first.stagedKey.replace(/[0-9a-f]{64}/, 'f'.repeat(64)), documentHash: 'f'.repeat(64) };
    await new SqsImportQueue({ client: stack.sqs, queueUrl: stack.queueUrl }).sendInOrder([missing, second, third]);
    stack.startConsumer();
    // The group's last message decided means every earlier one is decided or dead-lettered (FIFO order).
    let decided;
    for (let poll = 0; poll < 600 && !decided; poll++) {
      decided = await stack.staging.getOutcome(third.page, third.documentHash);
      if (!decided) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(decided).toMatchObject({ outcome: 'recorded', seq: 2 });
    const dead = await stack.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: stack.deadLetterQueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(dead.Attributes?.ApproximateNumberOfMessages).toBe('1');
    expect(stack.delivered.filter((body) => body.includes('f'.repeat(64)))).toHaveLength(2);
  });
});
