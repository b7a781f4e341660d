import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { DynamoSubscriptionStore } from '../../shared/adapters/dynamodb/dynamo-subscription-store.js';
import { LocalSubscriptionGateway } from '../../local/runtime/subscription-notifier.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { snsMessageAttributes } from '../../shared/adapters/sns/sns-notifier.js';
import { matchesSubscription } from '../../shared/domain/subscription-filter.js';
import type { Notification } from '../../shared/domain/notification.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { notificationsFor, notifyRevision } from '../../shared/use-cases/notify-revision.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { createSubscription } from '../../shared/use-cases/subscriptions/manage-subscriptions.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { ADDED_TORTURE_SENTENCE, TORTURE_KEY, TRAFFICKING_KEY, corpusDocument, editSection, hrrUrl } from '../api/api-fixture.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

/**
 * Term filters: notifyRevision computes which subscribed terms occur in a sentence the revision added or removed,
 * and publishes them as the `terms` attribute, on real corpus Documents in dynalite and s3rver.
 */
let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws?.close();
});

it('adds the subscribed terms of added or removed sentences to revision notifications', async () => {
  const revisions = new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName });
  const snapshots = new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName });
  const subscriptions = new DynamoSubscriptionStore({ client: aws.dynamodb, tableName: aws.tableName });
  const now = () => new Date('2025-03-10T00:00:00.000Z');
  const page = (await addWatch({ revisions, now, settings: DEFAULT_TRACKER_SETTINGS }, { url: hrrUrl('kazakhstan', 2024) })).page.page;

  const baseline = corpusDocument('kazakhstan', 2024);
  const withTorture = editSection(baseline, TORTURE_KEY, (section) => {
    section.paragraphs[0]!.text += ` ${ADDED_TORTURE_SENTENCE}`;
    return section;
  });
  const renamed = editSection(withTorture, TRAFFICKING_KEY, (section) => ({ ...section, key: 'liberty/trafficking', heading: 'Trafficking' }));
  const recorded = [];
  for (const [index, document] of [baseline, withTorture, renamed].entries()) {
    const { key } = await snapshots.putDocument(page, document);
    const outcome = await recordRevision({ revisions, snapshots }, { page, documentKey: key, capturedAt: `2025-03-0${index + 1}T00:00:00.000Z` });
    if (outcome.outcome !== 'recorded') throw new Error(outcome.outcome);
    recorded.push(outcome.revision);
  }

  // No subscription filters on terms yet: nothing to compute.
  const [plain] = await notificationsFor({ revisions, snapshots, subscriptions }, recorded[1]!);
  expect(plain).not.toHaveProperty('terms');

  const options = { assertWebhookUrl: (url: string) => new URL(url) };
  const gateway = new LocalSubscriptionGateway();
  const { subscription } = await createSubscription(
    { subscriptions, subscriptionGateway: gateway, now },
    { filters: { terms: ['TORTURE', 'pretrial detention'] }, delivery: { type: 'email', address: 'a@example.org' } },
    options,
  );
  await createSubscription(
    { subscriptions, subscriptionGateway: gateway, now },
    { filters: { terms: ['climate change'] }, delivery: { type: 'email', address: 'b@example.org' } },
    options,
  );

  const published: Notification[] = [];
  const notifier = { name: 'capture', publish: async (notification: Notification) => void published.push(notification) };
  await notifyRevision({ revisions, snapshots, subscriptions, notifier }, recorded[1]!);
  await notifyRevision({ revisions, snapshots, subscriptions, notifier }, recorded[2]!);
  const [sentenceAdded, renameOnly] = published;
  // "Observers documented further cases of torture in pretrial detention.": both terms of the first subscription.
  expect(sentenceAdded).toMatchObject({ type: 'revision', seq: 2, terms: ['torture', 'pretrial detention'] });
  expect(snsMessageAttributes(sentenceAdded!).terms).toEqual({ DataType: 'String.Array', StringValue: '["torture","pretrial detention"]' });
  expect(Object.keys(snsMessageAttributes(sentenceAdded!)).length).toBeLessThanOrEqual(10);
  expect(matchesSubscription(subscription.filters, sentenceAdded!)).toBe(true);
  // A rename adds and removes no sentence.
  expect(renameOnly).toMatchObject({ type: 'revision', seq: 3 });
  expect(renameOnly).not.toHaveProperty('terms');
  expect(matchesSubscription(subscription.filters, renameOnly!)).toBe(false);

  // Without the subscription store (functions that do not bind it), notifications carry no terms.
  const [withoutStore] = await notificationsFor({ revisions }, recorded[1]!);
  expect(withoutStore).not.toHaveProperty('terms');
});
