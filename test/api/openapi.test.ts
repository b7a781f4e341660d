import { readFileSync } from 'node:fs';
import { apiRoutes } from '../../functions/api/http/all-routes.js';
import { documentedPath } from '../../functions/api/http/openapi-document.js';
import { OPENAPI_FILE, openApiText } from '../../functions/api/http/write-openapi.js';
import { API_TOKEN, PAGINATION_PAGE, startApiFixture, type ApiFixture } from './api-fixture.js';

/**
 * The API description (issue 17 §2): OpenAPI 3.1 generated from the routes' zod schemas, served at /openapi.json and
 * kept in docs/openapi.json; every route is in it and every operation in it answers. And the HTTP semantics it
 * documents: problem+json errors naming the parameter, "required" for a missing one, 405 with Allow, HEAD on GET
 * routes, Link rel="next" on listings.
 */
interface Operation {
  parameters?: { in: string; name: string; required?: boolean; schema: { example?: string; enum?: string[]; minimum?: number } }[];
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<string, unknown>;
}
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

let fixture: ApiFixture;
const KZ = 'hrr.kazakhstan.2024';

beforeAll(async () => {
  fixture = await startApiFixture();
}, 120_000);

afterAll(async () => {
  await fixture?.close();
});

const routes = () => apiRoutes({ api: {} } as never, { logger: {}, metrics: {} } as never);

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1, served at /openapi.json, and docs/openapi.json is the same document', async () => {
    const served = await fetch(`${fixture.server.url}/openapi.json`);
    expect(served.status).toBe(200);
    const document = (await served.json()) as Document;
    expect(document.openapi).toBe('3.1.0');
    expect(document).toEqual(JSON.parse(openApiText()));
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(openApiText());
  });

  it('documents every route of the router, and nothing else', () => {
    const document = JSON.parse(openApiText()) as Document;
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const routed = routes().map((route) => `${route.method} ${documentedPath(route.path)}`);
    expect(documented.sort()).toEqual(routed.sort());
    expect(routed.length).toBeGreaterThan(30);
  });

  it('describes query parameters from the zod schemas, with the required ones marked', () => {
    const document = JSON.parse(openApiText()) as Document;
    const diff = document.paths['/pages/{page}/diff']!.get!;
    expect(diff.parameters!.filter((parameter) => parameter.required).map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual([
      'path:page',
      'query:from',
      'query:to',
    ]);
    expect(diff.parameters!.find((parameter) => parameter.name === 'format')!.schema.enum).toEqual(['json', 'html', 'text']);
    expect(document.paths['/subscriptions']!.post!.requestBody).toBeDefined();
    expect(document.paths['/subscriptions']!.post!.security).toEqual([{ sigv4: [] }, { bearer: [] }]);
    expect(document.paths['/pages']!.get!.security).toBeUndefined();
  });

  it('every documented operation answers: routed, never 405 or 5xx', async () => {
    const document = JSON.parse(openApiText()) as Document;
    const answers: string[] = [];
    for (const [template, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        let path = template;
        const query = new URLSearchParams();
        for (const parameter of operation.parameters ?? []) {
          if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(parameter.schema.example ?? 'x'));
          else if (parameter.required)
            query.set(parameter.name, parameter.name === 'from' ? (path.includes('series') ? '2023' : '1') : path.includes('series') ? '2024' : '2');
        }
        const headers: Record<string, string> = operation.security ? { authorization: `Bearer ${API_TOKEN}` } : {};
        const body =
          method === 'post'
            ? JSON.stringify(
                path === '/watches'
                  ? { url: 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/kazakhstan/' }
                  : { filters: {}, delivery: { type: 'email', address: 'desk@example.org' } },
              )
            : undefined;
        if (body) headers['content-type'] = 'application/json';
        const response = await fetch(`${fixture.server.url}${path}${query.size > 0 ? `?${query}` : ''}`, {
          method: method.toUpperCase(),
          headers,
          body,
          redirect: 'manual',
        });
        const text = await response.text();
        const routed = !(response.status === 404 && text.includes('No route')) && response.status !== 405 && response.status < 500;
        answers.push(`${method.toUpperCase()} ${template}: ${routed ? 'answers' : `${response.status} ${text.slice(0, 120)}`}`);
      }
    }
    expect(answers.filter((answer) => !answer.endsWith(': answers'))).toEqual([]);
    expect(answers.length).toBe(routes().length);
  });
});

