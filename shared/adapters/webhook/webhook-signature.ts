import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures in the Standard Webhooks format (standardwebhooks.com), so that receivers can verify them with
 * an off-the-shelf library: `webhook-id` (the notification id), `webhook-timestamp` (Unix seconds) and
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`. Signing the id and the timestamp with
 * the body lets receivers refuse replays (the window is 5 minutes either way) and dedupe on a signed id.
 *
 * The key: a `whsec_<base64>` secret (what redline generates: 32 random bytes) is the base64-decoded bytes, as the libraries read it;
 * any other secret (one a subscriber chose) is its UTF-8 bytes, which the libraries read with their raw format
 * (`new Webhook(secret, { format: 'raw' })` in the `standardwebhooks` package).
 *
 * The private format of earlier releases (`x-redline-signature: sha256=<hex HMAC of "<timestamp>.<body>">`, with
 * `x-redline-timestamp` and `x-redline-id`) can still be sent alongside, for one release (WebhookNotifier's
 * `legacyHeaders`).
 */
export const ID_HEADER = 'webhook-id';
export const TIMESTAMP_HEADER = 'webhook-timestamp';
export const SIGNATURE_HEADER = 'webhook-signature';
export const REPLAY_WINDOW_SECONDS = 300;

export const LEGACY_SIGNATURE_HEADER = 'x-redline-signature';
export const LEGACY_TIMESTAMP_HEADER = 'x-redline-timestamp';
export const LEGACY_ID_HEADER = 'x-redline-id';

const SECRET_PREFIX = 'whsec_';

export function webhookSigningKey(secret: string): Buffer {
  if (secret.startsWith(SECRET_PREFIX)) {
    const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
    if (key.length === 0) throw new TypeError('A whsec_ webhook secret needs base64 key bytes after the prefix');
    return key;
  }
  return Buffer.from(secret, 'utf8');
}

/** The `webhook-signature` value: `v1,<base64 signature>`. */
export function signWebhook(secret: string, id: string, timestamp: string, body: string | Uint8Array): string {
  const hmac = createHmac('sha256', webhookSigningKey(secret));
  hmac.update(`${id}.${timestamp}.`);
  hmac.update(body);
  return `v1,${hmac.digest('base64')}`;
}

/** The signature of the legacy `x-redline-signature` header. */
export function signLegacyWebhook(secret: string, timestamp: string, body: string | Uint8Array): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(body);
  return `sha256=${hmac.digest('hex')}`;
}

export interface VerifyOptions {
  /** How far the timestamp may be from now, either way. Default 300 (the Standard Webhooks window). */
  toleranceSeconds?: number;
  /** Default: the current time. */
  now?: Date | number;
}

export interface SignedHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * True when one of the space-separated `v1,` signatures is valid for this id, timestamp and body, and the timestamp
 * is within the tolerance.
 */
export function verifyWebhookSignature(secret: string, headers: SignedHeaders, body: string | Uint8Array, options: VerifyOptions = {}): boolean {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const toleranceSeconds = options.toleranceSeconds ?? REPLAY_WINDOW_SECONDS;
  const nowMs = options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime();
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSeconds) return false;

  const expected = Buffer.from(signWebhook(secret, id, timestamp, body), 'utf8');
  return signature.split(' ').some((candidate) => {
    const given = Buffer.from(candidate, 'utf8');
    // timingSafeEqual throws on a length mismatch; the length of a signature is no secret.
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
