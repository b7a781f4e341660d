import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allowLoopbackOrigins } from '../../shared/adapters/outbound-http/address-guard.js';
import { WebhookNotifier } from '../../shared/adapters/webhook/webhook-notifier.js';
import { signWebhook, verifyWebhookSignature } from '../../shared/adapters/webhook/webhook-signature.js';
import { NotificationDeliveryError } from '../../shared/ports/notifier.js';
import { notificationIds, type RevisionNotification } from '../../shared/domain/notification.js';

const SECRET = 'test-webhook-secret';

const notification: RevisionNotification = {
  id: notificationIds.revision('hrr.kazakhstan.2024', 7),
  type: 'revision',
  page: 'hrr.kazakhstan.2024',
  url: 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/kazakhstan/',
  series: 'hrr/kazakhstan',
  edition: 2024,
  title: 'Kazakhstan',
  occurredAt: '2025-03-01T12:00:00.000Z',
  seq: 7,
  previousSeq: 6,
  summary: { added: 0, removed: 0, modified: 1, renamed: 0, moved: 0, unchanged: 30, wordsAdded: 12, wordsRemoved: 3, significance: 0.2, trivial: false },
  sections: [{ key: 'executive-summary', heading: 'Executive Summary — “quoted”', kind: 'modified', kinds: ['modified'], wordsAdded: 12, wordsRemoved: 3, significance: 0.2 }],
  significance: 0.2,
  trivial: false,
};

interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('WebhookNotifier against a local HTTP server', () => {
  let server: Server;
  let baseUrl: string;
  const received: ReceivedRequest[] = [];
  const hits = new Map<string, number>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const hit = (hits.get(path) ?? 0) + 1;
        hits.set(path, hit);
        received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = (() => {
          switch (path) {
            case '/flaky':
              return hit <= 2 ? 503 : 200;
            case '/rate-limited':
              return hit === 1 ? 429 : 204;
            case '/bad-request':
              return 400;
            case '/down':
              return 502;
            case '/slow-once':
              return hit === 1 ? 0 : 200;
            default:
              return 200;
          }
        })();
        if (status === 0) {
          // Never answers the first time: the client's per-attempt timeout must fire.
          setTimeout(() => response.destroy(), 2000).unref();
          return;
        }
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const notifierFor = (path: string, overrides: Partial<ConstructorParameters<typeof WebhookNotifier>[0]> = {}) =>
    new WebhookNotifier({
      url: `${baseUrl}${path}`,
      secret: SECRET,
      retries: 3,
      minRetryDelayMs: 5,
      maxRetryDelayMs: 20,
      timeoutMs: 1000,
      // The test server is on loopback, which the guard refuses unless its origin is allowed.
      privateAddresses: allowLoopbackOrigins([baseUrl]),
      ...overrides,
    });
  const requestsTo = (path: string) => received.filter((request) => request.path === path);

  it('POSTs the notification as JSON with a verifiable signature, timestamp and id', async () => {
    await notifierFor('/ok').publish(notification);
    const [request] = requestsTo('/ok');
    expect(request).toBeDefined();
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-redline-id']).toBe('hrr.kazakhstan.2024#7');
    expect(JSON.parse(request!.body)).toEqual(notification);

    const timestamp = request!.headers['x-redline-timestamp'] as string;
    const signature = request!.headers['x-redline-signature'] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(verifyWebhookSignature(SECRET, timestamp, request!.body, signature)).toBe(true);
    expect(verifyWebhookSignature(SECRET, timestamp, Buffer.from(request!.body, 'utf8'), signature)).toBe(true);
  });

  it('rejects a tampered body, a wrong secret, a malformed signature and timestamps outside the window', () => {
    const body = JSON.stringify(notification);
    const now = Date.UTC(2025, 2, 1, 12, 0, 0);
    const timestamp = String(now / 1000);
    const signature = signWebhook(SECRET, timestamp, body);
    expect(verifyWebhookSignature(SECRET, timestamp, body, signature, { now })).toBe(true);

    expect(verifyWebhookSignature(SECRET, timestamp, body.replace('"seq":7', '"seq":8'), signature, { now })).toBe(false);
    expect(verifyWebhookSignature('another-secret', timestamp, body, signature, { now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, timestamp, body, 'sha256=abc', { now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, timestamp, body, undefined, { now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, 'not-a-number', body, signature, { now })).toBe(false);
    // The same signed request replayed 10 minutes later, or with a re-signed stale timestamp.
    expect(verifyWebhookSignature(SECRET, timestamp, body, signature, { now: now + 600_000 })).toBe(false);
    expect(verifyWebhookSignature(SECRET, timestamp, body, signature, { now: new Date(now + 299_000) })).toBe(true);
    expect(verifyWebhookSignature(SECRET, timestamp, body, signature, { now: now + 600_000, toleranceSeconds: 900 })).toBe(true);
    // A timestamp cannot be moved without breaking the signature.
    expect(verifyWebhookSignature(SECRET, String(now / 1000 + 600), body, signature, { now: now + 600_000 })).toBe(false);
  });

  it('retries 503 twice and then delivers', async () => {
    await notifierFor('/flaky').publish(notification);
    const requests = requestsTo('/flaky');
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((request) => request.headers['x-redline-id']))).toEqual(new Set(['hrr.kazakhstan.2024#7']));
    for (const request of requests) {
      expect(verifyWebhookSignature(SECRET, request.headers['x-redline-timestamp'] as string, request.body, request.headers['x-redline-signature'] as string)).toBe(true);
    }
  });

  it('retries 429 and a timed-out attempt', async () => {
    await notifierFor('/rate-limited').publish(notification);
    expect(requestsTo('/rate-limited')).toHaveLength(2);

    await notifierFor('/slow-once', { timeoutMs: 200 }).publish(notification);
    expect(requestsTo('/slow-once')).toHaveLength(2);
  });

  it('does not retry a 400 and reports it', async () => {
    const error = await notifierFor('/bad-request').publish(notification).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(NotificationDeliveryError);
    expect((error as NotificationDeliveryError).details).toMatchObject({ notificationId: 'hrr.kazakhstan.2024#7', httpStatus: 400, attempts: 1 });
    expect(requestsTo('/bad-request')).toHaveLength(1);
  });

  it('gives up after the bounded number of attempts', async () => {
    const error = await notifierFor('/down', { retries: 2 }).publish(notification).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(NotificationDeliveryError);
    expect((error as NotificationDeliveryError).details).toMatchObject({ httpStatus: 502, attempts: 3 });
    expect(requestsTo('/down')).toHaveLength(3);
  });

  it('retries an unreachable host and then fails', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const notifier = new WebhookNotifier({ url: `http://127.0.0.1:${port}/hook`, secret: SECRET, retries: 2, minRetryDelayMs: 5, maxRetryDelayMs: 10, privateAddresses: true });
    const error = await notifier.publish(notification).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(NotificationDeliveryError);
    expect((error as NotificationDeliveryError).details.attempts).toBe(3);
  });

  describe('the connect-time address guard (every POST goes through it)', () => {
    const port = () => new URL(baseUrl).port;
    // A public-looking name that resolves to this machine: what `subscribe --webhook http://<name>/` got past.
    const rebinding = async () => [{ address: '127.0.0.1', family: 4 }];

    it('refuses a hostname that resolves to loopback: the POST never arrives, and it is not retried', async () => {
      const notifier = new WebhookNotifier({ url: `http://hooks.example.org:${port()}/ssrf-name`, secret: SECRET, retries: 3, minRetryDelayMs: 5, lookup: rebinding });
      const error = await notifier.publish(notification).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(NotificationDeliveryError);
      expect((error as Error).message).toMatch(/refused: Refusing to connect to hooks\.example\.org: loopback address 127\.0\.0\.1/);
      expect((error as NotificationDeliveryError).details.attempts).toBe(1);
      expect(requestsTo('/ssrf-name')).toHaveLength(0);
      await notifier.close();
    });

    it('refuses `localhost` and literal loopback addresses by default', async () => {
      for (const host of ['localhost', '127.0.0.1', '[::1]']) {
        const notifier = new WebhookNotifier({ url: `http://${host}:${port()}/ssrf-literal`, secret: SECRET, retries: 0 });
        await expect(notifier.publish(notification)).rejects.toThrow(/refused/);
        await notifier.close();
      }
      expect(requestsTo('/ssrf-literal')).toHaveLength(0);
    });

    it('lets loopback through only for an allowed origin, and only when it is loopback', async () => {
      const other = new WebhookNotifier({
        url: `http://hooks.example.org:${port()}/ssrf-other`,
        secret: SECRET,
        retries: 0,
        lookup: rebinding,
        privateAddresses: allowLoopbackOrigins([baseUrl]),
      });
      await expect(other.publish(notification)).rejects.toThrow(/refused/);
      expect(requestsTo('/ssrf-other')).toHaveLength(0);
      const allowed = new WebhookNotifier({ url: `${baseUrl}/ssrf-allowed`, secret: SECRET, retries: 0, privateAddresses: allowLoopbackOrigins([baseUrl]) });
      await allowed.publish(notification);
      expect(requestsTo('/ssrf-allowed')).toHaveLength(1);
      await Promise.all([other.close(), allowed.close()]);
    });
  });
});
