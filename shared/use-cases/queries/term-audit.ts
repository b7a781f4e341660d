import pLimit from 'p-limit';
import { auditTerms, auditToCsv, type AuditTable } from '../../domain/audit.js';
import type { Document } from '../../domain/document.js';
import { NotFoundError } from '../../errors.js';
import type { PageRecord } from '../../domain/page-records.js';
import { listAllSeries } from './series.js';
import type { QueryDependencies } from './views.js';

export interface StoredAuditRequest {
  terms: string[];
  /** One series; every series in the store when absent (pages without a series are not audited). */
  series?: string;
  by: 'edition' | 'section';
  wholeWord?: boolean;
}

const DOCUMENT_READS = 8;

/**
 * Term audit over stored Documents: the latest revision of every page of the series (or of every series), counted
 * per edition or per edition and section (audit.ts). Pages never captured are left out.
 */
export async function auditStoredTerms(dependencies: QueryDependencies, request: StoredAuditRequest): Promise<AuditTable> {
  const series = request.series !== undefined ? [(await dependencies.revisions.resolveSeries(request.series)).id] : await listAllSeries(dependencies);
  const pages: Array<PageRecord & { lineage: string }> = [];
  for (const one of series) pages.push(...(await seriesPages(dependencies, one)).map((page) => ({ ...page, lineage: one })));
  if (request.series !== undefined && pages.length === 0) throw new NotFoundError(`No series ${request.series}`);

  const limit = pLimit(DOCUMENT_READS);
  const documents = await Promise.all(
    pages.map((page) =>
      limit(async (): Promise<Document | undefined> => {
        const latest = await dependencies.revisions.latestRevision(page.page);
        // Counted under the series users see (its lineage), whatever slug the edition had.
        return latest ? { ...(await dependencies.snapshots.getDocument(latest.documentKey)), series: page.lineage } : undefined;
      }),
    ),
  );
  return auditTerms(
    documents.filter((document): document is Document => document !== undefined),
    request.terms,
    { by: request.by, ...(request.wholeWord !== undefined ? { wholeWord: request.wholeWord } : {}) },
  );
}

async function seriesPages(dependencies: QueryDependencies, series: string): Promise<PageRecord[]> {
  const pages: PageRecord[] = [];
  let cursor: string | undefined;
  do {
    const batch = await dependencies.revisions.listPages({ series, cursor, limit: 500 });
    pages.push(...batch.items);
    cursor = batch.cursor;
  } while (cursor);
  return pages;
}

/** `year,reports,word_count,count_<term>...,rate_<term>...` (section rows add `section_key,heading`). */
export { auditToCsv };
