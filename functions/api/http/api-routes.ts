import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { assertPublicUrl } from '../../../shared/adapters/outbound-http/address-guard.js';
import { jsonBody, pathParameter, queryParameters, requestBaseUrl, slashedPathParameter, type ApiEvent } from './api-request.js';
import { jsonResult, listBody, noContentResult, textResult, type ApiResult } from './api-response.js';
import { commaList, editionNumber, flag, listCursor, revisionNumber, seriesId } from './query-schemas.js';
import { assertAuthorized } from './write-authorization.js';
import { UiLinks } from '../ui/ui-links.js';
import { editionMapToCsv } from '../../../shared/domain/edition-map.js';
import { ValidationError } from '../../../shared/errors.js';
import { withPageKeys, type Observability } from '../../../shared/observability.js';
import { addWatch } from '../../../shared/use-cases/add-watch.js';
import { compareEditions } from '../../../shared/use-cases/queries/compare-editions.js';
import { DIFF_FORMATS, renderDiffOutput } from '../../../shared/use-cases/queries/diff-output.js';
import { buildEditionMap } from '../../../shared/use-cases/queries/edition-map.js';
import { editionReportJobStatus, requestEditionReport } from '../../../shared/use-cases/queries/edition-report-jobs.js';
import { reportJobAccepted, reportJobBody, reportJobLocation } from './report-jobs.js';
import { trackKeyPhrases } from '../../../shared/use-cases/queries/key-phrases.js';
import { phraseAppearancesToCsv, phraseChangesToCsv } from '../../../shared/domain/key-phrases.js';
import { editionReportSectionsCsv, editionReportSeriesCsv, type EditionReport } from '../../../shared/domain/edition-report.js';
import { getPage, listPages } from '../../../shared/use-cases/queries/pages.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, parseWithSchema } from '../../../shared/use-cases/queries/query-input.js';
import { diffRevisions } from '../../../shared/use-cases/queries/revision-diffs.js';
import type { FeedOptions, FeedScope } from '../../../shared/use-cases/queries/revision-feeds.js';
import { getRevision, listRevisions } from '../../../shared/use-cases/queries/revisions.js';
import { sectionHistory } from '../../../shared/use-cases/queries/section-history.js';
import { listEditions, listSeries } from '../../../shared/use-cases/queries/series.js';
import { seriesLineage } from '../../../shared/use-cases/series-lineage.js';
import { auditStoredTerms, auditToCsv, processAuditCountsCache } from '../../../shared/use-cases/queries/term-audit.js';
import { auditTermBaselines } from '../../../shared/use-cases/queries/term-baseline.js';
import { baselineToCsv, removedSentencesToCsv } from '../../../shared/domain/term-baseline.js';
import { pageView } from '../../../shared/use-cases/queries/views.js';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
} from '../../../shared/use-cases/subscriptions/manage-subscriptions.js';
import { parseCreateSubscription } from '../../../shared/use-cases/subscriptions/subscription-input.js';
import { DEFAULT_FEED_ID_PREFIX, type ApiDependencies } from '../api-dependencies.js';
import { provenanceRoutes } from './provenance-routes.js';

/**
 * The JSON routes: each parses its parameters, calls one use case and shapes the response. Read logic lives in the use
 * cases (shared/use-cases/queries, shared/use-cases/subscriptions), which the CLI calls too.
 */
export interface ApiRoute {
  method: 'GET' | 'HEAD' | 'POST' | 'DELETE';
  path: string;
  handler: (event: ApiEvent, context: Context) => Promise<ApiResult>;
  /** Needs credentials (IAM in the cloud, the bearer token locally). */
  authorized?: boolean;
}

export const listQuery = z.object({
  cursor: listCursor.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
});
const renderQuery = { format: z.enum(DIFF_FORMATS).default('json'), hideTrivial: flag.default(false) };

