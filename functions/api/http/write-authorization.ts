import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../../../shared/errors.js';
import type { ApiEvent } from './api-request.js';

/**
 * Write routes (and the subscription listing, which shows delivery addresses) need credentials. In AWS the HTTP
 * API checks them (IAM authorization on those routes) and passes the caller in `requestContext.authorizer.iam`;
 * the handler refuses any request to them that arrives without it, in case a route is wired without the
 * authorizer. With no authorizer in front (the local server), `Authorization: Bearer <REDLINE_API_TOKEN>` is
 * accepted instead, when a token is configured.
 */
export function assertAuthorized(event: ApiEvent, token: string | undefined): void {
  if (event.requestContext.authorizer?.iam) return;
  const header = event.headers?.authorization;
  if (token && header && /^Bearer\s+/i.test(header) && sameSecret(header.replace(/^Bearer\s+/i, '').trim(), token)) return;
  throw new UnauthorizedError('This route needs credentials (IAM-signed request, or Authorization: Bearer <token> locally)');
}

/** Constant-time comparison: both sides hashed first, so their lengths leak nothing either. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
