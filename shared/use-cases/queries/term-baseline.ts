import pLimit from 'p-limit';
import type { Document } from '../../domain/document.js';
import {
  documentTermCounts,
  removedTermSentences,
  termBaselines,
  type BaselineTable,
  type DocumentTermCounts,
  type RemovedTermSentence,
} from '../../domain/term-baseline.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { foldForMatching } from '../../domain/audit.js';
import { listAllSeries } from './series.js';
import type { QueryDependencies } from './views.js';

export interface BaselineAuditRequest {
  terms: string[];
  /** N: each edition against the mean rate over the N editions before it. */
  baseline: number;
  by: 'edition' | 'series';
  /** One series; every series in the store when absent. */
  series?: string;
  wholeWord?: boolean;
}

/** Series walked at once; within a series, editions are read in order, holding two Documents at most. */
const SERIES_AT_ONCE = 4;

/**
 * Term baselines (term-baseline.ts) over the latest capture of each edition of each series. Each series is walked
 * oldest edition first, one Document at a time: its counts are taken and the removed sentences found against the
 * edition before, then only the previous Document is kept, so memory does not grow with the store.
 */
export async function auditTermBaselines(dependencies: QueryDependencies, request: BaselineAuditRequest): Promise<BaselineTable> {
  if (request.terms.length === 0) throw new ValidationError('No terms to audit: give at least one term.');
  for (const term of request.terms) if (foldForMatching(term).trim().length === 0) throw new ValidationError('An audit term cannot be empty.');
  const series = request.series !== undefined ? [(await dependencies.revisions.resolveSeries(request.series)).id] : await listAllSeries(dependencies);
  const wholeWord = request.wholeWord ?? false;
  const counts: DocumentTermCounts[] = [];
  const removed: RemovedTermSentence[] = [];
  const limit = pLimit(SERIES_AT_ONCE);
  let pages = 0;
  await Promise.all(
    series.map((one) =>
      limit(async () => {
        const editions = (await dependencies.revisions.listEditions(one))
          .filter((entry): entry is typeof entry & { edition: number } => entry.edition !== undefined)
          .sort((a, b) => a.edition - b.edition);
        pages += editions.length;
        let previous: { edition: number; document: Document } | undefined;
        for (const entry of editions) {
          const latest = await dependencies.revisions.latestRevision(entry.page);
          if (!latest) continue;
          const document = await dependencies.snapshots.getDocument(latest.documentKey);
          counts.push(documentTermCounts(document, one, entry.edition, request.terms, wholeWord));
          const current = { edition: entry.edition, document };
          if (previous && previous.edition !== entry.edition) removed.push(...removedTermSentences(one, previous, current, request.terms, wholeWord));
          previous = current;
        }
      }),
    ),
  );
  if (request.series !== undefined && pages === 0) throw new NotFoundError(`No series ${request.series}`);
  removed.sort((a, b) => a.toEdition - b.toEdition || a.series.localeCompare(b.series));
  return termBaselines(counts, removed, { terms: request.terms, baseline: request.baseline, by: request.by, wholeWord });
}
