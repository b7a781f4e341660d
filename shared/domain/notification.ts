import type { CaptureFailureKind } from '../errors.js';
import type { RevisionDiffSummary } from './revision-diff.js';
import type { RevisionSectionChange } from './revision-records.js';

/**
 * Outgoing notifications. Every notification has a stable `id` so that subscribers can drop the duplicates that
 * at-least-once delivery (stream retries, webhook retries, fan-out re-runs) produces.
 */
interface NotificationBase {
  /** Dedupe id, stable across retries: see notificationIds. */
  id: string;
  page: string;
  url: string;
  series?: string;
  edition?: number;
  title?: string;
  /** When the event happened (capture time of the revision, time of the failure, ...). */
  occurredAt: string;
}

export interface RevisionNotification extends NotificationBase {
  type: 'revision';
  seq: number;
  previousSeq?: number;
  /** Null for the baseline (first) revision. */
  summary: RevisionDiffSummary | null;
  /** Changed sections (compact, capped). */
  sections: RevisionSectionChange[];
  sectionsTruncated?: boolean;
  significance: number;
  /** True when every change is trivial (whitespace, punctuation, numbers). */
  trivial: boolean;
  diffKey?: string;
  /**
   * Subscribed terms (folded, see subscription-filter.ts) found in a sentence this revision added or removed; set
   * only when some subscription filters on terms.
   */
  terms?: string[];
}

export interface PageAlertNotification extends NotificationBase {
  type: 'alert';
  kind: CaptureFailureKind;
  message: string;
  httpStatus?: number;
  consecutiveFailures: number;
}

export interface NewEditionNotification extends NotificationBase {
  type: 'new-edition';
  edition: number;
  series: string;
  previousEdition?: number;
  previousPage?: string;
}

export type Notification = RevisionNotification | PageAlertNotification | NewEditionNotification;
export type NotificationType = Notification['type'];

export const notificationIds = {
  revision: (page: string, seq: number) => `${page}#${seq}`,
  alert: (page: string, capturedAt: string) => `${page}#alert#${capturedAt}`,
  newEdition: (series: string, edition: number) => `${series}#edition#${edition}`,
};

/** Changed-section kinds of a notification (the union over its sections). */
export function notificationKinds(notification: Notification): string[] {
  if (notification.type !== 'revision') return [];
  const kinds = new Set<string>();
  for (const section of notification.sections) for (const kind of section.kinds) if (kind !== 'unchanged') kinds.add(kind);
  return [...kinds].sort();
}
