import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { SuiteResult } from './bench-kit.js';

/**
 * bench-results.json: the latest result of EVERY suite, not only those of the last run, so that `npm run bench --
 * import` followed by `npm run bench -- cli` leaves both on record. Each suite carries when it was measured, on
 * which Node, and the machine's load average as it started (the figures are ratios to same-run references, but a
 * reader still needs to know how busy the machine was).
 */
export interface RecordedSuite extends SuiteResult {
  measuredAt: string;
  node: string;
  /** os.loadavg() (1, 5 and 15 minutes) when the suite started. */
  loadAverageAtStart: number[];
}

export interface BenchResultsFile {
  /** When the file was last written. */
  date: string;
  results: RecordedSuite[];
}

/**
 * The results of a run merged over what the file held: a suite measured now replaces its earlier result; the
 * others stay as they were. Suites keep a stable order (by name), whatever order they ran in.
 */
export function mergeBenchResults(previous: BenchResultsFile | undefined, measured: RecordedSuite[], now: Date): BenchResultsFile {
  const bySuite = new Map<string, RecordedSuite>();
  for (const result of previous?.results ?? []) {
    // A file from before suites carried their own date (one run for the whole file) is still read, undated.
    if (result && typeof result.suite === 'string' && Array.isArray(result.rows)) bySuite.set(result.suite, result);
  }
  for (const result of measured) bySuite.set(result.suite, result);
  const results = [...bySuite.values()].sort((a, b) => a.suite.localeCompare(b.suite));
  return { date: now.toISOString(), results };
}

/** Reads the file if it is there and parses; an unreadable or foreign file is replaced, with a warning. */
export function readBenchResults(path: string, warn: (message: string) => void): BenchResultsFile | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<BenchResultsFile>;
    if (!Array.isArray(parsed.results)) throw new Error('no results array');
    return { date: String(parsed.date ?? ''), results: parsed.results };
  } catch (error) {
    warn(`${path} could not be read (${(error as Error).message}); it is replaced by this run's results`);
    return undefined;
  }
}

export function writeBenchResults(path: string, file: BenchResultsFile): void {
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}
