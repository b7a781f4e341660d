import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { documentPlainText, type Document } from '../../shared/domain/document.js';
import { diffDocuments } from '../../shared/domain/diff-documents.js';
import { extract } from '../../shared/domain/extract.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS, loadCorpusPage } from '../../test/support/corpus.js';
import { median, round, timeMedian, type SuiteResult } from '../bench-kit.js';

/**
 * (a) Diff speed: for every consecutive-edition pair in the corpus, the redline diff of the two Documents against
 * `git diff --no-index --word-diff` on the same two documents' plain texts, timed in the same run.
 */
export function diffSpeedSuite(runs = 7): SuiteResult {
  const workDirectory = mkdtempSync(path.join(tmpdir(), 'redline-bench-diff-'));
  const rows: SuiteResult['rows'] = [];
  const ratios: number[] = [];
  const series = CORPUS_COUNTRIES.map(
    (country) => [country, new Map<number, Document>(CORPUS_YEARS.map((year) => [year, extract(loadCorpusPage(country, year))]))] as const,
  );
  // Warm the JIT on every pair first, so the first pairs measured are not charged for compilation.
  for (const [, documents] of series) for (const year of CORPUS_YEARS.slice(1)) diffDocuments(documents.get(year - 1)!, documents.get(year)!);
  try {
    for (const [country, documents] of series) {
      for (const year of CORPUS_YEARS.slice(1)) {
        const previous = documents.get(year - 1)!;
        const next = documents.get(year)!;
        const oldFile = path.join(workDirectory, `${country}-${year - 1}.txt`);
        const newFile = path.join(workDirectory, `${country}-${year}.txt`);
        writeFileSync(oldFile, documentPlainText(previous));
        writeFileSync(newFile, documentPlainText(next));
        let bounded = false;
        const redlineMs = timeMedian(runs, () => {
          bounded = diffDocuments(previous, next).bounded !== undefined;
        });
        const gitMs = timeMedian(runs, () => {
          const result = spawnSync('git', ['diff', '--no-index', '--no-color', '--word-diff=plain', oldFile, newFile], {
            maxBuffer: 64 * 1024 * 1024,
          });
          if (result.status !== 0 && result.status !== 1) throw new Error(`git diff failed: ${result.stderr}`);
        });
        const ratio = redlineMs / gitMs;
        ratios.push(ratio);
        rows.push({
          suite: 'diff-speed',
          case: `${country} ${year - 1}->${year}`,
          redline_ms: round(redlineMs),
          git_word_diff_ms: round(gitMs),
          ratio: round(ratio, 3),
          bounded,
        });
      }
    }
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
  const medianRatio = median(ratios);
  return {
    suite: 'diff-speed',
    rows,
    summary: {
      pairs: rows.length,
      median_ratio: round(medianRatio, 3),
      max_ratio: round(Math.max(...ratios), 3),
      target: 'median ratio <= 1.0',
      met: medianRatio <= 1,
    },
  };
}
