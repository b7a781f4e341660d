import { InvalidArgumentError, type Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { resolveStoreTarget, type StoreOptions, type StoreTarget } from './store-selection.js';

/** Output and option helpers shared by the commands. */

export function printJson(io: Pick<CliIo, 'stdout'>, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLines(io: Pick<CliIo, 'stdout'>, lines: readonly string[]): void {
  if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
}

/** A plain text table: a header, a rule, left-aligned columns (right-aligned where `numeric`). */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number | undefined)[])[],
  numeric: readonly boolean[] = [],
): string[] {
  const cells = rows.map((row) => headers.map((_, index) => (row[index] === undefined ? '' : String(row[index]))));
  const widths = headers.map((header, index) => Math.max(header.length, ...cells.map((row) => row[index]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => (numeric[index] ? value.padStart(widths[index]!) : value.padEnd(widths[index]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)];
}

/** `2025-03-01T06:00:00.000Z` -> `2025-03-01 06:00Z` */
export function shortTime(iso: string | undefined): string {
  if (!iso) return '-';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;
}

export function parsePositiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('expected a positive integer');
  return parsed;
}

export function parseNonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a whole number');
  return parsed;
}

export function parseEdition(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 999_999) throw new InvalidArgumentError('expected an edition (a year, such as 2024)');
  return parsed;
}

export function parseFraction(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 1) throw new InvalidArgumentError('expected a number from 0 to 1');
  return parsed;
}

/** Repeatable option: `--term a --term b` and `--term a,b` both give [a, b]. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...splitList(value)];
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** `hrr~kazakhstan` (the API's path form) is accepted for `hrr/kazakhstan`. */
export function normaliseSeries(series: string): string {
  return series.replaceAll('~', '/');
}

/** The command's options merged with its parents' (so `--json` and the store options work at any level). */
export function optionsOf<T>(command: Command): T {
  return command.optsWithGlobals() as T;
}

export function storeTargetOf(command: Command, io: Pick<CliIo, 'env'>): StoreTarget {
  return resolveStoreTarget(optionsOf<StoreOptions>(command), io.env);
}
