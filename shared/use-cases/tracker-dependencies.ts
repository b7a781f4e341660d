import type { CaptureQueue } from '../ports/capture-queue.js';
import type { Fetcher } from '../ports/fetcher.js';
import type { Notifier } from '../ports/notifier.js';
import type { RevisionStore } from '../ports/revision-store.js';
import type { SnapshotStore } from '../ports/snapshot-store.js';
import type { SubscriptionStore } from '../ports/subscription-store.js';

/** Everything the use cases need, passed in by the composition root (Lambda, local runtime, CLI, tests). */
export interface TrackerDependencies {
  revisions: RevisionStore;
  snapshots: SnapshotStore;
  fetcher: Fetcher;
  captureQueue: CaptureQueue;
  notifier: Notifier;
  now: () => Date;
  settings: TrackerSettings;
  /** Subscriptions (their terms are computed into revision notifications); optional for functions that need none. */
  subscriptions?: SubscriptionStore;
}

export interface TrackerSettings {
  /** A page raises an alert after this many failed captures in a row. */
  failureAlertThreshold: number;
  /** How often a watched page is checked unless its watch says otherwise. */
  defaultIntervalMinutes: number;
  /** A page enqueued this long ago without being checked is enqueued again (a lost message costs no more). */
  redispatchAfterMinutes: number;
  /** First retry delay after a failed capture; doubled for each failure in a row, capped at the page's interval. */
  failureBackoffMinutes: number;
  /** Look for the next edition of each series whose URLs carry the year. */
  probeNewEditions: boolean;
}

export const DEFAULT_TRACKER_SETTINGS: Readonly<TrackerSettings> = Object.freeze({
  failureAlertThreshold: 3,
  defaultIntervalMinutes: 24 * 60,
  redispatchAfterMinutes: 60,
  failureBackoffMinutes: 15,
  probeNewEditions: true,
});

export function addMinutes(date: Date, minutes: number): string {
  return new Date(date.getTime() + minutes * 60_000).toISOString();
}
