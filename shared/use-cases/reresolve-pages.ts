import pLimit from 'p-limit';
import { readPage } from '../domain/extract.js';
import { RedlineError } from '../errors.js';
import type { PageRecord } from '../domain/page-records.js';
import type { StoredObjectSummary } from '../ports/snapshot-store.js';
import {
  listAllPages,
  listAllPageSignals,
  recordPageSignals,
  refreshSeriesLineage,
  type LineageDependencies,
  type LineageRefresh,
} from './series-lineage.js';

/**
 * Re-resolution of what is stored (docs/page-identity.md): each page's newest raw capture is read again with the
 * current identity rules, so pages stored before their identity came from evidence (or under rules since changed)
 * get their own series and lineage signals. A page whose own series changes keeps its id, its revisions and its
 * objects: only its series attribute moves, and lineage makes the old name an alias. Nothing is copied.
 */
export interface ReresolveOptions {
  /** Re-read every page, not only those with no lineage signals yet. */
  all?: boolean;
}

export interface ReresolveResult {
  /** Pages read again. */
  reread: number;
  /** Pages whose own series changed (their ids do not). */
  moved: Array<{ page: string; from?: string; to: string }>;
  /** Pages that could not be read again, with why. */
  unreadable: Array<{ page: string; error: string }>;
  refresh: LineageRefresh;
}

const PAGE_READS = 4;

export async function reresolveStoredPages(dependencies: LineageDependencies, options: ReresolveOptions = {}): Promise<ReresolveResult> {
  const [pages, signals] = await Promise.all([listAllPages(dependencies), listAllPageSignals(dependencies)]);
  const known = new Set(signals.map((record) => record.page));
  const limit = pLimit(PAGE_READS);
  const result: Omit<ReresolveResult, 'refresh'> = { reread: 0, moved: [], unreadable: [] };
  await Promise.all(
    pages
      .filter((page) => options.all || !known.has(page.page))
      .map((page) =>
        limit(async () => {
          try {
            if (await reresolvePage(dependencies, page, result)) result.reread++;
          } catch (error) {
            result.unreadable.push({
              page: page.page,
              error: error instanceof RedlineError || error instanceof Error ? error.message : String(error),
            });
          }
        }),
      ),
  );
  result.moved.sort((a, b) => a.page.localeCompare(b.page));
  result.unreadable.sort((a, b) => a.page.localeCompare(b.page));
  return { ...result, refresh: await refreshSeriesLineage(dependencies) };
}

/** False for a page never captured (nothing stored to read). */
async function reresolvePage(dependencies: LineageDependencies, page: PageRecord, result: Omit<ReresolveResult, 'refresh'>): Promise<boolean> {
  const newest = await newestRaw(dependencies, page.page);
  if (!newest) return false;
  const raw = await dependencies.snapshots.getRaw(newest.key);
  const { identity } = readPage(new TextDecoder().decode(raw.body), { url: page.url, profile: page.profile });
  let record = page;
  if (identity.series !== undefined && identity.series !== page.series && identity.edition === page.edition) {
    record = { ...page, series: identity.series };
    await dependencies.revisions.putPage(record);
    result.moved.push({ page: page.page, ...(page.series ? { from: page.series } : {}), to: identity.series });
  }
  await recordPageSignals(dependencies, record, identity, (newest.lastModified ?? dependencies.now()).toISOString());
  return true;
}

async function newestRaw(dependencies: LineageDependencies, page: string): Promise<StoredObjectSummary | undefined> {
  let newest: StoredObjectSummary | undefined;
  for await (const summary of dependencies.snapshots.listRaw(page)) {
    if (!newest || (summary.lastModified?.getTime() ?? 0) > (newest.lastModified?.getTime() ?? 0)) newest = summary;
  }
  return newest;
}
