import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { SnsNotifier } from '../../shared/adapters/sns/sns-notifier.js';
import { notificationIds, type Notification, type RevisionNotification } from '../../shared/domain/notification.js';
import type { RevisionSectionChange } from '../../shared/domain/revision-records.js';

const modified = (key: string, significance: number, trivial?: RevisionSectionChange['trivial']): RevisionSectionChange => ({
  key,
  heading: key,
  kind: 'modified',
  kinds: ['modified'],
  wordsAdded: 4,
  wordsRemoved: 2,
  significance,
  ...(trivial ? { trivial } : {}),
});

function revision(
  page: string,
  seq: number,
  series: string,
  edition: number,
  significance: number,
  sections: RevisionSectionChange[],
  trivial = false,
): RevisionNotification {
  return {
    id: notificationIds.revision(page, seq),
    type: 'revision',
    page,
    url: `https://example.org/${page}`,
    series,
    edition,
    title: `Report ${page}`,
    occurredAt: '2025-03-01T12:00:00.000Z',
    seq,
    previousSeq: seq - 1,
    summary: {
      added: 0,
      removed: 0,
      modified: sections.length,
      renamed: 0,
      moved: 0,
      unchanged: 10,
      wordsAdded: 4,
      wordsRemoved: 2,
      significance,
      trivial,
    },
    sections,
    significance,
    trivial,
    diffKey: `diffs/${page}/${seq - 1}..${seq}.json`,
  };
}

const notifications: Record<string, Notification> = {
  kzSection2: revision('hrr.kazakhstan.2024', 2, 'hrr/kazakhstan', 2024, 0.3, [
    modified('respect-for-civil-liberties/freedom-of-expression', 0.3),
    modified('executive-summary', 0.1),
  ]),
  kzAddedOnly: revision('hrr.kazakhstan.2024', 3, 'hrr/kazakhstan', 2024, 0.1, [
    { key: 'new-annex', heading: 'New annex', kind: 'added', kinds: ['added'], wordsAdded: 50, wordsRemoved: 0, significance: 1 },
  ]),
  kzTrivial: revision('hrr.kazakhstan.2024', 4, 'hrr/kazakhstan', 2024, 0.01, [modified('respect-for-civil-liberties', 0.01, 'punctuation')], true),
  nigeriaBig: revision('hrr.nigeria.2024', 2, 'hrr/nigeria', 2024, 0.5, [modified('respect-for-the-integrity-of-the-person', 0.5)]),
  kzAlert: {
    id: notificationIds.alert('hrr.kazakhstan.2024', '2025-03-02T00:00:00.000Z'),
    type: 'alert',
    page: 'hrr.kazakhstan.2024',
    url: 'https://example.org/hrr.kazakhstan.2024',
    series: 'hrr/kazakhstan',
    edition: 2024,
    occurredAt: '2025-03-02T00:00:00.000Z',
    kind: 'http-status',
    message: 'HTTP 503 three times',
    httpStatus: 503,
    consecutiveFailures: 3,
  },
  kzNewEdition: {
    id: notificationIds.newEdition('hrr/kazakhstan', 2025),
    type: 'new-edition',
    page: 'hrr.kazakhstan.2025',
    url: 'https://example.org/hrr.kazakhstan.2025',
    series: 'hrr/kazakhstan',
    edition: 2025,
    occurredAt: '2025-03-03T00:00:00.000Z',
    previousEdition: 2024,
    previousPage: 'hrr.kazakhstan.2024',
  },
};

/** Subscription name -> filter policy, and the notifications real SNS delivers to it. */
const subscriptions = {
  kazakhstanSignificant: {
    policy: { series: ['hrr/kazakhstan'], significance: [{ numeric: ['>=', 0.2] }] },
    expected: ['kzSection2', 'kzNewEdition'],
  },
  significant: { policy: { significance: [{ numeric: ['>=', 0.2] }] }, expected: ['kzSection2', 'nigeriaBig', 'kzNewEdition'] },
  nonTrivialRevisions: { policy: { type: ['revision'], trivial: ['false'] }, expected: ['kzSection2', 'kzAddedOnly', 'nigeriaBig'] },
  alerts: { policy: { type: ['alert'] }, expected: ['kzAlert'] },
  // Policies on String.Array attributes: SNS matches when any element matches.
  kazakhstanModified: { policy: { series: ['hrr/kazakhstan'], kinds: ['modified'] }, expected: ['kzSection2', 'kzTrivial'] },
  civilLiberties: { policy: { sections: [{ prefix: 'respect-for-civil-liberties' }], trivial: ['false'] }, expected: ['kzSection2'] },
};
type SubscriptionName = keyof typeof subscriptions;

