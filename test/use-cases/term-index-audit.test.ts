import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { termIndexKey } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { buildTermIndex, parseTermIndex } from '../../shared/domain/term-index.js';
import { ValidationError } from '../../shared/errors.js';
import type { RevisionRecord } from '../../shared/domain/revision-records.js';
import { auditStoredTerms, type StoredAuditRequest } from '../../shared/use-cases/queries/term-audit.js';
import { hrrDocument } from '../provenance/provenance-fixture.js';
import { startProvenanceStore, type ProvenanceStoreFixture } from '../provenance/provenance-store-fixture.js';
import { CORPUS_COUNTRIES } from '../support/corpus.js';

/**
 * Whole-store audits from the stored per-Document term indexes (dynalite + s3rver, the real adapters; the six sample
 * countries' 2022-2024 editions): recording a revision stores its index; the audit from the indexes gives exactly the
 * table counted in the Documents, reading no Document for one-word terms; a store without indexes (recorded before
 * they existed) or with a damaged one is indexed as it is audited, with the same table.
 */
describe('stored term audit from term indexes', () => {
  let store: ProvenanceStoreFixture;
  let reads = 0;
  const years = [2022, 2023, 2024];
  const revisions: RevisionRecord[] = [];

  beforeAll(async () => {
    store = await startProvenanceStore();
    for (const country of CORPUS_COUNTRIES) for (const year of years) revisions.push(await store.record(country, year));
    const snapshots = store.dependencies.snapshots;
    const getDocument = snapshots.getDocument.bind(snapshots);
    snapshots.getDocument = (key: string) => {
      reads++;
      return getDocument(key);
    };
  });
  afterAll(() => store?.close());

  const pages = CORPUS_COUNTRIES.length * years.length;
  const s3 = () => store.aws.s3;
  const bucket = () => store.aws.bucketName;
  const storedIndexKeys = async () =>
    ((await s3().send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: 'terms/' }))).Contents ?? []).map((object) => object.Key!).sort();

  it('keys an index by its Document key, and refuses any other key', () => {
    const key = revisions[0]!.documentKey;
    expect(termIndexKey(key)).toBe(key.replace(/^docs\//, 'terms/').replace(/\.json$/, '.json.gz'));
    for (const bad of ['raw/x/abc.html.gz', `docs/../${'a'.repeat(64)}.json`, 'docs/p/short.json'])
      expect(() => termIndexKey(bad)).toThrow(ValidationError);
  });

  it('stores the index of each recorded revision, beside its Document', async () => {
    expect(await storedIndexKeys()).toEqual(revisions.map((revision) => termIndexKey(revision.documentKey)).sort());
    const revision = revisions[0]!;
    const [country, year] = [CORPUS_COUNTRIES[0]!, years[0]!];
    expect(parseTermIndex(await store.dependencies.snapshots.getTermIndex(revision.documentKey))).toEqual(buildTermIndex(hrrDocument(country, year)));
  });

  const requests: StoredAuditRequest[] = [
    { terms: ['torture', 'journalist', 'Election'], by: 'edition' },
    { terms: ['torture', 'women', 'torture'], by: 'section', wholeWord: true },
    { terms: ['Women', 'press', 'corruption', 'ion'], by: 'section' },
    { terms: ['torture', 'human rights', 'so-called', 'prison'], by: 'section' },
    { terms: ["women's", 'journalist'], by: 'edition', wholeWord: true, series: `hrr/${CORPUS_COUNTRIES[1]}` },
  ];

  it.each(requests)('gives the table counted in the Documents: %j', async (request) => {
    const reference = await auditStoredTerms(store.dependencies, request, { termIndex: false });
    reads = 0;
    const indexed = await auditStoredTerms(store.dependencies, request);
    expect(indexed).toEqual(reference);
    expect(reference.rows.some((row) => Object.values(row.counts).some((count) => count > 0))).toBe(true);
    // One-word terms come from the indexes alone; a phrase (or apostrophe, hyphen) is counted in each Document.
    const audited = request.series ? years.length : pages;
    expect(reads).toBe(request.terms.every((term) => /^\p{L}+$/u.test(term)) ? 0 : audited);
  });

  it('indexes a store recorded before indexes existed as it audits it, then reads no Document', async () => {
    for (const key of await storedIndexKeys()) await s3().send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
    const request: StoredAuditRequest = { terms: ['torture', 'election'], by: 'section' };
    const reference = await auditStoredTerms(store.dependencies, request, { termIndex: false });
    reads = 0;
    expect(await auditStoredTerms(store.dependencies, request)).toEqual(reference);
    expect(reads).toBe(pages);
    expect(await storedIndexKeys()).toHaveLength(pages);
    reads = 0;
    expect(await auditStoredTerms(store.dependencies, request)).toEqual(reference);
    expect(reads).toBe(0);
  });

  it('rebuilds a damaged or outdated index from its Document', async () => {
    const [damaged, outdated] = [revisions[0]!, revisions[1]!];
    await s3().send(new PutObjectCommand({ Bucket: bucket(), Key: termIndexKey(damaged.documentKey), Body: 'not gzip', ContentEncoding: 'gzip' }));
    const old = { ...buildTermIndex(hrrDocument(CORPUS_COUNTRIES[0]!, years[1]!)), version: 0 };
    const { gzipSync } = await import('node:zlib');
    await s3().send(new PutObjectCommand({ Bucket: bucket(), Key: termIndexKey(outdated.documentKey), Body: gzipSync(JSON.stringify(old)) }));
    const request: StoredAuditRequest = { terms: ['torture'], by: 'edition' };
    reads = 0;
    expect(await auditStoredTerms(store.dependencies, request)).toEqual(await auditStoredTerms(store.dependencies, request, { termIndex: false }));
    expect(reads).toBe(2 + pages);
    reads = 0;
    await auditStoredTerms(store.dependencies, request);
    expect(reads).toBe(0);
    expect(parseTermIndex(await store.dependencies.snapshots.getTermIndex(outdated.documentKey))).toEqual(
      buildTermIndex(hrrDocument(CORPUS_COUNTRIES[0]!, years[1]!)),
    );
  });
});
