import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoSubscriptionStore } from '../../shared/adapters/dynamodb/dynamo-subscription-store.js';
import { LocalSubscriptionGateway, SubscriptionNotifier } from '../../local/runtime/subscription-notifier.js';
import { WebhookNotifier } from '../../shared/adapters/webhook/webhook-notifier.js';
import { ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '../../shared/adapters/webhook/webhook-signature.js';
import { NotificationDeliveryError } from '../../shared/ports/notifier.js';
import type { Notification } from '../../shared/domain/notification.js';
import { createSubscription, type SubscriptionDependencies } from '../../shared/use-cases/subscriptions/manage-subscriptions.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { notifications, type NotificationName } from './subscription-cases.js';

/** The local runtime's delivery: subscriptions from dynalite, webhooks to a real HTTP receiver, email/SQS as lines. */
interface Delivery {
  path: string;
  id: string;
  valid: boolean;
  body: Notification;
}

const SECRET = 'webhook-secret-0123456789';
let aws: LocalAws;
let receiver: Server;
let receiverUrl: string;
const deliveries: Delivery[] = [];
let failingPaths = new Set<string>();

beforeAll(async () => {
  aws = await startLocalAws();
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => request.headers[name] as string | undefined;
      deliveries.push({
        path: request.url!,
        id: header(ID_HEADER)!,
        valid: verifyWebhookSignature(
          SECRET,
          { id: header(ID_HEADER), timestamp: header(TIMESTAMP_HEADER), signature: header(SIGNATURE_HEADER) },
          body,
        ),
        body: JSON.parse(body),
      });
      response.writeHead(failingPaths.has(request.url!) ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  receiver?.closeAllConnections();
  await aws?.close();
});

beforeEach(() => {
  deliveries.length = 0;
  failingPaths = new Set();
});

async function setUp(tableSuffix: string) {
  const dependencies: SubscriptionDependencies = {
    subscriptions: new DynamoSubscriptionStore({ client: aws.dynamodb, tableName: aws.tableName }),
    subscriptionGateway: new LocalSubscriptionGateway(),
    now: () => new Date('2025-03-10T00:00:00.000Z'),
  };
  // Loopback receivers are allowed here on purpose (the API passes the SSRF guard).
  const options = { assertWebhookUrl: (url: string) => new URL(url) };
  const create = (filters: object, delivery: object) => createSubscription(dependencies, { filters, delivery } as never, options);
  const kazakhstan = await create(
    { series: ['hrr/kazakhstan'] },
    { type: 'webhook', url: `${receiverUrl}/kazakhstan-${tableSuffix}`, secret: SECRET },
  );
  const torture = await create({ terms: ['Torture'] }, { type: 'email', address: `desk-${tableSuffix}@example.org` });
  const big = await create({ minSignificance: 0.9 }, { type: 'sqs', queueArn: `arn:aws:sqs:us-east-1:123456789012:big-${tableSuffix}` });
  const lines: string[] = [];
  const notifier = new SubscriptionNotifier({
    subscriptions: dependencies.subscriptions,
    output: { write: (line: string) => lines.push(line) },
    webhookNotifier: (delivery) => new WebhookNotifier({ url: delivery.url, secret: delivery.secret, retries: 0, privateAddresses: true }),
  });
  return {
    notifier,
    lines,
    ids: { kazakhstan: kazakhstan.subscription.id, torture: torture.subscription.id, big: big.subscription.id },
    dependencies,
  };
}

describe('SubscriptionNotifier', () => {
  it('delivers each notification to the subscriptions whose filters match, and only to them', async () => {
    const { notifier, lines, ids, dependencies } = await setUp('a');
    const results: Record<string, string[]> = {};
    for (const [name, notification] of Object.entries(notifications)) {
      results[name] = (await notifier.publishAll(notification)).matched.sort();
    }
    const expected: Record<NotificationName, string[]> = {
      kzSection: [ids.kazakhstan, ids.torture],
      kzRenamed: [ids.kazakhstan],
      kzTrivial: [],
      kzAdded: [ids.kazakhstan, ids.big],
      nigeria: [ids.torture],
      generic: [],
      alert: [ids.kazakhstan],
      newEdition: [ids.kazakhstan, ids.big],
    };
    expect(results).toEqual(Object.fromEntries(Object.entries(expected).map(([name, matched]) => [name, [...matched].sort()])));

    expect(deliveries.map((delivery) => delivery.id)).toEqual(
      ['kzSection', 'kzRenamed', 'kzAdded', 'alert', 'newEdition'].map((name) => notifications[name as NotificationName].id),
    );
    expect(deliveries.every((delivery) => delivery.valid && delivery.path === '/kazakhstan-a')).toBe(true);
    expect(deliveries[0]!.body).toEqual(notifications.kzSection);
    expect(lines.filter((line) => line.includes('-> email:desk-a@example.org'))).toHaveLength(2);
    expect(lines.filter((line) => line.includes('-> sqs:arn:aws:sqs:us-east-1:123456789012:big-a'))).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[redline\] 2025-03-01T12:00:00\.000Z revision #2 of hrr\.kazakhstan\.2024 .* -> email:desk-a@example\.org\n$/);
    for (const id of Object.values(ids)) await dependencies.subscriptions.deleteSubscription(id);
  });

  it('tries every target, then rejects when one failed', async () => {
    const { notifier, lines, ids, dependencies } = await setUp('b');
    failingPaths.add('/kazakhstan-b');
    await expect(notifier.publish(notifications.kzSection)).rejects.toBeInstanceOf(NotificationDeliveryError);
    expect(deliveries).toHaveLength(1);
    expect(lines.filter((line) => line.includes('-> email:desk-b@example.org'))).toHaveLength(1);
    // Nothing matches: nothing is delivered and nothing fails.
    await expect(notifier.publish(notifications.generic)).resolves.toBeUndefined();
    for (const id of Object.values(ids)) await dependencies.subscriptions.deleteSubscription(id);
  });
});
