import { ConsoleNotifier, formatNotificationLine } from '../../shared/adapters/console/console-notifier.js';
import { FanoutNotifier } from '../../shared/adapters/fanout/fanout-notifier.js';
import { NotificationDeliveryError, type Notifier } from '../../shared/ports/notifier.js';
import { notificationIds, type Notification, type PageAlertNotification, type RevisionNotification } from '../../shared/domain/notification.js';

const revision: RevisionNotification = {
  id: notificationIds.revision('hrr.kazakhstan.2024', 3),
  type: 'revision',
  page: 'hrr.kazakhstan.2024',
  url: 'https://example.org/kazakhstan',
  series: 'hrr/kazakhstan',
  edition: 2024,
  occurredAt: '2025-03-01T12:00:00.000Z',
  seq: 3,
  previousSeq: 2,
  summary: {
    added: 1,
    removed: 0,
    modified: 2,
    renamed: 0,
    moved: 0,
    unchanged: 20,
    wordsAdded: 40,
    wordsRemoved: 5,
    significance: 0.25,
    trivial: false,
  },
  sections: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((key) => ({
    key,
    heading: key,
    kind: 'modified',
    kinds: ['modified'],
    wordsAdded: 1,
    wordsRemoved: 0,
    significance: 0.1,
  })),
  significance: 0.25,
  trivial: false,
};

const alert: PageAlertNotification = {
  id: notificationIds.alert('hrr.kazakhstan.2024', '2025-03-02T00:00:00.000Z'),
  type: 'alert',
  page: 'hrr.kazakhstan.2024',
  url: 'https://example.org/kazakhstan',
  occurredAt: '2025-03-02T00:00:00.000Z',
  kind: 'http-status',
  httpStatus: 503,
  message: 'Service\nUnavailable',
  consecutiveFailures: 3,
};

class RecordingNotifier implements Notifier {
  readonly received: Notification[] = [];
  constructor(
    readonly name: string,
    private readonly failWith?: Error,
  ) {}
  async publish(notification: Notification): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.received.push(notification);
  }
}

describe('ConsoleNotifier', () => {
  it('writes one readable line per notification', async () => {
    const lines: string[] = [];
    const notifier = new ConsoleNotifier({ write: (line: string) => lines.push(line) });
    await notifier.publish(revision);
    await notifier.publish(alert);
    expect(lines).toEqual([
      '[redline] 2025-03-01T12:00:00.000Z revision #3 of hrr.kazakhstan.2024 (hrr/kazakhstan 2024): 1 added, 2 modified, +40/-5 words, significance 0.25 [a, b, c, d, e (+2 more)]\n',
      '[redline] 2025-03-02T00:00:00.000Z capture failing for hrr.kazakhstan.2024: http-status HTTP 503 (3 in a row): Service Unavailable\n',
    ]);
    expect(formatNotificationLine({ ...revision, summary: null, sections: [] })).toContain('baseline revision #3');
  });
});

describe('FanoutNotifier', () => {
  it('delivers to every target even when one fails, then reports the failure', async () => {
    const first = new RecordingNotifier('first');
    const broken = new RecordingNotifier('broken', new Error('boom'));
    const last = new RecordingNotifier('last');
    const fanout = new FanoutNotifier([first, broken, last]);

    const result = await fanout.publishAll(revision);
    expect(result.delivered).toEqual(['first', 'last']);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]!.notifier).toBe('broken');

    const error = await fanout.publish(alert).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(NotificationDeliveryError);
    expect((error as NotificationDeliveryError).details.failures?.map((failure) => failure.notifier)).toEqual(['broken']);
    expect(first.received.map((notification) => notification.id)).toEqual([revision.id, alert.id]);
    expect(last.received.map((notification) => notification.id)).toEqual([revision.id, alert.id]);
  });

  it('resolves when every target delivered', async () => {
    const target = new RecordingNotifier('only');
    await expect(new FanoutNotifier([target]).publish(revision)).resolves.toBeUndefined();
    expect(target.received).toHaveLength(1);
  });
});
