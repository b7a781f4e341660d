import { performance } from 'node:perf_hooks';

/** Shared helpers for the benchmarks: repeated timing with a median, and the printed table. */

export interface BenchRow {
  suite: string;
  case: string;
  [figure: string]: string | number | boolean | undefined;
}

export interface SuiteResult {
  suite: string;
  rows: BenchRow[];
  /** Headline figures of the suite (e.g. median ratio) with their targets. */
  summary: Record<string, string | number | boolean>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** Median wall time of `runs` calls, in milliseconds, after one warm-up call. */
export function timeMedian(runs: number, work: () => void): number {
  work();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function timeMedianAsync(runs: number, work: () => Promise<void>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return median(times);
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function printTable(title: string, rows: BenchRow[]): void {
  if (rows.length === 0) return;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((column) => column !== 'suite');
  const cell = (value: unknown) => (value === undefined ? '' : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (values: string[]) => values.map((value, index) => value.padEnd(widths[index]!)).join('  ');
  process.stdout.write(`\n${title}\n${line(columns)}\n${line(widths.map((width) => '-'.repeat(width)))}\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((column) => cell(row[column])))}\n`);
}

/** The lower quartile, median and upper quartile (linear interpolation between order statistics). */
export function quartiles(values: number[]): { q1: number; median: number; q3: number } {
  if (values.length === 0) throw new Error('quartiles of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction: number) => {
    const position = fraction * (sorted.length - 1);
    const lower = Math.floor(position);
    const upper = Math.min(lower + 1, sorted.length - 1);
    return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
  };
  return { q1: at(0.25), median: at(0.5), q3: at(0.75) };
}

/**
 * The order of `count` items in each of `rounds` rounds: a fresh Fisher-Yates shuffle per round from a fixed seed
 * (mulberry32), so that no item always runs first (the first process of a round runs on colder caches) and a run
 * can be repeated order for order.
 */
export function shuffledRounds(count: number, rounds: number, seed = 13): number[][] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: rounds }, () => {
    const order = Array.from({ length: count }, (_, index) => index);
    for (let index = count - 1; index > 0; index--) {
      const other = Math.floor(random() * (index + 1));
      [order[index], order[other]] = [order[other]!, order[index]!];
    }
    return order;
  });
}

/**
 * Whether a figure meets an upper bound given its spread over rounds: `met` only when the upper quartile is within
 * it, `not met` when even the lower quartile is above it, and `within noise` when the bound falls between the two.
 */
export function verdictAgainst(spread: { q1: number; q3: number }, bound: number): 'met' | 'not met' | 'within noise' {
  if (spread.q3 <= bound) return 'met';
  return spread.q1 > bound ? 'not met' : 'within noise';
}
