import { notificationAttributes, MAX_SECTION_ATTRIBUTE_KEYS } from '../../shared/adapters/sns/notification-attributes.js';
import { evaluateFilterPolicy, snsSubscriptionAttributes, subscriptionFilterPolicy } from '../../shared/adapters/sns/subscription-policy.js';
import {
  MAX_MATCHED_SECTION_KEYS,
  matchesSubscription,
  normaliseSubscriptionFilters,
  type SubscriptionFilters,
} from '../../shared/domain/subscription-filter.js';
import { notifications, subscriptions, type NotificationName } from './subscription-cases.js';

const names = Object.keys(notifications) as NotificationName[];

describe('matchesSubscription (in process)', () => {
  it.each(Object.entries(subscriptions))('%s matches exactly the expected notifications', (_name, { filters, expected }) => {
    const normalised = normaliseSubscriptionFilters(filters);
    expect(names.filter((name) => matchesSubscription(normalised, notifications[name]))).toEqual(names.filter((name) => expected.includes(name)));
  });
});

describe('the SNS filter policy of a subscription', () => {
  it('translates every filter to the attribute notification-attributes.ts publishes', () => {
    expect(
      subscriptionFilterPolicy(
        normaliseSubscriptionFilters({
          series: ['hrr~kazakhstan'],
          editions: [2024],
          sectionPrefixes: ['Liberty/'],
          minSignificance: 0.2,
        }),
      ),
    ).toEqual({
      series: ['hrr/kazakhstan'],
      edition: [{ numeric: ['=', 2024] }],
      sections: [{ prefix: 'liberty/' }],
      significance: [{ numeric: ['>=', 0.2] }],
      trivial: ['false', { exists: false }],
    });
    expect(
      subscriptionFilterPolicy(normaliseSubscriptionFilters({ pages: ['a.b'], kinds: ['added'], terms: ['Human  Rights'], includeTrivial: true })),
    ).toEqual({
      page: ['a.b'],
      kinds: ['added'],
      terms: ['human rights'],
    });
    expect(subscriptionFilterPolicy({ includeTrivial: true })).toBeUndefined();
  });

  it('sets the policy on message attributes, and raw delivery for SQS', () => {
    expect(
      snsSubscriptionAttributes({
        filters: { series: ['hrr/nigeria'] },
        delivery: { type: 'sqs', queueArn: 'arn:aws:sqs:us-east-1:123456789012:q' },
      }),
    ).toEqual({
      FilterPolicy: JSON.stringify({ series: ['hrr/nigeria'], trivial: ['false', { exists: false }] }),
      FilterPolicyScope: 'MessageAttributes',
      RawMessageDelivery: 'true',
    });
    expect(snsSubscriptionAttributes({ filters: { includeTrivial: true }, delivery: { type: 'email', address: 'a@example.org' } })).toEqual({});
  });

  it.each(Object.entries(subscriptions))('%s: the policy, evaluated with SNS semantics, agrees with the in-process match', (_name, { filters }) => {
    const normalised = normaliseSubscriptionFilters(filters);
    const policy = subscriptionFilterPolicy(normalised);
    for (const name of names) {
      const notification = notifications[name];
      expect([name, evaluateFilterPolicy(policy, notificationAttributes(notification))]).toEqual([
        name,
        matchesSubscription(normalised, notification),
      ]);
    }
  });

  it('caps matched section keys as the SNS attribute does', () => {
    expect(MAX_MATCHED_SECTION_KEYS).toBe(MAX_SECTION_ATTRIBUTE_KEYS);
    const many = {
      ...notifications.kzSection,
      sections: Array.from({ length: 150 }, (_, index) => ({ ...notifications.kzSection.sections[0]!, key: `part-${index}` })),
    };
    for (const prefix of ['part-99', 'part-100']) {
      const filters = normaliseSubscriptionFilters({ sectionPrefixes: [prefix] });
      expect(matchesSubscription(filters, many)).toBe(evaluateFilterPolicy(subscriptionFilterPolicy(filters), notificationAttributes(many)));
    }
    expect(matchesSubscription(normaliseSubscriptionFilters({ sectionPrefixes: ['part-100'] }), many)).toBe(false);
  });
});

