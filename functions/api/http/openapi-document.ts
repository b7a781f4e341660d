import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { createSubscriptionSchema } from '../../../shared/use-cases/subscriptions/subscription-input.js';
import * as ui from '../ui/ui-routes.js';
import { blameQuery as uiBlameQuery } from '../ui/blame-view.js';
import { removedQuery as uiRemovedQuery } from '../ui/removed-view.js';
import { searchQuery } from '../ui/search-view.js';
import { lineageQuery } from '../ui/section-lineage-view.js';
import {
  auditQuery,
  compareQuery,
  diffQuery,
  editionMapQuery,
  editionReportQuery,
  listQuery,
  phrasesQuery,
  watchBody,
  type ApiRoute,
} from './api-routes.js';
import { blameQuery, removedQuery } from './provenance-routes.js';
import { seriesId } from './query-schemas.js';

/**
 * The OpenAPI 3.1 description of the API, generated from the same zod schemas the routes parse their query and
 * bodies with (zod-openapi). Every route of the router must have an entry in ROUTE_DOCS: openApiDocument throws
 * naming a route without one, and test/api/openapi.test.ts checks both ways (every route documented, every
 * documented route answers). `npm run build:openapi` writes it to docs/openapi.json; `GET /openapi.json` serves it.
 */
export interface RouteDoc {
  summary: string;
  tag: 'pages' | 'series' | 'audit' | 'feeds' | 'provenance' | 'watches' | 'subscriptions' | 'ui' | 'meta';
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Media types of the 2xx answer (default JSON). */
  produces?: readonly string[];
  /** The 2xx status (default 200). */
  status?: 200 | 201 | 204 | 302;
  /** A list whose answer has `nextCursor` and a `Link: <...>; rel="next"` header. */
  paged?: boolean;
  /** Example values of the path parameters (also what the route test calls). */
  examples?: Record<string, string>;
  /**
   * An edition report job: `request` may answer 202 (a report too large for a request: its job, with Location and
   * Retry-After); `status` is the job's status URL (202 pending, 200 the report or the failed job, 303 to the report).
   */
  job?: 'request' | 'status';
}

const JSON_TYPE = 'application/json';
const HTML = ['text/html'];
const PAGE = { page: 'hrr.kazakhstan.2024' };
const SERIES = { series: 'hrr~kazakhstan' };

const seriesFilter = z.object({ series: seriesId.optional() });

