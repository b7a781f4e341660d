import type { Notifier } from '../../ports/notifier.js';
import type { Notification } from '../../domain/notification.js';

export interface LineWriter {
  write(line: string): unknown;
}

const MAX_LISTED_SECTIONS = 5;

/** Writes one readable line per notification (the local runtime's terminal, or any stream). */
export class ConsoleNotifier implements Notifier {
  readonly name = 'console';

  constructor(private readonly stream: LineWriter = process.stdout) {}

  async publish(notification: Notification): Promise<void> {
    this.stream.write(`${formatNotificationLine(notification)}\n`);
  }
}

export function formatNotificationLine(notification: Notification): string {
  const where = [notification.series, notification.edition].filter((part) => part !== undefined).join(' ');
  const subject = `${notification.page}${where ? ` (${where})` : ''}`;
  let text: string;
  switch (notification.type) {
    case 'revision': {
      if (notification.summary === null) {
        text = `baseline revision #${notification.seq} of ${subject}`;
        break;
      }
      const summary = notification.summary;
      const counts = (['added', 'removed', 'modified', 'renamed', 'moved'] as const)
        .filter((kind) => summary[kind] > 0)
        .map((kind) => `${summary[kind]} ${kind}`)
        .join(', ');
      const keys = notification.sections.map((section) => section.key);
      const listed =
        keys.slice(0, MAX_LISTED_SECTIONS).join(', ') + (keys.length > MAX_LISTED_SECTIONS ? ` (+${keys.length - MAX_LISTED_SECTIONS} more)` : '');
      text =
        `revision #${notification.seq} of ${subject}: ${counts || 'no section changes'}` +
        `, +${summary.wordsAdded}/-${summary.wordsRemoved} words, significance ${notification.significance.toFixed(2)}` +
        `${notification.trivial ? ' (trivial)' : ''}${listed ? ` [${listed}]` : ''}`;
      break;
    }
    case 'alert':
      text =
        `capture failing for ${subject}: ${notification.kind}${notification.httpStatus ? ` HTTP ${notification.httpStatus}` : ''}` +
        ` (${notification.consecutiveFailures} in a row): ${notification.message}`;
      break;
    case 'new-edition':
      text =
        `new edition ${notification.edition} of ${notification.series}: ${notification.page}` +
        (notification.previousEdition !== undefined ? ` (previous ${notification.previousEdition})` : '');
      break;
  }
  // One line, whatever the page put in its headings or error messages.
  return `[redline] ${notification.occurredAt} ${text.replace(/[\r\n]+/g, ' ')}`;
}
