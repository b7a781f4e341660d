import { diffDocuments } from '../../domain/diff-documents.js';
import type { RevisionDiff } from '../../domain/revision-diff.js';
import { NotFoundError, ValidationError } from '../../errors.js';
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
  return { series: editions[0]!.series, from: fromReference, to: toReference, diff: diffDocuments(previous, next) };
}
