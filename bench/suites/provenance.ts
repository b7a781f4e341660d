import { gzipSync } from 'node:zlib';
import type { Document } from '../../shared/domain/document.js';
import type { RevisionRecord } from '../../shared/domain/revision-records.js';
import { extract } from '../../shared/domain/extract.js';
import { blameVersion } from '../../shared/domain/provenance/blame.js';
import { ProvenanceIndex, type ProvenanceIndexData, type VersionRef } from '../../shared/domain/provenance/provenance-index.js';
import { DEFAULT_REWORDING_THRESHOLD, MIN_REWORDING_TOKENS, TokenVocabulary } from '../../shared/domain/provenance/rewording.js';
import { versionSentences, type VersionSentences } from '../../shared/domain/provenance/version-sentences.js';
import { sortedDice } from '../../shared/domain/text-normalisation.js';
import { searchStoredSentences } from '../../shared/use-cases/provenance/sentence-search.js';
import { updateProvenanceAfterRevision } from '../../shared/use-cases/provenance/update-provenance.js';
import { startProvenanceStore } from '../../test/provenance/provenance-store-fixture.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS, loadCorpusPage, type CorpusCountry } from '../../test/support/corpus.js';
import { median, round, timeMedian, timeMedianAsync, type BenchRow, type SuiteResult } from '../bench-kit.js';

/**
 * Sentence provenance over every corpus series (9 editions each):
 * - cold: blame of every sentence of all 9 editions from nothing (segment the 9 Documents, build the index with its
 *   rewording and section links, blame each edition), against extracting the same 9 Documents from HTML, and
 *   against a naive recompute of the same answers (earliest edition by scanning every earlier edition, rewordings by
 *   comparing every new sentence with every vanished one);
 * - incremental: adding the 2024 edition to the stored index of 2016-2023 (parse, add, link, serialise: what the
 *   pipeline hook computes), and inserting 2016 in front of 2017-2024 (an edition arriving late), against the cold
 *   build;
 * - the hook with its I/O on the local servers (dynalite, s3rver) for one series, against recordRevision itself;
 * - sentence search over the whole sample store (6 series x 9 editions, indexes stored by the hook), a broad and a
 *   narrow phrase, against reading every series' latest Document in the same run (issue 16: within 1 s).
 */
