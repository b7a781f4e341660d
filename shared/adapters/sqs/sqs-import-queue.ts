import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sha256Hex } from '../s3/canonical-json.js';
import { RedlineError } from '../../errors.js';
import type { ImportMessage, ImportQueue } from '../../ports/import-queue.js';

export interface SqsImportQueueOptions {
  client: SQSClient;
  /** A FIFO queue (its name ends in .fifo). */
  queueUrl: string;
}

const BATCH_SIZE = 10; // SendMessageBatch's maximum
const MAX_ID_LENGTH = 128; // MessageGroupId and MessageDeduplicationId

/**
 * The import queue on SQS FIFO. Group = page (ordered per page, pages in parallel); deduplication id = page and
 * Document hash, so a message sent again within SQS's 5-minute window is dropped (and the consumer's outcome
 * object makes a later one a no-op). Messages of one batch are enqueued in entry order, and batches go one after
 * the other, so a page's captures arrive in the order given.
 */
export class SqsImportQueue implements ImportQueue {
  constructor(private readonly options: SqsImportQueueOptions) {}

  async sendInOrder(messages: readonly ImportMessage[]): Promise<void> {
    for (let start = 0; start < messages.length; start += BATCH_SIZE) {
      const batch = messages.slice(start, start + BATCH_SIZE);
      const result = await this.options.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(message),
            MessageGroupId: importGroupId(message.page),
            MessageDeduplicationId: importDeduplicationId(message.page, message.documentHash),
          })),
        }),
      );
      const failed = (result.Failed ?? []).map((failure) =>
        `${batch[Number(failure.Id)]?.source ?? failure.Id}: ${failure.Code} ${failure.Message ?? ''}`.trim(),
      );
      // Stop at the first refusal: a later capture of the page must not go ahead of one that is not queued.
      if (failed.length > 0) throw new RedlineError(`SQS refused ${failed.length} import message(s): ${failed.join('; ')}`);
    }
  }
}

/** The page id (128 characters at most; a longer one by its hash). */
export function importGroupId(page: string): string {
  return page.length <= MAX_ID_LENGTH ? page : sha256Hex(page);
}

export function importDeduplicationId(page: string, documentHash: string): string {
  return sha256Hex(`${page}\n${documentHash}`);
}
