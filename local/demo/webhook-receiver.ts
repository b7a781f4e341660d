import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '../../shared/adapters/webhook/webhook-signature.js';
import type { Notification } from '../../shared/domain/notification.js';

/**
 * A local webhook subscriber, as a receiver should be written: it verifies the HMAC signature and the timestamp of
 * every delivery before reading it (401 otherwise), and drops repeated ids (at-least-once delivery, and replays within
 * the timestamp window) with a 200, keyed on the id in the signed body.
 */
export interface WebhookReceipt {
  path: string;
  id: string | undefined;
  verified: boolean;
  duplicate: boolean;
  status: number;
  notification?: Notification;
  receivedAt: Date;
}

export interface WebhookReceiver {
  readonly origin: string;
  url(path?: string): string;
  readonly receipts: readonly WebhookReceipt[];
  /** Verified, first deliveries at `path` (all paths without it). */
  accepted(path?: string): Notification[];
  onReceipt(listener: (receipt: WebhookReceipt) => void): () => void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startWebhookReceiver(options: { secret: string; host?: string; port?: number }): Promise<WebhookReceiver> {
  const receipts: WebhookReceipt[] = [];
  const seen = new Set<string>();
  const listeners = new Set<(receipt: WebhookReceipt) => void>();
  const record = (receipt: WebhookReceipt) => {
    receipts.push(receipt);
    for (const listener of [...listeners]) listener(receipt);
  };

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://receiver.invalid').pathname;
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const header = (name: string) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const id = header(ID_HEADER);
      const verified = verifyWebhookSignature(options.secret, { id, timestamp: header(TIMESTAMP_HEADER), signature: header(SIGNATURE_HEADER) }, body);
      const receivedAt = new Date();
      if (!verified) {
        response.writeHead(401, { 'content-type': 'text/plain' }).end('bad signature');
        record({ path, id, verified, duplicate: false, status: 401, receivedAt });
        return;
      }
      let notification: Notification | undefined;
      try {
        notification = JSON.parse(body.toString('utf8')) as Notification;
      } catch {
        response.writeHead(400, { 'content-type': 'text/plain' }).end('not JSON');
        record({ path, id, verified, duplicate: false, status: 400, receivedAt });
        return;
      }
      // The webhook-id is signed; it must also be the id inside the body, on which deliveries are deduped.
      if (typeof notification?.id !== 'string' || id !== notification.id) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end('webhook-id does not match the signed body');
        record({ path, id, verified, duplicate: false, status: 400, receivedAt });
        return;
      }
      const key = `${path}#${notification.id}`;
      const duplicate = seen.has(key);
      seen.add(key);
      const status = duplicate ? 200 : 204;
      response.writeHead(status).end();
      record({ path, id, verified, duplicate, status, notification, receivedAt });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    origin,
    url: (path = '/') => `${origin}${path}`,
    receipts,
    accepted: (path) =>
      receipts.filter((receipt) => receipt.status === 204 && (path === undefined || receipt.path === path)).map((receipt) => receipt.notification!),
    onReceipt(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
