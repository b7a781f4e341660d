import { ArchiveUrlError } from '../../errors.js';
import { genericProfile, PROFILES, selectProfile, type LineageSignals, type Profile } from '../profiles/index.js';
import { unwrapArchiveUrl, type ArchiveCapture } from './archive-url.js';
import type { PageEvidence } from './page-evidence.js';

/**
 * A page's identity (profile, series, edition, canonical URL) from the URL it came with and what the page says about
 * itself. Every URL goes through the archive unwrapping first; then, in order:
 *   1. the given URL (a watched page's own address) when a site profile reads it;
 *   2. the page's canonical link, og:url, JSON-LD page URL and oEmbed link, the first a site profile reads;
 *   3. a site profile that recognises the page from its content alone (its headline, menu, taxonomy);
 *   4. otherwise the generic profile, with the first usable URL of the page (else the given one).
 * What was looked at and could not be used is kept in `tried`, so a page nothing identifies can say why.
 */
export interface IdentityInput {
  /** The URL the page came from (fetched, declared by a WARC record, given by a user), if any. */
  url?: string;
  evidence: PageEvidence;
  /** A profile to use whatever the page says (a watched page keeps the profile it was watched with). */
  profile?: Profile;
}

export interface ResolvedPageIdentity {
  profile: Profile;
  /** The page's own series (from its URL as the evidence reads it) and edition. */
  series?: string;
  edition?: number;
  /** The page's canonical URL: unwrapped, and normalised by its profile. Undefined when nothing names one. */
  canonicalUrl?: string;
  /** Which evidence gave the identity, e.g. "canonical link" or "the given URL". */
  identifiedBy?: string;
  /** What was used, in words (for reports and `redline series`). */
  evidence: string[];
  /** What was looked at and could not be used, and why. */
  tried: string[];
  /** Set when the page came through a web archive: the capture the archive's URL or comment states. */
  archive?: ArchiveCapture | { capturedAt: string; archive: 'comment' };
  signals: LineageSignals;
}

interface Candidate {
  source: string;
  url: URL;
}

export function resolvePageIdentity(input: IdentityInput): ResolvedPageIdentity {
  const { evidence } = input;
  const tried: string[] = [];
  const used: string[] = [];
  let archive: ResolvedPageIdentity['archive'];

  // The given URL is the caller's: a malformed archive URL there is the caller's error, not a page to skip.
  let given: Candidate | undefined;
  if (input.url !== undefined) {
    const unwrapped = unwrapArchiveUrl(input.url);
    if (unwrapped.capture) archive = unwrapped.capture;
    const url = webUrl(unwrapped.url);
    if (url) given = { source: 'the given URL', url };
    else if (input.url !== 'about:blank') tried.push(`the given URL ${input.url}: not a web address`);
  }

  const inPage: Candidate[] = [];
  const consider = (source: string, value: string | undefined, reportMissing: boolean) => {
    if (value === undefined || value.trim() === '') {
      if (reportMissing) tried.push(`no ${source}`);
      return;
    }
    try {
      const unwrapped = unwrapArchiveUrl(value);
      if (unwrapped.capture) archive ??= unwrapped.capture;
      const url = webUrl(unwrapped.url, unwrapped.capture ? undefined : given?.url.toString());
      if (url) inPage.push({ source: unwrapped.capture ? `${source} (archive-wrapped)` : source, url });
      else tried.push(`${source} ${JSON.stringify(value)}: not a web address${/^file:/i.test(value) ? ' (a local file)' : ''}`);
    } catch (error) {
      if (!(error instanceof ArchiveUrlError)) throw error;
      tried.push(`${source}: ${error.message}`);
    }
  };
  consider('canonical link', evidence.canonical, true);
  consider('og:url', evidence.metaUrl, true);
  for (const url of evidence.jsonLdUrls) consider('JSON-LD page URL', url, false);
  for (const url of evidence.alternateUrls) consider('oEmbed link', url, false);
  if (evidence.archive.archivedOn && !archive) archive = { capturedAt: evidence.archive.archivedOn, archive: 'comment' };

  const sitePage = (candidate: Candidate) => {
    const profile = selectProfile(candidate.url);
    return profile.name !== genericProfile.name ? profile : undefined;
  };

  let profile = input.profile;
  let source: Candidate | undefined;
  if (profile) {
    source = [given, ...inPage].find((candidate) => candidate && profile!.matches(candidate.url));
  } else {
    for (const candidate of [given, ...inPage]) {
      if (!candidate) continue;
      const found = sitePage(candidate);
      if (found) {
        profile = found;
        source = candidate;
        break;
      }
    }
  }
  if (!profile || (!source && profile.name !== genericProfile.name)) {
    const site = input.profile ? [input.profile] : PROFILES;
    for (const candidate of site) {
      const recognised = candidate.recognise?.(evidence);
      if (!recognised) continue;
      const url = webUrl(unwrapArchiveUrl(recognised.url).url);
      if (!url) continue;
      profile = candidate;
      source = { source: recognised.via, url };
      break;
    }
    if (!source)
      for (const candidate of site) if (candidate.recognise) tried.push(`${candidate.name}: the page's content does not say which report it is`);
  }
  profile ??= genericProfile;
  const signals = profile.signals?.(evidence) ?? {};

  if (profile.name === genericProfile.name || !source) {
    const url = inPage[0]?.url ?? given?.url;
    if (url) used.push(`${inPage[0]?.source ?? 'the given URL'}: ${url}`);
    return {
      profile,
      ...(url ? { canonicalUrl: url.toString(), identifiedBy: inPage[0]?.source ?? 'the given URL' } : {}),
      evidence: used,
      tried,
      ...(archive ? { archive } : {}),
      signals,
    };
  }

  const identity = profile.identify(source.url, evidence);
  used.push(`${source.source}: ${source.url}`);
  for (const note of identity.notes ?? []) used.push(note);
  // The canonical URL is the page's own declaration when the profile reads it, else the identity's source.
  const declared = inPage.find((candidate) => profile!.matches(candidate.url));
  const declaredIdentity = declared === source ? identity : declared ? profile.identify(declared.url, evidence) : undefined;
  const canonical = declared ? (declaredIdentity!.canonicalUrl ?? declared.url.toString()) : (identity.canonicalUrl ?? source.url.toString());
  return {
    profile,
    ...(identity.series !== undefined ? { series: identity.series } : {}),
    ...(identity.edition !== undefined ? { edition: identity.edition } : {}),
    canonicalUrl: canonical,
    identifiedBy: source.source,
    evidence: used,
    tried,
    ...(archive ? { archive } : {}),
    signals,
  };
}

/** An absolute http(s) URL (resolved against `base` when relative), or undefined. */
function webUrl(value: string, base?: string): URL | undefined {
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
