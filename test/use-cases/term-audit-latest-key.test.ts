import type { PageRecord } from '../../shared/domain/page-records.js';
import { NotFoundError } from '../../shared/errors.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { auditStoredTerms, type StoredAuditRequest } from '../../shared/use-cases/queries/term-audit.js';
import { hrrDocument, pageOf } from '../provenance/provenance-fixture.js';
import { startProvenanceStore, type ProvenanceStoreFixture } from '../provenance/provenance-store-fixture.js';
import { CORPUS_COUNTRIES } from '../support/corpus.js';

/**
 * The page item names its latest revision (seq and Document key), kept right by recordRevision: a new revision moves
 * it, a recording resumed after a crash (the duplicate delivery) completes it, a check finishing out of order never
 * moves it back. The whole-store audit then reads no revision, with the table of the revision-query path (a store
 * recorded before the page item carried it), and a page that still lacks it is read the older way.
 * dynalite + s3rver, the real adapters; the six sample countries' 2023 and 2024 editions, each 2024 page recorded
 * twice (first without its first section, then as published), so a stale pointer would change the counts.
 */
describe('stored term audit from the latest Document key on the page item', () => {
  let store: ProvenanceStoreFixture;
  let queries = 0;
  const years = [2023, 2024];
  const pages = CORPUS_COUNTRIES.length * years.length;
  const request: StoredAuditRequest = { terms: ['torture', 'journalist', 'election'], by: 'section' };

  const cut = (country: (typeof CORPUS_COUNTRIES)[number]) => {
    const document = hrrDocument(country, 2024);
    return { ...document, sections: document.sections.slice(1) };
  };

  beforeAll(async () => {
    store = await startProvenanceStore();
    for (const country of CORPUS_COUNTRIES) {
      await store.record(country, 2023);
      await store.record(country, 2024, cut(country));
      await store.record(country, 2024);
    }
    const revisions = store.dependencies.revisions;
    const latestRevision = revisions.latestRevision.bind(revisions);
    revisions.latestRevision = (page: string) => {
      queries++;
      return latestRevision(page);
    };
  });
  afterAll(() => store?.close());

  const page = async (country: string, year: number): Promise<PageRecord> => (await store.dependencies.revisions.getPage(pageOf(country, year)))!;
  /** The page item as a store recorded before it carried the latest revision's key. */
  const forget = async (record: PageRecord) => {
    const { latestRevisionSeq: _seq, latestDocumentKey: _key, ...older } = record;
    await store.dependencies.revisions.putPage(older);
  };

  it('points each page at its latest revision as it is recorded', async () => {
    for (const country of CORPUS_COUNTRIES) {
      for (const year of years) {
        const record = await page(country, year);
        const latest = (await store.dependencies.revisions.latestRevision(record.page))!;
        expect(latest.seq).toBe(year === 2024 ? 2 : 1);
        expect({ seq: record.latestRevisionSeq, key: record.latestDocumentKey }).toEqual({ seq: latest.seq, key: latest.documentKey });
      }
    }
  });

  it('audits the whole store with no revision query, the table of the revision-query path', async () => {
    queries = 0;
    const fromPageItems = await auditStoredTerms(store.dependencies, request);
    expect(queries).toBe(0);
    const originals: PageRecord[] = [];
    for (const country of CORPUS_COUNTRIES) for (const year of years) originals.push(await page(country, year));
    for (const record of originals) await forget(record);
    queries = 0;
    const reference = await auditStoredTerms(store.dependencies, request, { termIndex: false });
    expect(queries).toBe(pages);
    expect(fromPageItems).toEqual(reference);
    expect(reference.rows.some((row) => row.edition === 2024 && Object.values(row.counts).some((count) => count > 0))).toBe(true);
    // A duplicate delivery of each latest Document gives the older store's pages their pointer (the resume path).
    for (const record of originals) {
      const latest = (await store.dependencies.revisions.latestRevision(record.page))!;
      const outcome = await recordRevision(store.dependencies, { page: record.page, documentKey: latest.documentKey, capturedAt: latest.capturedAt });
      expect(outcome).toEqual({ outcome: 'duplicate', seq: latest.seq });
    }
    for (const record of originals) {
      expect((await store.dependencies.revisions.getPage(record.page))!.latestDocumentKey).toBe(record.latestDocumentKey);
    }
    queries = 0;
    expect(await auditStoredTerms(store.dependencies, request)).toEqual(reference);
    expect(queries).toBe(0);
  });

  it('reads a page without the key the older way, beside pages with it', async () => {
    const country = CORPUS_COUNTRIES[0]!;
    const reference = await auditStoredTerms(store.dependencies, request);
    await forget(await page(country, 2024));
    queries = 0;
    expect(await auditStoredTerms(store.dependencies, request)).toEqual(reference);
    expect(queries).toBe(1);
  });

  it('completes the pointer when a recording resumes after a crash between the revision and the check', async () => {
    const country = CORPUS_COUNTRIES[1]!;
    const { revisions, snapshots } = store.dependencies;
    const before = await page(country, 2023);
    const reference = await auditStoredTerms(store.dependencies, request);
    const document = { ...hrrDocument(country, 2023), sections: hrrDocument(country, 2023).sections.slice(2) };
    const stored = await snapshots.putDocument(before.page, document);
    const recordCheck = revisions.recordCheck;
    revisions.recordCheck = () => Promise.reject(new Error('crashed after the revision put'));
    const capturedAt = '2025-06-01T00:00:00.000Z';
    try {
      await expect(recordRevision(store.dependencies, { page: before.page, documentKey: stored.key, capturedAt })).rejects.toThrow('crashed');
    } finally {
      revisions.recordCheck = recordCheck;
    }
    // The revision is there; the page item still names the one before (until the delivery is retried).
    expect((await revisions.latestRevision(before.page))!.seq).toBe(2);
    expect((await page(country, 2023)).latestRevisionSeq).toBe(1);
    const resumed = await recordRevision(store.dependencies, { page: before.page, documentKey: stored.key, capturedAt });
    expect(resumed).toEqual({ outcome: 'duplicate', seq: 2 });
    const after = await page(country, 2023);
    expect({ seq: after.latestRevisionSeq, key: after.latestDocumentKey }).toEqual({ seq: 2, key: stored.key });
    const audited = await auditStoredTerms(store.dependencies, request);
    expect(audited).not.toEqual(reference);
    expect(audited).toEqual(await auditStoredTerms(store.dependencies, request, { termIndex: false }));
  });

  it('never moves the pointer back to an older revision, and refuses an unknown page', async () => {
    const record = await page(CORPUS_COUNTRIES[2]!, 2024);
    const first = (await store.dependencies.revisions.getRevision(record.page, 1))!;
    const checkedAt = '2025-07-01T00:00:00.000Z';
    await store.dependencies.revisions.recordCheck(record.page, { checkedAt, latestRevision: { seq: 1, documentKey: first.documentKey } });
    const after = await page(CORPUS_COUNTRIES[2]!, 2024);
    expect(after.lastCheckedAt).toBe(checkedAt);
    expect({ seq: after.latestRevisionSeq, key: after.latestDocumentKey }).toEqual({ seq: 2, key: record.latestDocumentKey });
    await expect(
      store.dependencies.revisions.recordCheck('hrr.nowhere.2024', { checkedAt, latestRevision: { seq: 1, documentKey: first.documentKey } }),
    ).rejects.toThrow(NotFoundError);
  });
});
