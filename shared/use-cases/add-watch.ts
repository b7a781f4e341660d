import { unwrapArchiveUrl } from '../domain/identity/archive-url.js';
import { identify, pageIdFor } from '../domain/page-identity.js';
import { ValidationError } from '../errors.js';
import type { PageRecord } from '../domain/page-records.js';
import type { TrackerDependencies } from './tracker-dependencies.js';

export interface AddWatchRequest {
  url: string;
  /** Minutes between checks (default: the tracker's default interval). */
  intervalMinutes?: number;
  /** Fetch even where robots.txt disallows it: only for pages whose owner agreed. */
  robotsOverride?: boolean;
  /** How the page came to be watched: by a person, found by a new-edition probe, or read from an archive (import). */
  origin?: 'watch' | 'probe' | 'import';
  /**
   * Who the page is, when its content has been read already (an import resolves it from the page's evidence);
   * otherwise it comes from the URL alone.
   */
  identity?: { profile: string; series?: string; edition?: number };
}

export interface AddWatchResult {
  page: PageRecord;
  /** False when the page was already watched (its record is returned unchanged). */
  created: boolean;
}

/**
 * Starts watching a URL. The URL is validated by the caller's policy (`assertUrl`: the SSRF guard for URLs that users
 * submit). Idempotent: watching a watched page changes nothing.
 */
export async function addWatch(
  dependencies: Pick<TrackerDependencies, 'revisions' | 'now' | 'settings'>,
  request: AddWatchRequest,
  assertUrl: (url: string) => URL = (url) => new URL(url),
): Promise<AddWatchResult> {
  let url: URL;
  try {
    // An archive snapshot never changes: watching one means watching the page it captured (checked like any URL).
    url = assertUrl(unwrapArchiveUrl(request.url).url);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(`Invalid url: ${(error as Error).message}`, { cause: error });
  }
  if (request.intervalMinutes !== undefined && (!Number.isInteger(request.intervalMinutes) || request.intervalMinutes < 5)) {
    throw new ValidationError('intervalMinutes must be an integer of at least 5');
  }
  const resolved = identify(url.toString());
  const identity = request.identity ?? { profile: resolved.profile.name, ...resolved.identity };
  const now = dependencies.now().toISOString();
  const record: PageRecord = {
    page: pageIdFor(url.toString(), identity),
    url: url.toString(),
    profile: identity.profile,
    ...(identity.series !== undefined ? { series: identity.series } : {}),
    ...(identity.edition !== undefined ? { edition: identity.edition } : {}),
    createdAt: now,
    consecutiveFailures: 0,
    nextDueAt: now,
    intervalMinutes: request.intervalMinutes ?? dependencies.settings.defaultIntervalMinutes,
    ...(request.robotsOverride ? { robotsOverride: true } : {}),
    origin: request.origin ?? 'watch',
  };
  // A series has one page per edition: one watched already, under another id (an older slug, an id from before
  // identity came from evidence), is that page.
  const watched = await watchedEdition(dependencies, identity);
  if (watched) return { page: watched, created: false };
  const { written } = await dependencies.revisions.putPage(record, { onlyIfNew: true });
  if (written) return { page: record, created: true };
  const existing = await dependencies.revisions.getPage(record.page);
  return { page: existing ?? record, created: false };
}

async function watchedEdition(
  dependencies: Pick<TrackerDependencies, 'revisions'>,
  identity: { series?: string; edition?: number },
): Promise<PageRecord | undefined> {
  if (identity.series === undefined || identity.edition === undefined) return undefined;
  let cursor: string | undefined;
  do {
    const batch = await dependencies.revisions.listPages({ series: identity.series, cursor, limit: 500 });
    const found = batch.items.find((page) => page.edition === identity.edition);
    // The series index can name a page whose item is gone or was never written (a put that failed half way, as
    // dynalite's does on a full disk: index entry written, item not): only the item itself says it is watched.
    if (found) {
      const page = await dependencies.revisions.getPage(found.page);
      if (page) return page;
    }
    cursor = batch.cursor;
  } while (cursor);
  return undefined;
}
