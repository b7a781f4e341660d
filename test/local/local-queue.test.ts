import { createHash } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { LocalQueue, LogicalTimeline, QueueEventSource, sqsRecord, type InvocationReport } from '../../local/runtime/local-queue.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Queues on a logical timeline: visibility timeouts pass when nothing runs, never because the machine was slow. */
function queues(options: { visibilityTimeoutMs?: number; maxReceiveCount?: number } = {}) {
  const timeline = new LogicalTimeline();
  const deadLetters = new LocalQueue<string>({ name: 'work-dlq', timeline });
  const queue = new LocalQueue<string>({
    name: 'work',
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? 30,
    maxReceiveCount: options.maxReceiveCount ?? 3,
    deadLetterQueue: deadLetters,
    clock: () => Date.parse('2025-03-01T12:00:00Z'),
    timeline,
  });
  return { queue, deadLetters, timeline };
}

/** An SQS event source whose handler fails the bodies `fails` says, and records every delivery. */
function source(
  queue: LocalQueue<string>,
  fails: (body: string, receiveCount: number) => boolean | 'throw',
  options: { batchSize?: number; concurrency?: number } = {},
) {
  const deliveries: { body: string; receiveCount: number; batch: number }[] = [];
  const reports: InvocationReport<string>[] = [];
  let batches = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const eventSource = new QueueEventSource<string, SQSEvent, SQSBatchResponse>({
    queue,
    batchSize: options.batchSize ?? 10,
    concurrency: options.concurrency ?? 1,
    toEvent: (messages) => ({ Records: messages.map((message) => sqsRecord(queue, message)) }),
    invoke: async (event) => {
      const batch = ++batches;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await sleep(5);
        const failures: { itemIdentifier: string }[] = [];
        for (const record of event.Records) {
          const receiveCount = Number(record.attributes.ApproximateReceiveCount);
          deliveries.push({ body: record.body, receiveCount, batch });
          const verdict = fails(record.body, receiveCount);
          if (verdict === 'throw') throw new Error('handler crashed');
          if (verdict) failures.push({ itemIdentifier: record.messageId });
        }
        return { batchItemFailures: failures };
      } finally {
        inFlight -= 1;
      }
    },
    failedIds: (result) => result.batchItemFailures.map((failure) => failure.itemIdentifier),
    onInvocation: (report) => reports.push(report),
  });
  if (queue.timeline instanceof LogicalTimeline) queue.timeline.whenQuiescent(() => eventSource.isQuiescent());
  return { eventSource, deliveries, reports, maxInFlight: () => maxInFlight };
}

describe('LocalQueue', () => {
  it('hides a received message for the visibility timeout, then delivers it again with a higher receive count', async () => {
    const { queue, timeline } = queues({ visibilityTimeoutMs: 500 });
    const [sent] = queue.send(['{"page":"a"}']);
    const [first] = queue.receive(10);
    expect(first).toMatchObject({ messageId: sent!.messageId, payload: '{"page":"a"}', receiveCount: 1 });
    expect(queue.receive(10)).toEqual([]);
    expect(queue.size).toBe(1);
    expect(queue.nextVisibleInMs()).toBe(500);
    // Nothing comes back before the timeout has passed on the queue's timeline.
    timeline.setTimer(499, () => {});
    timeline.advance();
    expect(queue.receive(10)).toEqual([]);
    timeline.setTimer(1, () => {});
    timeline.advance();
    const [second] = queue.receive(10);
    expect(second).toMatchObject({ messageId: sent!.messageId, receiveCount: 2 });
    expect(second!.receiptHandle).not.toBe(first!.receiptHandle);
    // The first receipt handle is stale now.
    expect(queue.delete(first!.receiptHandle)).toBe(false);
    expect(queue.delete(second!.receiptHandle)).toBe(true);
    expect(queue.size).toBe(0);
  });

  it('makes a message visible at once with a zero visibility change', () => {
    const { queue } = queues({ visibilityTimeoutMs: 60_000 });
    queue.send(['x']);
    const [received] = queue.receive(1);
    expect(queue.receive(1)).toEqual([]);
    expect(queue.changeVisibility(received!.receiptHandle, 0)).toBe(true);
    expect(queue.receive(1)[0]).toMatchObject({ payload: 'x', receiveCount: 2 });
  });

  it('moves a message to the dead-letter queue on the receive after maxReceiveCount', () => {
    const { queue, deadLetters } = queues({ visibilityTimeoutMs: 0, maxReceiveCount: 2 });
    const [sent] = queue.send(['poison']);
    expect(queue.receive(1)[0]!.receiveCount).toBe(1);
    expect(queue.receive(1)[0]!.receiveCount).toBe(2);
    expect(queue.receive(1)).toEqual([]);
    expect(queue.size).toBe(0);
    expect(deadLetters.deadLetters).toEqual([
      expect.objectContaining({ messageId: sent!.messageId, payload: 'poison', receiveCount: 2, sourceQueue: 'work' }),
    ]);
    // Dead letters can be received from the DLQ (a redrive), with a fresh count.
    expect(deadLetters.receive(1)[0]).toMatchObject({ messageId: sent!.messageId, receiveCount: 1 });
  });

  it('builds the SQSRecord Lambda receives', () => {
    const { queue } = queues();
    queue.send(['{"a":1}']);
    const [message] = queue.receive(1);
    expect(sqsRecord(queue, message!)).toEqual({
      messageId: message!.messageId,
      receiptHandle: message!.receiptHandle,
      body: '{"a":1}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.parse('2025-03-01T12:00:00Z')),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: String(Date.parse('2025-03-01T12:00:00Z')),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update('{"a":1}').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:work',
      awsRegion: 'us-east-1',
    });
  });
});