export const diffQuery = z.object({ from: revisionNumber, to: revisionNumber, unchanged: flag.default(false), ...renderQuery });
export const compareQuery = z.object({ from: editionNumber, to: editionNumber, unchanged: flag.default(true), ...renderQuery });
export const editionMapQuery = z.object({
  from: editionNumber,
  to: editionNumber,
  changed: flag.default(false),
  format: z.enum(['json', 'csv']).default('json'),
});
export const editionReportQuery = z.object({
  from: editionNumber,
  to: editionNumber,
  by: z.enum(['series', 'section']).default('series'),
  format: z.enum(['json', 'csv']).default('json'),
});
export const phrasesQuery = z.object({
  // The user's phrases, separated by "|" (a phrase may hold commas); each checked by the use case (empty: 400).
  phrases: z
    .string()
    .max(2000)
    .transform((value) => value.split('|').map((phrase) => phrase.trim()))
    .optional(),
  profile: flag.default(true),
  format: z.enum(['json', 'csv']).default('json'),
  table: z.enum(['appearances', 'changes']).default('appearances'),
});
export const auditQuery = z.object({
  terms: z
    .string()
    .transform(commaList)
    .pipe(z.array(z.string().max(100)).min(1, 'give at least one term').max(20)),
  series: seriesId.optional(),
  by: z.enum(['edition', 'section', 'series']).default('edition'),
  format: z.enum(['json', 'csv']).default('json'),
  wholeWord: flag.optional(),
  // Term baselines: each edition against the mean rate over the `baseline` editions before it (by edition or series).
  baseline: z.coerce.number().int().min(1).max(100).optional(),
  sentences: flag.default(false),
});
export const watchBody = z.object({ url: z.string().min(1).max(2048), intervalMinutes: z.number().int().min(5).max(525_600).optional() }).strict();

/**
 * The JSON routes, without the web UI's (ui-routes.ts) and `GET /openapi.json` (all-routes.ts): the api function loads
 * each group on its first request (api-handler.ts), so that a cold start evaluates none of them.
 */
