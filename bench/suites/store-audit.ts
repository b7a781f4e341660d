import pLimit from 'p-limit';
import type { Document } from '../../shared/domain/document.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { listAllSeries } from '../../shared/use-cases/queries/series.js';
import { AuditCountsCache, auditStoredTerms } from '../../shared/use-cases/queries/term-audit.js';
import { hrrDocument } from '../../test/provenance/provenance-fixture.js';
import { startProvenanceStore } from '../../test/provenance/provenance-store-fixture.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS } from '../../test/support/corpus.js';
import { round, timeMedianAsync, type BenchRow, type SuiteResult } from '../bench-kit.js';

const TERMS = ['torture', 'journalist', 'election'];

/**
 * Issue 13 §3, reading a large store: every sample page imported under `copies` synthetic series (the URL slug
 * rewritten, `<country>-s<k>`, so identity resolves to a distinct series), on dynalite and s3rver. Times the term
 * audit of the whole store (`redline audit`, auditStoredTerms) and one other whole-store query (every series and its
 * pages listed), beside the same run's reference: a plain read of the latest Document of every page (8 at a time,
 * as the audit reads). Target: the audit of about 1,750 pages in at most 10 s.
 * `REDLINE_BENCH_AUDIT_SERIES` sets `copies` (default 30: 54 x 30 = 1,620 pages).
 */
export async function storeAuditSuite(copies = Number(process.env.REDLINE_BENCH_AUDIT_SERIES ?? 30), runs = 3): Promise<SuiteResult> {
  const rows: BenchRow[] = [];
  const store = await startProvenanceStore();
  const { dependencies } = store;
  let clock = Date.parse('2025-03-01T00:00:00.000Z');
  try {
    const buildStart = performance.now();
    let pages = 0;
    for (let copy = 0; copy < copies; copy++) {
      for (const country of CORPUS_COUNTRIES) {
        for (const year of CORPUS_YEARS) {
          const slug = `${country}-s${String(copy).padStart(2, '0')}`;
          const url = `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/${slug}/`;
          const document: Document = { ...hrrDocument(country, year), url };
          const { page } = await addWatch(dependencies, { url });
          const stored = await dependencies.snapshots.putDocument(page.page, document);
          clock += 60_000;
          await recordRevision(dependencies, { page: page.page, documentKey: stored.key, capturedAt: new Date(clock).toISOString() });
          pages++;
        }
      }
    }
    const buildMs = performance.now() - buildStart;
    const series = await listAllSeries(dependencies);

    const listEverything = async (): Promise<string[]> => {
      const keys: string[] = [];
      for (const one of await listAllSeries(dependencies)) {
        let cursor: string | undefined;
        do {
          const batch = await dependencies.revisions.listPages({ series: one, cursor, limit: 500 });
          keys.push(...batch.items.map((item) => item.page));
          cursor = batch.cursor;
        } while (cursor);
      }
      return keys;
    };
    const pageKeys = await listEverything();
    const readAll = async () => {
      const limit = pLimit(8);
      await Promise.all(
        pageKeys.map((page) =>
          limit(async () => {
            const latest = await dependencies.revisions.latestRevision(page);
            if (latest) await dependencies.snapshots.getDocument(latest.documentKey);
          }),
        ),
      );
    };
    const audit = async () => void (await auditStoredTerms(dependencies, { terms: TERMS, by: 'edition' }));

    // Warm every path once.
    await audit();
    const readMs = await timeMedianAsync(runs, readAll);
    const auditMs = await timeMedianAsync(runs, audit);
    const listMs = await timeMedianAsync(runs, async () => void (await listEverything()));
    // A long-lived process's repeat audit: the counts cache filled by the warm-up, no Document read again.
    const cache = new AuditCountsCache();
    await auditStoredTerms(dependencies, { terms: TERMS, by: 'edition' }, { cache });
    const cachedMs = await timeMedianAsync(runs, async () => void (await auditStoredTerms(dependencies, { terms: TERMS, by: 'edition' }, { cache })));
    rows.push({ suite: 'store-audit', case: `store built: ${pages} pages, ${series.length} series`, ms: round(buildMs) });
    rows.push({ suite: 'store-audit', case: `read the latest Document of all ${pageKeys.length} pages (reference)`, ms: round(readMs) });
    rows.push({
      suite: 'store-audit',
      case: `audit ${TERMS.join(',')} by edition, whole store`,
      ms: round(auditMs),
      x_read: round(auditMs / readMs, 3),
    });
    rows.push({ suite: 'store-audit', case: 'the same audit, counts cached in process', ms: round(cachedMs), x_read: round(cachedMs / readMs, 3) });
    rows.push({ suite: 'store-audit', case: 'list every series and its pages', ms: round(listMs), x_read: round(listMs / readMs, 3) });
    const perPage = auditMs / Math.max(pageKeys.length, 1);
    return {
      suite: 'store-audit',
      rows,
      summary: {
        pages: pageKeys.length,
        series: series.length,
        read_all_ms: round(readMs),
        audit_ms: round(auditMs),
        audit_x_read: round(auditMs / readMs, 3),
        audit_ms_projected_1750_pages: round(perPage * 1750),
        audit_cached_ms: round(cachedMs),
        list_ms: round(listMs),
        target: 'audit of ~1,750 pages <= 10000 ms',
        met: perPage * 1750 <= 10_000,
      },
    };
  } finally {
    await store.close();
  }
}
