import pRetry from 'p-retry';
import type { Agent as UndiciAgent } from 'undici';
import { urlBlockReason, type PrivateAddressPolicy } from '../outbound-http/address-guard.js';
import { BlockedAddressError, createGuardedConnector, type HostLookup } from '../outbound-http/guarded-connector.js';
import { Agent, request } from '../outbound-http/undici-core.js';
import { NotificationDeliveryError, type Notifier } from '../../ports/notifier.js';
import type { Notification } from '../../domain/notification.js';
import {
  ID_HEADER,
  LEGACY_ID_HEADER,
  LEGACY_SIGNATURE_HEADER,
  LEGACY_TIMESTAMP_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signLegacyWebhook,
  signWebhook,
  webhookSigningKey,
} from './webhook-signature.js';

export interface WebhookNotifierOptions {
  /** Target URL; callers check it against the blocked-address rules before building the notifier. */
  url: string;
  /** `whsec_<base64>` (the Standard Webhooks form) or any other string, used as its UTF-8 bytes. */
  secret: string;
  /** Also send the x-redline-* headers of earlier releases (kept for one release). Default false. */
  legacyHeaders?: boolean;
  /** Retries after the first attempt (network errors, timeouts, 5xx, 429 only). Default 4. */
  retries?: number;
  /** Per-attempt timeout. Default 10 s. */
  timeoutMs?: number;
  /**
   * Makes each attempt's abort signal from timeoutMs. Default `AbortSignal.timeout`; a test passes signals it aborts
   * itself, so that "this attempt timed out" is an event it chooses, not a race with a loaded machine.
   */
  attemptSignal?: (timeoutMs: number) => AbortSignal;
  /** Backoff: first delay, doubling up to the maximum, randomised. Defaults 500 ms and 10 s. */
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  userAgent?: string;
  /**
   * Private (non-public) addresses the POST may reach: `false` (the default) refuses every one, at connect time, on
   * the address the hostname resolves to (the capture fetcher's guard). The local demo allows its receiver's loopback
   * origin with `allowLoopbackOrigins([...])`.
   */
  privateAddresses?: PrivateAddressPolicy;
  /** Resolves hostnames for the guard (tests use a fixed table). Default: the system resolver. */
  lookup?: HostLookup;
  /** Replaces the guarded HTTP client (tests of retries and signatures only: no address guard then). */
  fetch?: typeof fetch;
  clock?: () => Date;
}

/** What one POST answered. */
interface PostResponse {
  status: number;
}

class AttemptError extends NotificationDeliveryError {
  constructor(
    message: string,
    readonly retryable: boolean,
    details: { notificationId: string; httpStatus?: number },
    options?: { cause?: unknown },
  ) {
    super(message, details, options);
  }
}

/** POSTs each notification as JSON, signed in the Standard Webhooks format, to one URL; receivers dedupe on `webhook-id`. */
export class WebhookNotifier implements Notifier {
  readonly name: string;
  private readonly options: Required<Omit<WebhookNotifierOptions, 'fetch' | 'clock' | 'lookup' | 'privateAddresses' | 'attemptSignal'>> &
    Pick<WebhookNotifierOptions, 'fetch' | 'clock' | 'attemptSignal'>;
  private readonly policy: PrivateAddressPolicy;
  private readonly lookup: HostLookup | undefined;
  private agent: UndiciAgent | undefined;

