import { jest } from '@jest/globals';
import net from 'node:net';
import tls from 'node:tls';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createApiHandler } from '../../functions/api/api-handler.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../local/demo/webhook-receiver.js';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { DynamoSubscriptionStore } from '../../shared/adapters/dynamodb/dynamo-subscription-store.js';
import type { HostLookup } from '../../shared/adapters/outbound-http/guarded-connector.js';
import { HttpFetcher } from '../../shared/adapters/outbound-http/http-fetcher.js';
import { LocalSubscriptionGateway } from '../../local/runtime/subscription-notifier.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from '../../shared/adapters/webhook/webhook-signature.js';
import { WebhookNotifier } from '../../shared/adapters/webhook/webhook-notifier.js';
import type { Notification } from '../../shared/domain/notification.js';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';
import { capturePage } from '../../shared/use-cases/capture-page.js';
import { DEFAULT_TRACKER_SETTINGS, type TrackerDependencies } from '../../shared/use-cases/tracker-dependencies.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { silentObservability } from './support/hardening-kit.js';

/**
 * Security checks of issue 7 that the adapter tests do not already make:
 * - SSRF through the API: POST /watches and webhook subscriptions refuse every private, loopback, link-local,
 *   metadata, reserved and IPv4-in-IPv6 form of an address, in every spelling the URL parser accepts (decimal, hex,
 *   octal, short, full-width digits, percent-encoded); names are not resolved at that point, so a DNS-rebinding name
 *   (one that resolves to 127.0.0.1 or to the metadata address) is accepted as a watch and then refused at connect
 *   time by the capture, with a `blocked` failure and no connection made.
 * - Webhook replay: the reference receiver refuses a delivery replayed outside the timestamp window, a re-dated one,
 *   and drops a replay inside the window even when its unsigned id header was changed.
 * - Secrets: in test/infra/secrets.test.ts, run with the other CDK files (test/infra/infra.test.ts) so that it
 *   shares their loaded aws-cdk-lib instead of paying for a first synthesis of its own.
 */
const API_TOKEN = 'security-test-token-0123456789';

let aws: LocalAws;
let handler: ReturnType<typeof createApiHandler>;
let dependencies: TrackerDependencies;
let fetcher: HttpFetcher;
const dials: string[] = [];

const lookup: HostLookup = async (hostname) => {
  const answers: Record<string, string[]> = {
    'rebind.example.org': ['127.0.0.1'],
    'metadata.example.org': ['169.254.169.254'],
    'internal.example.org': ['10.1.2.3', 'fd00::1'],
    'mapped.example.org': ['::ffff:127.0.0.1'],
  };
  const addresses = answers[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: net.isIP(address) }));
};

beforeAll(async () => {
  for (const [module, name] of [
    [net, 'connect'],
    [tls, 'connect'],
  ] as const) {
    const original = (module[name] as (...args: unknown[]) => unknown).bind(module);
    jest.spyOn(module, name).mockImplementation(((...args: unknown[]) => {
      const options = typeof args[0] === 'object' && args[0] !== null ? (args[0] as { host?: string }) : {};
      const host = options.host ?? (typeof args[1] === 'string' ? args[1] : undefined);
      dials.push(String(host));
      if (host !== undefined && host !== '127.0.0.1' && host !== 'localhost') throw new Error(`refused a dial to ${host}`);
      return original(...args);
    }) as never);
  }
  aws = await startLocalAws();
  const revisions = new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName });
  const snapshots = new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName });
  handler = createApiHandler(
    {
      revisions,
      snapshots,
      subscriptions: new DynamoSubscriptionStore({ client: aws.dynamodb, tableName: aws.tableName }),
      subscriptionGateway: new LocalSubscriptionGateway(),
      now: () => new Date(),
      settings: DEFAULT_TRACKER_SETTINGS,
      // The default policy for submitted URLs: the SSRF guard, nothing allow-listed.
      api: { token: API_TOKEN },
    },
    silentObservability('api'),
  );
  fetcher = new HttpFetcher({
    userAgent: 'redline-security-test/0.1',
    lookup,
    connectTimeoutMs: 1_000,
    totalTimeoutMs: 3_000,
    perHostDelayMs: 0,
    robots: false,
  });
  dependencies = {
    revisions,
    snapshots,
    fetcher,
    notifier: { name: 'none', publish: async () => undefined },
    captureQueue: { enqueue: async () => undefined },
    now: () => new Date(),
    settings: DEFAULT_TRACKER_SETTINGS,
  };
}, 180_000);