export function jsonApiRoutes(dependencies: ApiDependencies, observability: Observability): ApiRoute[] {
  const settings = dependencies.api;
  const checkUrl = settings.assertPublicUrl ?? ((url: string) => assertPublicUrl(url));
  // The policy's message names the URL's problem; prefix the parameter.
  const assertUrl = (url: string) => {
    try {
      return checkUrl(url);
    } catch (error) {
      throw new ValidationError(`url: ${(error as Error).message}`, { cause: error });
    }
  };
  const route = (
    method: ApiRoute['method'],
    path: string,
    handle: (event: ApiEvent) => Promise<ApiResult>,
    options: { authorized?: boolean } = {},
  ): ApiRoute => ({
    method,
    path,
    ...(options.authorized ? { authorized: true } : {}),
    handler: async (event) => {
      if (options.authorized) assertAuthorized(event, settings.token);
      const page = event.pathParameters?.page;
      return page ? withPageKeys(observability.logger, { page }, () => handle(event)) : handle(event);
    },
  });

  const routes: ApiRoute[] = [
    route('GET', '/pages', async (event) => {
      const query = queryParameters(event, listQuery.extend({ series: seriesId.optional() }));
      return jsonResult(listBody(await listPages(dependencies, query)), 'list');
    }),
    route('GET', '/pages/{page}', async (event) => jsonResult(await getPage(dependencies, pathParameter(event, 'page')), 'list')),
    route('GET', '/pages/{page}/revisions', async (event) => {
      const page = await listRevisions(dependencies, pathParameter(event, 'page'), queryParameters(event, listQuery));
      return jsonResult(listBody(page), 'list');
    }),
    route('GET', '/pages/{page}/revisions/{seq}', async (event) => {
      const seq = parseWithSchema(revisionNumber, pathParameter(event, 'seq'), 'seq');
      return jsonResult(await getRevision(dependencies, pathParameter(event, 'page'), seq), 'immutable');
    }),
    route('GET', '/pages/{page}/diff', async (event) => {
      const query = queryParameters(event, diffQuery);
      const result = await diffRevisions(dependencies, { page: pathParameter(event, 'page'), from: query.from, to: query.to });
      const output = renderDiffOutput(
        {
          title: `${result.to.title || result.page}: revision ${result.from.seq} to ${result.to.seq}`,
          meta: { page: result.page, from: result.from, to: result.to, source: result.source },
          diff: result.diff,
        },
        query.format,
        { includeUnchanged: query.unchanged, hideTrivial: query.hideTrivial },
      );
      return textResult(output.body, output.contentType, 'immutable');
    }),
    route('GET', '/pages/{page}/sections/{key}/history', async (event) => {
      const history = await sectionHistory(dependencies, pathParameter(event, 'page'), slashedPathParameter(event, 'key'));
      return jsonResult(history, 'list');
    }),
    route('GET', '/series', async (event) => jsonResult(listBody(await listSeries(dependencies, queryParameters(event, listQuery))), 'list')),
    route('GET', '/series/{series}/editions', async (event) => {
      const series = slashedPathParameter(event, 'series');
      return jsonResult({ series, editions: await listEditions(dependencies, series) }, 'list');
    }),
    // The series' lineage: its editions under each slug, its aliases, and the evidence behind each link.
    route('GET', '/series/{series}/lineage', async (event) =>
      jsonResult(await seriesLineage(dependencies, slashedPathParameter(event, 'series')), 'list'),
    ),
    route('GET', '/series/{series}/compare', async (event) => {
      const query = queryParameters(event, compareQuery);
      const comparison = await compareEditions(dependencies, { series: slashedPathParameter(event, 'series'), from: query.from, to: query.to });
      const output = renderDiffOutput(
        {
          title: `${comparison.series}: edition ${comparison.from.edition} to ${comparison.to.edition}`,
          meta: {
            series: comparison.series,
            from: comparison.from,
            to: comparison.to,
            ...(comparison.editionMap ? { editionMap: comparison.editionMap } : {}),
          },
          diff: comparison.diff,
        },
        query.format,
        { includeUnchanged: query.unchanged, hideTrivial: query.hideTrivial },
      );
      return textResult(output.body, output.contentType, 'derived');
    }),
    // The edition map of a report (a series prefix, or one series in the ~ form): JSON or CSV.
    route('GET', '/editions/{report}/map', async (event) => {
      const query = queryParameters(event, editionMapQuery);
      const { map } = await buildEditionMap(dependencies, { report: slashedPathParameter(event, 'report'), from: query.from, to: query.to });
      const shown = query.changed ? { ...map, rows: map.rows.filter((row) => row.kind !== 'same') } : map;
      return query.format === 'csv'
        ? textResult(editionMapToCsv(shown), 'text/csv; charset=utf-8; header=present', 'derived')
        : jsonResult(shown, 'derived');
    }),
    // The edition report: per series, per template section and the ratio summary (JSON), or one of its tables (CSV).
    // Too many series to diff in a request (and not cached): 202 Accepted, with the job's status URL.
    route('GET', '/editions/{report}/report', async (event) => {
      const query = queryParameters(event, editionReportQuery);
      const request = { report: slashedPathParameter(event, 'report'), from: query.from, to: query.to };
      const result = await requestEditionReport(dependencies, request, dependencies.api.reportJobs);
      if (result.state === 'ready') return editionReportResult(result.report, query);
      return reportJobAccepted(event, dependencies.api.baseUrl, result.job, query);
    }),
    // An edition report job: 202 while pending, the report (as the report URL gives it) once done, its failure.
    route('GET', '/editions/{report}/report/jobs/{job}', async (event) => {
      const query = queryParameters(event, editionReportQuery);
      const scope = { report: slashedPathParameter(event, 'report'), from: query.from, to: query.to };
      const job = pathParameter(event, 'job');
      if (!/^[0-9a-f]{64}$/.test(job)) throw new ValidationError('job: not a job id (64 hex digits, from the Location of a 202)');
      const status = await editionReportJobStatus(dependencies, scope, job);
      if (status.state === 'done' && status.report) return editionReportResult(status.report, query);
      if (status.state === 'done') {
        // Stored under newer inputs (a page was revised since the request): the report URL answers for them.
        const result = jsonResult(reportJobBody(event, dependencies.api.baseUrl, status.job, query), 'private', 303);
        result.headers.location = reportJobLocation(event, dependencies.api.baseUrl, status.job, query).report;
        return result;
      }
      if (status.state === 'pending') return reportJobAccepted(event, dependencies.api.baseUrl, status.job, query);
      return jsonResult(reportJobBody(event, dependencies.api.baseUrl, status.job, query), 'private');
    }),
    // Key phrases across every edition of the report's series: JSON, or one table as CSV.
    route('GET', '/editions/{report}/phrases', async (event) => {
      const query = queryParameters(event, phrasesQuery);
      const result = await trackKeyPhrases(dependencies, {
        report: slashedPathParameter(event, 'report'),
        ...(query.phrases !== undefined ? { phrases: query.phrases } : {}),
        profilePhrases: query.profile,
      });
      if (query.format === 'json') return jsonResult(result, 'derived');
      const csv = query.table === 'changes' ? phraseChangesToCsv(result.tracks) : phraseAppearancesToCsv(result.tracks);
      return textResult(csv, 'text/csv; charset=utf-8; header=present', 'derived');
    }),
    route('GET', '/audit', async (event) => {
      const query = queryParameters(event, auditQuery);
      if (query.baseline !== undefined) {
        if (query.by === 'section') throw new ValidationError('by: a baseline is per edition or per series, not per section');
        const baseline = await auditTermBaselines(dependencies, {
          terms: query.terms,
          baseline: query.baseline,
          by: query.by,
          ...(query.series !== undefined ? { series: query.series } : {}),
          ...(query.wholeWord !== undefined ? { wholeWord: query.wholeWord } : {}),
        });
        if (query.format === 'json') return jsonResult(baseline, 'derived');
        return textResult(
          query.sentences ? removedSentencesToCsv(baseline) : baselineToCsv(baseline),
          'text/csv; charset=utf-8; header=present',
          'derived',
        );
      }
      if (query.by === 'series') throw new ValidationError('by: series needs a baseline (baseline=N)');
      const table = await auditStoredTerms(
        dependencies,
        {
          terms: query.terms,
          by: query.by,
          ...(query.series !== undefined ? { series: query.series } : {}),
          ...(query.wholeWord !== undefined ? { wholeWord: query.wholeWord } : {}),
        },
        { cache: processAuditCountsCache(dependencies) },
      );
      return query.format === 'csv'
        ? textResult(auditToCsv(table), 'text/csv; charset=utf-8; header=present', 'derived')
        : jsonResult(table, 'derived');
    }),
    route('GET', '/feeds/all.atom', async (event) => atomResult(await feed({ kind: 'all' }, feedOptions(event, '/feeds/all.atom')))),
    route('GET', '/feeds/pages/{page}.atom', async (event) => {
      const page = pathParameter(event, 'page');
      return atomResult(await feed({ kind: 'page', page }, feedOptions(event, `/feeds/pages/${encodeURIComponent(page)}.atom`)));
    }),
    route('GET', '/feeds/series/{series}.atom', async (event) => {
      const series = slashedPathParameter(event, 'series');
      const selfPath = `/feeds/series/${series.replaceAll('/', '~')}.atom`;
      return atomResult(await feed({ kind: 'series', series }, feedOptions(event, selfPath)));
    }),
    // Sentence provenance: blame, the removal ledger, the index status (provenance-routes.ts).
    ...provenanceRoutes(dependencies, route),
    route(
      'POST',
      '/watches',
      async (event) => {
        const body = parseWithSchema(watchBody, jsonBody(event), 'body');
        const { page, created } = await addWatch(dependencies, body, assertUrl);
        const result = jsonResult({ page: pageView(page), created }, 'private', created ? 201 : 200);
        result.headers.location = `/pages/${encodeURIComponent(page.page)}`;
        return result;
      },
      { authorized: true },
    ),
    route(
      'POST',
      '/subscriptions',
      async (event) => {
        const input = parseCreateSubscription(jsonBody(event));
        const created = await createSubscription(dependencies, input, { assertWebhookUrl: assertUrl });
        const result = jsonResult(created, 'private', 201);
        result.headers.location = `/subscriptions/${created.subscription.id}`;
        return result;
      },
      { authorized: true },
    ),
    route(
      'GET',
      '/subscriptions',
      async (event) => jsonResult(listBody(await listSubscriptions(dependencies, queryParameters(event, listQuery))), 'private'),
      {
        authorized: true,
      },
    ),
    route('GET', '/subscriptions/{id}', async (event) => jsonResult(await getSubscription(dependencies, subscriptionId(event)), 'private'), {
      authorized: true,
    }),
    route(
      'DELETE',
      '/subscriptions/{id}',
      async (event) => {
        await deleteSubscription(dependencies, subscriptionId(event));
        return noContentResult();
      },
      { authorized: true },
    ),
  ];
  return routes;

  // The feeds (the `feed` package and its XML writer) are loaded on the first feed request, not at cold start.
  async function feed(scope: FeedScope, options: FeedOptions): Promise<string> {
    const { revisionFeed } = await import('../../../shared/use-cases/queries/revision-feeds.js');
    return revisionFeed(dependencies, scope, options);
  }

  function feedOptions(event: ApiEvent, selfPath: string): FeedOptions {
    const baseUrl = requestBaseUrl(event, settings.baseUrl);
    // Atom needs absolute links; a domain that makes no URL can only come from a misconfigured front.
    if (!/^https?:\/\//.test(baseUrl)) throw new ValidationError('host: not a host name an absolute feed link can use; set REDLINE_API_BASE_URL');
    return { baseUrl, links: new UiLinks(baseUrl), selfPath, idPrefix: settings.feedIdPrefix ?? DEFAULT_FEED_ID_PREFIX, now: dependencies.now() };
  }
}

function atomResult(xml: string): ApiResult {
  return textResult(xml, 'application/atom+xml; charset=utf-8', 'derived');
}

function subscriptionId(event: ApiEvent): string {
  const id = pathParameter(event, 'id');
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) throw new ValidationError('id: not a subscription id');
  return id;
}

function editionReportResult(report: EditionReport, query: z.infer<typeof editionReportQuery>): ApiResult {
  if (query.format === 'json') return jsonResult(report, 'derived');
  return textResult(
    query.by === 'section' ? editionReportSectionsCsv(report) : editionReportSeriesCsv(report),
    'text/csv; charset=utf-8; header=present',
    'derived',
  );
}
