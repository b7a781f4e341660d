import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allowLoopbackOrigins } from '../../shared/adapters/outbound-http/address-guard.js';
import { WebhookNotifier } from '../../shared/adapters/webhook/webhook-notifier.js';
import { jest } from '@jest/globals';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { signLegacyWebhook, signWebhook, verifyWebhookSignature } from '../../shared/adapters/webhook/webhook-signature.js';
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
  summary: {
    added: 0,
    removed: 0,
    modified: 1,
    renamed: 0,
    moved: 0,
    unchanged: 30,
    wordsAdded: 12,
    wordsRemoved: 3,
    significance: 0.2,
    trivial: false,
  },
  sections: [
    {
      key: 'executive-summary',
      heading: 'Executive Summary — “quoted”',
      kind: 'modified',
      kinds: ['modified'],
      wordsAdded: 12,
      wordsRemoved: 3,
      significance: 0.2,
    },
  ],
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
  /** Called when the server receives a request it will not answer. */
  let unansweredArrived: (() => void) | undefined;

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
          // Never answers the first time: the client's attempt must time out (the test fires its timeout signal now).
          unansweredArrived?.();
          setTimeout(() => response.destroy(), 60_000).unref();
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
      timeoutMs: 30_000, // only stops a hang: no outcome here waits on it
      // The test server is on loopback, which the guard refuses unless its origin is allowed.
      privateAddresses: allowLoopbackOrigins([baseUrl]),
      ...overrides,
    });
  const requestsTo = (path: string) => received.filter((request) => request.path === path);

  /** What a receiver does with the standardwebhooks package: the parsed body, or the library's error. */
  const verifiedBy = (webhook: Webhook, request: { body: string; headers: IncomingHttpHeaders }) =>
    webhook.verify(request.body, request.headers as Record<string, string>);

  it('POSTs the notification as JSON, signed in the Standard Webhooks format that the standardwebhooks package verifies', async () => {
    await notifierFor('/ok').publish(notification);
    const [request] = requestsTo('/ok');
    expect(request).toBeDefined();
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['webhook-id']).toBe('hrr.kazakhstan.2024#7');
    expect(request!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(Math.abs(Number(request!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    // The old private headers only when asked for.
    expect(request!.headers['x-redline-signature']).toBeUndefined();
    // A secret the subscriber chose is read as its bytes (the library's raw format).
    expect(verifiedBy(new Webhook(SECRET, { format: 'raw' }), request!)).toEqual(notification);
    expect(() => verifiedBy(new Webhook('another-secret-0123', { format: 'raw' }), request!)).toThrow(WebhookVerificationError);
    expect(
      verifyWebhookSignature(
        SECRET,
        {
          id: request!.headers['webhook-id'] as string,
          timestamp: request!.headers['webhook-timestamp'] as string,
          signature: request!.headers['webhook-signature'] as string,
        },
        Buffer.from(request!.body),
      ),
    ).toBe(true);
  });

  it('signs with a whsec_ secret as the library reads it by default (base64 key bytes)', async () => {
    const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
    await notifierFor('/whsec', { secret }).publish(notification);
    const [request] = requestsTo('/whsec');
    expect(verifiedBy(new Webhook(secret), request!)).toEqual(notification);
    expect(() => new WebhookNotifier({ url: `${baseUrl}/whsec`, secret: 'whsec_' })).toThrow(/base64 key bytes/);
  });

  it('sends the x-redline-* headers of earlier releases alongside when asked, for one release', async () => {
    await notifierFor('/legacy', { legacyHeaders: true }).publish(notification);
    const [request] = requestsTo('/legacy');
    const timestamp = request!.headers['x-redline-timestamp'] as string;
    expect(request!.headers['x-redline-id']).toBe(notification.id);
    expect(request!.headers['x-redline-signature']).toBe(signLegacyWebhook(SECRET, timestamp, request!.body));
    expect(verifiedBy(new Webhook(SECRET, { format: 'raw' }), request!)).toEqual(notification);
  });

  it('the library refuses a tampered body, a moved id or timestamp, and a delivery outside the 5-minute window', () => {
    const body = JSON.stringify(notification);
    const now = Date.UTC(2025, 2, 1, 12, 0, 0);
    const timestamp = String(now / 1000);
    const headers = {
      'webhook-id': notification.id,
      'webhook-timestamp': timestamp,
      'webhook-signature': signWebhook(SECRET, notification.id, timestamp, body),
    };
    const webhook = new Webhook(SECRET, { format: 'raw' });
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(now);
      expect(webhook.verify(body, headers)).toEqual(notification);
      expect(() => webhook.verify(body.replace('"seq":7', '"seq":8'), headers)).toThrow('No matching signature found');
      expect(() => webhook.verify(body, { ...headers, 'webhook-id': 'hrr.kazakhstan.2024#8' })).toThrow('No matching signature found');
      expect(() => webhook.verify(body, { ...headers, 'webhook-timestamp': String(now / 1000 + 1) })).toThrow('No matching signature found');
      clock.mockReturnValue(now + 299_000);
      expect(webhook.verify(body, headers)).toEqual(notification);
      clock.mockReturnValue(now + 301_000);
      expect(() => webhook.verify(body, headers)).toThrow('Message timestamp too old');
      clock.mockReturnValue(now - 301_000);
      expect(() => webhook.verify(body, headers)).toThrow('Message timestamp too new');
    } finally {
      clock.mockRestore();
    }
    // redline's own check agrees, on the same window.
    const signed = { id: headers['webhook-id'], timestamp, signature: headers['webhook-signature'] };
    expect(verifyWebhookSignature(SECRET, signed, body, { now: now + 299_000 })).toBe(true);
    expect(verifyWebhookSignature(SECRET, signed, body, { now: now + 301_000 })).toBe(false);
    expect(verifyWebhookSignature(SECRET, { ...signed, signature: `v1,AAAA ${signed.signature}` }, body, { now })).toBe(true);
    expect(verifyWebhookSignature(SECRET, { ...signed, signature: undefined }, body, { now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, { ...signed, timestamp: 'not-a-number' }, body, { now })).toBe(false);
  });

  it('retries 503 twice and then delivers', async () => {
    await notifierFor('/flaky').publish(notification);
    const requests = requestsTo('/flaky');
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((request) => request.headers['webhook-id']))).toEqual(new Set(['hrr.kazakhstan.2024#7']));
    for (const request of requests) expect(verifiedBy(new Webhook(SECRET, { format: 'raw' }), request)).toEqual(notification);
  });

  it('retries 429 and a timed-out attempt', async () => {
    await notifierFor('/rate-limited').publish(notification);
    expect(requestsTo('/rate-limited')).toHaveLength(2);

    // The attempt's timeout fires when the server has the request and has not answered: an event, not a race with
    // the machine's speed (a real 200 ms timeout also cut off the retry on a loaded machine). The real timers stay
    // far out (60 s) and only stop a hang.
    const timeouts: AbortController[] = [];
    const attemptSignal = (timeoutMs: number) => {
      expect(timeoutMs).toBe(60_000);
      const controller = new AbortController();
      timeouts.push(controller);
      return controller.signal;
    };
    unansweredArrived = () => timeouts.at(-1)!.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    try {
      await notifierFor('/slow-once', { timeoutMs: 60_000, attemptSignal }).publish(notification);
    } finally {
      unansweredArrived = undefined;
    }
    expect(requestsTo('/slow-once')).toHaveLength(2);
    expect(timeouts.map((controller) => controller.signal.aborted)).toEqual([true, false]);
  });

  it('does not retry a 400 and reports it', async () => {
    const error = await notifierFor('/bad-request')
      .publish(notification)
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(NotificationDeliveryError);
    expect((error as NotificationDeliveryError).details).toMatchObject({ notificationId: 'hrr.kazakhstan.2024#7', httpStatus: 400, attempts: 1 });
    expect(requestsTo('/bad-request')).toHaveLength(1);
  });

  it('gives up after the bounded number of attempts', async () => {
    const error = await notifierFor('/down', { retries: 2 })
      .publish(notification)
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(NotificationDeliveryError);
    expect((error as NotificationDeliveryError).details).toMatchObject({ httpStatus: 502, attempts: 3 });
    expect(requestsTo('/down')).toHaveLength(3);
  });

  it('retries an unreachable host and then fails', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const notifier = new WebhookNotifier({
      url: `http://127.0.0.1:${port}/hook`,
      secret: SECRET,
      retries: 2,
      minRetryDelayMs: 5,
      maxRetryDelayMs: 10,
      privateAddresses: true,
    });
    const error = await notifier.publish(notification).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(NotificationDeliveryError);
    expect((error as NotificationDeliveryError).details.attempts).toBe(3);
  });

  describe('the connect-time address guard (every POST goes through it)', () => {
    const port = () => new URL(baseUrl).port;
    // A public-looking name that resolves to this machine: what `subscribe --webhook http://<name>/` got past.
    const rebinding = async () => [{ address: '127.0.0.1', family: 4 }];

    it('refuses a hostname that resolves to loopback: the POST never arrives, and it is not retried', async () => {
      const notifier = new WebhookNotifier({
        url: `http://hooks.example.org:${port()}/ssrf-name`,
        secret: SECRET,
        retries: 3,
        minRetryDelayMs: 5,
        lookup: rebinding,
      });
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
      const allowed = new WebhookNotifier({
        url: `${baseUrl}/ssrf-allowed`,
        secret: SECRET,
        retries: 0,
        privateAddresses: allowLoopbackOrigins([baseUrl]),
      });
      await allowed.publish(notification);
      expect(requestsTo('/ssrf-allowed')).toHaveLength(1);
      await Promise.all([other.close(), allowed.close()]);
    });
  });
});
