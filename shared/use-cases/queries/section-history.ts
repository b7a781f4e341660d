import pLimit from 'p-limit';
import { NotFoundError } from '../../errors.js';
import { revisionSectionsFrom, type RevisionRecord, type RevisionSectionChange } from '../../domain/revision-records.js';
import { assertPageExists } from './pages.js';
import type { QueryDependencies } from './views.js';

export interface SectionHistoryEntry extends RevisionSectionChange {
  seq: number;
  previousSeq?: number;
  capturedAt: string;
}

export interface SectionHistory {
  page: string;
  key: string;
  /** Every key the section had (renames followed both ways), the asked-for key first. */
  keys: string[];
  /** Newest first: one entry per revision in which the section changed. */
  changes: SectionHistoryEntry[];
}

const LIST_BATCH = 500;
const DIFF_READS = 4;

/**
 * Every revision in which a section changed, from the revision items' changed-section lists (the full stored
 * diff is read only for revisions whose list was truncated). Renames are followed through `previousKey`: asking
 * for the new key finds the changes made under the old one, and asking for the old key finds the later ones.
 */
export async function sectionHistory(dependencies: QueryDependencies, page: string, key: string): Promise<SectionHistory> {
  await assertPageExists(dependencies, page);
  const records: RevisionRecord[] = [];
  let cursor: string | undefined;
  do {
    const batch = await dependencies.revisions.listRevisions(page, { newestFirst: true, limit: LIST_BATCH, cursor });
    records.push(...batch.items);
    cursor = batch.cursor;
  } while (cursor);

  const limit = pLimit(DIFF_READS);
  const changed = await Promise.all(
    records.map((record) =>
      limit(async (): Promise<RevisionSectionChange[]> => {
        if (!record.sectionsTruncated || !record.diffKey) return record.sections;
        const diff = await dependencies.snapshots.getDiff(record.diffKey);
        return revisionSectionsFrom(diff, Number.MAX_SAFE_INTEGER).sections;
      }),
    ),
  );

  const keys = new Set([key]);
  // Until nothing new: backwards (newest first) a tracked key leads to its previous key, forwards the reverse.
  for (let size = 0; size !== keys.size;) {
    size = keys.size;
    for (const sections of changed) {
      for (const change of sections) if (change.previousKey && keys.has(change.key)) keys.add(change.previousKey);
    }
    for (const sections of [...changed].reverse()) {
      for (const change of sections) if (change.previousKey && keys.has(change.previousKey)) keys.add(change.key);
    }
  }

  const changes: SectionHistoryEntry[] = [];
  records.forEach((record, index) => {
    for (const change of changed[index]!) {
      if (!keys.has(change.key) && !(change.previousKey && keys.has(change.previousKey))) continue;
      changes.push({
        seq: record.seq,
        ...(record.previousSeq !== undefined ? { previousSeq: record.previousSeq } : {}),
        capturedAt: record.capturedAt,
        ...change,
      });
    }
  });
  if (changes.length === 0 && records[0]) {
    // Nothing changed it: a section of the latest text (an empty history), or no section at all (404, not an empty list).
    const latest = await dependencies.snapshots.getDocument(records[0].documentKey);
    if (!latest.sections.some((section) => keys.has(section.key))) throw new NotFoundError(`No section ${key} in page ${page}`);
  }
  return { page, key, keys: [...keys], changes };
}
