import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { RedlineError } from '../../errors.js';
import type { CaptureMessage, CaptureQueue } from '../../ports/capture-queue.js';

export interface SqsCaptureQueueOptions {
  client: SQSClient;
  queueUrl: string;
}

const BATCH_SIZE = 10; // SendMessageBatch's maximum

/** The capture queue on SQS. Entries SQS refuses in a batch are reported together, so the caller's retry covers them. */
export class SqsCaptureQueue implements CaptureQueue {
  constructor(private readonly options: SqsCaptureQueueOptions) {}

  async enqueue(messages: readonly CaptureMessage[]): Promise<void> {
    const failed: string[] = [];
    for (let start = 0; start < messages.length; start += BATCH_SIZE) {
      const batch = messages.slice(start, start + BATCH_SIZE);
      const result = await this.options.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: batch.map((message, index) => ({ Id: String(index), MessageBody: JSON.stringify(message) })),
        }),
      );
      for (const failure of result.Failed ?? []) {
        failed.push(`${batch[Number(failure.Id)]?.page ?? failure.Id}: ${failure.Code} ${failure.Message ?? ''}`.trim());
      }
    }
    if (failed.length > 0) throw new RedlineError(`SQS refused ${failed.length} capture message(s): ${failed.join('; ')}`);
  }
}
