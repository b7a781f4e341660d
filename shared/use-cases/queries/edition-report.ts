import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import * as z from 'zod';
import { diffDocuments } from '../../domain/diff-documents.js';
import { editionMapPrior } from '../../domain/edition-map.js';
import { ValidationError } from '../../errors.js';
import {
  assembleEditionReport,
  EDITION_REPORT_VERSION,
  seriesEditionReport,
  type EditionReport,
  type SeriesReport,
} from '../../domain/edition-report.js';
import type { EditionMapScope } from '../../ports/snapshot-store.js';
import { buildEditionMap, editionMapInputs, type EditionMapRequest, type SeriesInput } from './edition-map.js';
import type { QueryDependencies } from './views.js';

/**
 * The edition report of a report (edition-report.ts) from the store. Each series with both editions is diffed as
 * `compare` diffs it (the edition map of the other series as a prior), then dropped: only its figures are kept, so
 * memory holds at most SERIES_AT_ONCE pairs of Documents whatever the number of series. The result is cached in the
 * snapshot store under the hash of its inputs (the algorithm versions, the scope and every series' two Document
 * hashes), so a new revision of any input page gives a new key and the report is recomputed.
 */
export interface EditionReportResult {
  report: EditionReport;
  /** True when the report came from the cache. */
  cached: boolean;
}

/** Series diffed at once: two Documents each, then only their figures are kept. */
const SERIES_AT_ONCE = 2;

/**
 * Errors as buildEditionMap's (nothing is stored on any of them): ValidationError for from >= to, an edition no
 * series of the report has, or no series with both editions; NotFoundError for a report with no series.
 */
export async function buildEditionReport(
  dependencies: QueryDependencies,
  request: EditionMapRequest,
  /** The request's inputs when the caller has listed them already (editionMapInputs): the store is listed once. */
  listed?: SeriesInput[],
): Promise<EditionReportResult> {
  if (!(request.from < request.to))
    throw new ValidationError(`from: must be an earlier edition than to (got from ${request.from}, to ${request.to})`);
  const inputs = listed ?? (await editionMapInputs(dependencies, request));
  const { map } = await buildEditionMap(dependencies, request, inputs);
  const scope: EditionMapScope = { report: request.report, from: request.from, to: request.to };
  const inputsHash = hashInputs(scope, inputs);
  const stored = parseStoredReport(await dependencies.snapshots.getEditionReport(scope, inputsHash), scope);
  if (stored) return { report: stored, cached: true };

  const limit = pLimit(SERIES_AT_ONCE);
  const seriesReports: SeriesReport[] = await Promise.all(
    inputs.map((input) =>
      limit(async () => {
        const [previous, next] = await Promise.all([
          dependencies.snapshots.getDocument(input.fromKey),
          dependencies.snapshots.getDocument(input.toKey),
        ]);
        // The other series' votes as a prior, as compare uses them (none when the series is the map's only one).
        const others = map.series.filter((member) => member !== input.series).length;
        const prior = others > 0 ? editionMapPrior(map, { exclude: input.series }) : undefined;
        const diff = diffDocuments(previous, next, prior ? { alignment: { prior } } : {});
        return seriesEditionReport(input.series, previous, next, diff);
      }),
    ),
  );
  const report = assembleEditionReport(request.report, request.from, request.to, seriesReports, map);
  try {
    await dependencies.snapshots.putEditionReport(scope, inputsHash, report);
  } catch {
    // A cache that cannot be written costs time on the next request, not the answer.
  }
  return { report, cached: false };
}

/** The hash the report of these inputs is cached under (the id of its job, edition-report-jobs.ts). */
export function hashInputs(scope: EditionMapScope, inputs: readonly SeriesInput[]): string {
  const canonical = JSON.stringify({
    version: EDITION_REPORT_VERSION,
    ...scope,
    inputs: inputs.map(({ series, fromHash, toHash }) => [series, fromHash, toHash]),
  });
  return createHash('sha256').update(`edition-report\n${canonical}`).digest('hex');
}

const storedReportSchema = z.object({
  version: z.literal(EDITION_REPORT_VERSION),
  report: z.string(),
  from: z.number(),
  to: z.number(),
  series: z.array(
    z.object({ series: z.string(), ratio: z.number(), removedSections: z.array(z.string()), addedSections: z.array(z.string()) }).loose(),
  ),
  sections: z.array(
    z
      .object({
        key: z.string(),
        heading: z.string(),
        removedIn: z.array(z.string()),
        renamedIn: z.array(z.string()),
        presentIn: z.array(z.string()),
      })
      .loose(),
  ),
  summary: z.object({ series: z.number(), median: z.number(), lowest: z.array(z.object({ series: z.string(), ratio: z.number() })) }).loose(),
});

/** A stored report of another version, scope or shape is ignored (recomputed and replaced). */
export function parseStoredReport(stored: unknown, scope: EditionMapScope): EditionReport | undefined {
  if (stored === undefined) return undefined;
  const parsed = storedReportSchema.safeParse(stored);
  if (!parsed.success || parsed.data.report !== scope.report || parsed.data.from !== scope.from || parsed.data.to !== scope.to) return undefined;
  return stored as EditionReport;
}
