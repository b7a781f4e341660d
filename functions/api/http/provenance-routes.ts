import * as z from 'zod';
import { pathParameter, queryParameters, slashedPathParameter, type ApiEvent } from './api-request.js';
import { jsonResult, textResult, type ApiResult } from './api-response.js';
import { commaList, editionNumber, listCursor, revisionNumber, wholeNumber } from './query-schemas.js';
import { REMOVAL_FATES, removalLedgerToCsv } from '../../../shared/domain/provenance/removal-ledger.js';
import {
  blamePage,
  DEFAULT_PROVENANCE_LIMIT,
  MAX_PROVENANCE_LIMIT,
  provenanceStatus,
  removedSentences,
  removedSentencesPage,
  type RemovedRequest,
} from '../../../shared/use-cases/provenance/provenance-queries.js';
import type { ApiDependencies } from '../api-dependencies.js';
import type { ApiRoute } from './api-routes.js';

/**
 * Sentence provenance (docs/provenance.md): blame of a page's revision, the removal
 * ledger of a series (editions) or a page (revisions), and the index status. Read-only: the API never writes the
 * index; what it lacks is caught up in memory for the answer. Registered by api-routes.ts through its `route`.
 */
export type RouteFactory = (method: ApiRoute['method'], path: string, handle: (event: ApiEvent) => Promise<ApiResult>) => ApiRoute;

const cursor = listCursor.max(512).optional();
const limit = z.coerce.number().int().min(1).max(MAX_PROVENANCE_LIMIT).default(DEFAULT_PROVENANCE_LIMIT);
/** Section key prefixes carry slashes; `~` is accepted for them too, as in paths. */
const sectionPrefix = z
  .string()
  .min(1)
  .max(300)
  .transform((value) => value.replaceAll('~', '/'))
  .optional();

export const blameQuery = z.object({ seq: revisionNumber.optional(), edition: editionNumber.optional(), section: sectionPrefix, cursor, limit });
export const removedQuery = z.object({
  from: wholeNumber.optional(),
  to: wholeNumber.optional(),
  term: z.string().trim().min(1).max(100).optional(),
  section: sectionPrefix,
  fate: z
    .string()
    .transform(commaList)
    .pipe(z.array(z.enum(REMOVAL_FATES)).min(1, 'give at least one fate'))
    .optional(),
  format: z.enum(['json', 'csv']).default('json'),
  cursor,
  limit,
});

export function provenanceRoutes(dependencies: Pick<ApiDependencies, 'revisions' | 'snapshots'>, route: RouteFactory): ApiRoute[] {
  const removed = async (event: ApiEvent, target: Pick<RemovedRequest, 'series' | 'page'>): Promise<ApiResult> => {
    const query = queryParameters(event, removedQuery);
    const request: RemovedRequest = {
      ...target,
      ...(query.from !== undefined ? { from: query.from } : {}),
      ...(query.to !== undefined ? { to: query.to } : {}),
      ...(query.term !== undefined ? { term: query.term } : {}),
      ...(query.section !== undefined ? { sectionPrefix: query.section } : {}),
      ...(query.fate !== undefined ? { fates: query.fate } : {}),
    };
    if (query.format === 'csv') {
      const ledger = await removedSentences(dependencies, request);
      return textResult(removalLedgerToCsv(ledger.sentences), 'text/csv; charset=utf-8; header=present', 'list');
    }
    const { cursor: next, ...page } = await removedSentencesPage(dependencies, {
      ...request,
      limit: query.limit,
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    });
    return jsonResult({ ...page, ...(next ? { nextCursor: next } : {}) }, 'list');
  };

  return [
    route('GET', '/pages/{page}/blame', async (event) => {
      const query = queryParameters(event, blameQuery);
      const { cursor: next, ...blame } = await blamePage(dependencies, {
        page: pathParameter(event, 'page'),
        ...(query.seq !== undefined ? { seq: query.seq } : {}),
        ...(query.edition !== undefined ? { edition: query.edition } : {}),
        ...(query.section !== undefined ? { sectionPrefix: query.section } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
        limit: query.limit,
      });
      return jsonResult({ ...blame, ...(next ? { nextCursor: next } : {}) }, 'list');
    }),
    route('GET', '/pages/{page}/removed', (event) => removed(event, { page: pathParameter(event, 'page') })),
    route('GET', '/series/{series}/removed', (event) => removed(event, { series: slashedPathParameter(event, 'series') })),
    route('GET', '/series/{series}/provenance', async (event) =>
      jsonResult(await provenanceStatus(dependencies, { series: slashedPathParameter(event, 'series') }), 'list'),
    ),
  ];
}
