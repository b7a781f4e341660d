import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { loadConfig } from '../../shared/config.js';
import { notificationIds, type Notification } from '../../shared/domain/notification.js';
import { lazily, lazySnsNotifier, lazySnsSubscriptionGateway } from '../../shared/runtime/aws/lazy-sns.js';

/**
 * The SNS adapters that capture (failure alerts) and the api function (subscriptions) make at cold start without
 * loading the SNS client (shared/runtime/aws/lazy-sns.ts): they load it on the first call, and then behave as the
 * adapters themselves, here against fauxqs. test/infra/function-imports.test.ts checks the bundles' imports.
 */
describe('lazily', () => {
  it('loads once for any number of calls, concurrent or not', async () => {
    let loads = 0;
    const value = lazily(async () => ({ loaded: ++loads }));
    const [first, second] = await Promise.all([value(), value()]);
    expect(first).toBe(second);
    expect(await value()).toBe(first);
    expect(loads).toBe(1);
  });

  it('keeps no failed load: the next call loads again', async () => {
    let loads = 0;
    const value = lazily(async () => {
      loads += 1;
      if (loads === 1) throw new Error('first import failed');
      return loads;
    });
    await expect(value()).rejects.toThrow('first import failed');
    expect(await value()).toBe(2);
    expect(await value()).toBe(2);
  });
});

describe('the SNS adapters made lazily, against fauxqs', () => {
  let server: FauxqsServer;
  let sns: SNSClient;
  let sqs: SQSClient;
  let topicArn: string;
  let queueUrl: string;
  let queueArn: string;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  beforeAll(async () => {
    server = await startFauxqs({ port: 0, logger: false });
    // The lazy client takes its credentials from the environment, as in a function.
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    const clientConfig = {
      endpoint: `http://127.0.0.1:${server.port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    sns = new SNSClient(clientConfig);
    sqs = new SQSClient(clientConfig);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'lazy-notifications' }))).TopicArn!;
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'lazy-alerts' }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    queueArn = Attributes!.QueueArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }));
  });

  afterAll(async () => {
    for (const [name, value] of [
      ['AWS_ACCESS_KEY_ID', saved.id],
      ['AWS_SECRET_ACCESS_KEY', saved.secret],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    sns?.destroy();
    sqs?.destroy();
    await server?.stop();
  });

  const config = () => loadConfig({ REDLINE_TABLE: 't', REDLINE_SNS_ENDPOINT: `http://127.0.0.1:${server.port}`, AWS_REGION: 'us-east-1' });

  it('publishes a failure alert with the same body and attributes as SnsNotifier', async () => {
    const alert: Notification = {
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
    };
    const notifier = lazySnsNotifier(config(), topicArn);
    expect(notifier.name).toBe('sns');
    await notifier.publish(alert);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((message) => JSON.parse(message.Body!))).toEqual([alert]);
    expect(Messages[0]!.MessageAttributes!.type).toEqual({ DataType: 'String', StringValue: 'alert' });
  });

  it('subscribes and unsubscribes a webhook on the topic', async () => {
    const gateway = lazySnsSubscriptionGateway(config(), topicArn);
    const endpoints = async () =>
      ((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? []).map((entry) => entry.Endpoint);
    const reference = await gateway.subscribe({
      id: 'subscription-1',
      createdAt: '2025-03-01T00:00:00.000Z',
      delivery: { type: 'webhook', url: 'https://hooks.example.org/redline', secret: 'unused-in-the-cloud' },
      filters: { series: ['hrr/kazakhstan'] },
    });
    expect(reference).toMatch(/^arn:aws:sns:/);
    expect(await endpoints()).toContain('https://hooks.example.org/redline');
    await gateway.unsubscribe(reference!);
    expect(await endpoints()).not.toContain('https://hooks.example.org/redline');
  });
});
