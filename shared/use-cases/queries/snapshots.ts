import type { Document } from '../../domain/document.js';
import { NotFoundError } from '../../errors.js';
import type { RawSnapshot } from '../../ports/snapshot-store.js';
import { listEditions } from './series.js';
import { revisionView, type QueryDependencies, type RevisionView } from './views.js';

/**
 * A revision as captured: its Document (outline and text), whether its raw body is stored, and where to go from it
 * (the revision before it, and the latest revision of the same series' previous edition).
 */
export interface RevisionSnapshot {
  revision: RevisionView;
  document: Document;
  hasRaw: boolean;
  previousEdition?: { edition: number; page: string; seq: number };
}

export async function getRevisionSnapshot(dependencies: QueryDependencies, page: string, seq: number): Promise<RevisionSnapshot> {
  const record = await dependencies.revisions.getRevision(page, seq);
  if (!record) throw new NotFoundError(`No revision ${seq} of page ${page}`);
  const [document, previousEdition] = await Promise.all([dependencies.snapshots.getDocument(record.documentKey), previousEditionOf(dependencies, record.series, record.edition)]);
  return { revision: revisionView(record), document, hasRaw: record.rawKey !== undefined, ...(previousEdition ? { previousEdition } : {}) };
}

/** The raw body of a revision as fetched (NotFoundError when the capture kept none). */
export async function getRawSnapshot(dependencies: QueryDependencies, page: string, seq: number): Promise<RawSnapshot> {
  const record = await dependencies.revisions.getRevision(page, seq);
  if (!record) throw new NotFoundError(`No revision ${seq} of page ${page}`);
  if (!record.rawKey) throw new NotFoundError(`Revision ${seq} of page ${page} kept no raw body`);
  return dependencies.snapshots.getRaw(record.rawKey);
}

/** The newest captured revision of the edition before `edition` in the series, if any. */
export async function previousEditionOf(
  dependencies: QueryDependencies,
  series: string | undefined,
  edition: number | undefined,
): Promise<{ edition: number; page: string; seq: number } | undefined> {
  if (series === undefined || edition === undefined) return undefined;
  const editions = await listEditions(dependencies, series).catch(() => []);
  const earlier = editions.filter((entry) => entry.edition !== undefined && entry.edition < edition).sort((a, b) => a.edition! - b.edition!);
  for (const entry of earlier.reverse()) {
    const latest = await dependencies.revisions.latestRevision(entry.page);
    if (latest) return { edition: entry.edition!, page: entry.page, seq: latest.seq };
  }
  return undefined;
}
