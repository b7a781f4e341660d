import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures: `x-redline-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, with
 * `x-redline-timestamp` in Unix seconds. Signing the timestamp with the body lets receivers refuse replays.
 */
export const SIGNATURE_HEADER = 'x-redline-signature';
export const TIMESTAMP_HEADER = 'x-redline-timestamp';
export const ID_HEADER = 'x-redline-id';

export function signWebhook(secret: string, timestamp: string, body: string | Uint8Array): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(body);
  return `sha256=${hmac.digest('hex')}`;
}

export interface VerifyOptions {
  /** How far the timestamp may be from now, either way. Default 300. */
  toleranceSeconds?: number;
  /** Default: the current time. */
  now?: Date | number;
}

/** True when the signature is valid for this body and timestamp, and the timestamp is within the tolerance. */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | undefined,
  body: string | Uint8Array,
  signature: string | undefined,
  options: VerifyOptions = {},
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const toleranceSeconds = options.toleranceSeconds ?? 300;
  const nowMs = options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime();
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSeconds) return false;

  const expected = Buffer.from(signWebhook(secret, timestamp, body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual throws on a length mismatch; the length of a sha256 signature is no secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
