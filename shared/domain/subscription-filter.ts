/**
 * Subscriptions: who wants which notifications, and how they get them. The filter is evaluated in process by the
 * local runtime (`matchesSubscription`) and translated to an SNS filter policy in the cloud
 * (shared/adapters/sns/subscription-policy.ts). Both follow SNS semantics, so one subscription gives the same
 * result in both places:
 * - a filter that is absent matches everything; one that is present must match (filters are ANDed);
 * - within one filter any value matches (ORed); a list attribute (section keys, kinds, terms) matches when ANY of
 *   its elements matches;
 * - a filter on something a notification does not carry (the sections of an alert, say) does not match it.
 * The limits of SNS filter policies (5 keys, 150 combinations) are limits of the model too, checked at creation.
 */
import { ValidationError } from '../errors.js';
import { notificationKinds, type Notification } from './notification.js';
import { foldForMatching } from './audit.js';

export const CHANGE_KINDS = ['added', 'removed', 'modified', 'renamed', 'moved'] as const;
export type SubscriptionChangeKind = (typeof CHANGE_KINDS)[number];

export interface SubscriptionFilters {
  /** Page ids (`hrr.kazakhstan.2024`). */
  pages?: string[];
  /** Series ids (`hrr/kazakhstan`). */
  series?: string[];
  editions?: number[];
  /**
   * Section keys by string prefix: `liberty` matches `liberty`, `liberty/freedom-of-the-press` (and `liberty-x`);
   * `liberty/` only the sub-sections. A renamed section matches on its old key as well.
   */
  sectionPrefixes?: string[];
  kinds?: SubscriptionChangeKind[];
  /** 0..1, at most 5 decimals (SNS compares numbers to 5 decimals). A new edition counts as 1; alerts have none. */
  minSignificance?: number;
  /**
   * A change that adds or removes a sentence containing one of the terms (case-insensitive, as the audit matches).
   * Stored folded (lower case, typographic quotes and hyphens unified).
   */
  terms?: string[];
  /** Default false: revisions whose every change is trivial (whitespace, punctuation, numbers) are skipped. */
  includeTrivial?: boolean;
}

export type SubscriptionDelivery =
  | { type: 'email'; address: string }
  /** `secret` signs local deliveries (Standard Webhooks: webhook-signature); in the cloud SNS signs its own HTTPS deliveries. */
  | { type: 'webhook'; url: string; secret: string }
  | { type: 'sqs'; queueArn: string };

export interface Subscription {
  id: string;
  filters: SubscriptionFilters;
  delivery: SubscriptionDelivery;
  createdAt: string;
}

/** SNS: at most 5 keys per filter policy, and at most 150 combinations (the product of the value counts). */
export const MAX_FILTER_KEYS = 5;
export const MAX_FILTER_COMBINATIONS = 150;
/** Only this many distinct section keys travel with a notification (the SNS `sections` attribute): see notification-attributes.ts. */
export const MAX_MATCHED_SECTION_KEYS = 100;
export const MAX_TERM_LENGTH = 100;

/**
 * Values per filter key, in the shape SNS counts them: the trivial filter is two conditions ("false", or no such
 * attribute: alerts and new editions carry none).
 */
export function filterKeyValueCounts(filters: SubscriptionFilters): Record<string, number> {
  const counts: Record<string, number> = {};
  if (filters.pages) counts.page = filters.pages.length;
  if (filters.series) counts.series = filters.series.length;
  if (filters.editions) counts.edition = filters.editions.length;
  if (filters.sectionPrefixes) counts.sections = filters.sectionPrefixes.length;
  if (filters.kinds) counts.kinds = filters.kinds.length;
  if (filters.minSignificance !== undefined) counts.significance = 1;
  if (filters.terms) counts.terms = filters.terms.length;
  if (!filters.includeTrivial) counts.trivial = 2;
  return counts;
}

/**
 * Canonical filters: values deduplicated, section prefixes with `~` read as `/`, terms folded, empty lists refused.
 * Throws ValidationError naming the filter (`filters.<name>`), also when SNS could not express the combination.
 */
