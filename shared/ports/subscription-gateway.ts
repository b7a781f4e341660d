import type { Subscription } from '../domain/subscription-filter.js';

/**
 * Where a subscription's deliveries are set up: in the cloud, an SNS subscription on the notifications topic with
 * the subscription's filter policy; locally nothing (the SubscriptionNotifier reads the store on every notification).
 */
export interface SubscriptionGateway {
  /** Returns the reference to keep (the SNS subscription ARN), or undefined when there is nothing to keep. */
  subscribe(subscription: Subscription): Promise<string | undefined>;
  /** Removes the delivery; a reference that no longer exists is not an error. */
  unsubscribe(reference: string): Promise<void>;
}
