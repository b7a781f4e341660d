import { diffDocuments } from '../../domain/diff-documents.js';
import { editionMapPrior } from '../../domain/edition-map.js';
import type { AlignmentPrior } from '../../domain/section-alignment.js';
import type { RevisionDiff } from '../../domain/revision-diff.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { buildEditionMap } from './edition-map.js';
import { reference, type RevisionReference } from './revision-diffs.js';
import { listEditions } from './series.js';
import type { QueryDependencies } from './views.js';

export interface EditionReference extends RevisionReference {
  edition: number;
  page: string;
}

export interface EditionComparison {
  series: string;
  from: EditionReference;
  to: EditionReference;
  /**
   * Sections of the two editions aligned by key, then by heading and text similarity: renamed, moved, removed and
   * added sections as such, word diffs inside changed paragraphs.
   */
  diff: RevisionDiff;
  /** Set when the report's edition map (learned from its other series with both editions) served as a prior. */
  editionMap?: { report: string; series: number };
}

/**
 * Two editions of a series side by side: the latest revision of each edition's page, diffed. NotFoundError for an
 * unknown series, an edition the series lacks, or an edition never captured.
 */
export async function compareEditions(
  dependencies: QueryDependencies,
  request: { series: string; from: number; to: number },
): Promise<EditionComparison> {
  const { series, from, to } = request;
  if (from === to) throw new ValidationError('to: must differ from from');
  const editions = await listEditions(dependencies, series);
  const latest = async (edition: number): Promise<EditionReference & { documentKey: string }> => {
    const entry = editions.find((candidate) => candidate.edition === edition);
    if (!entry) throw new NotFoundError(`No edition ${edition} of series ${series}`);
    const revision = await dependencies.revisions.latestRevision(entry.page);
    if (!revision) throw new NotFoundError(`Edition ${edition} of series ${series} (page ${entry.page}) has not been captured yet`);
    return { ...reference(revision), edition, page: entry.page, documentKey: revision.documentKey };
  };
  const [before, after] = await Promise.all([latest(from), latest(to)]);
  const [previous, next] = await Promise.all([
    dependencies.snapshots.getDocument(before.documentKey),
    dependencies.snapshots.getDocument(after.documentKey),
  ]);
  const { documentKey: _fromKey, ...fromReference } = before;
  const { documentKey: _toKey, ...toReference } = after;
  // Named as its lineage: the two editions may carry two slugs of one series.
  const lineage = editions[0]!.series;
  const prior = await reportPrior(dependencies, lineage, from, to);
  const diff = diffDocuments(previous, next, prior ? { alignment: { prior: prior.prior } } : {});
  return { series: lineage, from: fromReference, to: toReference, diff, ...(prior ? { editionMap: prior.described } : {}) };
}

/**
 * The edition map of the series' report (its id up to the first "/") as a prior, without the series' own votes;
 * none for a reversed comparison, a series outside a report, or a report whose other series lack either edition.
 * The map is derived data: a failure to build it leaves the comparison on the pages' own evidence.
 */
export async function reportPrior(
  dependencies: QueryDependencies,
  series: string,
  from: number,
  to: number,
): Promise<{ prior: AlignmentPrior; described: { report: string; series: number } } | undefined> {
  const slash = series.indexOf('/');
  if (slash <= 0 || from >= to) return undefined;
  const report = series.slice(0, slash);
  let others: number;
  let prior: AlignmentPrior;
  try {
    const { map } = await buildEditionMap(dependencies, { report, from, to });
    others = map.series.filter((member) => member !== series).length;
    prior = editionMapPrior(map, { exclude: series });
  } catch {
    return undefined;
  }
  return others > 0 ? { prior, described: { report, series: others } } : undefined;
}
