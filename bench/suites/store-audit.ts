import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { Document } from '../../shared/domain/document.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { listAllSeries } from '../../shared/use-cases/queries/series.js';
import { AuditCountsCache, auditStoredTerms } from '../../shared/use-cases/queries/term-audit.js';
import { hrrDocument } from '../../test/provenance/provenance-fixture.js';
import { startProvenanceStore } from '../../test/provenance/provenance-store-fixture.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS } from '../../test/support/corpus.js';
import { median, round, type BenchRow, type SuiteResult } from '../bench-kit.js';

async function storedBytes(s3: S3Client, bucket: string, prefix: string): Promise<number> {
  let bytes = 0;
  let token: string | undefined;
  do {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of listed.Contents ?? []) bytes += object.Size ?? 0;
    token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
  } while (token);
  return bytes;
}

const TERMS = ['torture', 'journalist', 'election'];

/**
 * Issue 13 §3, reading a large store: every sample page imported under `copies` synthetic series (the URL slug
 * rewritten, `<country>-s<k>`, so identity resolves to a distinct series), on dynalite and s3rver; recording each
 * revision stores its term index. Times the term audit of the whole store (`redline audit`, auditStoredTerms):
 * counted in the Documents (the path before term indexes), cold (no index stored: an older store, indexed as it is
 * audited), warm (from the stored indexes) and with the in-process counts cache; and one other whole-store query
 * (every series and its pages listed); beside the same run's reference: a plain read of the latest Document of every
 * page (8 at a time). Target: the audit of about 1,750 pages in at most 10 s.
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
    const request = { terms: TERMS, by: 'edition' as const };
    const uncached = async () => void (await auditStoredTerms(dependencies, request, { termIndex: false }));
    const audit = async () => void (await auditStoredTerms(dependencies, request));
    const s3 = store.aws.s3;
    const indexKeys = async (): Promise<string[]> => {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: store.aws.bucketName, Prefix: 'terms/', ContinuationToken: token }));
        keys.push(...(listed.Contents ?? []).map((object) => object.Key!));
        token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
      } while (token);
      return keys;
    };
    const indexesWritten = (await indexKeys()).length;
    // An older store (recorded before term indexes): the first audit builds and stores every page's index.
    const dropIndexes = async () => {
      const limit = pLimit(16);
      await Promise.all((await indexKeys()).map((key) => limit(() => s3.send(new DeleteObjectCommand({ Bucket: store.aws.bucketName, Key: key })))));
    };
    const timeOnce = async (work: () => Promise<void>) => {
      const start = performance.now();
      await work();
      return performance.now() - start;
    };

    // Warm every path once (s3rver's files in the page cache, the SDK clients' connections).
    await uncached();
    await audit();
    const cache = new AuditCountsCache();
    const cachedAudit = async () => void (await auditStoredTerms(dependencies, request, { cache }));
    await cachedAudit();
    // Rounds, each timing every path once, so that the machine's load weighs on all of them alike; medians.
    // Cold: an older store (recorded before term indexes), where the audit builds and stores every page's index.
    const times = {
      read: [] as number[],
      uncached: [] as number[],
      cold: [] as number[],
      warm: [] as number[],
      cached: [] as number[],
      list: [] as number[],
    };
    for (let run = 0; run < runs; run++) {
      times.read.push(await timeOnce(readAll));
      times.uncached.push(await timeOnce(uncached));
      await dropIndexes();
      times.cold.push(await timeOnce(audit));
      times.warm.push(await timeOnce(audit));
      times.cached.push(await timeOnce(cachedAudit));
      times.list.push(await timeOnce(async () => void (await listEverything())));
    }
    const [readMs, uncachedMs, coldMs, auditMs, cachedMs, listMs] = [
      times.read,
      times.uncached,
      times.cold,
      times.warm,
      times.cached,
      times.list,
    ].map(median) as [number, number, number, number, number, number];
    const indexBytes = await storedBytes(s3, store.aws.bucketName, 'terms/');
    const documentBytes = await storedBytes(s3, store.aws.bucketName, 'docs/');
    const row = (name: string, ms: number) => ({ suite: 'store-audit', case: name, ms: round(ms), x_read: round(ms / readMs, 3) });
    rows.push({
      suite: 'store-audit',
      case: `store built: ${pages} pages, ${series.length} series, ${indexesWritten} term indexes written`,
      ms: round(buildMs),
    });
    rows.push({ suite: 'store-audit', case: `read the latest Document of all ${pageKeys.length} pages (reference)`, ms: round(readMs) });
    rows.push(row(`audit ${TERMS.join(',')} by edition, whole store, counted in the Documents (before term indexes)`, uncachedMs));
    rows.push(row('the same audit, cold: no term index stored (an older store), each built and stored', coldMs));
    rows.push(row('the same audit, warm: from the stored term indexes', auditMs));
    rows.push(row('the same audit, counts cached in process', cachedMs));
    rows.push(row('list every series and its pages', listMs));
    const project = (ms: number) => round((ms / Math.max(pageKeys.length, 1)) * 1750);
    return {
      suite: 'store-audit',
      rows,
      summary: {
        pages: pageKeys.length,
        series: series.length,
        read_all_ms: round(readMs),
        audit_documents_ms: round(uncachedMs),
        audit_cold_ms: round(coldMs),
        audit_ms: round(auditMs),
        audit_x_read: round(auditMs / readMs, 3),
        audit_x_documents: round(auditMs / uncachedMs, 3),
        audit_documents_ms_projected_1750_pages: project(uncachedMs),
        audit_cold_ms_projected_1750_pages: project(coldMs),
        audit_ms_projected_1750_pages: project(auditMs),
        audit_cached_ms: round(cachedMs),
        list_ms: round(listMs),
        term_index_bytes_per_page: round(indexBytes / Math.max(indexesWritten, 1), 0),
        document_bytes_per_page: round(documentBytes / Math.max(pages, 1), 0),
        target: 'audit of ~1,750 pages <= 10000 ms',
        met: project(auditMs) <= 10_000,
      },
    };
  } finally {
    await store.close();
  }
}