describe('HTTP semantics', () => {
  it('answers errors as problem+json naming the parameter, and a missing parameter is "required"', async () => {
    const missing = await fetch(`${fixture.server.url}/pages/${KZ}/diff?to=2`);
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await missing.json()).toEqual({
      type: 'urn:redline:problem:invalid-parameter',
      title: 'Bad Request',
      status: 400,
      detail: 'from: required',
      parameter: 'from',
    });
    const notFound = await fetch(`${fixture.server.url}/pages/hrr.atlantis.2024`);
    expect(await notFound.json()).toEqual({
      type: 'urn:redline:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No page hrr.atlantis.2024',
    });
  });

  it('answers a wrong method with 405 and Allow, an unknown path with 404', async () => {
    const put = await fetch(`${fixture.server.url}/pages`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await put.json()).toMatchObject({ status: 405, title: 'Method Not Allowed', allow: ['GET', 'HEAD', 'OPTIONS'] });
    const deleteWatches = await fetch(`${fixture.server.url}/watches`, { method: 'DELETE', headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect([deleteWatches.status, deleteWatches.headers.get('allow')]).toEqual([405, 'POST, OPTIONS']);
    expect((await fetch(`${fixture.server.url}/subscriptions/abcdefgh-1234`, { method: 'POST' })).headers.get('allow')).toBe(
      'GET, HEAD, DELETE, OPTIONS',
    );
    expect((await fetch(`${fixture.server.url}/nowhere`, { method: 'PUT' })).status).toBe(404);
    // The same in each route group the handler loads on first use (web UI, OpenAPI, JSON; api-handler.ts).
    for (const path of ['/', '/ui', '/ui/pages/p', '/openapi.json', '/feeds/all.atom']) {
      const wrong = await fetch(`${fixture.server.url}${path}`, { method: 'PUT', redirect: 'manual' });
      expect([path, wrong.status, wrong.headers.get('allow')]).toEqual([path, 405, 'GET, HEAD, OPTIONS']);
    }
    expect((await fetch(`${fixture.server.url}/ui/nowhere/at/all`)).status).toBe(404);
  });

  it('answers HEAD wherever GET answers, with the same headers and no body', async () => {
    for (const path of ['/pages', `/pages/${KZ}/revisions/1`, '/feeds/all.atom', '/ui', '/openapi.json']) {
      const [get, head] = await Promise.all([fetch(`${fixture.server.url}${path}`), fetch(`${fixture.server.url}${path}`, { method: 'HEAD' })]);
      const getBody = Buffer.from(await get.arrayBuffer());
      expect([path, head.status, head.headers.get('content-type'), head.headers.get('etag')]).toEqual([
        path,
        200,
        get.headers.get('content-type'),
        get.headers.get('etag'),
      ]);
      expect(head.headers.get('content-length')).toBe(String(getBody.length));
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    }
    // Credentials are still checked.
    expect((await fetch(`${fixture.server.url}/subscriptions`, { method: 'HEAD' })).status).toBe(401);
  });

  it('links each page of a listing to the next one, and the link works to the end', async () => {
    let next: string | undefined = `/pages/${PAGINATION_PAGE}/revisions?limit=20`;
    const seen: number[] = [];
    let pages = 0;
    while (next) {
      const response: Response = await fetch(new URL(next, fixture.server.url));
      expect(response.status).toBe(200);
      seen.push(...((await response.json()) as { items: { seq: number }[] }).items.map((item) => item.seq));
      const link: string | null = response.headers.get('link');
      next = link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
      if (link) expect(next).toMatch(new RegExp(`^/pages/${PAGINATION_PAGE}/revisions\\?limit=20&cursor=`));
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
  });
});
