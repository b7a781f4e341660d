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
    items: result.items.map(({ series, profile, firstSeenAt, aliases }) => ({ series, profile, firstSeenAt, ...(aliases?.length ? { aliases } : {}) })),
    ...(result.cursor ? { cursor: result.cursor } : {}),
  };
}

/** The pages of a series (its whole lineage, by any of its names), oldest edition first. NotFoundError for a series with no pages. */
export async function listEditions(dependencies: Pick<QueryDependencies, 'revisions'>, series: string): Promise<EditionEntry[]> {
  const editions = await dependencies.revisions.listEditions(series);
  if (editions.length === 0) throw new NotFoundError(`No series ${series}`);
  return editions;
}
