import { diffDocuments } from '../../domain/diff-documents.js';
import type { RevisionDiff } from '../../domain/revision-diff.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { RevisionRecord } from '../../domain/revision-records.js';
import type { QueryDependencies } from './views.js';

export interface RevisionReference {
  seq: number;
  capturedAt: string;
  documentHash: string;
  url: string;
  title: string;
}

export interface RevisionDiffResult {
  page: string;
  from: RevisionReference;
  to: RevisionReference;
  /** `stored`: the diff written when `to` was recorded (from is its previous revision); `computed`: diffed now. */
  source: 'stored' | 'computed';
  diff: RevisionDiff;
}

/**
 * The diff between any two revisions of a page (either order). When `to` was recorded right after `from`, the
 * stored diff is read; otherwise both Documents are loaded and diffed. A pure function of two immutable revisions,
 * so the result never changes.
 */
export async function diffRevisions(
  dependencies: QueryDependencies,
  request: { page: string; from: number; to: number },
): Promise<RevisionDiffResult> {
  const { page, from, to } = request;
  if (from === to) throw new ValidationError('to: must differ from from');
  const [fromRecord, toRecord] = await Promise.all([dependencies.revisions.getRevision(page, from), dependencies.revisions.getRevision(page, to)]);
  if (!fromRecord || !toRecord) {
    if (!(await dependencies.revisions.getPage(page))) throw new NotFoundError(`No page ${page}`);
    throw new NotFoundError(`No revision ${!fromRecord ? from : to} of page ${page}`);
  }
  let diff: RevisionDiff;
  let source: RevisionDiffResult['source'];
  if (toRecord.previousSeq === from && toRecord.diffKey) {
    diff = await dependencies.snapshots.getDiff(toRecord.diffKey);
    source = 'stored';
  } else {
    const [before, after] = await Promise.all([
      dependencies.snapshots.getDocument(fromRecord.documentKey),
      dependencies.snapshots.getDocument(toRecord.documentKey),
    ]);
    diff = diffDocuments(before, after);
    source = 'computed';
  }
  return { page, from: reference(fromRecord), to: reference(toRecord), source, diff };
}

export function reference(record: RevisionRecord): RevisionReference {
  return { seq: record.seq, capturedAt: record.capturedAt, documentHash: record.documentHash, url: record.url, title: record.title };
}
