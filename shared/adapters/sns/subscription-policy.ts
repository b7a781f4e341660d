import { MAX_FILTER_COMBINATIONS, MAX_FILTER_KEYS, type Subscription, type SubscriptionFilters } from '../../domain/subscription-filter.js';
import { ValidationError } from '../../errors.js';
import { attributesMatch } from './filter-policy.js';
import type { NotificationAttribute } from './notification-attributes.js';

/**
 * A subscription's filters as an SNS filter policy on the MessageAttributes that notification-attributes.ts
 * publishes (page, series, edition, sections, kinds, significance, terms, trivial). The same filters run in
 * process through matchesSubscription (shared/domain/subscription-filter.ts); the tests check that both agree.
 */
export type PolicyCondition = string | { prefix: string } | { numeric: ['=' | '>=' | '>' | '<=' | '<', number] } | { exists: boolean };

export type FilterPolicy = Record<string, PolicyCondition[]>;

/** The policy, or undefined when the subscription takes every notification (SNS: no FilterPolicy at all). */
export function subscriptionFilterPolicy(filters: SubscriptionFilters): FilterPolicy | undefined {
  const policy: FilterPolicy = {};
  if (filters.pages) policy.page = [...filters.pages];
  if (filters.series) policy.series = [...filters.series];
  // edition is a Number attribute: numeric matching (a quoted "2024" would never match it).
  if (filters.editions) policy.edition = filters.editions.map((edition) => ({ numeric: ['=', edition] }));
  // sections, kinds and terms are String.Array attributes: SNS matches each element on its own.
  if (filters.sectionPrefixes) policy.sections = filters.sectionPrefixes.map((prefix) => ({ prefix }));
  if (filters.kinds) policy.kinds = [...filters.kinds];
  if (filters.minSignificance !== undefined) policy.significance = [{ numeric: ['>=', filters.minSignificance] }];
  if (filters.terms) policy.terms = [...filters.terms];
  // Not trivial, or not a revision at all: alerts and new editions carry no `trivial` attribute.
  if (!filters.includeTrivial) policy.trivial = ['false', { exists: false }];

  const keys = Object.keys(policy);
  if (keys.length === 0) return undefined;
  // The model checks these limits at creation (normaliseSubscriptionFilters); this guards the translation itself.
  const combinations = keys.reduce((product, key) => product * policy[key]!.length, 1);
  if (keys.length > MAX_FILTER_KEYS || combinations > MAX_FILTER_COMBINATIONS) {
    throw new ValidationError(`filters: not expressible as an SNS filter policy (${keys.length} keys, ${combinations} combinations)`);
  }
  return policy;
}

/**
 * The attributes of the SNS subscription: the filter policy on message attributes, and raw delivery for SQS (the
 * queue gets the notification JSON itself, with the attributes as SQS message attributes).
 */
export function snsSubscriptionAttributes(subscription: Pick<Subscription, 'filters' | 'delivery'>): Record<string, string> {
  const attributes: Record<string, string> = {};
  const policy = subscriptionFilterPolicy(subscription.filters);
  if (policy) {
    attributes.FilterPolicy = JSON.stringify(policy);
    attributes.FilterPolicyScope = 'MessageAttributes';
  }
  if (subscription.delivery.type === 'sqs') attributes.RawMessageDelivery = 'true';
  return attributes;
}

/** Whether SNS would deliver a message with these attributes to a subscription with this policy. */
export function evaluateFilterPolicy(policy: FilterPolicy | undefined, attributes: Record<string, NotificationAttribute>): boolean {
  return policy === undefined || attributesMatch(policy, attributes);
}
