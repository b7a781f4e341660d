import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpRouterHandler from '@middy/http-router';
import type { Context } from 'aws-lambda';
import { apiErrorMiddleware } from './http/api-error-middleware.js';
import { canonicalRoutePath, type ApiEvent } from './http/api-request.js';
import type { ApiResult } from './http/api-response.js';
import { conditionalGetMiddleware } from './http/conditional-get-middleware.js';
import { MethodNotAllowedError, OPENAPI_PATH, allowedMethods, headMiddleware, nextLinkMiddleware } from './http/http-semantics.js';
import { NotFoundError } from '../../shared/errors.js';
import { trackerHandler } from '../../shared/runtime/lambda-handler.js';
import { MetricUnit, type Observability } from '../../shared/observability.js';
import type { ApiDependencies } from './api-dependencies.js';
import type { ApiRoute } from './http/api-routes.js';
import { UI_ROOT } from './ui/ui-links.js';

/**
 * A group of routes, loaded on its first request: the module with its handlers (and their zod schemas, views, use
 * cases) is imported then, with a dynamic import, so that esbuild's bundle evaluates none of it at cold start.
 */
interface RouteGroup {
  /** Whether a (canonical) request path belongs to this group; the groups' paths do not overlap. */
  owns: (path: string) => boolean;
  load: () => Promise<readonly ApiRoute[]>;
}

/** The web UI's paths: `/` (a redirect) and everything under UI_ROOT. */
export function isUiPath(path: string): boolean {
  return path === '/' || path === UI_ROOT || path.startsWith(`${UI_ROOT}/`);
}

/**
 * HTTP API (payload 2.0) -> the route groups: the web UI (ui-routes.ts), `GET /openapi.json` (all-routes.ts, which
 * needs every route to describe them) and the JSON routes (api-routes.ts). Cross-cutting concerns are middlewares: HEAD as GET
 * without the body, header normalisation, CORS (preflight answered here), one error mapping (problem+json, 405
 * with Allow), ETag / 304 on GETs, Link rel="next" on listings, and folding slashed
 * series ids and section keys back into one path segment before routing.
 */
export function createApiHandler(dependencies: ApiDependencies, observability: Observability) {
  const groups: RouteGroup[] = [
    { owns: isUiPath, load: async () => (await import('./ui/ui-routes.js')).uiRoutes(dependencies, observability) },
    { owns: (path) => path === OPENAPI_PATH, load: async () => (await import('./http/all-routes.js')).apiRoutes(dependencies, observability) },
    { owns: () => true, load: async () => (await import('./http/api-routes.js')).jsonApiRoutes(dependencies, observability) },
  ];
  const routers = groups.map((group) => ({ owns: group.owns, handle: lazyRouter(group.load) }));
  const route = (event: ApiEvent, context: Context) => {
    const path = event.requestContext.http.path;
    return routers.find((router) => router.owns(path))!.handle(event, context);
  };
  return trackerHandler<ApiEvent, ApiResult>(observability, route)
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

/** A middy router over a group's routes, built on the group's first request (a failed load is retried on the next). */
function lazyRouter(load: () => Promise<readonly ApiRoute[]>): (event: ApiEvent, context: Context) => Promise<ApiResult> {
  type Router = (event: ApiEvent, context: Context) => Promise<ApiResult>;
  let router: Promise<Router> | undefined;
  const build = (routes: readonly ApiRoute[]): Router => {
    const handle = httpRouterHandler<ApiEvent, ApiResult>({
      routes: [...routes],
      notFoundResponse: ({ method, path }) => {
        const allow = allowedMethods(routes, path);
        if (allow.length > 0) throw new MethodNotAllowedError(`${method} is not allowed on ${path}; use ${allow.join(', ')}`, allow);
        throw new NotFoundError(`No route ${method} ${path}`);
      },
    });
    return async (event, context) => handle(event, context);
  };
  return async (event, context) => {
    router ??= load().then(build, (error: unknown) => {
      router = undefined;
      throw error;
    });
    return (await router)(event, context);
  };
}
