import type middy from '@middy/core';
import { RedlineError } from '../../../shared/errors.js';
import type { ApiEvent } from './api-request.js';
import type { ApiResult } from './api-response.js';

/**
 * HTTP semantics the router alone does not give (RFC 9110, RFC 8288): HEAD answered wherever GET is, a 405 with
 * `Allow` for a path that exists under other methods, and `Link: <...>; rel="next"` on every page of a listing
 * that has a next one.
 */
export class MethodNotAllowedError extends RedlineError {
  override readonly status = 405;
  override readonly expose = true;
  constructor(
    message: string,
    readonly allow: readonly string[],
  ) {
    super(message);
  }
}

/** A route path (`/pages/{page}`, `/ui/{proxy+}`) as middy's router matches it. */
export function routePattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const pattern = escaped.replace(/\/\{proxy\\\+\}/g, '(?:/.*)?').replace(/\/\{[A-Za-z_]\w*\}/g, '/[^/]+');
  return new RegExp(`^${pattern}/?$`);
}

/** The methods the routes answer on a path (HEAD wherever GET is, OPTIONS for CORS preflights). */
/** Where the API serves its OpenAPI description (all-routes.ts). */
export const OPENAPI_PATH = '/openapi.json';

export function allowedMethods(routes: readonly { method: string; path: string }[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) if (routePattern(route.path).test(path)) methods.add(route.method);
  if (methods.size === 0) return [];
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  const order = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
  return [...methods].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

const headRequests = new WeakSet<ApiEvent>();

/** HEAD is routed as GET; the body is dropped afterwards, its length kept in Content-Length. */
export function headMiddleware(): middy.MiddlewareObj<ApiEvent, ApiResult> {
  return {
    before: (request) => {
      const http = request.event.requestContext.http;
      if (http.method === 'HEAD') {
        http.method = 'GET';
        headRequests.add(request.event);
      }
    },
    after: (request) => {
      const response = request.response;
      if (!headRequests.has(request.event) || !response) return;
      const body = typeof response.body === 'string' ? response.body : '';
      const length = Buffer.byteLength(body, response.isBase64Encoded ? 'base64' : 'utf8');
      request.response = { ...response, headers: { ...response.headers, 'content-length': length }, body: '', isBase64Encoded: false };
    },
  };
}

/**
 * `Link: <path?...&cursor=...>; rel="next"` on a JSON listing whose body has a `nextCursor`: the request's own path
 * and query, the cursor replaced (a relative reference, resolved against the request URL, RFC 8288).
 */
export function nextLinkMiddleware(): middy.MiddlewareObj<ApiEvent, ApiResult> {
  return {
    after: (request) => {
      const response = request.response;
      if (!response || response.statusCode !== 200 || typeof response.body !== 'string') return;
      if (!/^application\/json/.test(String(response.headers['content-type'] ?? '')) || !response.body.includes('"nextCursor"')) return;
      let cursor: unknown;
      try {
        cursor = (JSON.parse(response.body) as { nextCursor?: unknown }).nextCursor;
      } catch {
        return;
      }
      if (typeof cursor !== 'string' || cursor === '') return;
      const event = request.event;
      const query = new URLSearchParams(event.rawQueryString ?? '');
      query.set('cursor', cursor);
      const path = event.rawPath || event.requestContext.http.path;
      response.headers = { ...response.headers, link: `<${path}?${query.toString()}>; rel="next"` };
    },
  };
}
