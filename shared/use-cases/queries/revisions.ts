import { NotFoundError } from '../../errors.js';
import type { PageOfItems } from '../../ports/revision-store.js';
import { assertPageExists } from './pages.js';
import { revisionView, type QueryDependencies, type RevisionView } from './views.js';

/** A page's revisions, newest first, a page of items at a time (opaque cursor). NotFoundError for an unknown page. */
export async function listRevisions(
  dependencies: Pick<QueryDependencies, 'revisions'>,
  page: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<PageOfItems<RevisionView>> {
  const [result] = await Promise.all([
    dependencies.revisions.listRevisions(page, { ...options, newestFirst: true }),
    assertPageExists(dependencies, page),
  ]);
  return { items: result.items.map(revisionView), ...(result.cursor ? { cursor: result.cursor } : {}) };
}

export async function getRevision(dependencies: Pick<QueryDependencies, 'revisions'>, page: string, seq: number): Promise<RevisionView> {
  const record = await dependencies.revisions.getRevision(page, seq);
  if (!record) throw new NotFoundError(`No revision ${seq} of page ${page}`);
  return revisionView(record);
}
