/**
 * Writes test/support/test-costs.json, the per-file durations that test/support/cost-sequencer.js orders a first
 * run by, from the output of a whole-suite run: `npm test -- --json --outputFile=/tmp/jest.json`, then
 * `node test/support/test-costs.js /tmp/jest.json`. Durations are rounded to a tenth of a second; only the order
 * they give matters.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

/**
 * @param {{ testResults: { name: string, startTime: number, endTime: number, perfStats?: { runtime?: number } }[] }} report
 * @param {string} root
 * @returns {Record<string, number>}
 */
export function costsFromReport(report, root) {
  const entries = report.testResults.map((result) => {
    const milliseconds = result.perfStats?.runtime ?? result.endTime - result.startTime;
    return [relative(root, result.name).split(sep).join('/'), Math.round(milliseconds / 100) / 10];
  });
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const input = process.argv[2];
  if (!input) {
    console.error('usage: node test/support/test-costs.js <jest --json output file>');
    process.exit(2);
  }
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const seconds = costsFromReport(JSON.parse(readFileSync(input, 'utf8')), root);
  const file = {
    about: 'Seconds per test file in a measured run, for test/support/cost-sequencer.js (written by test/support/test-costs.js).',
    seconds,
  };
  writeFileSync(new URL('./test-costs.json', import.meta.url), `${JSON.stringify(file, null, 2)}\n`);
  console.log(`wrote ${Object.keys(seconds).length} files`);
}
