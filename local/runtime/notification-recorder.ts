import type { Notifier } from '../../shared/ports/notifier.js';
import type { Notification } from '../../shared/domain/notification.js';
import { notificationMatches, type FilterPolicy } from '../../shared/adapters/sns/filter-policy.js';

export interface RecordedDelivery {
  notification: Notification;
  deliveredAt: Date;
}

/**
 * An in-memory subscriber: every notification delivered locally, in order, for the demo's summary, the tests and
 * a local Atom feed. Deliveries are at least once (a stream retry can deliver again); `notifications` keeps the
 * first delivery of each id, as a subscriber deduplicating on the id would.
 */
export class NotificationRecorder implements Notifier {
  readonly name = 'recorder';
  readonly deliveries: RecordedDelivery[] = [];
  private readonly listeners = new Set<(delivery: RecordedDelivery) => void>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async publish(notification: Notification): Promise<void> {
    const delivery = { notification, deliveredAt: this.clock() };
    this.deliveries.push(delivery);
    for (const listener of [...this.listeners]) listener(delivery);
  }

  get notifications(): Notification[] {
    const seen = new Set<string>();
    const unique: Notification[] = [];
    for (const { notification } of this.deliveries) {
      if (seen.has(notification.id)) continue;
      seen.add(notification.id);
      unique.push(notification);
    }
    return unique;
  }

  ids(): string[] {
    return this.notifications.map((notification) => notification.id);
  }

  onDelivery(listener: (delivery: RecordedDelivery) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.deliveries.length = 0;
  }
}

/** A subscription: the target gets only what its filter policy passes (SNS semantics, evaluated in process). */
export class FilteredNotifier implements Notifier {
  readonly name: string;

  constructor(
    private readonly target: Notifier,
    private readonly policy: FilterPolicy | undefined,
  ) {
    this.name = target.name;
  }

  async publish(notification: Notification): Promise<void> {
    if (notificationMatches(this.policy, notification)) await this.target.publish(notification);
  }
}
