import { CreateTopicCommand, GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { DynamoSubscriptionStore } from '../../shared/adapters/dynamodb/dynamo-subscription-store.js';
import { SnsNotifier } from '../../shared/adapters/sns/sns-notifier.js';
import { SnsSubscriptionGateway } from '../../shared/adapters/sns/sns-subscription-gateway.js';
import { subscriptionFilterPolicy } from '../../shared/adapters/sns/subscription-policy.js';
import { matchesSubscription, normaliseSubscriptionFilters } from '../../shared/domain/subscription-filter.js';
import type { Notification } from '../../shared/domain/notification.js';
import { createSubscription, deleteSubscription, type SubscriptionDependencies } from '../../shared/use-cases/subscriptions/manage-subscriptions.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { notifications, subscriptions, type NotificationName } from './subscription-cases.js';

/**
 * Subscriptions in the cloud shape: created through the use case with the SNS gateway (fauxqs), delivered by SNS to
 * SQS with the translated filter policies, compared with the in-process evaluation of the same subscriptions.
 */
let fauxqs: FauxqsServer;
let aws: LocalAws;
let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;
let dependencies: SubscriptionDependencies;
const subscriptionIds: Record<string, string> = {};
const received: Record<string, string[]> = {};

beforeAll(async () => {
  [fauxqs, aws] = await Promise.all([startFauxqs({ port: 0, logger: false }), startLocalAws()]);
  const clientConfig = {
    endpoint: `http://127.0.0.1:${fauxqs.port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  sns = new SNSClient(clientConfig);
  sqs = new SQSClient(clientConfig);
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'redline-notifications' }))).TopicArn!;
  dependencies = {
    subscriptions: new DynamoSubscriptionStore({ client: aws.dynamodb, tableName: aws.tableName }),
    subscriptionGateway: new SnsSubscriptionGateway({ client: sns, topicArn }),
    now: () => new Date('2025-03-10T00:00:00.000Z'),
  };
  const queues: Record<string, string> = {};
  for (const [name, { filters }] of Object.entries(subscriptions)) {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const created = await createSubscription(
      dependencies,
      { filters, delivery: { type: 'sqs', queueArn: Attributes!.QueueArn! } },
      { assertWebhookUrl: (url) => new URL(url) },
    );
    subscriptionIds[name] = created.subscription.id;
    queues[name] = QueueUrl!;
  }
  const notifier = new SnsNotifier({ client: sns, topicArn });
  for (const notification of Object.values(notifications)) await notifier.publish(notification);
  for (const [name, queueUrl] of Object.entries(queues)) received[name] = await drain(queueUrl);
}, 180_000);

afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  await Promise.allSettled([fauxqs?.stop(), aws?.close()]);
});

async function drain(queueUrl: string): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return ids.sort();
    ids.push(...Messages.map((message) => (JSON.parse(message.Body!) as Notification).id));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
      }),
    );
  }
}

function inProcess(name: string): string[] {
  const filters = normaliseSubscriptionFilters(subscriptions[name]!.filters);
  return (Object.keys(notifications) as NotificationName[])
    .filter((key) => matchesSubscription(filters, notifications[key]))
    .map((key) => notifications[key].id)
    .sort();
}

const scalarCases = Object.entries(subscriptions)
  .filter(([, entry]) => !entry.usesArrays)
  .map(([name]) => name);
const arrayCases = Object.entries(subscriptions)
  .filter(([, entry]) => entry.usesArrays)
  .map(([name]) => name);

describe('SNS (fauxqs) and the in-process evaluation agree', () => {
  it.each(scalarCases)('%s: SNS delivers exactly what matchesSubscription selects', (name) => {
    expect(received[name]).toEqual(inProcess(name));
    expect(inProcess(name)).toEqual(subscriptions[name]!.expected.map((key) => notifications[key].id).sort());
  });

  // fauxqs 2.4.1 matches a String.Array attribute as one opaque string ('["liberty/..."]'), where SNS matches each
  // element (documented; see subscription-filter.test.ts for the grammar tests these cases rely on instead). These
  // pin the emulator's gap: when fauxqs learns per-element matching they start to "fail" and become plain tests.
  it.failing.each(arrayCases)('%s (String.Array filter; not emulated by fauxqs 2.4.1)', (name) => {
    expect(received[name]).toEqual(inProcess(name));
  });
});

describe('SnsSubscriptionGateway', () => {
  it('subscribes SQS queues with the filter policy and raw delivery, and keeps the subscription ARN', async () => {
    const record = (await dependencies.subscriptions.getSubscription(subscriptionIds.kazakhstan!))!;
    expect(record.deliveryReference).toMatch(/^arn:aws:sns:/);
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: record.deliveryReference }));
    expect(JSON.parse(Attributes!.FilterPolicy!)).toEqual(subscriptionFilterPolicy(record.filters));
    expect(Attributes!.FilterPolicyScope).toBe('MessageAttributes');
    expect(Attributes!.RawMessageDelivery).toBe('true');
    expect(Attributes!.Protocol).toBe('sqs');
  });

  it('subscribes an email address (no filter policy when the subscription takes everything)', async () => {
    const { subscription } = await createSubscription(
      dependencies,
      { filters: { includeTrivial: true }, delivery: { type: 'email', address: 'desk@example.org' } },
      { assertWebhookUrl: (url) => new URL(url) },
    );
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscription.deliveryReference }));
    expect(Attributes).toMatchObject({ Protocol: 'email', Endpoint: 'desk@example.org' });
    expect(Attributes!.FilterPolicy).toBeUndefined();
  });

  it('unsubscribes when the subscription is deleted', async () => {
    const id = subscriptionIds.torture!;
    const arn = (await dependencies.subscriptions.getSubscription(id))!.deliveryReference;
    const arns = async () =>
      ((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? []).map((entry) => entry.SubscriptionArn);
    expect(await arns()).toContain(arn);
    await deleteSubscription(dependencies, id);
    expect(await arns()).not.toContain(arn);
    expect(await dependencies.subscriptions.getSubscription(id)).toBeUndefined();
  });
});
