import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import { CACHE } from './api-response.js';

/**
 * The one place errors become responses, as RFC 9457 problem details (`application/problem+json`): a RedlineError
 * (or a middy HttpError) with status < 500 and `expose` shows its message as `detail`; everything else is a generic
 * 500, logged with its cause. Body: `{"type":"urn:redline:problem:not-found","title":"Not Found","status":404,
 * "detail":"No page x"}`, plus `parameter` (the query, path or body field at fault) when the message names one, and
 * `allow` on a 405 (as in the Allow header).
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['invalid-parameter', 'Bad Request'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not Found'],
  405: ['method-not-allowed', 'Method Not Allowed'],
  409: ['conflict', 'Conflict'],
  413: ['payload-too-large', 'Content Too Large'],
  415: ['unsupported-media-type', 'Unsupported Media Type'],
  422: ['unprocessable-page', 'Unprocessable Content'],
  500: ['internal', 'Internal Server Error'],
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  parameter?: string;
  allow?: string[];
}

/** The problem body of a status; a 400's `parameter` is the `name: ` prefix of the detail, as every message has. */
export function problemFor(status: number, detail: string, extra: { allow?: readonly string[] } = {}): Problem {
  const [slug, title] = TITLES[status] ?? [`http-${status}`, `HTTP ${status}`];
  const parameter = status === 400 || status === 413 || status === 415 ? /^([A-Za-z_][\w.[\]-]{0,80}): /.exec(detail)?.[1] : undefined;
  return {
    type: `urn:redline:problem:${slug}`,
    title,
    status,
    detail,
    ...(parameter ? { parameter } : {}),
    ...(extra.allow ? { allow: [...extra.allow] } : {}),
  };
}

export function apiErrorMiddleware(logger: Logger): middy.MiddlewareObj {
  return {
    onError: (request) => {
      const error = request.error as (Error & { status?: number; statusCode?: number; expose?: boolean; allow?: readonly string[] }) | undefined;
      const status = error?.status ?? error?.statusCode;
      const shown = typeof status === 'number' && status >= 400 && status < 500 && error?.expose !== false;
      const statusCode = shown ? status : 500;
      if (statusCode >= 500) logger.error('request failed', { error: error as Error });
      else logger.info('request refused', { status: statusCode, message: error?.message });
      const allow = statusCode === 405 ? error?.allow : undefined;
      request.response = {
        statusCode,
        headers: {
          'content-type': PROBLEM_CONTENT_TYPE,
          'cache-control': CACHE.private,
          ...(statusCode === 401 ? { 'www-authenticate': 'Bearer realm="redline"' } : {}),
          ...(allow ? { allow: allow.join(', ') } : {}),
        },
        body: JSON.stringify(problemFor(statusCode, shown ? error!.message : 'Internal server error', allow ? { allow } : {})),
      };
    },
  };
}