function routeDocs(): Record<string, RouteDoc> {
  return {
    'GET /pages': { summary: 'Watched pages, newest first', tag: 'pages', query: listQuery.extend(seriesFilter.shape), paged: true },
    'GET /pages/{page}': { summary: 'One watched page and its check state', tag: 'pages', examples: PAGE },
    'GET /pages/{page}/revisions': { summary: 'Revisions of a page, newest first', tag: 'pages', query: listQuery, paged: true, examples: PAGE },
    'GET /pages/{page}/revisions/{seq}': { summary: 'One revision', tag: 'pages', examples: { ...PAGE, seq: '1' } },
    'GET /pages/{page}/diff': {
      summary: 'The diff between two revisions of a page',
      tag: 'pages',
      query: diffQuery,
      produces: [JSON_TYPE, 'text/html', 'text/plain'],
      examples: PAGE,
    },
    'GET /pages/{page}/sections/{key}/history': {
      summary: 'The history of one section across revisions (key with ~ for /)',
      tag: 'pages',
      examples: { ...PAGE, key: 'executive-summary' },
    },
    'GET /series': { summary: 'Series (one per lineage)', tag: 'series', query: listQuery, paged: true },
    'GET /series/{series}/editions': { summary: 'Editions of a series', tag: 'series', examples: SERIES },
    'GET /series/{series}/lineage': { summary: 'A series lineage and the evidence behind each link', tag: 'series', examples: SERIES },
    'GET /series/{series}/compare': {
      summary: 'Compare two editions of a series',
      tag: 'series',
      query: compareQuery,
      produces: [JSON_TYPE, 'text/html', 'text/plain'],
      examples: SERIES,
    },
    'GET /editions/{report}/map': {
      summary: 'The edition map of a report: sections paired across two editions',
      tag: 'series',
      query: editionMapQuery,
      produces: [JSON_TYPE, 'text/csv'],
      examples: { report: 'hrr' },
    },
    'GET /editions/{report}/report': {
      summary: 'An edition as a whole: words, ratios, sections and sentences kept per series and per template section',
      tag: 'series',
      query: editionReportQuery,
      produces: [JSON_TYPE, 'text/csv'],
      examples: { report: 'hrr' },
      job: 'request',
    },
    'GET /editions/{report}/report/jobs/{job}': {
      summary: 'An edition report job: pending (202), its report once computed (200), or why it failed (200, state failed)',
      tag: 'series',
      query: editionReportQuery,
      produces: [JSON_TYPE, 'text/csv'],
      examples: { report: 'hrr', job: '0'.repeat(64) },
      job: 'status',
    },
    'GET /editions/{report}/phrases': {
      summary: 'Key phrases across editions: where each appears, first and last seen, and its changes',
      tag: 'series',
      query: phrasesQuery,
      produces: [JSON_TYPE, 'text/csv'],
      examples: { report: 'hrr' },
    },
    'GET /audit': { summary: 'Term counts and rates by edition or section', tag: 'audit', query: auditQuery, produces: [JSON_TYPE, 'text/csv'] },
    'GET /feeds/all.atom': { summary: 'Atom feed of recent revisions', tag: 'feeds', produces: ['application/atom+xml'] },
    'GET /feeds/pages/{page}.atom': { summary: 'Atom feed of a page', tag: 'feeds', produces: ['application/atom+xml'], examples: PAGE },
    'GET /feeds/series/{series}.atom': { summary: 'Atom feed of a series', tag: 'feeds', produces: ['application/atom+xml'], examples: SERIES },
    'GET /pages/{page}/blame': { summary: 'Sentence provenance of a revision', tag: 'provenance', query: blameQuery, paged: true, examples: PAGE },
    'GET /pages/{page}/removed': {
      summary: 'Sentences removed between revisions of a page',
      tag: 'provenance',
      query: removedQuery,
      produces: [JSON_TYPE, 'text/csv'],
      paged: true,
      examples: PAGE,
    },
    'GET /series/{series}/removed': {
      summary: 'The removal ledger of a series across editions',
      tag: 'provenance',
      query: removedQuery,
      produces: [JSON_TYPE, 'text/csv'],
      paged: true,
      examples: SERIES,
    },
    'GET /series/{series}/provenance': { summary: 'The provenance index status of a series', tag: 'provenance', examples: SERIES },
    'POST /watches': { summary: 'Watch a page (201 when new, 200 when already watched)', tag: 'watches', body: watchBody, status: 201 },
    'POST /subscriptions': {
      summary: 'Subscribe to notifications; the webhook secret is shown once',
      tag: 'subscriptions',
      body: createSubscriptionSchema,
      status: 201,
    },
    'GET /subscriptions': { summary: 'Subscriptions (webhook secrets never shown)', tag: 'subscriptions', query: listQuery, paged: true },
    'GET /subscriptions/{id}': { summary: 'One subscription', tag: 'subscriptions', examples: { id: '00000000-0000-4000-8000-000000000000' } },
    'DELETE /subscriptions/{id}': {
      summary: 'Remove a subscription',
      tag: 'subscriptions',
      status: 204,
      examples: { id: '00000000-0000-4000-8000-000000000000' },
    },
    'GET /': { summary: 'Redirects to the web UI', tag: 'ui', status: 302, produces: [] },
    'GET /ui': { summary: 'Web UI: recent changes', tag: 'ui', query: ui.cursorQuery, produces: HTML },
    'GET /ui/series/{series}': { summary: 'Web UI: a series', tag: 'ui', produces: HTML, examples: SERIES },
    'GET /ui/series/{series}/compare': {
      summary: 'Web UI: two editions compared',
      tag: 'ui',
      query: ui.compareQuery,
      produces: HTML,
      examples: SERIES,
    },
    'GET /ui/pages/{page}': { summary: 'Web UI: the timeline of a page', tag: 'ui', query: ui.cursorQuery, produces: HTML, examples: PAGE },
    'GET /ui/pages/{page}/revisions/{seq}': { summary: 'Web UI: one revision', tag: 'ui', produces: HTML, examples: { ...PAGE, seq: '1' } },
    'GET /ui/pages/{page}/diff': { summary: 'Web UI: the diff of two revisions', tag: 'ui', query: ui.diffQuery, produces: HTML, examples: PAGE },
    'GET /ui/pages/{page}/sections/{key}/history': {
      summary: 'Web UI: the history of a section',
      tag: 'ui',
      produces: HTML,
      examples: { ...PAGE, key: 'executive-summary' },
    },
    'GET /ui/pages/{page}/blame': { summary: 'Web UI: blame of a page', tag: 'ui', query: uiBlameQuery, produces: HTML, examples: PAGE },
    'GET /ui/series/{series}/blame': {
      summary: 'Web UI: blame of a series edition',
      tag: 'ui',
      query: uiBlameQuery,
      produces: HTML,
      examples: SERIES,
    },
    'GET /ui/series/{series}/removed': { summary: 'Web UI: the removal ledger', tag: 'ui', query: uiRemovedQuery, produces: HTML, examples: SERIES },
    'GET /ui/search': { summary: 'Web UI: sentence search across the store', tag: 'ui', query: searchQuery, produces: HTML },
    'GET /ui/series/{series}/sections/{key}/history': {
      summary: 'Web UI: one section across all editions of a series',
      tag: 'ui',
      query: lineageQuery,
      produces: HTML,
      examples: { ...SERIES, key: 'executive-summary' },
    },
    'GET /ui/pages/{page}/revisions/{seq}/snapshot': {
      summary: 'Web UI: a revision as captured (outline and text)',
      tag: 'ui',
      produces: HTML,
      examples: { ...PAGE, seq: '1' },
    },
    'GET /ui/pages/{page}/revisions/{seq}/raw': {
      summary: 'The raw HTML of a revision, as a download',
      tag: 'ui',
      produces: ['application/octet-stream'],
      examples: { ...PAGE, seq: '1' },
    },
    'GET /ui/editions/{report}': {
      summary: 'Web UI: an edition overview',
      tag: 'ui',
      query: ui.overviewQuery,
      produces: HTML,
      examples: { report: 'hrr' },
    },
    'GET /ui/audit': { summary: 'Web UI: term audit', tag: 'ui', query: ui.auditQuery, produces: HTML },
    'GET /ui/subscribe': { summary: 'Web UI: the subscribe form', tag: 'ui', produces: HTML },
    'GET /ui/assets/{name}': {
      summary: 'Web UI: a static asset (script, style sheet)',
      tag: 'ui',
      produces: ['text/css', 'text/javascript'],
      examples: { name: 'ui.css' },
    },
    'GET /ui/{path}': { summary: 'Web UI: any other path (a not-found page)', tag: 'ui', produces: HTML, examples: { path: 'nowhere' } },
    'GET /openapi.json': { summary: 'This description (OpenAPI 3.1)', tag: 'meta' },
  };
}

