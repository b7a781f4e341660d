import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import { CACHE } from './api-response.js';

/**
 * The one place errors become responses: a RedlineError (or a middy HttpError) with status < 500 and `expose`
 * shows its message; everything else is a generic 500, logged with its cause. Body:
 * `{"error":{"status":404,"message":"No page x"}}`.
 */
export function apiErrorMiddleware(logger: Logger): middy.MiddlewareObj {
  return {
    onError: (request) => {
      const error = request.error as (Error & { status?: number; statusCode?: number; expose?: boolean }) | undefined;
      const status = error?.status ?? error?.statusCode;
      const shown = typeof status === 'number' && status >= 400 && status < 500 && error?.expose !== false;
      const statusCode = shown ? status : 500;
      if (statusCode >= 500) logger.error('request failed', { error: error as Error });
      else logger.info('request refused', { status: statusCode, message: error?.message });
      request.response = {
        statusCode,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': CACHE.private,
          ...(statusCode === 401 ? { 'www-authenticate': 'Bearer realm="redline"' } : {}),
        },
        body: JSON.stringify({ error: { status: statusCode, message: shown ? error!.message : 'Internal server error' } }),
      };
    },
  };
}
