import { loadavg } from 'node:os';
import { apiLatencySuite } from './suites/api-latency.js';
import { diffSpeedSuite } from './suites/diff-speed.js';
import { editionMapSuite } from './suites/edition-map.js';
import { editionReportSuite } from './suites/edition-report.js';
import { extractionThroughputSuite } from './suites/extraction-throughput.js';
import { importThroughputSuite } from './suites/import-throughput.js';
import { pipelineThroughputSuite } from './suites/pipeline-throughput.js';
import { provenanceSuite } from './suites/provenance.js';
import { storeAuditSuite } from './suites/store-audit.js';
import { bundlesSuite } from './suites/bundles.js';
import { cliStartupSuite } from './suites/cli-startup.js';
import { printTable, type SuiteResult } from './bench-kit.js';
import { mergeBenchResults, readBenchResults, writeBenchResults, type RecordedSuite } from './results-file.js';

/**
 * `npm run bench`: every figure is compared against a reference measured in the same run, and the ratios are what
 * count (absolute times on a shared machine are noise). Results go to bench-results.json, merged over the suites
 * it held from earlier runs (bench/results-file.ts).
 * Pick suites with `npm run bench -- diff extraction`.
 */
const SUITES: Record<string, () => SuiteResult | Promise<SuiteResult>> = {
  extraction: () => extractionThroughputSuite(),
  diff: () => diffSpeedSuite(),
  pipeline: () => pipelineThroughputSuite(),
  api: () => apiLatencySuite(),
  import: () => importThroughputSuite(),
  bundles: () => bundlesSuite(),
  cli: () => cliStartupSuite(),
  hardening: async () => (await import('./suites/hardening.js')).hardeningSuite(),
  provenance: () => provenanceSuite(),
  editions: () => editionMapSuite(),
  'edition-report': () => editionReportSuite(),
  'store-audit': () => storeAuditSuite(),
};

const selected = process.argv.slice(2).filter((name) => !name.startsWith('-'));
const unknown = selected.filter((name) => !(name in SUITES));
if (unknown.length > 0) {
  process.stderr.write(`Unknown suite(s): ${unknown.join(', ')}. Known: ${Object.keys(SUITES).join(', ')}\n`);
  process.exit(2);
}

const results: RecordedSuite[] = [];
for (const [name, run] of Object.entries(SUITES)) {
  if (selected.length > 0 && !selected.includes(name)) continue;
  process.stdout.write(`running ${name}...\n`);
  const measuredAt = new Date().toISOString();
  const loadAverageAtStart = loadavg().map((load) => Math.round(load * 100) / 100);
  const result = await run();
  results.push({ ...result, measuredAt, node: process.version, loadAverageAtStart });
  printTable(`${result.suite}`, result.rows);
  process.stdout.write(`summary: ${JSON.stringify(result.summary)}\n`);
}

const RESULTS_PATH = 'bench-results.json';
const previous = readBenchResults(RESULTS_PATH, (message) => process.stderr.write(`${message}\n`));
writeBenchResults(RESULTS_PATH, mergeBenchResults(previous, results, new Date()));
process.stdout.write(`\nwrote ${RESULTS_PATH} (${results.length} suite(s) measured now; earlier suites kept)\n`);