/** A router path in OpenAPI form: `{proxy+}` (the rest of the path) becomes `{path}`. */
export function documentedPath(path: string): string {
  return path.replace('{proxy+}', '{path}');
}

/** `GET /pages/{page}/diff` -> `getPagesPageDiff`. */
function operationId(method: string, path: string): string {
  const words = path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase());
  return `${method.toLowerCase()}${words}`;
}

/** RFC 9457 problem details, as every error answers. */
const problemSchema = z
  .object({
    type: z.string().meta({ description: 'urn:redline:problem:<kind>' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    parameter: z.string().optional().meta({ description: 'The query, path or body parameter at fault' }),
    allow: z.array(z.string()).optional().meta({ description: 'On a 405: the methods the path answers' }),
  })
  .meta({ id: 'Problem' });

/** An edition report job's state (edition-report-jobs.ts), as the 202 and the status URL give it. */
const reportJobSchema = z
  .object({
    state: z.enum(['pending', 'done', 'failed']),
    report: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    job: z.string().meta({ description: "The job's id: the sha256 of the report's inputs" }),
    series: z.number().int().meta({ description: 'Series to diff' }),
    requestedAt: z.string(),
    updatedAt: z.string(),
    deadline: z.string().meta({ description: 'A job still pending then counts as failed' }),
    error: z.string().optional().meta({ description: 'Failed only: why (request the report again to retry)' }),
    statusUrl: z.string(),
    reportUrl: z.string(),
  })
  .meta({ id: 'ReportJob' });

const STRING_HEADER = { schema: { type: 'string' as const } };
const acceptedResponse = {
  description:
    'Accepted: the report is not cached and has more series than a request diffs (REDLINE_SYNC_REPORT_SERIES); it is computed ' +
    'off the request path. Ask the status URL (Location) after Retry-After seconds; repeated requests do not enqueue it again.',
  headers: {
    location: { description: "The job's status URL", ...STRING_HEADER },
    'retry-after': { description: 'Seconds to wait before asking', ...STRING_HEADER },
  },
  content: { [JSON_TYPE]: { schema: reportJobSchema } },
};

function jobResponses(job: RouteDoc['job']): ZodOpenApiResponsesObject {
  if (job === 'request') return { '202': acceptedResponse };
  if (job === 'status') {
    return {
      '202': { ...acceptedResponse, description: 'Still pending' },
      '303': {
        description: 'Done, but the report stored is of newer inputs (a page was revised since): Location is the report URL',
        headers: { location: STRING_HEADER },
      },
    };
  }
  return {};
}

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problemSchema } } });

