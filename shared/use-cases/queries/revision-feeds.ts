import { Feed } from 'feed';
import { escapeHtml } from '../../domain/diff-rendering.js';
import { NotFoundError } from '../../errors.js';
import type { RevisionRecord } from '../../domain/revision-records.js';
import { assertPageExists } from './pages.js';
import type { QueryDependencies } from './views.js';

export type FeedScope = { kind: 'all' } | { kind: 'page'; page: string } | { kind: 'series'; series: string };

export interface FeedOptions {
  /** Absolute base URL of the API (entries link to its diff routes). */
  baseUrl: string;
  /** Entries (default 50). */
  limit?: number;
  /** The feed's own path, e.g. `/feeds/all.atom`. */
  selfPath: string;
}

const DEFAULT_ENTRIES = 50;
/** Per page of a series feed: enough to fill the feed even when one edition changes often. */
const SERIES_PAGE_ENTRIES = 20;
const MAX_LISTED_SECTIONS = 20;

/**
 * Atom feed of revisions, newest first: for one page, one series, or everything (the recent-revisions index, its
 * default 30-day window). Each entry links to the diff against the previous revision (HTML), the first capture of a
 * page to the revision itself. `updated` is the newest entry's time, so an unchanged feed is byte-identical.
 */
export async function revisionFeed(dependencies: QueryDependencies, scope: FeedScope, options: FeedOptions): Promise<string> {
  const limit = options.limit ?? DEFAULT_ENTRIES;
  const revisions = await feedRevisions(dependencies, scope, limit);
  const base = options.baseUrl.replace(/\/+$/, '');
  const title =
    scope.kind === 'all' ? 'redline: all revisions' : scope.kind === 'page' ? `redline: revisions of ${scope.page}` : `redline: revisions of series ${scope.series}`;
  const feed = new Feed({
    id: `${base}${options.selfPath}`,
    title,
    link: base,
    feed: `${base}${options.selfPath}`,
    updated: revisions[0] ? new Date(revisions[0].capturedAt) : new Date(0),
    generator: 'redline',
  });
  for (const revision of revisions) {
    const page = encodeURIComponent(revision.page);
    const link =
      revision.previousSeq !== undefined
        ? `${base}/pages/${page}/diff?from=${revision.previousSeq}&to=${revision.seq}&format=html`
        : `${base}/pages/${page}/revisions/${revision.seq}`;
    feed.addItem({
      id: `urn:redline:revision:${page}:${revision.seq}`,
      title: cdataSafe(entryTitle(revision)),
      link,
      date: new Date(revision.capturedAt),
      description: cdataSafe(entrySummary(revision)),
      ...(revision.series ? { category: [{ term: revision.series, name: revision.series }] } : {}),
    });
  }
  return feed.atom1();
}

async function feedRevisions(dependencies: QueryDependencies, scope: FeedScope, limit: number): Promise<RevisionRecord[]> {
  const { revisions } = dependencies;
  switch (scope.kind) {
    case 'all':
      return (await revisions.listRecentRevisions({ limit })).items;
    case 'page': {
      const [result] = await Promise.all([revisions.listRevisions(scope.page, { limit, newestFirst: true }), assertPageExists(dependencies, scope.page)]);
      return result.items;
    }
    case 'series': {
      const editions = await revisions.listEditions(scope.series);
      if (editions.length === 0) throw new NotFoundError(`No series ${scope.series}`);
      const perPage = await Promise.all(
        editions.map((edition) => revisions.listRevisions(edition.page, { limit: Math.min(limit, SERIES_PAGE_ENTRIES), newestFirst: true })),
      );
      return perPage
        .flatMap((result) => result.items)
        .sort((a, b) => b.capturedAt.localeCompare(a.capturedAt) || a.page.localeCompare(b.page) || b.seq - a.seq)
        .slice(0, limit);
    }
  }
}

function entryTitle(revision: RevisionRecord): string {
  const what = revision.title || revision.page;
  if (revision.summary === null) return `${what}: first capture`;
  const count = revision.sections.length;
  return `${what}: revision ${revision.seq}, ${count} section${count === 1 ? '' : 's'} changed${revision.summary.trivial ? ' (trivial)' : ''}`;
}

function entrySummary(revision: RevisionRecord): string {
  if (revision.summary === null) return `<p>First capture of ${escapeHtml(revision.url)}</p>`;
  const { summary } = revision;
  const items = revision.sections
    .slice(0, MAX_LISTED_SECTIONS)
    .map((section) => `<li>${escapeHtml(`${section.kinds.join(', ')}: ${section.heading} (+${section.wordsAdded} -${section.wordsRemoved} words)`)}</li>`)
    .join('');
  const more = revision.sections.length > MAX_LISTED_SECTIONS ? `<p>and ${revision.sections.length - MAX_LISTED_SECTIONS} more</p>` : '';
  return (
    `<p>${escapeHtml(`+${summary.wordsAdded} -${summary.wordsRemoved} words, significance ${revision.significance}`)}</p>` +
    `<ul>${items}</ul>${more}`
  );
}

/** The feed package writes titles and summaries as CDATA: keep a `]]>` in page text from closing it. */
function cdataSafe(text: string): string {
  return text.replaceAll(']]>', ']]&gt;');
}