export function normaliseSubscriptionFilters(input: SubscriptionFilters): SubscriptionFilters {
  const filters: SubscriptionFilters = {};
  const list = <T>(name: keyof SubscriptionFilters, values: T[] | undefined, map: (value: T) => T = (value) => value) => {
    if (values === undefined) return undefined;
    if (values.length === 0) throw new ValidationError(`filters.${name} must not be empty (leave it out to match everything)`);
    return [...new Set(values.map(map))];
  };
  const pages = list('pages', input.pages);
  if (pages) filters.pages = pages;
  const series = list('series', input.series, (value) => value.replaceAll('~', '/'));
  if (series) filters.series = series;
  const editions = list('editions', input.editions);
  if (editions) filters.editions = editions;
  const prefixes = list('sectionPrefixes', input.sectionPrefixes, (value) => value.replaceAll('~', '/').toLowerCase());
  if (prefixes) filters.sectionPrefixes = prefixes;
  const kinds = list('kinds', input.kinds);
  if (kinds) filters.kinds = kinds;
  if (input.minSignificance !== undefined) {
    const value = input.minSignificance;
    if (!(value >= 0 && value <= 1) || Math.round(value * 1e5) / 1e5 !== value) {
      throw new ValidationError('filters.minSignificance must be a number from 0 to 1 with at most 5 decimals');
    }
    filters.minSignificance = value;
  }
  const terms = list('terms', input.terms, normaliseTerm);
  if (terms) {
    if (terms.some((term) => term.length === 0)) throw new ValidationError('filters.terms: a term cannot be empty');
    if (terms.some((term) => term.length > MAX_TERM_LENGTH)) {
      throw new ValidationError(`filters.terms: a term has at most ${MAX_TERM_LENGTH} characters`);
    }
    filters.terms = terms;
  }
  if (input.includeTrivial) filters.includeTrivial = true;

  const counts = filterKeyValueCounts(filters);
  const keys = Object.keys(counts);
  if (keys.length > MAX_FILTER_KEYS) {
    throw new ValidationError(
      `filters: at most ${MAX_FILTER_KEYS} filters can be combined (SNS filter policy limit); this subscription uses ` +
        `${keys.length} (${keys.join(', ')}; includeTrivial: false counts as one)`,
    );
  }
  const combinations = Object.values(counts).reduce((product, count) => product * count, 1);
  if (combinations > MAX_FILTER_COMBINATIONS) {
    throw new ValidationError(`filters: the product of the numbers of values is ${combinations}, over the SNS limit of ${MAX_FILTER_COMBINATIONS}`);
  }
  return filters;
}

/** The form in which a term is stored, published and matched. */
export function normaliseTerm(term: string): string {
  return foldForMatching(term).trim();
}

/** The distinct section keys a notification can be matched on (new and old keys), in order, capped as SNS carries them. */
export function matchableSectionKeys(notification: Notification): string[] {
  if (notification.type !== 'revision') return [];
  const keys = new Set<string>();
  for (const section of notification.sections) {
    keys.add(section.key);
    if (section.previousKey) keys.add(section.previousKey);
  }
  return [...keys].slice(0, MAX_MATCHED_SECTION_KEYS);
}

/** Significance as the filter sees it: 5 decimals; 1 for a new edition; none for an alert. */
export function matchableSignificance(notification: Notification): number | undefined {
  if (notification.type === 'revision') return Math.round(notification.significance * 1e5) / 1e5;
  if (notification.type === 'new-edition') return 1;
  return undefined;
}

/** In-process evaluation of a subscription's filters (the local runtime's equivalent of the SNS filter policy). */
export function matchesSubscription(filters: SubscriptionFilters, notification: Notification): boolean {
  if (filters.pages && !filters.pages.includes(notification.page)) return false;
  if (filters.series && (notification.series === undefined || !filters.series.includes(notification.series))) return false;
  if (filters.editions && (notification.edition === undefined || !filters.editions.includes(notification.edition))) return false;
  if (filters.sectionPrefixes) {
    const prefixes = filters.sectionPrefixes;
    if (!matchableSectionKeys(notification).some((key) => prefixes.some((prefix) => key.startsWith(prefix)))) return false;
  }
  if (filters.kinds) {
    const kinds: readonly string[] = filters.kinds;
    if (!notificationKinds(notification).some((kind) => kinds.includes(kind))) return false;
  }
  if (filters.minSignificance !== undefined) {
    const significance = matchableSignificance(notification);
    if (significance === undefined || significance < filters.minSignificance) return false;
  }
  if (filters.terms) {
    const terms = filters.terms;
    const found = notification.type === 'revision' ? (notification.terms ?? []) : [];
    if (!found.some((term) => terms.includes(term))) return false;
  }
  if (!filters.includeTrivial && notification.type === 'revision' && notification.trivial) return false;
  return true;
}
