import { identify, nextEditionUrl, pageIdFor } from '../domain/page-identity.js';
import type { CaptureMessage } from '../ports/capture-queue.js';
import type { PageRecord } from '../domain/page-records.js';
import { addMinutes, type TrackerDependencies } from './tracker-dependencies.js';

export interface DispatchResult {
  /** Pages put on the capture queue. */
  dispatched: string[];
  /** Next-edition URLs put on the queue as probes. */
  probes: string[];
  /** Pages not due yet. */
  notDue: number;
}

/**
 * Enqueues a capture for every page that is due, and a probe for the next edition of each series whose newest
 * watched edition is due. A page enqueued recently and not checked since is not enqueued again until
 * `redispatchAfterMinutes` have passed, so a slow queue does not pile up duplicates (and a lost message costs one
 * redispatch delay).
 */
export async function dispatchDue(
  dependencies: Pick<TrackerDependencies, 'revisions' | 'captureQueue' | 'now' | 'settings'>,
  options: { force?: boolean; pages?: readonly string[] } = {},
): Promise<DispatchResult> {
  const { revisions, captureQueue, settings } = dependencies;
  const now = dependencies.now();
  const pages = await allPages(dependencies, options.pages);
  const due = options.force ? pages : pages.filter((page) => isDue(page, now, settings.redispatchAfterMinutes));
  const requestedAt = now.toISOString();
  const messages: CaptureMessage[] = due.map((page) => ({
    page: page.page,
    url: page.url,
    reason: options.force ? 'manual' : 'scheduled',
    requestedAt,
  }));
  const probes = settings.probeNewEditions ? probeMessages(pages, due, requestedAt, await lineageIds(dependencies)) : [];
  if (messages.length + probes.length > 0) await captureQueue.enqueue([...messages, ...probes]);
  await Promise.all(due.map((page) => revisions.markDispatched(page.page, requestedAt)));
  return { dispatched: due.map((page) => page.page), probes: probes.map((probe) => probe.url), notDue: pages.length - due.length };
}

export function isDue(page: PageRecord, now: Date, redispatchAfterMinutes: number): boolean {
  const dueAt = page.nextDueAt ? Date.parse(page.nextDueAt) : 0;
  if (dueAt > now.getTime()) return false;
  if (!page.dispatchedAt) return true;
  // Enqueued after the last check: wait for that capture unless it is overdue. A failed capture is a finished check
  // too (it set nextDueAt to its backoff): without it, every retry before redispatchAfterMinutes would wait for it.
  const dispatched = Date.parse(page.dispatchedAt);
  const checked = Math.max(page.lastCheckedAt ? Date.parse(page.lastCheckedAt) : 0, page.lastFailureAt ? Date.parse(page.lastFailureAt) : 0);
  return dispatched <= checked || now.getTime() >= Date.parse(addMinutes(new Date(dispatched), redispatchAfterMinutes));
}

/** The lineage of each linked series (a series in none is its own). */
async function lineageIds(dependencies: Pick<TrackerDependencies, 'revisions'>): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const lineage of await dependencies.revisions.listLineages()) for (const member of lineage.members) ids.set(member, lineage.id);
  return ids;
}

/**
 * The newest watched edition of each series (of each lineage: an older slug is not probed), when it is due, yields a
 * probe for the edition after it.
 */
function probeMessages(pages: PageRecord[], due: PageRecord[], requestedAt: string, lineage: ReadonlyMap<string, string>): CaptureMessage[] {
  const newest = new Map<string, PageRecord>();
  for (const page of pages) {
    if (!page.series || page.edition === undefined) continue;
    const series = lineage.get(page.series) ?? page.series;
    const current = newest.get(series);
    if (!current || (current.edition ?? 0) < page.edition) newest.set(series, page);
  }
  const watched = new Set(pages.map((page) => page.page));
  const dueIds = new Set(due.map((page) => page.page));
  const probes: CaptureMessage[] = [];
  for (const page of newest.values()) {
    if (!dueIds.has(page.page)) continue;
    const url = nextEditionUrl(page.url, page.edition!);
    if (!url) continue;
    const { identity } = identify(url);
    const id = pageIdFor(url, identity);
    if (watched.has(id)) continue;
    probes.push({ page: id, url, reason: 'probe', requestedAt, series: page.series!, edition: page.edition! + 1 });
  }
  return probes;
}

async function allPages(dependencies: Pick<TrackerDependencies, 'revisions'>, only: readonly string[] | undefined): Promise<PageRecord[]> {
  if (only) {
    const records = await Promise.all(only.map((page) => dependencies.revisions.getPage(page)));
    return records.filter((record): record is PageRecord => record !== undefined);
  }
  const pages: PageRecord[] = [];
  let cursor: string | undefined;
  do {
    const batch = await dependencies.revisions.listPages({ cursor, limit: 500 });
    pages.push(...batch.items);
    cursor = batch.cursor;
  } while (cursor);
  return pages;
}