describe('QueueEventSource (the SQS event source mapping)', () => {
  it('deletes what succeeded and redelivers the partial batch failures after the visibility timeout', async () => {
    const { queue, deadLetters } = queues({ visibilityTimeoutMs: 30, maxReceiveCount: 5 });
    const { eventSource, deliveries, reports } = source(queue, (body, receiveCount) => body === 'flaky' && receiveCount < 3);
    eventSource.start();
    try {
      queue.send(['ok-1', 'flaky', 'ok-2']);
      await eventSource.idle();
    } finally {
      await eventSource.stop();
    }
    expect(deliveries.map(({ body, receiveCount }) => `${body}#${receiveCount}`)).toEqual(['ok-1#1', 'flaky#1', 'ok-2#1', 'flaky#2', 'flaky#3']);
    expect(reports.map((report) => report.failedMessageIds.length)).toEqual([1, 1, 0]);
    expect(queue.size).toBe(0);
    expect(deadLetters.size).toBe(0);
  });

  it('sends a message that keeps failing to the DLQ after maxReceiveCount deliveries, and nothing else', async () => {
    const { queue, deadLetters } = queues({ visibilityTimeoutMs: 10, maxReceiveCount: 3 });
    const { eventSource, deliveries } = source(queue, (body) => body === 'poison');
    eventSource.start();
    try {
      queue.send(['a', 'poison', 'b']);
      await eventSource.idle();
    } finally {
      await eventSource.stop();
    }
    expect(deliveries.filter((delivery) => delivery.body === 'poison').map((delivery) => delivery.receiveCount)).toEqual([1, 2, 3]);
    expect(deliveries.filter((delivery) => delivery.body !== 'poison').map((delivery) => delivery.body)).toEqual(['a', 'b']);
    expect(deadLetters.deadLetters.map((letter) => [letter.payload, letter.receiveCount, letter.sourceQueue])).toEqual([['poison', 3, 'work']]);
  });

  it('redelivers the whole batch when the handler throws', async () => {
    const { queue } = queues({ visibilityTimeoutMs: 10, maxReceiveCount: 5 });
    let crashes = 1;
    const { eventSource, deliveries, reports } = source(queue, () => (crashes-- > 0 ? 'throw' : false), { batchSize: 2 });
    eventSource.start();
    try {
      queue.send(['x', 'y']);
      await eventSource.idle();
    } finally {
      await eventSource.stop();
    }
    // The crash happened on the first record; both come back together.
    expect(deliveries.map(({ body, receiveCount }) => `${body}#${receiveCount}`)).toEqual(['x#1', 'x#2', 'y#2']);
    expect(reports[0]).toMatchObject({ failedMessageIds: expect.arrayContaining(reports[0]!.messages.map((message) => message.messageId)) });
    expect(reports[0]!.error).toBeInstanceOf(Error);
  });

  it('respects the batch size and the concurrency limit', async () => {
    const { queue } = queues();
    const { eventSource, deliveries, maxInFlight } = source(queue, () => false, { batchSize: 3, concurrency: 2 });
    queue.send(Array.from({ length: 10 }, (_, index) => `m${index}`));
    eventSource.start();
    try {
      await eventSource.idle();
    } finally {
      await eventSource.stop();
    }
    const sizes = new Map<number, number>();
    for (const delivery of deliveries) sizes.set(delivery.batch, (sizes.get(delivery.batch) ?? 0) + 1);
    expect([...sizes.values()].sort()).toEqual([1, 3, 3, 3]);
    expect(maxInFlight()).toBe(2);
    expect(deliveries.map((delivery) => delivery.body).sort()).toEqual(Array.from({ length: 10 }, (_, index) => `m${index}`).sort());
  });

  it('stops without losing messages: what is left is delivered after a restart', async () => {
    const { queue } = queues();
    const { eventSource, deliveries } = source(queue, () => false);
    queue.send(['kept']);
    await eventSource.stop();
    expect(queue.size).toBe(1);
    await expect(eventSource.idle()).rejects.toThrow(/stopped with messages left/);
    eventSource.start();
    try {
      await eventSource.idle();
    } finally {
      await eventSource.stop();
    }
    expect(deliveries.map((delivery) => delivery.body)).toEqual(['kept']);
  });
});

