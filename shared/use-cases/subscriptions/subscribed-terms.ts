import { termSentenceChanges } from '../../domain/audit.js';
import type { RevisionStore } from '../../ports/revision-store.js';
import type { RevisionRecord } from '../../domain/revision-records.js';
import type { SnapshotStore } from '../../ports/snapshot-store.js';
import { allSubscriptions, type SubscriptionStore } from '../../ports/subscription-store.js';

/** SNS String.Array attributes stay small: at most this many matched terms travel with a notification. */
export const MAX_NOTIFICATION_TERMS = 100;

/** The union of the terms that subscriptions filter on (folded), in first-subscribed order. */
export async function subscribedTerms(store: SubscriptionStore): Promise<string[]> {
  const terms = new Set<string>();
  for (const subscription of await allSubscriptions(store)) for (const term of subscription.filters.terms ?? []) terms.add(term);
  return [...terms];
}

/**
 * The subscribed terms that occur in a sentence this revision added or removed (audit.ts termSentenceChanges: whole
 * document, sentences compared by their normal form, so moved sentences do not count). Computed when publishing,
 * against the terms subscribed at that moment: the notification carries them as the `terms` attribute, which is
 * what term filters match on (in SNS and in process). Costs two Document reads, and only when some subscription
 * filters on terms.
 */
export async function changedSubscribedTerms(
  dependencies: { revisions: RevisionStore; snapshots?: SnapshotStore; subscriptions?: SubscriptionStore },
  revision: RevisionRecord,
): Promise<string[]> {
  const { revisions, snapshots, subscriptions } = dependencies;
  if (!snapshots || !subscriptions || revision.previousSeq === undefined) return [];
  const terms = await subscribedTerms(subscriptions);
  if (terms.length === 0) return [];
  const previous = await revisions.getRevision(revision.page, revision.previousSeq);
  if (!previous) return [];
  const [before, after] = await Promise.all([snapshots.getDocument(previous.documentKey), snapshots.getDocument(revision.documentKey)]);
  const found = new Set(termSentenceChanges(before, after, terms).map((change) => change.term));
  return terms.filter((term) => found.has(term)).slice(0, MAX_NOTIFICATION_TERMS);
}
