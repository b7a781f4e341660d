import { countRequests, type RequestCounter } from '../../bench/request-counter.js';
import { applyEdits, insertSentence } from '../../local/demo/known-edits.js';
import { extract } from '../../shared/domain/extract.js';
import type { PageRecord } from '../../shared/domain/page-records.js';
import type { ProvenanceIndexData } from '../../shared/domain/provenance/provenance-index.js';
import { provenanceStatus } from '../../shared/use-cases/provenance/provenance-queries.js';
import { unvouchedPages } from '../../shared/use-cases/provenance/provenance-sync.js';
import { updateProvenanceAfterRevision } from '../../shared/use-cases/provenance/update-provenance.js';
import { loadCorpusPage } from '../support/corpus.js';
import { hrrUrl } from './provenance-fixture.js';
import { startProvenanceStore, type ProvenanceStoreFixture } from './provenance-store-fixture.js';

/**
 * The stream consumer's update given the whole revision (the stream image) lists only the revisions of the pages the
 * stored index cannot vouch for: in the steady state none, one listing of the series' pages instead of a revision
 * Query per page. Proved by counting the SDK's requests (dynalite + s3rver, the real adapters), and by the index it
 * writes being the one the full listing writes; a lost update is still repaired by the next one.
 */
const SERIES = 'hrr/tuvalu';
const SCOPE = `series:${SERIES}`;
const YEARS = [2019, 2020, 2021, 2022, 2023] as const;
let store: ProvenanceStoreFixture;
let counter: RequestCounter;

beforeAll(async () => {
  store = await startProvenanceStore();
  counter = countRequests({ dynamodb: store.aws.dynamodb, s3: store.aws.s3 });
  for (const year of YEARS) await updateProvenanceAfterRevision(store.dependencies, await store.record('tuvalu', year));
});
afterAll(async () => {
  counter?.detach();
  await store?.close();
});

const edited = (year: number, sentence: string) =>
  extract(applyEdits(loadCorpusPage('tuvalu', year), [insertSentence('Disappearance', 0, sentence)]), { url: hrrUrl('tuvalu', year) });

async function storedIndex(): Promise<{ generation: number; data: ProvenanceIndexData }> {
  const stored = (await store.dependencies.snapshots.getProvenanceIndex(SCOPE))!;
  return { generation: stored.generation, data: stored.data as ProvenanceIndexData };
}

describe('the update given the recorded revision', () => {
  test('steady state: no revision Query; the index written is the one the full listing writes', async () => {
    const revision = await store.record('tuvalu', 2021, edited(2021, 'A sentence added by the second revision of 2021.'));
    expect(revision.seq).toBe(2);
    const before = await storedIndex();

    counter.reset();
    expect(await updateProvenanceAfterRevision(store.dependencies, revision)).toEqual({ scope: SCOPE, added: 1, generation: before.generation + 1 });
    // GetItem: the page, its series' lineage, the lineage again for the page listing; Query: the series' pages (gsi1).
    // S3: the index read (the Document in the adapter's cache from the recording), the new generation's create, the
    // listing and delete of the generation before last.
    expect(counter.counts().dynamodb).toEqual({ GetItem: 3, Query: 1 });
    const narrowed = await storedIndex();

    // The same update from the page alone (every revision listed), on the index as it was before: the same index.
    await store.dependencies.snapshots.putProvenanceIndex(SCOPE, narrowed.generation + 1, before.data);
    counter.reset();
    expect(await updateProvenanceAfterRevision(store.dependencies, { page: revision.page })).toEqual({
      scope: SCOPE,
      added: 1,
      generation: narrowed.generation + 2,
    });
    // The same GetItems, and a revision Query for each of the five pages.
    expect(counter.counts().dynamodb).toEqual({ GetItem: 3, Query: 1 + YEARS.length });
    expect((await storedIndex()).data).toEqual(narrowed.data);
  });

  test('a duplicate delivery of the record reads and writes nothing more than the listing of pages', async () => {
    const revision = (await store.dependencies.revisions.latestRevision('hrr.tuvalu.2021'))!;
    const before = await storedIndex();
    counter.reset();
    expect(await updateProvenanceAfterRevision(store.dependencies, revision)).toEqual({ scope: SCOPE, added: 0, generation: before.generation });
    expect(counter.counts()).toEqual({ dynamodb: { GetItem: 3, Query: 1 }, s3: { GetObject: 1, ListObjectsV2: 1 } });
  });

  test("a lost update is repaired by the next update of another page: only the unvouched page's revisions are listed", async () => {
    // Recorded, but its update never runs (a stream record failed past its retries).
    const lost = await store.record('tuvalu', 2019, edited(2019, 'A sentence whose provenance update was lost.'));
    expect(await provenanceStatus(store.dependencies, { series: SERIES })).toMatchObject({ missing: [{ page: lost.page, seq: 2, edition: 2019 }] });

    const next = await store.record('tuvalu', 2023, edited(2023, 'A sentence recorded after the lost one.'));
    counter.reset();
    expect(await updateProvenanceAfterRevision(store.dependencies, next)).toMatchObject({ scope: SCOPE, added: 2 });
    // 2019's page item says latest revision 2, which the index lacks: its revisions are listed (one Query), no other page's.
    expect(counter.counts().dynamodb).toEqual({ GetItem: 3, Query: 2 });
    expect(await provenanceStatus(store.dependencies, { series: SERIES })).toMatchObject({ missing: [], indexedVersions: YEARS.length + 3 });
  });
});

describe('unvouchedPages', () => {
  const page = (name: string, latestRevisionSeq?: number): PageRecord => ({
    page: name,
    url: `https://example.org/${name}`,
    profile: 'generic',
    createdAt: '2025-03-01T00:00:00.000Z',
    consecutiveFailures: 0,
    ...(latestRevisionSeq !== undefined ? { latestRevisionSeq } : {}),
  });
  const indexed = (versions: Array<[string, number]>) => ({ versions: versions.map(([name, seq]) => ({ page: name, seq })) }) as ProvenanceIndexData;
  const names = (pages: PageRecord[]) => pages.map((record) => record.page);

  test('a page is vouched for when the index holds every seq up to its latest, and, for the recorded page, every seq below it', () => {
    const index = indexed([
      ['a', 1],
      ['a', 2],
      ['b', 1],
      ['c', 2],
    ]);
    // b's latest is 2, the index holds 1 only; c lacks seq 1; d has no latest; a is whole.
    expect(names(unvouchedPages(index, [page('a', 2), page('b', 2), page('c', 2), page('d')], { page: 'a', seq: 3 }))).toEqual(['b', 'c', 'd']);
    // The recorded page: its page item may not say the recorded seq yet (the recording's last write comes later).
    expect(names(unvouchedPages(index, [page('a', 2)], { page: 'a', seq: 3 }))).toEqual([]);
    expect(names(unvouchedPages(index, [page('a')], { page: 'a', seq: 3 }))).toEqual([]);
    // A gap below the recorded seq, or a later revision the index lacks, is not vouched for.
    expect(names(unvouchedPages(index, [page('a', 2)], { page: 'a', seq: 4 }))).toEqual(['a']);
    expect(names(unvouchedPages(index, [page('a', 4)], { page: 'a', seq: 3 }))).toEqual(['a']);
    // A first revision needs nothing below it.
    expect(names(unvouchedPages(index, [page('e')], { page: 'e', seq: 1 }))).toEqual([]);
  });
});
