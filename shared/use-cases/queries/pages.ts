import { NotFoundError } from '../../errors.js';
import type { PageOfItems } from '../../ports/revision-store.js';
import { pageView, revisionView, type PageView, type QueryDependencies, type RevisionView } from './views.js';

export interface ListPagesOptions {
  /** Only this series' pages, oldest edition first (otherwise every page, by id). */
  series?: string;
  cursor?: string;
  limit?: number;
}

export async function listPages(dependencies: Pick<QueryDependencies, 'revisions'>, options: ListPagesOptions = {}): Promise<PageOfItems<PageView>> {
  const result = await dependencies.revisions.listPages(options);
  return { items: result.items.map(pageView), ...(result.cursor ? { cursor: result.cursor } : {}) };
}

export interface PageDetails extends PageView {
  /** The newest revision, when the page has been captured. */
  latestRevision?: Pick<RevisionView, 'seq' | 'capturedAt' | 'significance' | 'title'>;
}

export async function getPage(dependencies: Pick<QueryDependencies, 'revisions'>, page: string): Promise<PageDetails> {
  const [record, latest] = await Promise.all([dependencies.revisions.getPage(page), dependencies.revisions.latestRevision(page)]);
  if (!record) throw new NotFoundError(`No page ${page}`);
  const details: PageDetails = pageView(record);
  if (latest) {
    const { seq, capturedAt, significance, title } = revisionView(latest);
    details.latestRevision = { seq, capturedAt, significance, title };
  }
  return details;
}

/** NotFoundError unless the page is watched (listings of an unknown page are a 404, not an empty list). */
export async function assertPageExists(dependencies: Pick<QueryDependencies, 'revisions'>, page: string): Promise<void> {
  if (!(await dependencies.revisions.getPage(page))) throw new NotFoundError(`No page ${page}`);
}
