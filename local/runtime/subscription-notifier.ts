import { matchesSubscription, type Subscription } from '../../shared/domain/subscription-filter.js';
import { FanoutNotifier, type FanoutResult } from '../../shared/adapters/fanout/fanout-notifier.js';
import type { Notifier } from '../../shared/ports/notifier.js';
import type { Notification } from '../../shared/domain/notification.js';
import type { SubscriptionGateway } from '../../shared/ports/subscription-gateway.js';
import { allSubscriptions, type SubscriptionStore } from '../../shared/ports/subscription-store.js';
import { formatNotificationLine, type LineWriter } from '../../shared/adapters/console/console-notifier.js';
import { WebhookNotifier } from '../../shared/adapters/webhook/webhook-notifier.js';

export interface SubscriptionNotifierOptions {
  subscriptions: SubscriptionStore;
  /** Builds the notifier of a webhook subscription. Default: a signed WebhookNotifier for its URL and secret. */
  webhookNotifier?: (delivery: { url: string; secret: string }, subscription: Subscription) => Notifier;
  /** Where email and SQS deliveries are shown locally (there is no mail server or queue). Default: stdout. */
  output?: LineWriter;
}

export interface SubscriptionDeliveryResult extends FanoutResult {
  /** Ids of the subscriptions whose filters matched. */
  matched: string[];
}

/**
 * The local runtime's subscription delivery, standing in for SNS: for each notification it reads the subscriptions,
 * keeps those whose filters match (matchesSubscription, the in-process twin of the SNS filter policy), and
 * delivers to each: webhooks signed (Standard Webhooks, with the subscription's secret), email and SQS as a line
 * on the output. publish() rejects after trying every target if any failed, as FanoutNotifier does.
 */
export class SubscriptionNotifier implements Notifier {
  readonly name = 'subscriptions';
  private readonly subscriptions: SubscriptionStore;
  private readonly webhookNotifier: NonNullable<SubscriptionNotifierOptions['webhookNotifier']>;
  private readonly output: LineWriter;
  /** Webhook notifiers by subscription, kept so their connections are reused. */
  private readonly webhooks = new Map<string, { key: string; notifier: Notifier }>();

  constructor(options: SubscriptionNotifierOptions) {
    this.subscriptions = options.subscriptions;
    this.webhookNotifier = options.webhookNotifier ?? ((delivery) => new WebhookNotifier({ url: delivery.url, secret: delivery.secret }));
    this.output = options.output ?? process.stdout;
  }

  async publish(notification: Notification): Promise<void> {
    const matching = await this.matching(notification);
    if (matching.length === 0) return;
    await new FanoutNotifier(matching.map((subscription) => this.notifierFor(subscription))).publish(notification);
  }

  /** Delivers like publish() but never rejects: reports the matched subscriptions and the outcome per target. */
  async publishAll(notification: Notification): Promise<SubscriptionDeliveryResult> {
    const matching = await this.matching(notification);
    const result = await new FanoutNotifier(matching.map((subscription) => this.notifierFor(subscription))).publishAll(notification);
    return { matched: matching.map((subscription) => subscription.id), ...result };
  }

  private async matching(notification: Notification): Promise<Subscription[]> {
    const subscriptions = await allSubscriptions(this.subscriptions);
    return subscriptions.filter((subscription) => matchesSubscription(subscription.filters, notification));
  }

  private notifierFor(subscription: Subscription): Notifier {
    const { delivery } = subscription;
    if (delivery.type === 'webhook') {
      const key = `${delivery.url}\u0000${delivery.secret}`;
      const cached = this.webhooks.get(subscription.id);
      if (cached?.key === key) return cached.notifier;
      const notifier = this.webhookNotifier(delivery, subscription);
      this.webhooks.set(subscription.id, { key, notifier });
      return notifier;
    }
    const target = delivery.type === 'email' ? `email:${delivery.address}` : `sqs:${delivery.queueArn}`;
    const output = this.output;
    return {
      name: `${target} (subscription ${subscription.id})`,
      async publish(notification) {
        output.write(`${formatNotificationLine(notification)} -> ${target}\n`);
      },
    };
  }
}

/** Locally there is nothing to set up: the SubscriptionNotifier reads the store on every notification. */
export class LocalSubscriptionGateway implements SubscriptionGateway {
  async subscribe(): Promise<string | undefined> {
    return undefined;
  }

  async unsubscribe(): Promise<void> {}
}
