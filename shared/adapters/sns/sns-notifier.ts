import { createHash } from 'node:crypto';
import type { MessageAttributeValue, SNSClient } from '@aws-sdk/client-sns';
import { NotificationDeliveryError, type Notifier } from '../../ports/notifier.js';
import type { Notification } from '../../domain/notification.js';
import { notificationAttributes, notificationSubject } from './notification-attributes.js';

/** SNS refuses messages over 256 KiB (body and attributes together); keep a margin. */
const MAX_BODY_BYTES = 240 * 1024;

export interface SnsNotifierOptions {
  client: SNSClient;
  topicArn: string;
}

/**
 * Publishes to the notifications topic. Subscribers filter on the MessageAttributes (series, edition, page,
 * sections, kinds, significance, type, trivial); the body is the notification as JSON, including its dedupe `id`.
 */
export class SnsNotifier implements Notifier {
  readonly name = 'sns';
  private readonly client: SNSClient;
  private readonly topicArn: string;
  private readonly fifo: boolean;

  constructor(options: SnsNotifierOptions) {
    this.client = options.client;
    this.topicArn = options.topicArn;
    this.fifo = options.topicArn.endsWith('.fifo');
  }

  async publish(notification: Notification): Promise<void> {
    // Imported here, not at the top: a function that publishes only now and then (capture's failure alerts) does not
    // load the SNS client at cold start (shared/runtime/aws/lazy-sns.ts). Node caches the module after the first call.
    const { PublishCommand } = await import('@aws-sdk/client-sns');
    try {
      await this.client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Message: messageBody(notification),
          Subject: notificationSubject(notification),
          MessageAttributes: snsMessageAttributes(notification),
          // Standard topics take no deduplication id; a FIFO topic dedupes on it within 5 minutes.
          ...(this.fifo
            ? {
                MessageGroupId: notification.page,
                MessageDeduplicationId: createHash('sha256').update(notification.id).digest('hex'),
              }
            : {}),
        }),
      );
    } catch (error) {
      throw new NotificationDeliveryError(`SNS publish of ${notification.id} failed`, { notificationId: notification.id }, { cause: error });
    }
  }
}

export function snsMessageAttributes(notification: Notification): Record<string, MessageAttributeValue> {
  const result: Record<string, MessageAttributeValue> = {};
  for (const [name, attribute] of Object.entries(notificationAttributes(notification))) {
    result[name] = {
      DataType: attribute.type,
      StringValue:
        attribute.type === 'String.Array' ? JSON.stringify(attribute.value) : attribute.type === 'Number' ? String(attribute.value) : attribute.value,
    };
  }
  return result;
}

function messageBody(notification: Notification): string {
  const body = JSON.stringify(notification);
  if (notification.type !== 'revision' || Buffer.byteLength(body, 'utf8') <= MAX_BODY_BYTES) return body;
  // Only the sections list can grow large: drop it, the diff at diffKey has them all.
  return JSON.stringify({ ...notification, sections: [], sectionsTruncated: true });
}
