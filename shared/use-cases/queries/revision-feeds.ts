import { Feed } from 'feed';
import { escapeHtml } from '../../domain/diff-rendering.js';
import { NotFoundError } from '../../errors.js';
import type { RevisionRecord } from '../../domain/revision-records.js';
import type { QueryDependencies } from './views.js';

export type FeedScope = { kind: 'all' } | { kind: 'page'; page: string } | { kind: 'series'; series: string };

/** Where the feed and its entries link: the web UI's pages (functions/api/ui/ui-links.ts implements it). */
export interface FeedLinks {
  home(): string;
  page(page: string): string;
  series(series: string): string;
  revision(page: string, seq: number): string;
  diff(page: string, from: number, to: number): string;
}

export interface FeedOptions {
  /** Absolute base URL of the API (the feed's self link). */
  baseUrl: string;
  /** Absolute links into the web UI. */
  links: FeedLinks;
  /** Entries (default 50). */
  limit?: number;
  /** The feed's own path, e.g. `/feeds/all.atom`. */
  selfPath: string;
  /**
   * The permanent id prefix (RFC 4287 atom:id), from configuration: the feed id is `<prefix>:<scope>`, the same
   * whichever host name the feed was fetched through.
   */
  idPrefix: string;
  /** The `<updated>` of a feed with no entries yet (a page's feed uses the time the page was added). */
  now: Date;
  /** The feed's `<author>` (RFC 4287 requires one on the feed when an entry has none). Default "redline". */
  author?: string;
}

const DEFAULT_ENTRIES = 50;
/** Per page of a series feed: enough to fill the feed even when one edition changes often. */
const SERIES_PAGE_ENTRIES = 20;
const MAX_LISTED_SECTIONS = 20;

/**
 * Atom feed of revisions, newest first: for one page, one series, or everything (the recent-revisions index, its
 * default 30-day window). Each entry links to the web UI's diff against the previous revision, the first capture of
 * a page to the UI's revision page. `updated` is the newest entry's time, so an unchanged feed is byte-identical.
 * Titles are `type="html"` (the feed package's choice), so page text in them is HTML-escaped: a page titled
 * `"><img onerror=...>` shows as that text in a reader, never as markup.
 */
export async function revisionFeed(dependencies: QueryDependencies, scope: FeedScope, options: FeedOptions): Promise<string> {
  const limit = options.limit ?? DEFAULT_ENTRIES;
  const { revisions, emptyUpdated } = await feedRevisions(dependencies, scope, limit);
  const base = options.baseUrl.replace(/\/+$/, '');
  const { links } = options;
  const title =
    scope.kind === 'all'
      ? 'redline: all revisions'
      : scope.kind === 'page'
        ? `redline: revisions of ${scope.page}`
        : `redline: revisions of series ${scope.series}`;
  const scopeId =
    scope.kind === 'all' ? 'all' : scope.kind === 'page' ? `page:${encodeURIComponent(scope.page)}` : `series:${encodeURIComponent(scope.series)}`;
  const feed = new Feed({
    id: `${options.idPrefix}:${scopeId}`,
    title,
    link: scope.kind === 'all' ? links.home() : scope.kind === 'page' ? links.page(scope.page) : links.series(scope.series),
    feed: `${base}${options.selfPath}`,
    updated: revisions[0] ? new Date(revisions[0].capturedAt) : (emptyUpdated ?? options.now),
    author: { name: options.author ?? 'redline' },
    generator: 'redline',
  });
  for (const revision of revisions) {
    const link =
      revision.previousSeq !== undefined
        ? links.diff(revision.page, revision.previousSeq, revision.seq)
        : links.revision(revision.page, revision.seq);
    feed.addItem({
      id: `urn:redline:revision:${encodeURIComponent(revision.page)}:${revision.seq}`,
      title: cdataSafe(escapeHtml(entryTitle(revision))),
      link,
      date: new Date(revision.capturedAt),
      description: cdataSafe(entrySummary(revision)),
      ...(revision.series ? { category: [{ term: revision.series, name: revision.series }] } : {}),
    });
  }
  return feed.atom1();
}

async function feedRevisions(
  dependencies: QueryDependencies,
  scope: FeedScope,
  limit: number,
): Promise<{ revisions: RevisionRecord[]; emptyUpdated?: Date }> {
  const { revisions } = dependencies;
  switch (scope.kind) {
    case 'all':
      return { revisions: (await revisions.listRecentRevisions({ limit })).items };
    case 'page': {
      const [result, page] = await Promise.all([revisions.listRevisions(scope.page, { limit, newestFirst: true }), revisions.getPage(scope.page)]);
      if (!page) throw new NotFoundError(`No page ${scope.page}`);
      return { revisions: result.items, emptyUpdated: new Date(page.createdAt) };
    }
    case 'series': {
      const editions = await revisions.listEditions(scope.series);
      if (editions.length === 0) throw new NotFoundError(`No series ${scope.series}`);
      const perPage = await Promise.all(
        editions.map((edition) => revisions.listRevisions(edition.page, { limit: Math.min(limit, SERIES_PAGE_ENTRIES), newestFirst: true })),
      );
      return {
        revisions: perPage
          .flatMap((result) => result.items)
          .sort((a, b) => b.capturedAt.localeCompare(a.capturedAt) || a.page.localeCompare(b.page) || b.seq - a.seq)
          .slice(0, limit),
      };
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
    .map(
      (section) =>
        `<li>${escapeHtml(`${section.kinds.join(', ')}: ${section.heading} (+${section.wordsAdded} -${section.wordsRemoved} words)`)}</li>`,
    )
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
