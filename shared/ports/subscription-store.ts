import type { Subscription } from '../domain/subscription-filter.js';
import type { ListOptions, PageOfItems } from './revision-store.js';

/** A stored subscription: the model plus where its cloud delivery lives. */
export interface SubscriptionRecord extends Subscription {
  /** The SNS subscription that delivers it in the cloud (absent locally, and while it is being created). */
  deliveryReference?: string;
}

/**
 * Subscriptions, in the redline table (`SUB#<id>` items, docs/data-model.md). Listing is oldest first. Records
 * carry webhook secrets: callers showing them to clients redact them.
 */
export interface SubscriptionStore {
  /** Conditional put: ConflictError when the id exists. */
  putSubscription(record: SubscriptionRecord): Promise<void>;
  getSubscription(id: string): Promise<SubscriptionRecord | undefined>;
  listSubscriptions(options?: ListOptions): Promise<PageOfItems<SubscriptionRecord>>;
  /** NotFoundError for an unknown id. */
  setDeliveryReference(id: string, reference: string): Promise<void>;
  /** False when there was nothing to delete. */
  deleteSubscription(id: string): Promise<boolean>;
}

/** Every subscription (the registry is small: thousands, not millions). */
export async function allSubscriptions(store: SubscriptionStore): Promise<SubscriptionRecord[]> {
  const records: SubscriptionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listSubscriptions({ cursor, limit: 500 });
    records.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return records;
}