describe('SnsNotifier against fauxqs (SNS -> SQS with filter policies, raw delivery)', () => {
  let server: FauxqsServer;
  let sns: SNSClient;
  let sqs: SQSClient;
  const received = {} as Record<SubscriptionName, Message[]>;

  beforeAll(async () => {
    server = await startFauxqs({ port: 0, logger: false });
    const clientConfig = {
      endpoint: `http://127.0.0.1:${server.port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    sns = new SNSClient(clientConfig);
    sqs = new SQSClient(clientConfig);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'redline-notifications' }));
    const queues = {} as Record<SubscriptionName, string>;
    for (const [name, { policy }] of Object.entries(subscriptions)) {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: Attributes!.QueueArn,
          Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify(policy) },
        }),
      );
      queues[name as SubscriptionName] = QueueUrl!;
    }

    const notifier = new SnsNotifier({ client: sns, topicArn: TopicArn! });
    for (const notification of Object.values(notifications)) await notifier.publish(notification);
    for (const [name, queueUrl] of Object.entries(queues)) received[name as SubscriptionName] = await drain(queueUrl);
  });

  afterAll(async () => {
    sns?.destroy();
    sqs?.destroy();
    await server?.stop();
  });

  async function drain(queueUrl: string): Promise<Message[]> {
    const messages: Message[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) return messages;
      messages.push(...Messages);
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
        }),
      );
    }
  }

  const receivedIds = (name: SubscriptionName) => received[name].map((message) => (JSON.parse(message.Body!) as Notification).id).sort();
  const expectedIds = (name: SubscriptionName) => subscriptions[name].expected.map((key) => notifications[key]!.id).sort();

  it.each(['kazakhstanSignificant', 'significant', 'nonTrivialRevisions', 'alerts'] as const)(
    'delivers exactly the matching notifications to the %s subscription',
    (name) => {
      expect(receivedIds(name)).toEqual(expectedIds(name));
    },
  );

  // fauxqs 2.4.1 matches a String.Array attribute as one opaque string ('["modified"]'), where SNS matches each
  // element, so these subscriptions receive nothing there. `failing` pins that: when fauxqs learns array
  // matching, this starts to "fail" and should become a plain `it`.
  it.failing.each(['kazakhstanModified', 'civilLiberties'] as const)(
    'delivers exactly the matching notifications to the %s subscription (String.Array policy; not emulated by fauxqs)',
    (name) => {
      expect(receivedIds(name)).toEqual(expectedIds(name));
    },
  );

  it('delivers the raw notification as the body, with the filter attributes on the SQS message', () => {
    const message = received.nonTrivialRevisions.find((candidate) => JSON.parse(candidate.Body!).id === notifications.kzSection2!.id)!;
    expect(JSON.parse(message.Body!)).toEqual(notifications.kzSection2);
    const attributes = message.MessageAttributes!;
    expect(attributes.page).toEqual({ DataType: 'String', StringValue: 'hrr.kazakhstan.2024' });
    expect(attributes.series).toEqual({ DataType: 'String', StringValue: 'hrr/kazakhstan' });
    expect(attributes.edition).toEqual({ DataType: 'Number', StringValue: '2024' });
    expect(attributes.significance).toEqual({ DataType: 'Number', StringValue: '0.3' });
    expect(attributes.type).toEqual({ DataType: 'String', StringValue: 'revision' });
    expect(attributes.trivial).toEqual({ DataType: 'String', StringValue: 'false' });
    expect(attributes.id).toEqual({ DataType: 'String', StringValue: 'hrr.kazakhstan.2024#2' });
    expect(attributes.sections?.DataType).toBe('String.Array');
    expect(JSON.parse(attributes.sections!.StringValue!)).toEqual(['respect-for-civil-liberties/freedom-of-expression', 'executive-summary']);
    expect(attributes.kinds?.DataType).toBe('String.Array');
    expect(JSON.parse(attributes.kinds!.StringValue!)).toEqual(['modified']);

    const alert = received.alerts[0]!;
    expect(alert.MessageAttributes?.failureKind).toEqual({ DataType: 'String', StringValue: 'http-status' });
    expect(alert.MessageAttributes?.significance).toBeUndefined();
  });
});
