import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { diffDocuments } from '../../shared/domain/diff-documents.js';
import type { Document } from '../../shared/domain/document.js';
import { editionMapPrior, learnEditionMap, type EditionMap } from '../../shared/domain/edition-map.js';
import { alignSections } from '../../shared/domain/section-alignment.js';
import type { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { buildEditionMap } from '../../shared/use-cases/queries/edition-map.js';
import { hrrDocument } from '../../test/provenance/provenance-fixture.js';
import { startProvenanceStore } from '../../test/provenance/provenance-store-fixture.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS } from '../../test/support/corpus.js';
import { median, round, timeMedian, timeMedianAsync, type BenchRow, type SuiteResult } from '../bench-kit.js';

/**
 * Edition maps and the prior, for every consecutive pair of editions of the six sample countries (nine editions):
 * - the plain diff of the six countries' pair (no prior): the reference, measured in the same run;
 * - the diff of each country's pair with the map of the other five as a prior (target: at most 1.2x the plain
 *   diff of the same pair), and the section alignment alone with and without it;
 * - learning the map (six alignments) in memory;
 * - `redline editions map` as the CLI and the API run it (buildEditionMap) on a six-country, nine-edition store over
 *   the local servers (dynalite, s3rver): cold (the cached map deleted first) and cached.
 */
export async function editionMapSuite(runs = 5): Promise<SuiteResult> {
  const rows: BenchRow[] = [];
  const documents = new Map<string, Document>();
  for (const country of CORPUS_COUNTRIES) for (const year of CORPUS_YEARS) documents.set(`${country}/${year}`, hrrDocument(country, year));
  const doc = (country: string, year: number) => documents.get(`${country}/${year}`)!;
  const pairs = CORPUS_YEARS.slice(1).map((to) => ({ from: to - 1, to }));
  const maps = new Map<number, EditionMap>();
  const inputs = (from: number, to: number) =>
    CORPUS_COUNTRIES.map((country) => ({ series: `hrr/${country}`, previous: doc(country, from), next: doc(country, to) }));
  // Warm every code path once.
  for (const { from, to } of pairs) {
    maps.set(from, learnEditionMap('hrr', from, to, inputs(from, to)));
    for (const country of CORPUS_COUNTRIES)
      diffDocuments(doc(country, from), doc(country, to), { alignment: { prior: editionMapPrior(maps.get(from)!, { exclude: `hrr/${country}` }) } });
  }

  const diffRatios: number[] = [];
  const alignRatios: number[] = [];
  const plainTotals = new Map<number, number>();
  for (const { from, to } of pairs) {
    const map = maps.get(from)!;
    let plainTotal = 0;
    for (const country of CORPUS_COUNTRIES) {
      const previous = doc(country, from);
      const next = doc(country, to);
      const prior = editionMapPrior(map, { exclude: `hrr/${country}` });
      const plainMs = timeMedian(runs, () => void diffDocuments(previous, next));
      const priorMs = timeMedian(runs, () => void diffDocuments(previous, next, { alignment: { prior } }));
      const alignMs = timeMedian(runs, () => void alignSections(previous.sections, next.sections));
      const alignPriorMs = timeMedian(runs, () => void alignSections(previous.sections, next.sections, { prior }));
      plainTotal += plainMs;
      diffRatios.push(priorMs / plainMs);
      alignRatios.push(alignPriorMs / alignMs);
      rows.push({
        suite: 'edition-map',
        case: `${country} ${from}->${to}`,
        diff_ms: round(plainMs),
        diff_with_prior_ms: round(priorMs),
        x_diff: round(priorMs / plainMs, 3),
        align_ms: round(alignMs),
        align_with_prior_ms: round(alignPriorMs),
        x_align: round(alignPriorMs / alignMs, 3),
      });
    }
    plainTotals.set(from, plainTotal);
    const learnMs = timeMedian(runs, () => void learnEditionMap('hrr', from, to, inputs(from, to)));
    rows.push({
      suite: 'edition-map',
      case: `learn map ${from}->${to} (6 series, in memory)`,
      ms: round(learnMs),
      x_plain_diffs: round(learnMs / plainTotal, 3),
    });
  }

  // The store: six countries, nine editions each, recorded as captures are.
  const store = await startProvenanceStore();
  const storeRatios: { cold: number[]; cached: number[] } = { cold: [], cached: [] };
  try {
    for (const country of CORPUS_COUNTRIES) for (const year of CORPUS_YEARS) await store.record(country, year, doc(country, year));
    const snapshots = store.dependencies.snapshots as S3SnapshotStore;
    const dropCache = async () => {
      for await (const object of snapshots.listPrefix('maps/'))
        await store.aws.s3.send(new DeleteObjectCommand({ Bucket: store.aws.bucketName, Key: object.key }));
    };
    for (const { from, to } of pairs) {
      const request = { report: 'hrr', from, to };
      const times: number[] = [];
      for (let run = 0; run < 3; run++) {
        await dropCache();
        const start = performance.now();
        const { cached } = await buildEditionMap(store.dependencies, request);
        times.push(performance.now() - start);
        if (cached) throw new Error('expected a cold map');
      }
      const coldMs = median(times);
      const cachedMs = await timeMedianAsync(3, async () => {
        if (!(await buildEditionMap(store.dependencies, request)).cached) throw new Error('expected a cached map');
      });
      const plain = plainTotals.get(from)!;
      storeRatios.cold.push(coldMs / plain);
      storeRatios.cached.push(cachedMs / plain);
      rows.push({
        suite: 'edition-map',
        case: `editions map hrr ${from}->${to} (store)`,
        cold_ms: round(coldMs),
        cached_ms: round(cachedMs),
        plain_diffs_ms: round(plain),
        x_cold: round(coldMs / plain, 3),
        x_cached: round(cachedMs / plain, 3),
      });
    }
  } finally {
    await store.close();
  }

  const medianDiff = median(diffRatios);
  return {
    suite: 'edition-map',
    rows,
    summary: {
      pairs: diffRatios.length,
      median_diff_with_prior_x: round(medianDiff, 3),
      max_diff_with_prior_x: round(Math.max(...diffRatios), 3),
      median_align_with_prior_x: round(median(alignRatios), 3),
      median_editions_map_cold_x_plain_diffs: round(median(storeRatios.cold), 3),
      median_editions_map_cached_x_plain_diffs: round(median(storeRatios.cached), 3),
      target: 'median diff with prior <= 1.2x the plain diff',
      met: medianDiff <= 1.2,
    },
  };
}
