import { randomBytes, randomUUID } from 'node:crypto';
import {
  normaliseSubscriptionFilters,
  type Subscription,
  type SubscriptionDelivery,
  type SubscriptionFilters,
} from '../../domain/subscription-filter.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { PageOfItems } from '../../ports/revision-store.js';
import type { SubscriptionGateway } from '../../ports/subscription-gateway.js';
import { allSubscriptions, type SubscriptionRecord, type SubscriptionStore } from '../../ports/subscription-store.js';
import type { CreateSubscriptionInput } from './subscription-input.js';

export interface SubscriptionDependencies {
  subscriptions: SubscriptionStore;
  subscriptionGateway: SubscriptionGateway;
  now: () => Date;
}

/** A subscription as shown to clients: the webhook secret is never shown again after creation. */
export interface SubscriptionView {
  id: string;
  filters: SubscriptionFilters;
  delivery: { type: 'email'; address: string } | { type: 'webhook'; url: string } | { type: 'sqs'; queueArn: string };
  createdAt: string;
  /** The SNS subscription ARN in the cloud. */
  deliveryReference?: string;
}

export interface CreateSubscriptionOptions {
  /** Policy for webhook URLs: the SSRF guard (assertPublicUrl) for URLs from users. Throws to refuse. */
  assertWebhookUrl: (url: string) => URL;
}

export interface CreatedSubscription {
  subscription: SubscriptionView;
  /** The webhook secret, returned once: either the one given or a generated one. */
  webhookSecret?: string;
}

/**
 * Creates a subscription: filters normalised and checked against the SNS limits (the same rules locally and in the
 * cloud), one subscription per delivery endpoint (SNS keeps one subscription per topic and endpoint), then the
 * record is stored and its delivery set up. A failed setup removes the record again.
 */
export async function createSubscription(
  dependencies: SubscriptionDependencies,
  input: CreateSubscriptionInput,
  options: CreateSubscriptionOptions,
): Promise<CreatedSubscription> {
  const filters = normaliseSubscriptionFilters(input.filters ?? {});
  const delivery = checkedDelivery(input.delivery, options.assertWebhookUrl);
  const endpoint = endpointOf(delivery);
  const clash = (await allSubscriptions(dependencies.subscriptions)).find((existing) => endpointOf(existing.delivery) === endpoint);
  if (clash) {
    throw new ConflictError(`delivery: ${describeEndpoint(delivery)} already has subscription ${clash.id}; delete it or change its filters`);
  }

  const record: SubscriptionRecord = { id: randomUUID(), filters, delivery, createdAt: dependencies.now().toISOString() };
  await dependencies.subscriptions.putSubscription(record);
  try {
    const reference = await dependencies.subscriptionGateway.subscribe(record);
    if (reference) {
      await dependencies.subscriptions.setDeliveryReference(record.id, reference);
      record.deliveryReference = reference;
    }
  } catch (error) {
    await dependencies.subscriptions.deleteSubscription(record.id).catch(() => undefined);
    if (error instanceof Error && /InvalidParameter/.test(error.name)) {
      throw new ValidationError(`delivery: refused by SNS: ${error.message}`, { cause: error });
    }
    throw error;
  }
  return {
    subscription: subscriptionView(record),
    ...(delivery.type === 'webhook' ? { webhookSecret: delivery.secret } : {}),
  };
}

export async function getSubscription(dependencies: Pick<SubscriptionDependencies, 'subscriptions'>, id: string): Promise<SubscriptionView> {
  const record = await dependencies.subscriptions.getSubscription(id);
  if (!record) throw new NotFoundError(`No subscription ${id}`);
  return subscriptionView(record);
}

export async function listSubscriptions(
  dependencies: Pick<SubscriptionDependencies, 'subscriptions'>,
  options: { cursor?: string; limit?: number } = {},
): Promise<PageOfItems<SubscriptionView>> {
  const page = await dependencies.subscriptions.listSubscriptions(options);
  return { items: page.items.map(subscriptionView), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/** Removes the delivery first, then the record: a crash in between leaves a record that a retry deletes. */
export async function deleteSubscription(dependencies: SubscriptionDependencies, id: string): Promise<void> {
  const record = await dependencies.subscriptions.getSubscription(id);
  if (!record) throw new NotFoundError(`No subscription ${id}`);
  if (record.deliveryReference) await dependencies.subscriptionGateway.unsubscribe(record.deliveryReference);
  await dependencies.subscriptions.deleteSubscription(id);
}

export function subscriptionView(record: SubscriptionRecord): SubscriptionView {
  const { delivery } = record;
  return {
    id: record.id,
    filters: record.filters,
    delivery: delivery.type === 'webhook' ? { type: 'webhook', url: delivery.url } : delivery,
    createdAt: record.createdAt,
    ...(record.deliveryReference ? { deliveryReference: record.deliveryReference } : {}),
  };
}

function checkedDelivery(input: CreateSubscriptionInput['delivery'], assertWebhookUrl: (url: string) => URL): SubscriptionDelivery {
  switch (input.type) {
    case 'email':
      return { type: 'email', address: input.address.trim() };
    case 'sqs':
      return { type: 'sqs', queueArn: input.queueArn };
    case 'webhook': {
      let url: URL;
      try {
        url = assertWebhookUrl(input.url);
      } catch (error) {
        throw new ValidationError(`delivery.url: ${(error as Error).message.replace(/^url: /, '')}`, { cause: error });
      }
      return { type: 'webhook', url: url.toString(), secret: input.secret ?? `whsec_${randomBytes(32).toString('base64')}` };
    }
  }
}

function endpointOf(delivery: SubscriptionDelivery): string {
  switch (delivery.type) {
    case 'email':
      return `email:${delivery.address.toLowerCase()}`;
    case 'webhook':
      return `webhook:${delivery.url}`;
    case 'sqs':
      return `sqs:${delivery.queueArn}`;
  }
}

function describeEndpoint(delivery: SubscriptionDelivery): string {
  switch (delivery.type) {
    case 'email':
      return `the address ${delivery.address}`;
    case 'webhook':
      return `the webhook ${new URL(delivery.url).origin}${new URL(delivery.url).pathname}`;
    case 'sqs':
      return `the queue ${delivery.queueArn}`;
  }
}

export type { Subscription };
