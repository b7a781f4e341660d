import type { SNSClient } from '@aws-sdk/client-sns';
import type { Subscription, SubscriptionDelivery } from '../../domain/subscription-filter.js';
import type { SubscriptionGateway } from '../../ports/subscription-gateway.js';
import { snsSubscriptionAttributes } from './subscription-policy.js';

export interface SnsSubscriptionGatewayOptions {
  client: SNSClient;
  /** The notifications topic (the one SnsNotifier publishes to). */
  topicArn: string;
}

/**
 * Cloud delivery of subscriptions: one SNS subscription per redline subscription, on the notifications topic, with
 * the subscription's filter policy. Email subscribers confirm by mail (SNS sends the link); webhook receivers
 * confirm by visiting the SubscribeURL of the first (SubscriptionConfirmation) request; SQS queues get raw
 * deliveries and must allow the topic to send (their own queue policy).
 */
export class SnsSubscriptionGateway implements SubscriptionGateway {
  private readonly client: SNSClient;
  private readonly topicArn: string;

  constructor(options: SnsSubscriptionGatewayOptions) {
    this.client = options.client;
    this.topicArn = options.topicArn;
  }

  async subscribe(subscription: Subscription): Promise<string | undefined> {
    const { protocol, endpoint } = snsEndpoint(subscription.delivery);
    // The SDK's commands are imported on use, so that the api function does not load SNS at cold start.
    const { SubscribeCommand } = await import('@aws-sdk/client-sns');
    const { SubscriptionArn } = await this.client.send(
      new SubscribeCommand({
        TopicArn: this.topicArn,
        Protocol: protocol,
        Endpoint: endpoint,
        Attributes: snsSubscriptionAttributes(subscription),
        // The real ARN even while an email or HTTPS subscription awaits confirmation, so it can be removed later.
        ReturnSubscriptionArn: true,
      }),
    );
    return SubscriptionArn;
  }

  async unsubscribe(reference: string): Promise<void> {
    const { UnsubscribeCommand } = await import('@aws-sdk/client-sns');
    try {
      await this.client.send(new UnsubscribeCommand({ SubscriptionArn: reference }));
    } catch (error) {
      // Already gone (deleted, or an unconfirmed subscription that expired): nothing left to remove.
      if (error instanceof Error && (error.name === 'NotFoundException' || error.name === 'NotFound')) return;
      throw error;
    }
  }
}

export function snsEndpoint(delivery: SubscriptionDelivery): { protocol: 'email' | 'http' | 'https' | 'sqs'; endpoint: string } {
  switch (delivery.type) {
    case 'email':
      return { protocol: 'email', endpoint: delivery.address };
    case 'webhook':
      return { protocol: new URL(delivery.url).protocol === 'https:' ? 'https' : 'http', endpoint: delivery.url };
    case 'sqs':
      return { protocol: 'sqs', endpoint: delivery.queueArn };
  }
}
