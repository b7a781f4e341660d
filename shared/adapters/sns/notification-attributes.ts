import { notificationKinds, type Notification } from '../../domain/notification.js';

/**
 * The attributes subscribers filter on. SNS gets them as MessageAttributes; the local runtime evaluates the same
 * subscription filters against this map in process. SNS allows at most 10 attributes per message: a revision uses 9,
 * and 10 when it carries subscribed `terms`.
 */
export type NotificationAttribute = { type: 'String'; value: string } | { type: 'Number'; value: number } | { type: 'String.Array'; value: string[] };

/** Section keys beyond this are dropped from the attribute (the body still lists the capped set). */
export const MAX_SECTION_ATTRIBUTE_KEYS = 100;

export function notificationAttributes(notification: Notification): Record<string, NotificationAttribute> {
  const attributes: Record<string, NotificationAttribute> = {
    id: { type: 'String', value: notification.id },
    type: { type: 'String', value: notification.type },
    page: { type: 'String', value: notification.page },
  };
  if (notification.series !== undefined) attributes.series = { type: 'String', value: notification.series };
  if (notification.edition !== undefined) attributes.edition = { type: 'Number', value: notification.edition };

  switch (notification.type) {
    case 'revision': {
      const keys = new Set<string>();
      for (const section of notification.sections) {
        keys.add(section.key);
        // A renamed section still matches a subscription on its old key.
        if (section.previousKey) keys.add(section.previousKey);
      }
      const sections = [...keys].slice(0, MAX_SECTION_ATTRIBUTE_KEYS);
      const kinds = notificationKinds(notification);
      // SNS refuses empty arrays in String.Array attributes; an absent attribute matches no policy on it either.
      if (sections.length > 0) attributes.sections = { type: 'String.Array', value: sections };
      if (kinds.length > 0) attributes.kinds = { type: 'String.Array', value: kinds };
      // SNS compares numbers to five decimal places.
      attributes.significance = { type: 'Number', value: Math.round(notification.significance * 1e5) / 1e5 };
      attributes.trivial = { type: 'String', value: String(notification.trivial) };
      if (notification.terms && notification.terms.length > 0) attributes.terms = { type: 'String.Array', value: notification.terms };
      break;
    }
    case 'alert':
      attributes.failureKind = { type: 'String', value: notification.kind };
      break;
    case 'new-edition':
      // A new edition is the largest change a series has.
      attributes.significance = { type: 'Number', value: 1 };
      break;
  }
  return attributes;
}

/** A short, single-line subject for email subscribers (SNS: at most 100 printable ASCII characters). */
export function notificationSubject(notification: Notification): string {
  const what = notification.title ?? notification.page;
  let text: string;
  switch (notification.type) {
    case 'revision':
      text = notification.summary === null ? `now tracking ${what}` : `${what} changed (${notification.sections.length} sections)`;
      break;
    case 'alert':
      text = `capture failing for ${what}: ${notification.kind}`;
      break;
    case 'new-edition':
      text = `new edition ${notification.edition} of ${notification.series}`;
      break;
  }
  const ascii = `redline: ${text}`.normalize('NFKD').replace(/[^\x20-\x7e]/g, '');
  return ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii;
}