export function openApiDocument(routes: readonly ApiRoute[]): ReturnType<typeof createDocument> {
  const docs = routeDocs();
  const paths: ZodOpenApiPathsObject = {};
  const missing: string[] = [];
  for (const route of routes) {
    const path = documentedPath(route.path);
    const doc = docs[`${route.method} ${path}`];
    if (!doc) {
      missing.push(`${route.method} ${route.path}`);
      continue;
    }
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
    const pathFields = names.map(
      (name) =>
        [
          name,
          z
            .string()
            .min(1)
            .meta({ example: doc.examples?.[name] ?? 'x' }),
        ] as const,
    );
    const pathSchema = names.length > 0 ? z.object(Object.fromEntries(pathFields)) : undefined;
    const status = doc.status ?? 200;
    const produces = doc.produces ?? [JSON_TYPE];
    const operation: ZodOpenApiOperationObject = {
      operationId: operationId(route.method, path),
      summary: doc.summary,
      tags: [doc.tag],
      ...(pathSchema || doc.query
        ? { requestParams: { ...(pathSchema ? { path: pathSchema } : {}), ...(doc.query ? { query: doc.query } : {}) } }
        : {}),
      ...(doc.body ? { requestBody: { required: true, content: { [JSON_TYPE]: { schema: doc.body } } } } : {}),
      ...(route.authorized ? { security: [{ sigv4: [] }, { bearer: [] }] } : {}),
      responses: {
        [String(status)]: {
          description: status === 302 ? 'Redirect' : status === 204 ? 'Done' : 'OK',
          ...(doc.paged
            ? { headers: { link: { description: 'Link: <...>; rel="next" when there is a next page', schema: { type: 'string' as const } } } }
            : {}),
          ...(produces.length > 0 && status !== 204 && status !== 302 ? { content: Object.fromEntries(produces.map((type) => [type, {}])) } : {}),
        },
        ...jobResponses(doc.job),
        ...(route.method === 'POST' && route.path === '/watches' ? { '200': { description: 'Already watched', content: { [JSON_TYPE]: {} } } } : {}),
        '4XX': problemResponse(
          'A bad request (400 names the parameter), missing credentials, an unknown resource, or a method the path does not allow (405, with Allow)',
        ),
        '500': problemResponse('An internal error (details logged, not shown)'),
      },
    };
    const method = route.method.toLowerCase() as 'get' | 'post' | 'delete';
    paths[path] = { ...paths[path], [method]: operation };
  }
  if (missing.length > 0) throw new Error(`Routes without an OpenAPI entry (functions/api/http/openapi-document.ts): ${missing.join(', ')}`);
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'redline HTTP API',
      version: '0.1.0',
      description:
        'Pages, revisions, diffs, editions, audits, provenance, Atom feeds and the web UI of redline; watches and subscriptions need ' +
        'credentials (a SigV4-signed request in AWS, a bearer token on the local server). Errors are RFC 9457 problem details. ' +
        'Every GET route also answers HEAD.',
    },
    tags: ['pages', 'series', 'audit', 'feeds', 'provenance', 'watches', 'subscriptions', 'ui', 'meta'].map((name) => ({ name })),
    components: {
      securitySchemes: {
        sigv4: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'AWS SigV4 (execute-api), as `redline --api` sends it' },
        bearer: { type: 'http', scheme: 'bearer', description: 'The local server only: REDLINE_API_TOKEN' },
      },
    },
    paths,
  });
}