afterAll(async () => {
  await fetcher?.close();
  await aws?.close();
  jest.restoreAllMocks();
});

async function post(path: string, body: unknown): Promise<{ status: number; json: { detail?: string; page?: { page: string } } }> {
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.org', 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' },
      domainName: 'api.example.org',
      stage: '$default',
    },
  } as unknown as APIGatewayProxyEventV2;
  const result = (await handler(event, localLambdaContext('api'))) as { statusCode: number; body: string };
  return { status: result.statusCode, json: JSON.parse(result.body) as never };
}

describe('SSRF through the API', () => {
  const REFUSED: [string, RegExp][] = [
    ['http://127.0.0.1/', /loopback address 127\.0\.0\.1/],
    ['http://127.1/', /loopback address 127\.0\.0\.1/],
    ['http://2130706433/', /loopback address 127\.0\.0\.1/],
    ['http://0x7f000001/', /loopback address 127\.0\.0\.1/],
    ['http://017700000001/', /loopback address 127\.0\.0\.1/],
    ['http://%31%32%37.0.0.1/', /loopback address 127\.0\.0\.1/],
    ['http://１２７.０.０.１/', /loopback address 127\.0\.0\.1/],
    ['http://127。0。0。1/', /loopback address 127\.0\.0\.1/],
    ['http://localhost/', /localhost is this machine/],
    ['http://LOCALHOST./', /localhost is this machine/],
    ['http://api.localhost/', /api\.localhost is this machine/],
    ['http://[::1]/', /loopback address ::1/],
    ['http://0.0.0.0/', /unspecified address 0\.0\.0\.0/],
    ['http://0/', /unspecified address 0\.0\.0\.0/],
    ['http://[::]/', /unspecified address ::/],
    ['http://10.0.0.1/', /private address 10\.0\.0\.1/],
    ['http://172.16.5.4/', /private address 172\.16\.5\.4/],
    ['http://192.168.1.1/', /private address 192\.168\.1\.1/],
    ['http://100.100.100.200/', /carrierGradeNat address/],
    ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', /linkLocal address 169\.254\.169\.254/],
    ['https://169.254.169.254:443/', /linkLocal address 169\.254\.169\.254/],
    ['http://169.254.170.2/v2/credentials', /linkLocal address 169\.254\.170\.2/],
    ['http://[fd00:ec2::254]/latest/meta-data/', /uniqueLocal address fd00:ec2::254/],
    ['http://[fe80::1]/', /linkLocal address fe80::1/],
    ['http://[::ffff:127.0.0.1]/', /loopback address 127\.0\.0\.1 \(embedded/],
    ['http://[::ffff:a9fe:a9fe]/', /linkLocal address 169\.254\.169\.254 \(embedded/],
    ['http://[64:ff9b::a9fe:a9fe]/', /linkLocal address 169\.254\.169\.254 \(embedded/],
    ['http://[2002:a9fe:a9fe::]/', /linkLocal address 169\.254\.169\.254 \(embedded/],
    ['http://[::a9fe:a9fe]/', /non-global IPv6 address/],
    ['http://192.0.0.192/', /reserved address/],
    ['http://198.18.0.1/', /reserved address/],
    ['http://224.0.0.1/', /multicast address/],
    ['http://255.255.255.255/', /broadcast address/],
    ['http://example.com@127.0.0.1/', /credentials in URL/],
    ['http://127.0.0.1#@example.com/', /loopback address/],
    ['http://user:pass@example.com/', /credentials in URL/],
    ['http://example.com:22/', /port 22 is not fetchable/],
    ['http://example.com:6379/', /port 6379 is not allowed/],
    ['http://example.com:2375/', /port 2375 is not allowed/],
    ['file:///etc/passwd', /scheme file: is not http or https/],
    ['gopher://example.com/', /scheme gopher: is not http or https/],
    ['javascript:alert(1)', /scheme javascript: is not http or https/],
    ['data:text/html,x', /scheme data: is not http or https/],
    ['not a url', /Not a valid URL/],
  ];

  it.each(REFUSED)('POST /watches refuses %s with a 400 naming the reason', async (url, reason) => {
    const answer = await post('/watches', { url });
    expect(answer.status).toBe(400);
    expect(answer.json.detail!).toMatch(/^url: /);
    expect(answer.json.detail!).toMatch(reason);
  });

  it.each(REFUSED.filter(([url]) => url.startsWith('http')))('a webhook subscription to %s is refused too', async (url, reason) => {
    const answer = await post('/subscriptions', { delivery: { type: 'webhook', url } });
    expect(answer.status).toBe(400);
    expect(answer.json.detail!).toMatch(/^delivery\.url: /);
    expect(answer.json.detail!).toMatch(reason);
  });

  it.each([
    ['rebind.example.org', /loopback address 127\.0\.0\.1/],
    ['metadata.example.org', /linkLocal address 169\.254\.169\.254/],
    ['internal.example.org', /private address 10\.1\.2\.3, uniqueLocal address fd00::1/],
    ['mapped.example.org', /loopback address 127\.0\.0\.1 \(embedded/],
  ])(
    'accepts the name %s as a watch (names resolve at fetch time), and the capture refuses its address at connect time',
    async (hostname, reason) => {
      const accepted = await post('/watches', { url: `http://${hostname}/report` });
      expect(accepted.status).toBe(201);
      const page = accepted.json.page!.page;
      const dialsBefore = dials.length;
      const outcome = await capturePage(dependencies, {
        page,
        url: `http://${hostname}/report`,
        reason: 'scheduled',
        requestedAt: new Date().toISOString(),
      });
      expect(outcome).toMatchObject({ outcome: 'failed', kind: 'blocked' });
      expect((outcome as { message: string }).message).toMatch(
        new RegExp(`Refusing to connect to ${hostname.replaceAll('.', '\\.')}: ${reason.source}`),
      );
      // No socket was opened for it.
      expect(dials.slice(dialsBefore)).toEqual([]);
      expect((await dependencies.revisions.listFailures(page)).items).toEqual([expect.objectContaining({ kind: 'blocked' })]);
    },
  );
});

describe('webhook replay', () => {
  const SECRET = 'replay-test-secret-0123456789';
  let receiver: WebhookReceiver;
  const notification = {
    type: 'revision',
    id: 'hrr.tuvalu.2024#7',
    page: 'hrr.tuvalu.2024',
    url: 'https://www.state.gov/',
    occurredAt: '2025-03-01T00:00:00.000Z',
    seq: 7,
    summary: null,
    sections: [],
    significance: 0.2,
    trivial: false,
  } as unknown as Notification;

  beforeAll(async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
  });
  afterAll(async () => {
    await receiver?.close();
  });

  const send = (headers: Record<string, string>, body: string) =>
    fetch(receiver.url('/hook'), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(
      (response) => response.status,
    );

  it('accepts a signed delivery once, drops its replays inside the window, refuses re-labelled, stale or re-dated ones', async () => {
    await new WebhookNotifier({ url: receiver.url('/hook'), secret: SECRET, retries: 0, privateAddresses: true }).publish(notification);
    const delivered = receiver.receipts.at(-1)!;
    expect(delivered).toMatchObject({ status: 204, verified: true, duplicate: false, id: notification.id });

    const body = JSON.stringify(notification);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signWebhook(SECRET, notification.id, timestamp, body);
    const signed = { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signature };
    // The same delivery again: dropped as a duplicate (200, not processed).
    expect(await send({ ...signed, [ID_HEADER]: notification.id }, body)).toBe(200);
    // The id is signed: a replay that changes it, or leaves it out, fails verification.
    expect(await send({ ...signed, [ID_HEADER]: 'hrr.tuvalu.2024#8' }, body)).toBe(401);
    expect(await send(signed, body)).toBe(401);
    // Signed under another id than the body's: refused, not taken for a new notification.
    const otherId = 'hrr.tuvalu.2024#8';
    expect(
      await send({ [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signWebhook(SECRET, otherId, timestamp, body), [ID_HEADER]: otherId }, body),
    ).toBe(400);
    // Outside the 5-minute window, or with the timestamp moved (which breaks the signature): refused.
    const stale = String(Math.floor(Date.now() / 1000) - 301);
    expect(
      await send(
        { [TIMESTAMP_HEADER]: stale, [SIGNATURE_HEADER]: signWebhook(SECRET, notification.id, stale, body), [ID_HEADER]: notification.id },
        body,
      ),
    ).toBe(401);
    expect(await send({ [TIMESTAMP_HEADER]: String(Number(timestamp) + 1), [SIGNATURE_HEADER]: signature, [ID_HEADER]: notification.id }, body)).toBe(
      401,
    );
    expect(receiver.accepted('/hook')).toHaveLength(1);
  });
});
