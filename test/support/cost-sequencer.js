/**
 * Jest's test sequencer, with the longest files first on a machine that has never run the suite.
 *
 * Jest orders files by the durations of the last run, kept in its cache folder; a fresh clone has none, and then
 * Jest falls back to file size. The costliest files are the smallest ones: the two group files
 * (test/infra/infra.test.ts and test/ui/ui-demo.test.ts, a few import lines each, over a minute of work each) ran
 * last, with the other worker idle while one of them ran alone. This sequencer takes each file's duration from
 * Jest's cache when there is one (the last run on this machine), otherwise from test/support/test-costs.json (the
 * seconds each file took in a measured run, written by `node test/support/test-costs.js <jest --json output>`), and
 * runs the longest first. A file in neither (a new one) is placed by its size, as a file of 1 s per 8 KB.
 * Failed files of the last run still come first, as with Jest's own sequencer.
 * Plain JavaScript so that Jest can load it without a transform.
 */
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { URL } from 'node:url';
import Sequencer from '@jest/test-sequencer';

/** Seconds per byte of test file, for a file with no recorded duration. */
const SECONDS_PER_BYTE = 1 / 8192;

/** @returns {Record<string, number>} seconds by path relative to the repository, with `/` separators. */
export function committedCosts() {
  const file = JSON.parse(readFileSync(new URL('./test-costs.json', import.meta.url), 'utf8'));
  return file.seconds;
}

export default class CostSequencer extends Sequencer {
  /** @type {Record<string, number> | undefined} */
  #costs;

  /** @param {import('@jest/test-result').Test} test @returns {number} milliseconds */
  #estimate(test) {
    const cached = super.time(test);
    if (cached != null) return cached;
    this.#costs ??= committedCosts();
    const key = relative(test.context.config.rootDir, test.path).split(sep).join('/');
    const seconds = this.#costs[key] ?? (test.context.hasteFS.getSize(test.path) ?? 0) * SECONDS_PER_BYTE;
    return seconds * 1000;
  }

  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    const estimates = new Map(tests.map((test) => [test, this.#estimate(test)]));
    for (const test of tests) test.duration = super.time(test);
    return [...tests].sort((a, b) => {
      const failedA = this.hasFailed(a);
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1;
      return estimates.get(b) - estimates.get(a) || a.path.localeCompare(b.path);
    });
  }
}
