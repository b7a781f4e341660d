import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpRouterHandler from '@middy/http-router';
import type { Context } from 'aws-lambda';
import { apiErrorMiddleware } from './http/api-error-middleware.js';
import { canonicalRoutePath, type ApiEvent } from './http/api-request.js';
import type { ApiResult } from './http/api-response.js';
import { conditionalGetMiddleware } from './http/conditional-get-middleware.js';
import { MethodNotAllowedError, allowedMethods, headMiddleware, nextLinkMiddleware } from './http/http-semantics.js';
import { NotFoundError } from '../../shared/errors.js';
import { trackerHandler } from '../../shared/runtime/lambda-handler.js';
import { MetricUnit, type Observability } from '../../shared/observability.js';
import type { ApiDependencies } from './api-dependencies.js';
import { apiRoutes } from './http/api-routes.js';

/**
 * HTTP API (payload 2.0) -> the route table (api-routes.ts). Cross-cutting concerns are middlewares: HEAD as GET
 * without the body, header normalisation, CORS (preflight answered here), one error mapping (problem+json, 405
 * with Allow), ETag / 304 on GETs, Link rel="next" on listings, and folding slashed
 * series ids and section keys back into one path segment before routing.
 */
export function createApiHandler(dependencies: ApiDependencies, observability: Observability) {
  const routes = apiRoutes(dependencies, observability);
  const router = httpRouterHandler<ApiEvent, ApiResult>({
    routes,
    notFoundResponse: ({ method, path }) => {
      const allow = allowedMethods(routes, path);
      if (allow.length > 0) throw new MethodNotAllowedError(`${method} is not allowed on ${path}; use ${allow.join(', ')}`, allow);
      throw new NotFoundError(`No route ${method} ${path}`);
    },
  });
  return trackerHandler<ApiEvent, ApiResult>(observability, (event: ApiEvent, context: Context) => router(event, context))
    .use({
      // A before middleware that returns a value ends the request early: this one returns nothing.
      before: () => {
        observability.metrics.addMetric('ApiRequests', MetricUnit.Count, 1);
      },
    })
    .use(headMiddleware())
    .use(httpHeaderNormalizer())
    .use(
      httpCors({
        origin: '*',
        methods: 'GET,HEAD,POST,DELETE,OPTIONS',
        headers: 'authorization,content-type,if-none-match',
        exposeHeaders: 'etag,location,link,allow',
        maxAge: 600,
        disableBeforePreflightResponse: false,
      }),
    )
    .use(apiErrorMiddleware(observability.logger))
    .use(conditionalGetMiddleware())
    .use(nextLinkMiddleware())
    .use({
      before: (request) => {
        const http = request.event.requestContext.http;
        http.path = canonicalRoutePath(http.path);
      },
    });
}