  constructor(options: WebhookNotifierOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`Webhook URL must be http(s): ${options.url}`);
    if (!options.secret) throw new TypeError('A webhook needs a secret');
    webhookSigningKey(options.secret);
    // The name goes to logs: no credentials or query string in it.
    this.name = `webhook:${url.origin}${url.pathname}`;
    this.options = {
      url: options.url,
      secret: options.secret,
      legacyHeaders: options.legacyHeaders ?? false,
      retries: options.retries ?? 4,
      timeoutMs: options.timeoutMs ?? 10_000,
      minRetryDelayMs: options.minRetryDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
      userAgent: options.userAgent ?? 'redline-webhook/0.1',
      fetch: options.fetch,
      clock: options.clock,
      attemptSignal: options.attemptSignal,
    };
    this.policy = options.privateAddresses ?? false;
    this.lookup = options.lookup;
  }

  /** Closes the pooled connections. */
  async close(): Promise<void> {
    const agent = this.agent;
    this.agent = undefined;
    await agent?.destroy();
  }

  /** One POST through the guarded agent (or the injected fetch), its body drained so the connection can be reused. */
  private async post(headers: Record<string, string>, body: string): Promise<PostResponse> {
    const signal = (this.options.attemptSignal ?? AbortSignal.timeout)(this.options.timeoutMs);
    if (this.options.fetch) {
      const response = await this.options.fetch(this.options.url, { method: 'POST', headers, body, redirect: 'manual', signal });
      await response.arrayBuffer().catch(() => undefined);
      return { status: response.status };
    }
    const url = new URL(this.options.url);
    const blocked = urlBlockReason(url, this.policy);
    if (blocked !== undefined) throw new BlockedAddressError(`Refusing to connect to ${url.origin}: ${blocked}`, url.hostname);
    this.agent ??= new Agent({
      connect: createGuardedConnector({
        policy: this.policy,
        connectTimeoutMs: this.options.timeoutMs,
        ...(this.lookup ? { lookup: this.lookup } : {}),
      }),
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
    });
    // No redirects are followed (undici's request never does): a 3xx is a failed delivery.
    const response = await request(this.agent, url, { method: 'POST', headers, body, signal });
    await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    return { status: response.statusCode };
  }

  async publish(notification: Notification): Promise<void> {
    const body = JSON.stringify(notification);
    const clock = this.options.clock ?? (() => new Date());
    const details = { notificationId: notification.id };
    let attempts = 0;

    const attempt = async () => {
      attempts++;
      // Signed per attempt, so that a late retry still falls inside the receiver's replay window.
      const timestamp = String(Math.floor(clock().getTime() / 1000));
      let response: PostResponse;
      try {
        response = await this.post(
          {
            'content-type': 'application/json',
            'user-agent': this.options.userAgent,
            [ID_HEADER]: notification.id,
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signWebhook(this.options.secret, notification.id, timestamp, body),
            ...(this.options.legacyHeaders
              ? {
                  [LEGACY_ID_HEADER]: notification.id,
                  [LEGACY_TIMESTAMP_HEADER]: timestamp,
                  [LEGACY_SIGNATURE_HEADER]: signLegacyWebhook(this.options.secret, timestamp, body),
                }
              : {}),
          },
          body,
        );
      } catch (error) {
        const blocked = (error as { code?: string }).code === 'REDLINE_BLOCKED_ADDRESS';
        throw new AttemptError(`Webhook ${this.name} ${blocked ? 'refused' : 'unreachable'}: ${(error as Error).message}`, !blocked, details, {
          cause: error,
        });
      }
      if (response.status >= 200 && response.status < 300) return;
      const retryable = response.status >= 500 || response.status === 429;
      throw new AttemptError(`Webhook ${this.name} answered HTTP ${response.status}`, retryable, { ...details, httpStatus: response.status });
    };

    try {
      await pRetry(attempt, {
        retries: this.options.retries,
        minTimeout: this.options.minRetryDelayMs,
        maxTimeout: this.options.maxRetryDelayMs,
        factor: 2,
        randomize: true,
        shouldRetry: ({ error }) => error instanceof AttemptError && error.retryable,
      });
    } catch (error) {
      const httpStatus = error instanceof AttemptError ? error.details.httpStatus : undefined;
      throw new NotificationDeliveryError(
        `Webhook delivery of ${notification.id} failed after ${attempts} attempt(s): ${(error as Error).message}`,
        { ...details, attempts, ...(httpStatus !== undefined ? { httpStatus } : {}) },
        { cause: error },
      );
    }
  }
}
