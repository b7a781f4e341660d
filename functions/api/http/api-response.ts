import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type ApiResult = APIGatewayProxyStructuredResultV2 & { headers: Record<string, string | number | boolean> };

/**
 * Cache-Control policies: a fixed revision or a diff between two fixed revisions never changes (immutable);
 * listings and everything derived from the latest captures change when a revision lands (short); subscriptions and
 * write results are private.
 */
export const CACHE = {
  immutable: 'public, max-age=31536000, immutable',
  list: 'public, max-age=60',
  derived: 'public, max-age=300',
  private: 'private, no-store',
} as const;

export type CachePolicy = keyof typeof CACHE;

export function jsonResult(body: unknown, cache: CachePolicy, status = 200): ApiResult {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': CACHE[cache] },
    body: JSON.stringify(body),
  };
}

export function textResult(body: string, contentType: string, cache: CachePolicy, status = 200): ApiResult {
  return { statusCode: status, headers: { 'content-type': contentType, 'cache-control': CACHE[cache] }, body };
}

export function noContentResult(): ApiResult {
  return { statusCode: 204, headers: { 'cache-control': CACHE.private } };
}

/** A list page: items and, unless it is the last page, the opaque cursor of the next one. */
export function listBody<T>(page: { items: T[]; cursor?: string }): { items: T[]; nextCursor?: string } {
  return { items: page.items, ...(page.cursor ? { nextCursor: page.cursor } : {}) };
}
