import type { HttpFetcher, HttpFetcherOptions } from '../adapters/outbound-http/http-fetcher.js';
import type { RedlineConfig } from '../config.js';
import type { FetchRequest, FetchResult, Fetcher } from '../ports/fetcher.js';
import { lazily } from './aws/lazy-sns.js';

/** Options for the capture function from the parsed environment. */
export function httpFetcherOptionsFromConfig(
  config: Pick<RedlineConfig, 'REDLINE_USER_AGENT' | 'REDLINE_MAX_BODY_BYTES' | 'REDLINE_FETCH_TIMEOUT_MS'>,
): HttpFetcherOptions {
  return {
    userAgent: config.REDLINE_USER_AGENT,
    maxBodyBytes: config.REDLINE_MAX_BODY_BYTES,
    totalTimeoutMs: config.REDLINE_FETCH_TIMEOUT_MS,
  };
}

export interface LazyHttpFetcher extends Fetcher {
  /** Closes the fetcher's connections if one was made; loads nothing otherwise. */
  close(): Promise<void>;
}

/**
 * The capture function's HttpFetcher, imported on the first fetch rather than at cold start: the fetcher and undici
 * (about 470 KiB of the bundle) sit in a chunk of their own (infra/constructs/tracker-function.ts splits the bundles),
 * which Node reads, parses and evaluates when the first page is fetched. The cost moves to the first invocation; it
 * is not saved. Only type imports of the adapter here: a value import would bring it back into the start chunk
 * (test/infra/function-imports.test.ts checks). A failed import is not kept: the next fetch tries again.
 */
export function lazyHttpFetcher(options: HttpFetcherOptions): LazyHttpFetcher {
  let made: HttpFetcher | undefined;
  const fetcher = lazily(async () => {
    const { HttpFetcher } = await import('../adapters/outbound-http/http-fetcher.js');
    return (made = new HttpFetcher(options));
  });
  return {
    fetchPage: async (request: FetchRequest): Promise<FetchResult> => (await fetcher()).fetchPage(request),
    close: async () => made?.close(),
  };
}
