import * as z from 'zod';

/** The zod schemas of query and path parameters that the JSON routes and the web UI's routes share. */

/** `true` or `false`. */
export const flag = z.enum(['true', 'false']).transform((value) => value === 'true');
/** A revision's seq. */
export const revisionNumber = z.coerce.number().int().min(1).max(9_999_999_999);
/** An edition (a year). */
export const editionNumber = z.coerce.number().int().min(0).max(999_999);
/** A revision's seq or an edition, where a route takes either. */
export const wholeNumber = z.coerce.number().int().min(0).max(9_999_999_999);
/** The opaque cursor of a listing. */
export const listCursor = z.string().min(1).max(2048);
/** A series id; `~` is read as `/`, as in paths. */
export const seriesId = z
  .string()
  .min(1)
  .max(200)
  .transform((series) => series.replaceAll('~', '/'));

/** A comma-separated parameter: items trimmed, empty ones dropped (`terms=a, b,`, `fate=removed,moved`). */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
