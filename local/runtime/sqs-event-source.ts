import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';

export interface SqsEventSourceOptions {
  client: SQSClient;
  queueUrl: string;
  queueArn: string;
  /** The Lambda handler, given SQSEvent batches as an event source mapping gives them. */
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;
  functionName: string;
  batchSize?: number;
  /** Pollers at once (a mapping scales its pollers; FIFO still gives one batch per message group at a time). */
  pollers?: number;
  /** Long-poll wait of each ReceiveMessage, in seconds (default 1). */
  waitTimeSeconds?: number;
}

/**
 * A Lambda SQS event source mapping against a real SQS endpoint (fauxqs locally): receive batches, hand them to the
 * handler as SQSEvent records, delete what succeeded, and give the reported failures back at once (visibility 0)
 * rather than after the visibility timeout, so a local run does not wait. SQS itself keeps the FIFO rules: one
 * batch in flight per message group, redelivery in order, maxReceiveCount and the DLQ.
 */
export function startSqsEventSource(options: SqsEventSourceOptions): { stop(): Promise<void> } {
  const { client, queueUrl } = options;
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      const { Messages: messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: options.batchSize ?? 10,
          WaitTimeSeconds: options.waitTimeSeconds ?? 1,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      if (messages.length === 0) continue;
      const event: SQSEvent = { Records: messages.map((message) => sqsRecord(message, options.queueArn)) };
      let failedIds: Set<string>;
      try {
        const response = await options.handler(event, localLambdaContext(options.functionName));
        failedIds = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      } catch {
        // The whole batch failed (as when a Lambda invocation throws).
        failedIds = new Set(messages.map((message) => message.MessageId!));
      }
      const succeeded = messages.filter((message) => !failedIds.has(message.MessageId!));
      const failed = messages.filter((message) => failedIds.has(message.MessageId!));
      if (succeeded.length > 0) {
        await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: succeeded.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
          }),
        );
      }
      if (failed.length > 0) {
        await client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: failed.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 })),
          }),
        );
      }
    }
  };
  const pollers = Array.from({ length: options.pollers ?? 2 }, () => poll());
  const done = Promise.allSettled(pollers);
  return {
    async stop() {
      stopped = true;
      const results = await done;
      const failure = results.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
    },
  };
}

function sqsRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(attributes.MessageGroupId !== undefined ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId !== undefined ? { MessageDeduplicationId: attributes.MessageDeduplicationId } : {}),
      ...(attributes.SequenceNumber !== undefined ? { SequenceNumber: attributes.SequenceNumber } : {}),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? 'us-east-1',
  };
}
