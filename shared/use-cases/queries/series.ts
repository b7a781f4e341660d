import { NotFoundError } from '../../errors.js';
import type { PageOfItems } from '../../ports/revision-store.js';
import type { EditionEntry, SeriesRecord } from '../../domain/page-records.js';
import type { QueryDependencies } from './views.js';

export async function listSeries(
  dependencies: Pick<QueryDependencies, 'revisions'>,
  options: { cursor?: string; limit?: number } = {},
): Promise<PageOfItems<SeriesRecord>> {
  const result = await dependencies.revisions.listSeries(options);
  return {
    items: result.items.map(({ series, profile, firstSeenAt, aliases }) => ({
      series,
      profile,
      firstSeenAt,
      ...(aliases?.length ? { aliases } : {}),
    })),
    ...(result.cursor ? { cursor: result.cursor } : {}),
  };
}

/** The pages of a series (its whole lineage, by any of its names), oldest edition first. NotFoundError for a series with no pages. */
export async function listEditions(dependencies: Pick<QueryDependencies, 'revisions'>, series: string): Promise<EditionEntry[]> {
  const editions = await dependencies.revisions.listEditions(series);
  if (editions.length === 0) throw new NotFoundError(`No series ${series}`);
  return editions;
}

/** Every series id in the store (all pages of the listing). */
export async function listAllSeries(dependencies: Pick<QueryDependencies, 'revisions'>): Promise<string[]> {
  const series: string[] = [];
  let cursor: string | undefined;
  do {
    const batch = await dependencies.revisions.listSeries({ cursor, limit: 500 });
    series.push(...batch.items.map((item) => item.series));
    cursor = batch.cursor;
  } while (cursor);
  return series;
}