export async function provenanceSuite(runs = 3): Promise<SuiteResult> {
  const rows: BenchRow[] = [];
  const totals = { extract: 0, cold: 0, naive: 0, incremental: 0, sentences: 0 };
  let largest: { country: string; sentences: number; cold: number; extract: number; incremental: number } | undefined;
  // Warm every code path once, so the first series timed does not pay for compilation.
  const warm = CORPUS_YEARS.map((year) => extract(loadCorpusPage('tuvalu', year)));
  const warmIndex = build(
    warm.map((document, at) => refOf('tuvalu', document, at)),
    warm.map(versionSentences),
  );
  for (let position = 0; position < warmIndex.versionCount; position++) blameVersion(warmIndex, position);
  naiveBlame(warm.map(versionSentences));

  for (const country of CORPUS_COUNTRIES) {
    const pages = CORPUS_YEARS.map((year) => loadCorpusPage(country, year));
    const extractMs = timeMedian(runs, () => {
      for (const html of pages) extract(html);
    });
    const documents = pages.map((html) => extract(html));
    const refs = documents.map((document, at) => refOf(country, document, at));

    let blamed = 0;
    const coldMs = timeMedian(runs, () => {
      const index = build(refs, documents.map(versionSentences));
      blamed = 0;
      for (let position = 0; position < index.versionCount; position++) blamed += blameVersion(index, position).sentences.length;
    });
    const segmentMs = timeMedian(runs, () => {
      for (const document of documents) versionSentences(document);
    });
    const sentences = documents.map(versionSentences);
    const naiveMs = timeMedian(1, () => naiveBlame(sentences));

    const head = build(refs.slice(0, 8), sentences.slice(0, 8)).toData();
    const headJson = JSON.stringify(head);
    const tail = build(refs.slice(1), sentences.slice(1)).toData();
    const tailJson = JSON.stringify(tail);
    const appendMs = timeMedian(runs, () => {
      const index = ProvenanceIndex.fromData(JSON.parse(headJson) as ProvenanceIndexData);
      index.addVersion(refs[8]!, versionSentences(documents[8]!));
      JSON.stringify(index.toData());
    });
    const insertMs = timeMedian(runs, () => {
      const index = ProvenanceIndex.fromData(JSON.parse(tailJson) as ProvenanceIndexData);
      index.addVersion(refs[0]!, versionSentences(documents[0]!));
      JSON.stringify(index.toData());
    });
    const full = build(refs, sentences).toData();
    const fullJson = JSON.stringify(full);
    const readMs = timeMedian(runs, () => {
      const index = ProvenanceIndex.fromData(JSON.parse(fullJson) as ProvenanceIndexData);
      blameVersion(index, 7);
    });

    rows.push(
      { suite: 'provenance', case: `${country}: extract 9 editions (reference)`, sentences: blamed, ms: round(extractMs) },
      {
        suite: 'provenance',
        case: `${country}: cold blame of every sentence, 9 editions`,
        sentences: blamed,
        ms: round(coldMs),
        x_extract: round(coldMs / extractMs),
      },
      { suite: 'provenance', case: `${country}:   of which segmentation + hashing`, ms: round(segmentMs), x_extract: round(segmentMs / extractMs) },
      { suite: 'provenance', case: `${country}: naive recompute (reference)`, ms: round(naiveMs), x_cold: round(naiveMs / coldMs) },
      { suite: 'provenance', case: `${country}: add 2024 to the 2016-2023 index`, ms: round(appendMs), x_cold: round(appendMs / coldMs, 3) },
      { suite: 'provenance', case: `${country}: insert 2016 before 2017-2024`, ms: round(insertMs), x_cold: round(insertMs / coldMs, 3) },
      {
        suite: 'provenance',
        case: `${country}: read the stored index + blame 2023`,
        ms: round(readMs),
        index_kb: round(fullJson.length / 1024, 0),
        gzip_kb: round(gzipSync(fullJson).length / 1024, 0),
      },
    );
    totals.extract += extractMs;
    totals.cold += coldMs;
    totals.naive += naiveMs;
    totals.incremental += appendMs;
    totals.sentences += blamed;
    if (!largest || blamed > largest.sentences) largest = { country, sentences: blamed, cold: coldMs, extract: extractMs, incremental: appendMs };
  }

  const hook = await hookWithIo('kazakhstan', runs);
  rows.push(
    { suite: 'provenance', case: 'kazakhstan: recordRevision of 2024 on local servers (reference)', ms: round(hook.recordMs) },
    {
      suite: 'provenance',
      case: 'kazakhstan: the hook after it (read index, list, read Document, add, write)',
      ms: round(hook.hookMs),
      x_record: round(hook.hookMs / hook.recordMs),
    },
  );

  const search = await searchOverStore(runs);
  for (const [phrase, figures] of Object.entries(search.phrases)) {
    rows.push({
      suite: 'provenance',
      case: `sample store: search "${phrase}"`,
      ms: round(figures.ms),
      hits: figures.hits,
      x_read_latest: round(figures.ms / search.readLatestMs),
    });
  }
  rows.push({ suite: 'provenance', case: "sample store: read every series' latest Document (reference)", ms: round(search.readLatestMs) });
  const slowestSearchMs = Math.max(...Object.values(search.phrases).map((figures) => figures.ms));

  const coldRatio = totals.cold / totals.extract;
  const incrementalRatio = totals.incremental / totals.cold;
  return {
    suite: 'provenance',
    rows,
    summary: {
      sentences_blamed: totals.sentences,
      cold_ms_all_series: round(totals.cold),
      cold_x_extract: round(coldRatio),
      naive_x_cold: round(totals.naive / totals.cold),
      add_edition_x_cold: round(incrementalRatio, 3),
      largest_series: largest!.country,
      largest_cold_ms: round(largest!.cold),
      largest_add_edition_ms: round(largest!.incremental),
      hook_x_record: round(hook.hookMs / hook.recordMs),
      search_ms_sample_store: round(slowestSearchMs),
      search_x_read_latest: round(slowestSearchMs / search.readLatestMs),
      target:
        'adding an edition <= 0.25x the cold build; the cold build >= 10x faster than the naive recompute; a sentence search of the sample store <= 1 s',
      met: incrementalRatio <= 0.25 && totals.naive / totals.cold >= 10 && slowestSearchMs <= 1000,
    },
  };
}

