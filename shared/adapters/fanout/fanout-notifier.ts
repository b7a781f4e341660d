import { NotificationDeliveryError, type DeliveryFailure, type Notifier } from '../../ports/notifier.js';
import type { Notification } from '../../domain/notification.js';

export interface FanoutResult {
  delivered: string[];
  failures: DeliveryFailure[];
}

/**
 * Publishes each notification to every target, concurrently; one target failing never stops the others.
 * publish() rejects after all targets were tried if any failed (so a stream or queue retry happens; receivers
 * dedupe on the id); publishAll() never rejects and reports per target.
 */
export class FanoutNotifier implements Notifier {
  readonly name: string;

  constructor(
    private readonly notifiers: readonly Notifier[],
    options: { name?: string } = {},
  ) {
    this.name = options.name ?? `fanout(${notifiers.map((notifier) => notifier.name).join(',')})`;
  }

  async publishAll(notification: Notification): Promise<FanoutResult> {
    const results = await Promise.allSettled(this.notifiers.map((notifier) => notifier.publish(notification)));
    const result: FanoutResult = { delivered: [], failures: [] };
    results.forEach((outcome, index) => {
      const name = this.notifiers[index]!.name;
      if (outcome.status === 'fulfilled') result.delivered.push(name);
      else result.failures.push({ notifier: name, error: outcome.reason });
    });
    return result;
  }

  async publish(notification: Notification): Promise<void> {
    const { failures } = await this.publishAll(notification);
    if (failures.length === 0) return;
    throw new NotificationDeliveryError(
      `Delivery of ${notification.id} failed for ${failures.map((failure) => failure.notifier).join(', ')}`,
      { notificationId: notification.id, failures },
      { cause: failures.length === 1 ? failures[0]!.error : new AggregateError(failures.map((failure) => failure.error)) },
    );
  }
}
