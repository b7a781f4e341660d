import type { Document } from '../../domain/document.js';
import { readPage } from '../../domain/extract.js';
import { ExtractionError, NotFoundError } from '../../errors.js';
import type { RawSnapshot, StoredObjectSummary } from '../../ports/snapshot-store.js';
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
  const [document, previousEdition, hasRaw] = await Promise.all([
    dependencies.snapshots.getDocument(record.documentKey),
    previousEditionOf(dependencies, record.series, record.edition),
    record.rawKey !== undefined ? true : hasRawBodies(dependencies, page),
  ]);
  return { revision: revisionView(record), document, hasRaw, ...(previousEdition ? { previousEdition } : {}) };
}

async function hasRawBodies(dependencies: QueryDependencies, page: string): Promise<boolean> {
  for await (const _summary of dependencies.snapshots.listRaw(page)) return true;
  return false;
}

/** Raw bodies read, at most, to find a revision's own (a page keeps one per distinct body it served). */
const MAX_RAW_CANDIDATES = 24;

/**
 * The raw body of a revision as fetched. Raw bodies are stored by their own hash, not by the revision: the one whose
 * extraction gives the revision's Document (same document hash) is the revision's, tried nearest in time first.
 * NotFoundError when none is stored.
 */
export async function getRawSnapshot(dependencies: QueryDependencies, page: string, seq: number): Promise<RawSnapshot> {
  const [record, pageRecord] = await Promise.all([dependencies.revisions.getRevision(page, seq), dependencies.revisions.getPage(page)]);
  if (!record) throw new NotFoundError(`No revision ${seq} of page ${page}`);
  if (record.rawKey) return dependencies.snapshots.getRaw(record.rawKey);
  const candidates: StoredObjectSummary[] = [];
  for await (const summary of dependencies.snapshots.listRaw(page)) candidates.push(summary);
  const captured = Date.parse(record.capturedAt);
  const distance = (summary: StoredObjectSummary) =>
    summary.lastModified ? Math.abs(summary.lastModified.getTime() - captured) : Number.MAX_SAFE_INTEGER;
  candidates.sort((a, b) => distance(a) - distance(b));
  const url = pageRecord?.url ?? record.url;
  for (const summary of candidates.slice(0, MAX_RAW_CANDIDATES)) {
    const raw = await dependencies.snapshots.getRaw(summary.key);
    try {
      const { document } = readPage(new TextDecoder('utf-8').decode(raw.body), {
        url,
        ...(pageRecord?.profile ? { profile: pageRecord.profile } : {}),
      });
      if (dependencies.snapshots.documentHash(document) === record.documentHash) return raw;
    } catch (error) {
      if (!(error instanceof ExtractionError)) throw error;
    }
  }
  throw new NotFoundError(`No raw body of revision ${seq} of page ${page} is stored`);
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

/** The outline (keys and headings, with outline numbers) of the newest captured edition of a series; empty when none. */
export async function newestOutline(dependencies: QueryDependencies, series: string): Promise<{ key: string; heading: string }[]> {
  const editions = await listEditions(dependencies, series).catch(() => []);
  for (const entry of [...editions].reverse()) {
    const latest = await dependencies.revisions.latestRevision(entry.page);
    if (!latest) continue;
    const document = await dependencies.snapshots.getDocument(latest.documentKey);
    return document.sections.map((section) => ({
      key: section.key,
      heading: section.number ? `${section.number} ${section.heading}` : section.heading,
    }));
  }
  return [];
}
