import type { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import { compareEditions } from '../../shared/use-cases/queries/compare-editions.js';
import { buildEditionMap } from '../../shared/use-cases/queries/edition-map.js';
import { hrrDocument } from '../provenance/provenance-fixture.js';
import { startProvenanceStore, type ProvenanceStoreFixture } from '../provenance/provenance-store-fixture.js';
import { CORPUS_COUNTRIES, type CorpusCountry } from '../support/corpus.js';

/**
 * The edition map from the store (dynalite + s3rver, the real adapters): the six countries' 2023 and 2024 editions
 * recorded through recordRevision, plus a series with one edition. The map is cached under the hash of its inputs,
 * recomputed when one changes; bad requests are refused and store nothing; compare uses the map as a prior.
 */
describe('edition map use case', () => {
  let store: ProvenanceStoreFixture;
  const mapsStored = async (): Promise<string[]> => {
    const keys: string[] = [];
    for await (const object of (store.dependencies.snapshots as S3SnapshotStore).listPrefix('maps/')) keys.push(object.key);
    return keys;
  };

  beforeAll(async () => {
    store = await startProvenanceStore();
    for (const country of CORPUS_COUNTRIES) for (const year of [2023, 2024]) await store.record(country, year);
    // A series with one edition only (a country the sample lacks, with Tuvalu's page as its text).
    await store.record('atlantis' as CorpusCountry, 2024, hrrDocument('tuvalu', 2024));
  });
  afterAll(() => store?.close());

  it('learns the map from every series with both editions, and caches it under the hash of its inputs', async () => {
    expect(await mapsStored()).toEqual([]);
    const first = await buildEditionMap(store.dependencies, { report: 'hrr', from: 2023, to: 2024 });
    expect(first.cached).toBe(false);
    expect(first.map.series).toEqual(CORPUS_COUNTRIES.map((country) => `hrr/${country}`).sort());
    const press = first.map.rows.find(
      (row) => row.from.heading === 'Freedom of Expression, Including for Members of the Press and Other Media' && row.to,
    );
    expect(press).toMatchObject({ kind: 'renamed', to: { heading: 'Freedom of the Press' }, support: 6, present: 6, confidence: 1 });
    const stored = await mapsStored();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^maps\/hrr\/2023-2024\/[0-9a-f]{64}\.json\.gz$/);

    const second = await buildEditionMap(store.dependencies, { report: 'hrr', from: 2023, to: 2024 });
    expect(second).toEqual({ map: first.map, cached: true });
  });

  it('recomputes the map when an input changes, and replaces the stale one', async () => {
    const before = await mapsStored();
    // A new revision of Tuvalu 2024: a sentence added to the press section.
    const document = structuredClone(hrrDocument('tuvalu', 2024));
    const press = document.sections.find((section) => section.heading === 'Freedom of the Press')!;
    press.paragraphs[0]!.text += ' Observers reported one new case of pressure on a broadcaster.';
    await store.record('tuvalu', 2024, document);
    const again = await buildEditionMap(store.dependencies, { report: 'hrr', from: 2023, to: 2024 });
    expect(again.cached).toBe(false);
    const after = await mapsStored();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
  });

  it('works for one series with both editions: the map is that series’ own alignment', async () => {
    const { map } = await buildEditionMap(store.dependencies, { report: 'hrr/kazakhstan', from: 2023, to: 2024 });
    expect(map.series).toEqual(['hrr/kazakhstan']);
    expect(map.rows.every((row) => row.present === 1 && row.support === 1)).toBe(true);
  });

  it('refuses bad requests with a named error, and stores nothing for them', async () => {
    const stored = await mapsStored();
    const refused = async (request: { report: string; from: number; to: number }) => {
      try {
        await buildEditionMap(store.dependencies, request);
      } catch (error) {
        return error as Error;
      }
      throw new Error(`not refused: ${JSON.stringify(request)}`);
    };
    const reversed = await refused({ report: 'hrr', from: 2024, to: 2023 });
    expect(reversed).toBeInstanceOf(ValidationError);
    expect(reversed.message).toMatch(/^from: must be an earlier edition than to/);
    expect(await refused({ report: 'hrr', from: 2023, to: 2023 })).toBeInstanceOf(ValidationError);
    const missing = await refused({ report: 'hrr', from: 2019, to: 2024 });
    expect(missing).toBeInstanceOf(ValidationError);
    expect(missing.message).toBe('No series of report hrr has edition 2019 captured');
    const single = await refused({ report: 'hrr/atlantis', from: 2023, to: 2024 });
    expect(single).toBeInstanceOf(ValidationError);
    expect(single.message).toBe('Series hrr/atlantis has only edition 2024 captured: an edition map needs both 2023 and 2024');
    expect(await refused({ report: 'nope', from: 2023, to: 2024 })).toBeInstanceOf(NotFoundError);
    expect(await mapsStored()).toEqual(stored);
  });

  it('serves compare as a prior learned from the other series: Russia’s Antisemitism section is paired', async () => {
    const comparison = await compareEditions(store.dependencies, { series: 'hrr/russia', from: 2023, to: 2024 });
    expect(comparison.editionMap).toEqual({ report: 'hrr', series: 5 });
    const antisemitism = comparison.diff.sections.find((section) => section.previousHeading === 'Antisemitism');
    expect(antisemitism).toMatchObject({ heading: 'Acts of Antisemitism and Antisemitic Incitement', kinds: ['renamed', 'moved', 'modified'] });
    expect(antisemitism!.alignment!.prior).toBeGreaterThanOrEqual(0.5);
    // A reversed comparison has no map to learn from: the pages' own evidence only.
    const reversed = await compareEditions(store.dependencies, { series: 'hrr/russia', from: 2024, to: 2023 });
    expect(reversed.editionMap).toBeUndefined();
  });
});
