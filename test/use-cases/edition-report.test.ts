import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import { compareEditions } from '../../shared/use-cases/queries/compare-editions.js';
import { buildEditionReport } from '../../shared/use-cases/queries/edition-report.js';
import { hrrDocument } from '../provenance/provenance-fixture.js';
import { startProvenanceStore, type ProvenanceStoreFixture } from '../provenance/provenance-store-fixture.js';
import { CORPUS_COUNTRIES, type CorpusCountry } from '../support/corpus.js';
import { SAMPLE_SERIES_FIGURES_2023_2024 } from '../support/edition-report-figures.js';

/**
 * The edition report from the store (dynalite + s3rver, the real adapters): the six countries' 2023 and 2024
 * editions, plus a series with one edition. Each series' figures agree with `compare` of the same pair; the report is
 * cached under the hash of its inputs and recomputed when one changes; bad requests are refused and store nothing.
 */
describe('edition report use case', () => {
  let store: ProvenanceStoreFixture;
  const reportsStored = async (): Promise<string[]> => {
    const keys: string[] = [];
    for await (const object of (store.dependencies.snapshots as S3SnapshotStore).listPrefix('reports/')) keys.push(object.key);
    return keys;
  };

  beforeAll(async () => {
    store = await startProvenanceStore();
    for (const country of CORPUS_COUNTRIES) for (const year of [2023, 2024]) await store.record(country, year);
    await store.record('atlantis' as CorpusCountry, 2024, hrrDocument('tuvalu', 2024));
  });
  afterAll(() => store?.close());

  it('reports every series with both editions, as compare aligns each pair, and caches the result', async () => {
    expect(await reportsStored()).toEqual([]);
    const first = await buildEditionReport(store.dependencies, { report: 'hrr', from: 2023, to: 2024 });
    expect(first.cached).toBe(false);
    expect(first.report.series.map((row) => [row.series, row.wordsFrom, row.wordsTo, row.ratio])).toEqual(SAMPLE_SERIES_FIGURES_2023_2024);
    // The same sections removed, added and renamed as `compare` shows for the series.
    const comparison = await compareEditions(store.dependencies, { series: 'hrr/russia', from: 2023, to: 2024 });
    const russia = first.report.series.find((row) => row.series === 'hrr/russia')!;
    expect(russia.removed).toBe(comparison.diff.summary.removed);
    expect(russia.added).toBe(comparison.diff.summary.added);
    expect(russia.renamed).toBe(comparison.diff.sections.filter((section) => section.kinds.includes('renamed')).length);
    const stored = await reportsStored();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^reports\/hrr\/2023-2024\/[0-9a-f]{64}\.json\.gz$/);

    const second = await buildEditionReport(store.dependencies, { report: 'hrr', from: 2023, to: 2024 });
    expect(second).toEqual({ report: first.report, cached: true });
  });

  it('agrees with the section lines Athena reads: the sample SQL sums of wordcount per series and edition', async () => {
    // What the query of docs/edition-report.md computes, over the same objects: sum(wordcount) per series, edition and
    // page (the atlantis page holds Tuvalu's Document, so its lines sit in Tuvalu's partition: a row of its own).
    const words = new Map<string, number>();
    for await (const object of (store.dependencies.snapshots as S3SnapshotStore).listPrefix('sections/')) {
      const [, series, edition, page] = /^sections\/series=([^/]+)\/edition=([^/]+)\/(.+)\.jsonl$/.exec(object.key)!;
      const body = await (await store.aws.s3.send(new GetObjectCommand({ Bucket: store.aws.bucketName, Key: object.key }))).Body!.transformToString();
      const lines = body
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { wordCount: number; page: string });
      expect(lines.every((line) => line.page === page)).toBe(true);
      words.set(
        `${series!.replace('~', '/')} ${edition} ${page}`,
        lines.reduce((sum, line) => sum + line.wordCount, 0),
      );
    }
    expect(words.get('hrr/tuvalu 2024 hrr.atlantis.2024')).toBe(842);
    const { report } = await buildEditionReport(store.dependencies, { report: 'hrr', from: 2023, to: 2024 });
    for (const row of report.series) {
      const country = row.series.slice('hrr/'.length);
      const sum = (edition: number) => words.get(`${row.series} ${edition} hrr.${country}.${edition}`);
      expect([sum(2023), sum(2024)]).toEqual([row.wordsFrom, row.wordsTo]);
    }
  });

  it('recomputes the report when an input changes, and replaces the stale one', async () => {
    const before = await reportsStored();
    const document = structuredClone(hrrDocument('tuvalu', 2024));
    const press = document.sections.find((section) => section.heading === 'Freedom of the Press')!;
    press.paragraphs[0]!.text += ' Observers reported one new case of pressure on a broadcaster.';
    await store.record('tuvalu', 2024, document);
    const again = await buildEditionReport(store.dependencies, { report: 'hrr', from: 2023, to: 2024 });
    expect(again.cached).toBe(false);
    expect(again.report.series.find((row) => row.series === 'hrr/tuvalu')!.wordsTo).toBe(842 + 10);
    const after = await reportsStored();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
  });

  it('refuses bad requests with a named error, and stores nothing for them', async () => {
    const stored = await reportsStored();
    const refused = async (request: { report: string; from: number; to: number }) => {
      try {
        await buildEditionReport(store.dependencies, request);
      } catch (error) {
        return error as Error;
      }
      throw new Error(`not refused: ${JSON.stringify(request)}`);
    };
    const missing = await refused({ report: 'hrr', from: 2019, to: 2024 });
    expect(missing).toBeInstanceOf(ValidationError);
    expect(missing.message).toBe('No series of report hrr has edition 2019 captured');
    expect(await refused({ report: 'hrr', from: 2024, to: 2023 })).toBeInstanceOf(ValidationError);
    expect(await refused({ report: 'hrr/atlantis', from: 2023, to: 2024 })).toBeInstanceOf(ValidationError);
    expect(await refused({ report: 'nope', from: 2023, to: 2024 })).toBeInstanceOf(NotFoundError);
    expect(await reportsStored()).toEqual(stored);
  });
});
