import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { compareEditions } from '../../shared/use-cases/queries/compare-editions.js';
import { buildEditionReport } from '../../shared/use-cases/queries/edition-report.js';
import { startProvenanceStore } from '../../test/provenance/provenance-store-fixture.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS } from '../../test/support/corpus.js';
import { median, round, timeMedianAsync, type BenchRow, type SuiteResult } from '../bench-kit.js';

/**
 * `redline editions report hrr --from 2023 --to 2024` (buildEditionReport) over the whole sample store (six
 * countries, nine editions each, on dynalite and s3rver): cold (the cached report and map deleted first), with the
 * map cached, and cached; time per series beside the same run's single-pair `compare` of each series (the
 * reference). Target: the cold report of the sample store in at most 5 s.
 */
export async function editionReportSuite(runs = 3): Promise<SuiteResult> {
  const rows: BenchRow[] = [];
  const store = await startProvenanceStore();
  const from = 2023;
  const to = 2024;
  try {
    for (const country of CORPUS_COUNTRIES) for (const year of CORPUS_YEARS) await store.record(country, year);
    const snapshots = store.dependencies.snapshots as S3SnapshotStore;
    const drop = async (prefix: string) => {
      for await (const object of snapshots.listPrefix(prefix))
        await store.aws.s3.send(new DeleteObjectCommand({ Bucket: store.aws.bucketName, Key: object.key }));
    };
    const request = { report: 'hrr', from, to };
    // Warm every code path once (and the map's cache for the compare reference, as a user's second request finds it).
    await buildEditionReport(store.dependencies, request);

    const compareTimes = new Map<string, number>();
    for (const country of CORPUS_COUNTRIES) {
      const series = `hrr/${country}`;
      compareTimes.set(series, await timeMedianAsync(runs, async () => void (await compareEditions(store.dependencies, { series, from, to }))));
    }
    const compareTotal = [...compareTimes.values()].reduce((sum, value) => sum + value, 0);

    const timed = async (prepare: () => Promise<void>, expectCached: boolean): Promise<number> => {
      const times: number[] = [];
      for (let run = 0; run < runs; run++) {
        await prepare();
        const start = performance.now();
        const { cached } = await buildEditionReport(store.dependencies, request);
        times.push(performance.now() - start);
        if (cached !== expectCached) throw new Error(`expected a ${expectCached ? 'cached' : 'computed'} report`);
      }
      return median(times);
    };
    const coldMs = await timed(async () => {
      await drop('reports/');
      await drop('maps/');
    }, false);
    const mapCachedMs = await timed(() => drop('reports/'), false);
    const cachedMs = await timed(async () => undefined, true);
    const seriesCount = CORPUS_COUNTRIES.length;
    const compareMedian = median([...compareTimes.values()]);
    for (const [series, ms] of compareTimes)
      rows.push({ suite: 'edition-report', case: `compare ${series} ${from}->${to} (reference)`, ms: round(ms) });
    rows.push({
      suite: 'edition-report',
      case: `editions report hrr ${from}->${to}, ${seriesCount} series, cold (map and report computed)`,
      ms: round(coldMs),
      ms_per_series: round(coldMs / seriesCount),
      x_single_compare: round(coldMs / seriesCount / compareMedian, 3),
    });
    rows.push({
      suite: 'edition-report',
      case: `editions report, map cached`,
      ms: round(mapCachedMs),
      ms_per_series: round(mapCachedMs / seriesCount),
      x_single_compare: round(mapCachedMs / seriesCount / compareMedian, 3),
    });
    rows.push({
      suite: 'edition-report',
      case: 'editions report, cached',
      ms: round(cachedMs),
      x_single_compare: round(cachedMs / compareMedian, 3),
    });
    return {
      suite: 'edition-report',
      rows,
      summary: {
        series: seriesCount,
        cold_ms: round(coldMs),
        cold_ms_per_series: round(coldMs / seriesCount),
        map_cached_ms_per_series: round(mapCachedMs / seriesCount),
        single_compare_median_ms: round(compareMedian),
        six_compares_ms: round(compareTotal),
        cold_per_series_x_single_compare: round(coldMs / seriesCount / compareMedian, 3),
        cached_ms: round(cachedMs),
        target: 'cold report of the sample store <= 5000 ms',
        met: coldMs <= 5000,
      },
    };
  } finally {
    await store.close();
  }
}
