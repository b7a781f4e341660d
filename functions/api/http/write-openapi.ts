import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiRoutes } from './all-routes.js';
import { openApiDocument } from './openapi-document.js';

/** `npm run build:openapi`: writes the API's OpenAPI description to docs/openapi.json (a test keeps it in sync). */
export const OPENAPI_FILE = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));

export function openApiText(): string {
  const routes = apiRoutes({ api: {} } as never, { logger: {}, metrics: {} } as never);
  return `${JSON.stringify(openApiDocument(routes), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OPENAPI_FILE, openApiText());
  console.log(`wrote ${OPENAPI_FILE}`);
}
