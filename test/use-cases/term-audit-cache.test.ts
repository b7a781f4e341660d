import { auditTerms } from '../../shared/domain/audit.js';
import type { Document } from '../../shared/domain/document.js';
import { ValidationError } from '../../shared/errors.js';
import { AuditCountsCache, auditStoredTerms, type StoredAuditRequest } from '../../shared/use-cases/queries/term-audit.js';
import { hrrDocument } from '../provenance/provenance-fixture.js';
import { startProvenanceStore, type ProvenanceStoreFixture } from '../provenance/provenance-store-fixture.js';
import { CORPUS_COUNTRIES } from '../support/corpus.js';

/**
 * The term audit of a store (dynalite + s3rver, the real adapters; the six sample countries' 2022-2024 editions)
 * through the per-Document counts cache gives exactly the table of the uncached path and of auditTerms over the
 * Documents themselves; a repeat audit reads no Document, a new term reads each once more. (Counted in the Documents,
 * not from their term indexes: term-index-audit.test.ts covers those.)
 */
describe('stored term audit with the counts cache', () => {
  let store: ProvenanceStoreFixture;
  let reads = 0;
  const years = [2022, 2023, 2024];

  beforeAll(async () => {
    store = await startProvenanceStore();
    for (const country of CORPUS_COUNTRIES) for (const year of years) await store.record(country, year);
    const snapshots = store.dependencies.snapshots;
    const getDocument = snapshots.getDocument.bind(snapshots);
    snapshots.getDocument = (key: string) => {
      reads++;
      return getDocument(key);
    };
  });
  afterAll(() => store?.close());

  const documents = (): Document[] =>
    CORPUS_COUNTRIES.flatMap((country) => years.map((year) => ({ ...hrrDocument(country, year), series: `hrr/${country}` })));

  const requests: StoredAuditRequest[] = [
    { terms: ['torture', 'journalist', 'Election'], by: 'edition' },
    { terms: ['torture', 'women', 'torture'], by: 'section', wholeWord: true },
    { terms: ['women', 'press', 'corruption'], by: 'section' },
  ];

  it.each(requests)('gives the uncached table, from the cache too: %j', async (request) => {
    const uncached = await auditStoredTerms(store.dependencies, request);
    const cache = new AuditCountsCache();
    reads = 0;
    const filling = await auditStoredTerms(store.dependencies, request, { cache, termIndex: false });
    expect(reads).toBe(CORPUS_COUNTRIES.length * years.length);
    reads = 0;
    const cached = await auditStoredTerms(store.dependencies, request, { cache, termIndex: false });
    expect(reads).toBe(0);
    expect(filling).toEqual(uncached);
    expect(cached).toEqual(uncached);
    expect(uncached.rows.length).toBeGreaterThan(0);
    expect(uncached.rows.some((row) => Object.values(row.counts).some((count) => count > 0))).toBe(true);
    // The same rows as auditTerms over the Documents (their order within an edition follows the store's page order).
    const direct = auditTerms(documents(), request.terms, { by: request.by, wholeWord: request.wholeWord ?? false });
    const key = (row: (typeof direct.rows)[number]) => `${row.edition}\u0000${row.sectionKey ?? ''}`;
    const strip = (rows: typeof direct.rows) =>
      rows.map(({ series, ...rest }) => ({ ...rest, series: [...(series ?? [])].sort() })).sort((a, b) => key(a).localeCompare(key(b)));
    expect(strip(uncached.rows)).toEqual(strip(direct.rows));
  });

  it('reads each Document once more for a term not yet cached, or cached under the other matching mode only', async () => {
    const cache = new AuditCountsCache();
    await auditStoredTerms(store.dependencies, { terms: ['torture'], by: 'edition' }, { cache, termIndex: false });
    reads = 0;
    const mixed = await auditStoredTerms(store.dependencies, { terms: ['torture', 'prison'], by: 'edition' }, { cache, termIndex: false });
    expect(reads).toBe(CORPUS_COUNTRIES.length * years.length);
    expect(mixed).toEqual(await auditStoredTerms(store.dependencies, { terms: ['torture', 'prison'], by: 'edition' }));
    reads = 0;
    const whole = await auditStoredTerms(store.dependencies, { terms: ['torture'], by: 'edition', wholeWord: true }, { cache, termIndex: false });
    expect(reads).toBe(CORPUS_COUNTRIES.length * years.length);
    expect(whole).toEqual(await auditStoredTerms(store.dependencies, { terms: ['torture'], by: 'edition', wholeWord: true }));
  });

  it('drops the least recently used entry beyond its size', async () => {
    const cache = new AuditCountsCache(5);
    await auditStoredTerms(store.dependencies, { terms: ['torture'], by: 'edition' }, { cache, termIndex: false });
    expect(cache.size).toBe(5);
  });

  it('refuses a blank term before reading anything', async () => {
    reads = 0;
    await expect(
      auditStoredTerms(store.dependencies, { terms: ['  '], by: 'edition' }, { cache: new AuditCountsCache(), termIndex: false }),
    ).rejects.toThrow(ValidationError);
    expect(reads).toBe(0);
  });
});
