import type { SNSClient, SNSClientConfig } from '@aws-sdk/client-sns';
import { SnsNotifier } from '../../adapters/sns/sns-notifier.js';
import { SnsSubscriptionGateway } from '../../adapters/sns/sns-subscription-gateway.js';
import type { RedlineConfig } from '../../config.js';
import type { Notification } from '../../domain/notification.js';
import type { Subscription } from '../../domain/subscription-filter.js';
import type { Notifier } from '../../ports/notifier.js';
import type { SubscriptionGateway } from '../../ports/subscription-gateway.js';

/**
 * SNS for the functions that use it only now and then: capture publishes a failure alert, the api function
 * subscribes and unsubscribes. The SNS client (@aws-sdk/client-sns, tens of ms of a cold start) is imported on the
 * first call, not when the function loads; the notify function, which publishes on every invocation, creates it at
 * start (sns-clients.ts). The SDK is imported only here and inside the adapters' methods, never at the top of a
 * module: in a one-file bundle, esbuild hoists an external package's static import to the top, whatever imports it.
 * A failed import is not kept: the next call tries again.
 */
export function lazySnsNotifier(config: RedlineConfig, topicArn: string): Notifier {
  const adapter = lazily(async () => new SnsNotifier({ client: await createSnsClient(config), topicArn }));
  return {
    name: 'sns',
    publish: async (notification: Notification) => (await adapter()).publish(notification),
  };
}

export function lazySnsSubscriptionGateway(config: RedlineConfig, topicArn: string): SubscriptionGateway {
  const adapter = lazily(async () => new SnsSubscriptionGateway({ client: await createSnsClient(config), topicArn }));
  return {
    subscribe: async (subscription: Subscription) => (await adapter()).subscribe(subscription),
    unsubscribe: async (reference: string) => (await adapter()).unsubscribe(reference),
  };
}

/** The SNS client's settings from the configuration: the region, and a local endpoint (fauxqs) when one is set. */
export function snsClientConfig(config: RedlineConfig): SNSClientConfig {
  return { region: config.AWS_REGION, ...(config.REDLINE_SNS_ENDPOINT ? { endpoint: config.REDLINE_SNS_ENDPOINT } : {}) };
}

async function createSnsClient(config: RedlineConfig): Promise<SNSClient> {
  const { SNSClient } = await import('@aws-sdk/client-sns');
  return new SNSClient(snsClientConfig(config));
}

/** The value of `load`, made once on first use; a rejection is dropped so that a later call loads again. */
export function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
