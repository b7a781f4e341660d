import type { Observability } from '../../../shared/observability.js';
import type { ApiDependencies } from '../api-dependencies.js';
import { uiRoutes } from '../ui/ui-routes.js';
import { jsonApiRoutes, type ApiRoute } from './api-routes.js';
import { textResult } from './api-response.js';
import { OPENAPI_PATH } from './http-semantics.js';

/**
 * Every route of the api function: the JSON routes, the web UI's, and `GET /openapi.json`, the OpenAPI 3.1
 * description of all of them (docs/openapi.json is the same document). The api handler loads this module only for
 * that route (the document needs them all); the other requests load only their group (api-handler.ts).
 */
export function apiRoutes(dependencies: ApiDependencies, observability: Observability): ApiRoute[] {
  const routes: ApiRoute[] = [...jsonApiRoutes(dependencies, observability), ...uiRoutes(dependencies, observability)];
  let description: string | undefined;
  routes.push({
    method: 'GET',
    path: OPENAPI_PATH,
    handler: async () => {
      // zod-openapi, and the document's own schemas, on the first request for it.
      const { openApiDocument } = await import('./openapi-document.js');
      description ??= JSON.stringify(openApiDocument(routes));
      return textResult(description, 'application/json; charset=utf-8', 'derived');
    },
  });
  return routes;
}