describe('LogicalTimeline (visibility on the injected clock, not the machine speed)', () => {
  it('never redelivers a message while its first delivery is still in flight, however slow the handler is', async () => {
    const timeline = new LogicalTimeline();
    // A visibility timeout far shorter than the handler's real run time: on real time this message would come back.
    const queue = new LocalQueue<string>({ name: 'slow', visibilityTimeoutMs: 1, maxReceiveCount: 3, timeline });
    const receiveCounts: number[] = [];
    const eventSource = new QueueEventSource<string, SQSEvent, SQSBatchResponse>({
      queue,
      batchSize: 1,
      concurrency: 2,
      toEvent: (messages) => ({ Records: messages.map((message) => sqsRecord(queue, message)) }),
      invoke: async (event) => {
        receiveCounts.push(...event.Records.map((record) => Number(record.attributes.ApproximateReceiveCount)));
        await sleep(40);
        return { batchItemFailures: [] };
      },
      failedIds: (result) => result.batchItemFailures.map((failure) => failure.itemIdentifier),
    });
    timeline.whenQuiescent(() => eventSource.isQuiescent());
    queue.send(['a', 'b', 'c']);
    eventSource.start();
    await eventSource.idle();
    await eventSource.stop();
    expect(receiveCounts).toEqual([1, 1, 1]);
  });

  it('moves time to the next redelivery once nothing runs, so failures come back without waiting out the timeout', async () => {
    const timeline = new LogicalTimeline();
    const deadLetters = new LocalQueue<string>({ name: 'work-dlq', timeline });
    // An hour of visibility: only a logical timeline gets through four deliveries within the test.
    const queue = new LocalQueue<string>({
      name: 'work',
      visibilityTimeoutMs: 3_600_000,
      maxReceiveCount: 3,
      deadLetterQueue: deadLetters,
      timeline,
    });
    const { eventSource, deliveries } = source(queue, (body, receiveCount) => body === 'poison' || receiveCount < 2);
    timeline.whenQuiescent(() => eventSource.isQuiescent());
    queue.send(['ok', 'poison']);
    eventSource.start();
    while (queue.size > 0) await new Promise((resolve) => setImmediate(resolve));
    await eventSource.stop();
    expect(deliveries.map((delivery) => `${delivery.body}#${delivery.receiveCount}`).sort()).toEqual([
      'ok#1',
      'ok#2',
      'poison#1',
      'poison#2',
      'poison#3',
    ]);
    expect(deadLetters.deadLetters.map((letter) => letter.payload)).toEqual(['poison']);
    // Three visibility timeouts of an hour each (two redeliveries, then the move to the DLQ) passed on the timeline.
    expect(timeline.now()).toBe(3 * 3_600_000);
    expect(timeline.waiting).toBe(0);
  });

  it('does not move while anything is still running', async () => {
    const timeline = new LogicalTimeline();
    let running = true;
    let fired = 0;
    timeline.whenQuiescent(() => !running);
    timeline.setTimer(1_000, () => (fired += 1));
    timeline.poke();
    await new Promise((resolve) => setImmediate(resolve));
    expect([fired, timeline.now()]).toEqual([0, 0]);
    running = false;
    expect(timeline.advance()).toBe(true);
    expect([fired, timeline.now()]).toEqual([1, 1_000]);
    expect(timeline.advance()).toBe(false);
  });
});
