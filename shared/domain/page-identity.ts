import { unwrapArchiveUrl } from './identity/archive-url.js';
import { selectProfile, type PageIdentity, type Profile } from './profiles/index.js';
import { fnv1a64 } from './sentences.js';

/**
 * Page ids (docs/data-model.md, docs/page-identity.md): `hrr.kazakhstan.2019` for pages whose profile gives a series
 * and an edition (the page's own series, from its URL slug: a renamed slug is another series, which lineage links),
 * `<host>.<12 hex of a hash of the URL>` otherwise. URL-safe, no slashes, stable for a URL.
 */
export function pageIdFor(url: string, identity: PageIdentity = identify(url).identity): string {
  if (identity.series && identity.edition !== undefined) {
    return `${identity.series.replaceAll('/', '.')}.${identity.edition}`;
  }
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/[^A-Za-z0-9.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'page';
  return `${host}.${fnv1a64(normaliseUrl(parsed)).slice(0, 12)}`;
}

/**
 * Identity from a URL alone (an archive URL is unwrapped first; a malformed one throws ArchiveUrlError). Pages read
 * with their content are identified by readPage (extract.ts), which weighs the page's own evidence too.
 */
export function identify(url: string): { profile: Profile; identity: PageIdentity } {
  const parsed = new URL(unwrapArchiveUrl(url).url);
  const profile = selectProfile(parsed);
  return { profile, identity: profile.identify(parsed) };
}

/** The URL of the next edition of a series whose URL carries the year, e.g. .../2024-country-reports-.../kazakhstan. */
export function nextEditionUrl(url: string, edition: number): string | undefined {
  const parsed = new URL(url);
  const year = String(edition);
  if (!parsed.pathname.includes(year)) return undefined;
  parsed.pathname = parsed.pathname.replace(year, String(edition + 1));
  const { identity } = identify(parsed.toString());
  return identity.edition === edition + 1 ? parsed.toString() : undefined;
}

/** Fragment dropped, host lower-cased (the URL parser does it), so trivial spellings of one URL share an id. */
function normaliseUrl(url: URL): string {
  const copy = new URL(url.toString());
  copy.hash = '';
  return copy.toString();
}
