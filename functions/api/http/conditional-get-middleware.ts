import { createHash } from 'node:crypto';
import type middy from '@middy/core';
import type { ApiEvent } from './api-request.js';
import type { ApiResult } from './api-response.js';

/**
 * ETag (a hash of the body) on every successful GET, and 304 Not Modified when If-None-Match names it (weak
 * comparison, `*`, and lists as RFC 9110 describes). The body is still computed: this saves transfer, not work;
 * immutable responses also say so in Cache-Control, so clients do not ask again at all.
 */
export function conditionalGetMiddleware(): middy.MiddlewareObj<ApiEvent, ApiResult> {
  return {
    after: (request) => {
      const response = request.response;
      if (!response || request.event.requestContext.http.method !== 'GET' || response.statusCode !== 200) return;
      const body = typeof response.body === 'string' ? response.body : '';
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
      response.headers = { ...response.headers, etag };
      const ifNoneMatch = request.event.headers?.['if-none-match'];
      if (ifNoneMatch && matchesEtag(ifNoneMatch, etag)) {
        const { 'content-type': _type, 'content-length': _length, ...headers } = response.headers;
        request.response = { statusCode: 304, headers, body: '' };
      }
    },
  };
}

export function matchesEtag(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => opaque(candidate) === opaque(etag));
}