function refOf(country: CorpusCountry, document: Document, at: number): VersionRef {
  const edition = document.edition ?? CORPUS_YEARS[at]!;
  return {
    page: `hrr.${country}.${edition}`,
    seq: 1,
    edition,
    documentHash: `bench-${edition}`,
    capturedAt: new Date(Date.UTC(edition + 1, 2, 1)).toISOString(),
  };
}

function build(refs: readonly VersionRef[], sentences: readonly VersionSentences[]): ProvenanceIndex {
  const index = new ProvenanceIndex('series:bench');
  refs.forEach((ref, at) => index.addVersion(ref, sentences[at]!));
  index.settle();
  return index;
}

/**
 * The same blame without the index: each sentence's first edition by scanning the editions before it, and its
 * rewording by comparing it with every sentence that vanished from the edition before its origin.
 */
function naiveBlame(editions: readonly VersionSentences[]): number {
  const sets = editions.map((edition) => new Set(edition.hashes));
  const vocabulary = new TokenVocabulary();
  let reworded = 0;
  editions.forEach((edition) => {
    edition.hashes.forEach((hash, position) => {
      let origin = 0;
      while (!sets[origin]!.has(hash)) origin++;
      if (origin === 0) return;
      const previous = editions[origin - 1]!;
      if (sets[origin - 1]!.has(hash)) return;
      const tokens = vocabulary.tokenSet(edition.texts[position]!);
      if (tokens.length < MIN_REWORDING_TOKENS) return;
      let best = 0;
      previous.hashes.forEach((candidate, index) => {
        if (sets[origin]!.has(candidate)) return;
        const other = vocabulary.tokenSet(previous.texts[index]!);
        if (other.length >= MIN_REWORDING_TOKENS) best = Math.max(best, sortedDice(tokens, other));
      });
      if (best >= DEFAULT_REWORDING_THRESHOLD) reworded++;
    });
  });
  return reworded;
}

/** recordRevision of the 2024 edition, then the hook, on dynalite + s3rver holding the 2016-2023 index. */
async function hookWithIo(country: CorpusCountry, runs: number): Promise<{ recordMs: number; hookMs: number }> {
  const records: number[] = [];
  const hooks: number[] = [];
  for (let run = 0; run < runs; run++) {
    const store = await startProvenanceStore();
    try {
      for (const year of CORPUS_YEARS.slice(0, 8)) await store.record(country, year);
      await updateProvenanceAfterRevision(store.dependencies, { page: `hrr.${country}.2023` });
      let started = performance.now();
      const revision = await store.record(country, 2024);
      records.push(performance.now() - started);
      started = performance.now();
      await updateProvenanceAfterRevision(store.dependencies, revision);
      hooks.push(performance.now() - started);
    } finally {
      await store.close();
    }
  }
  return { recordMs: median(records), hookMs: median(hooks) };
}

/** Search phrases: one found in every series and most editions, one sentence-long. */
const SEARCH_PHRASES = ['arbitrary arrest', 'the constitution and law prohibit such practices'];

/**
 * The whole sample store recorded through recordRevision, each series' provenance index stored by the hook, then
 * searchStoredSentences as the API and UI call it (each search reads every index from the store: no cache).
 */
async function searchOverStore(runs: number): Promise<{ phrases: Record<string, { ms: number; hits: number }>; readLatestMs: number }> {
  const store = await startProvenanceStore();
  try {
    const latest: RevisionRecord[] = [];
    for (const country of CORPUS_COUNTRIES) {
      let revision: RevisionRecord | undefined;
      for (const year of CORPUS_YEARS) revision = await store.record(country, year);
      await updateProvenanceAfterRevision(store.dependencies, revision!);
      latest.push(revision!);
    }
    const phrases: Record<string, { ms: number; hits: number }> = {};
    for (const phrase of SEARCH_PHRASES) {
      let hits = 0;
      await searchStoredSentences(store.dependencies, { query: phrase });
      const ms = await timeMedianAsync(runs, async () => {
        hits = (await searchStoredSentences(store.dependencies, { query: phrase })).total;
      });
      if (hits === 0) throw new Error(`the search bench's phrase "${phrase}" found nothing in the sample store`);
      phrases[phrase] = { ms, hits };
    }
    const readLatestMs = await timeMedianAsync(runs, async () => {
      await Promise.all(latest.map((revision) => store.dependencies.snapshots.getDocument(revision.documentKey)));
    });
    return { phrases, readLatestMs };
  } finally {
    await store.close();
  }
}
