import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import * as z from 'zod';
import { EDITION_MAP_VERSION, EditionMapLearner, type EditionMap, type SeriesEditions } from '../../domain/edition-map.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { EditionMapScope } from '../../ports/snapshot-store.js';
import { listAllSeries } from './series.js';
import type { QueryDependencies } from './views.js';

/**
 * The edition map of a report (edition-map.ts) from the store: for every series of the report that has both
 * editions captured, the latest revision of each edition's page (as `compare` reads them). Derived data, read on
 * demand (never on the capture-to-revision path) and cached in the snapshot store under the hash of its inputs (the
 * series and their two Documents' hashes), so it is recomputed whenever one of them changes.
 */
export interface EditionMapRequest {
  /** A series prefix ("hrr": every series hrr/...), or one series ("hrr/kazakhstan"). */
  report: string;
  from: number;
  to: number;
}

export interface EditionMapResult {
  map: EditionMap;
  /** True when the map came from the cache. */
  cached: boolean;
}

const DOCUMENT_READS = 8;

export interface SeriesInput {
  series: string;
  fromKey: string;
  toKey: string;
  fromHash: string;
  toHash: string;
}

/**
 * Errors (nothing is stored on any of them): ValidationError for from >= to, an edition no series of the report
 * has, or no series with both editions (a single series with one edition included); NotFoundError for a report
 * with no series.
 */
export async function buildEditionMap(
  dependencies: QueryDependencies,
  request: EditionMapRequest,
  /** The request's inputs when the caller has listed them already (editionMapInputs). */
  listed?: SeriesInput[],
): Promise<EditionMapResult> {
  const { report, from, to } = request;
  if (!(from < to)) throw new ValidationError(`from: must be an earlier edition than to (got from ${from}, to ${to})`);
  const inputs = listed ?? (await editionMapInputs(dependencies, request));
  const scope: EditionMapScope = { report, from, to };
  const inputsHash = hashInputs(scope, inputs);
  const stored = parseStoredMap(await dependencies.snapshots.getEditionMap(scope, inputsHash), scope);
  if (stored) return { map: stored, cached: true };

  // One pair of Documents at a time (the next pair is read while the current one is aligned): memory holds two
  // pairs whatever the number of series; series are added in name order, so the map does not depend on timing.
  const learner = new EditionMapLearner();
  const load = async (input: SeriesInput): Promise<SeriesEditions> => {
    const [previous, next] = await Promise.all([dependencies.snapshots.getDocument(input.fromKey), dependencies.snapshots.getDocument(input.toKey)]);
    return { series: input.series, previous, next };
  };
  let pending = inputs.length > 0 ? load(inputs[0]!) : undefined;
  for (let index = 0; index < inputs.length; index++) {
    const current = await pending!;
    pending = index + 1 < inputs.length ? load(inputs[index + 1]!) : undefined;
    learner.add(current);
  }
  const map = learner.map(report, from, to);
  try {
    await dependencies.snapshots.putEditionMap(scope, inputsHash, map);
  } catch {
    // A cache that cannot be written (read-only credentials) costs time on the next request, not the answer.
  }
  return { map, cached: false };
}

/** The series of the report with both editions captured, and the keys and hashes of their latest Documents. */
export async function editionMapInputs(dependencies: QueryDependencies, { report, from, to }: EditionMapRequest): Promise<SeriesInput[]> {
  const all = await listAllSeries(dependencies);
  const members = all.includes(report) ? [report] : all.filter((series) => series.startsWith(`${report}/`));
  if (members.length === 0)
    throw new NotFoundError(`No series of report ${report} (give a series prefix such as hrr, or a series such as hrr/kazakhstan)`);
  const limit = pLimit(DOCUMENT_READS);
  const found = await Promise.all(
    members.map((series) =>
      limit(async () => {
        const editions = await dependencies.revisions.listEditions(series);
        const pageOf = (edition: number) => editions.find((entry) => entry.edition === edition)?.page;
        const fromPage = pageOf(from);
        const toPage = pageOf(to);
        const [fromRevision, toRevision] = await Promise.all([
          fromPage ? dependencies.revisions.latestRevision(fromPage) : undefined,
          toPage ? dependencies.revisions.latestRevision(toPage) : undefined,
        ]);
        return { series, editions: editions.map((entry) => entry.edition), fromRevision, toRevision };
      }),
    ),
  );
  const inputs: SeriesInput[] = [];
  for (const { series, fromRevision, toRevision } of found) {
    if (fromRevision && toRevision) {
      inputs.push({
        series,
        fromKey: fromRevision.documentKey,
        toKey: toRevision.documentKey,
        fromHash: fromRevision.documentHash,
        toHash: toRevision.documentHash,
      });
    }
  }
  if (inputs.length > 0) return inputs.sort((a, b) => a.series.localeCompare(b.series));

  const what = members.length === 1 ? `Series ${members[0]}` : `No series of report ${report}`;
  const captured = (edition: number) => found.some((entry) => (edition === from ? entry.fromRevision : entry.toRevision) !== undefined);
  if (members.length === 1) {
    const editions = found[0]!.editions.filter((edition): edition is number => edition !== undefined);
    throw new ValidationError(
      `${what} has ${editions.length === 1 ? `only edition ${editions[0]}` : `editions ${editions.join(', ') || 'none'}`} captured: an edition map needs both ${from} and ${to}`,
    );
  }
  if (!captured(from)) throw new ValidationError(`${what} has edition ${from} captured`);
  if (!captured(to)) throw new ValidationError(`${what} has edition ${to} captured`);
  throw new ValidationError(`${what} has both editions ${from} and ${to} captured: the map is learned from series that have both`);
}

function hashInputs(scope: EditionMapScope, inputs: readonly SeriesInput[]): string {
  const canonical = JSON.stringify({
    version: EDITION_MAP_VERSION,
    ...scope,
    inputs: inputs.map(({ series, fromHash, toHash }) => [series, fromHash, toHash]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

const sectionSchema = z.object({ key: z.string(), heading: z.string(), path: z.array(z.string()) });
const storedMapSchema = z.object({
  version: z.literal(EDITION_MAP_VERSION),
  report: z.string(),
  from: z.number(),
  to: z.number(),
  series: z.array(z.string()),
  rows: z.array(
    z.object({
      kind: z.enum(['same', 'moved', 'renamed', 'removed']),
      from: sectionSchema,
      to: sectionSchema.optional(),
      support: z.number(),
      present: z.number(),
      confidence: z.number(),
      series: z.array(z.string()),
    }),
  ),
});

/** A stored map of another algorithm version or shape is ignored (recomputed and replaced). */
function parseStoredMap(stored: unknown, scope: EditionMapScope): EditionMap | undefined {
  if (stored === undefined) return undefined;
  const parsed = storedMapSchema.safeParse(stored);
  if (!parsed.success || parsed.data.report !== scope.report || parsed.data.from !== scope.from || parsed.data.to !== scope.to) return undefined;
  return parsed.data as EditionMap;
}