describe('the SNS filter-policy grammar, as the evaluator implements it (the documentation examples)', () => {
  const string = (value: string) => ({ type: 'String' as const, value });
  const array = (...value: string[]) => ({ type: 'String.Array' as const, value });
  const number = (value: number) => ({ type: 'Number' as const, value });

  it('matches exact strings, and any element of a String.Array', () => {
    const policy = { customer_interests: ['rugby', 'tennis'] };
    expect(evaluateFilterPolicy(policy, { customer_interests: string('rugby') })).toBe(true);
    expect(evaluateFilterPolicy(policy, { customer_interests: array('rugby', 'tennis') })).toBe(true);
    expect(evaluateFilterPolicy(policy, { customer_interests: array('baseball', 'tennis') })).toBe(true);
    expect(evaluateFilterPolicy(policy, { customer_interests: string('baseball') })).toBe(false);
    expect(evaluateFilterPolicy(policy, { customer_interests: array('baseball') })).toBe(false);
  });

  it('matches prefixes, on strings and array elements, never on numbers', () => {
    const policy = { customer_interests: [{ prefix: 'bas' }] };
    expect(evaluateFilterPolicy(policy, { customer_interests: string('baseball') })).toBe(true);
    expect(evaluateFilterPolicy(policy, { customer_interests: array('rugby', 'basketball') })).toBe(true);
    expect(evaluateFilterPolicy(policy, { customer_interests: string('rugby') })).toBe(false);
    expect(evaluateFilterPolicy({ code: [{ prefix: '30' }] }, { code: number(301) })).toBe(false);
  });

  it('matches numbers numerically, and only Number attributes', () => {
    expect(evaluateFilterPolicy({ price_usd: [{ numeric: ['=', 301.5] }] }, { price_usd: number(3.015e2) })).toBe(true);
    expect(evaluateFilterPolicy({ price_usd: [{ numeric: ['>=', 300] }] }, { price_usd: number(299.99999) })).toBe(false);
    expect(evaluateFilterPolicy({ price_usd: [{ numeric: ['=', 301.5] }] }, { price_usd: string('301.5') })).toBe(false);
  });

  it('ANDs keys, ORs the conditions of a key, and treats a missing attribute as no match except for exists: false', () => {
    const policy = { store: ['example_corp'], event: ['order_placed', 'order_cancelled'] };
    expect(evaluateFilterPolicy(policy, { store: string('example_corp'), event: string('order_cancelled') })).toBe(true);
    expect(evaluateFilterPolicy(policy, { store: string('example_corp') })).toBe(false);
    expect(evaluateFilterPolicy({ store: [{ exists: true }] }, { store: string('fans') })).toBe(true);
    expect(evaluateFilterPolicy({ store: [{ exists: false }] }, { customer_interests: array('baseball') })).toBe(true);
    expect(evaluateFilterPolicy({ store: [{ exists: false }] }, { store: string('fans') })).toBe(false);
    expect(evaluateFilterPolicy({ trivial: ['false', { exists: false }] }, { type: string('alert') })).toBe(true);
    expect(evaluateFilterPolicy({ trivial: ['false', { exists: false }] }, { trivial: string('true') })).toBe(false);
  });
});

describe('normaliseSubscriptionFilters', () => {
  it('reads ~ as /, folds terms, drops duplicates', () => {
    expect(
      normaliseSubscriptionFilters({
        series: ['hrr~kazakhstan', 'hrr/kazakhstan'],
        sectionPrefixes: ['Liberty~Freedom-of-the-press'],
        terms: ['Women’s  Rights', "women's rights"],
        kinds: ['added', 'added'],
      }),
    ).toEqual({ series: ['hrr/kazakhstan'], sectionPrefixes: ['liberty/freedom-of-the-press'], terms: ["women's rights"], kinds: ['added'] });
  });

  it.each([
    [{ pages: [] }, /^filters\.pages must not be empty/],
    [{ minSignificance: 1.5 }, /^filters\.minSignificance /],
    [{ terms: ['  '] }, /^filters\.terms: a term cannot be empty/],
    [
      { pages: ['a'], series: ['b'], editions: [1], kinds: ['added'], minSignificance: 0.1 },
      /^filters: at most 5 filters .*includeTrivial: false counts as one/,
    ],
  ] as [SubscriptionFilters, RegExp][])('refuses %j', (filters, message) => {
    expect(() => normaliseSubscriptionFilters(filters)).toThrow(message);
  });

  it('keeps to 150 combinations (the product of the value counts; includeTrivial: false counts 2)', () => {
    const series = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const editions = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(() => normaliseSubscriptionFilters({ series, editions, kinds: ['added', 'removed'], includeTrivial: true })).not.toThrow(); // 140
    expect(() => normaliseSubscriptionFilters({ series, editions, kinds: ['added', 'removed'] })).toThrow(
      /^filters: the product of the numbers of values is 280, over the SNS limit of 150$/,
    );
  });
});
