import { cleanText } from '../extracted-text.js';
import { unwrapArchiveUrl } from '../identity/archive-url.js';
import { bestSegmentMatch, nameParts, slugify } from '../identity/names.js';
import type { PageEvidence } from '../identity/page-evidence.js';
import type { LineageSignals, PageIdentity } from './profile.js';

/**
 * Which report a State Department page is, from its URL read together with what the page says about itself.
 *
 * URL: `/reports/<year>-country-reports-on-human-rights-practices/<country>[/<part>]/`. Archives and the site itself
 * bend that shape: capitals in the slug, a publishing system's suffixes (`__trashed` on a restored post, `-2` on a
 * duplicate), a segment left over before the country. The page's own words settle each case: its headline, title
 * and breadcrumb name the country, and its "View report by" menu links to the edition's other reports. A segment
 * the page neither names nor links to as a report is not part of the identity; a suffix is dropped only when the
 * name without it is the one the page gives.
 */

export const REPORT_HOME = 'https://www.state.gov';
const REPORT_ROOT = /^(\d{4})-country-reports-on-human-rights-practices$/;
const HEADLINE_PREFIX = /^(\d{4}) Country Reports on Human Rights Practices\s*(?::\s*(.*))?$/i;
const HEADLINE_CLASS = 'report-header__headline';
const SITE_TITLE_SUFFIX = / [-\u2013|] United States Department of State$/;
const TAXONOMY_PREFIX = 'state_countries_and_areas-';
/** Suffixes a publishing system adds to a slug: a trashed-and-restored post, a duplicate's counter. */
const CMS_SUFFIX = /(?:__trashed(?:-\d+)?|-\d{1,2})$/;
const REPORT_TEMPLATE_CLASSES = ['single-state_report', 'type-state_report'];

export interface ReportPath {
  /** Segments before `reports` (a mirror's own prefix), kept in the normal URL. */
  prefix: string[];
  root: string;
  year: number;
  /** Segments after the report root, lower-cased and percent-decoded. */
  rest: string[];
}

export function reportPath(url: URL): ReportPath | undefined {
  const segments = url.pathname
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => decodeSegment(segment).toLowerCase());
  for (let index = 1; index < segments.length; index++) {
    const match = REPORT_ROOT.exec(segments[index]!);
    if (!match || segments[index - 1] !== 'reports') continue;
    const rest = segments.slice(index + 1);
    if (rest.length === 0) return undefined;
    return { prefix: segments.slice(0, index - 1), root: segments[index]!, year: Number(match[1]), rest };
  }
  return undefined;
}

export function cleanSiteTitle(title: string): string {
  return title.replace(SITE_TITLE_SUFFIX, '');
}

/** The names the page gives its subject, best first: headline, breadcrumb, title, og:title. */
export function pageNames(evidence: PageEvidence | undefined): string[] {
  if (!evidence) return [];
  const names: string[] = [];
  const add = (name: string | undefined) => {
    const trimmed = name?.trim();
    if (trimmed && !names.includes(trimmed)) names.push(trimmed);
  };
  add(headlineName(evidence));
  const trail = evidence.breadcrumb;
  const root = trail.findIndex((item) => HEADLINE_PREFIX.test(item.name));
  if (root >= 0) for (const item of trail.slice(root + 1)) add(item.name);
  if (evidence.title) add(cleanSiteTitle(evidence.title));
  if (evidence.metaTitle) add(cleanSiteTitle(evidence.metaTitle));
  return names;
}

function headline(evidence: PageEvidence): string | undefined {
  return evidence.headlines.find((candidate) => candidate.classes.includes(HEADLINE_CLASS))?.text;
}

/** "2019 Country Reports on Human Rights Practices: Kazakhstan" -> "Kazakhstan" (a headline without the prefix is the name). */
function headlineName(evidence: PageEvidence): string | undefined {
  const text = headline(evidence);
  if (!text) return undefined;
  const match = HEADLINE_PREFIX.exec(text);
  return match ? match[2] || undefined : text;
}

/** The edition the page states: its headline's year, else its breadcrumb's report root. */
function statedYear(evidence: PageEvidence): number | undefined {
  for (const text of [headline(evidence), ...evidence.breadcrumb.map((item) => item.name)]) {
    const match = text ? HEADLINE_PREFIX.exec(text) : null;
    if (match) return Number(match[1]);
  }
  return undefined;
}

export function taxonomySlugs(evidence: PageEvidence): string[] {
  return evidence.articleClasses
    .filter((name) => name.startsWith(TAXONOMY_PREFIX))
    .map((name) => name.slice(TAXONOMY_PREFIX.length))
    .filter(Boolean);
}

export function reportSignals(evidence: PageEvidence): LineageSignals {
  const name = pageNames(evidence)[0];
  const taxonomy = taxonomySlugs(evidence);
  return { ...(name ? { name } : {}), ...(taxonomy.length > 0 ? { taxonomy } : {}) };
}

interface PlacedSegment {
  slug: string;
  score: number;
}

/** A segment, or the segment without a publishing system's suffix when that is what the page names. */
function placeSegment(segment: string, names: readonly string[]): PlacedSegment {
  const original = { slug: segment, score: bestSegmentMatch(segment, names) };
  const stripped = segment.replace(CMS_SUFFIX, '');
  if (stripped === segment || names.length === 0) return original;
  if (stripped === '') {
    // The whole slug is a suffix (a post restored from the trash with no title slug): the page's name is the slug.
    const named = names[0] ? slugify(nameParts(names[0])[0]!.replace(/\([^)]*\)/g, ' ')) : '';
    return named ? { slug: named, score: 3 } : original;
  }
  const candidate = { slug: stripped, score: bestSegmentMatch(stripped, names) };
  return candidate.score > original.score ? candidate : original;
}

/** Does the page's own navigation link to the report `<root>/<segment>/` (a report of this edition)? */
function linksToReport(evidence: PageEvidence | undefined, root: string, segment: string): boolean {
  if (!evidence) return false;
  const tail = `/${root}/${segment}`;
  return evidence.links.some((link) => {
    const path = pathOf(link.url)?.toLowerCase().replace(/\/+$/, '');
    return path !== undefined && path.endsWith(tail);
  });
}

/** Reads a report URL with the page's evidence. */
export function identifyReport(url: URL, evidence: PageEvidence | undefined): PageIdentity {
  const path = reportPath(url);
  if (!path) return {};
  const names = pageNames(evidence);
  const notes: string[] = [];
  const placed = path.rest.map((segment) => placeSegment(segment, names));
  placed.forEach((segment, index) => {
    if (segment.slug !== path.rest[index]) notes.push(`URL segment "${path.rest[index]}" read as "${segment.slug}" (the name the page gives)`);
  });

  let segments: string[];
  const subject = lastIndexOfBest(placed);
  if (subject < 0) {
    // Nothing the page says matches a segment: the URL's own shape decides (country, then an optional part).
    if (path.rest.length > 2) {
      notes.push(`${path.rest.length} path segments and nothing in the page naming one of them: the country cannot be told`);
      return { notes };
    }
    if (names.length > 0) notes.push(`the page's name "${names[0]}" matches no URL segment; the URL's shape decides`);
    segments = placed.map((segment) => segment.slug);
  } else {
    // Before the country: a parent report (named by the page, or a report the page links to) or a stray segment.
    const before = placed.slice(0, subject);
    const parentIndex = subject - 1;
    const parent = before[parentIndex];
    const isParent = parent !== undefined && (parent.score > 0 || linksToReport(evidence, path.root, parent.slug));
    for (const [index, segment] of before.entries()) {
      if (!(isParent && index === parentIndex))
        notes.push(`URL segment "${segment.slug}" left out: the page neither names it nor links to it as a report`);
    }
    const after = placed.slice(subject + 1, subject + 2);
    for (const segment of placed.slice(subject + 2)) notes.push(`URL segment "${segment.slug}" left out: a report has at most a country and a part`);
    segments = [...(isParent ? [parent.slug] : []), placed[subject]!.slug, ...after.map((segment) => segment.slug)];
  }
  if (segments.length > 2) {
    notes.push(`${segments.length} segments name the report: the country cannot be told`);
    return { notes };
  }
  const canonical = new URL(url.toString());
  canonical.pathname = `/${[...path.prefix, 'reports', path.root, ...segments].join('/')}/`;
  canonical.search = '';
  canonical.hash = '';
  return { series: `hrr/${segments.join('/')}`, edition: path.year, canonicalUrl: canonical.toString(), ...(notes.length > 0 ? { notes } : {}) };
}

/** The segment the page names best (the last one on a tie: the country comes after any parent); -1 for none. */
function lastIndexOfBest(placed: readonly PlacedSegment[]): number {
  let best = -1;
  placed.forEach((segment, index) => {
    if (segment.score > 0 && (best < 0 || segment.score >= placed[best]!.score)) best = index;
  });
  return best;
}

/**
 * A report page that names no URL of its own: its navigation's link to itself (the menu lists every report of the
 * edition by name), else its headline's year and name with the taxonomy term that spells the name.
 */
export function recogniseReport(evidence: PageEvidence): { url: string; via: string } | undefined {
  const isReportTemplate =
    REPORT_TEMPLATE_CLASSES.some((name) => evidence.bodyClasses.includes(name) || evidence.articleClasses.includes(name)) ||
    headline(evidence) !== undefined;
  if (!isReportTemplate) return undefined;
  const name = pageNames(evidence)[0];
  if (!name) return undefined;
  const stated = statedYear(evidence);
  const home = siteOrigin(evidence, stated);
  // The menu's link to this page: its text is the page's name, its year the page's (when the page states one).
  const wanted = slugify(name);
  const selfLinks = evidence.links.flatMap((link) => {
    if (slugify(link.text) !== wanted) return [];
    const url = absolute(unwrappedOrAsIs(link.url), home);
    const path = url ? reportPath(url) : undefined;
    return url && path && (stated === undefined || path.year === stated) ? [{ url, year: path.year, text: cleanText(link.text) }] : [];
  });
  const years = new Set(selfLinks.map((link) => link.year));
  if (selfLinks.length > 0 && years.size === 1) return { url: selfLinks[0]!.url.toString(), via: `the page's menu link to "${selfLinks[0]!.text}"` };
  const year = stated;
  if (year === undefined) return undefined;
  const parts = nameParts(name).map((part) => slugify(part.replace(/\([^)]*\)/g, ' ')));
  const term = taxonomySlugs(evidence).find((slug) => parts.includes(slug));
  const slug = term ?? slugify(name.replace(/\([^)]*\)/g, ' '));
  if (!slug) return undefined;
  return {
    url: `${home}/reports/${year}-country-reports-on-human-rights-practices/${slug}/`,
    via: term ? `the headline "${name}" (${year}) and the taxonomy term "${term}"` : `the headline "${name}" (${year})`,
  };
}

/** Where the site lives: the host its breadcrumb or its own report links name, else the site's home. */
function siteOrigin(evidence: PageEvidence, year: number | undefined): string {
  for (const candidate of [...evidence.breadcrumb.map((item) => item.url), ...evidence.links.map((link) => link.url)]) {
    const url = candidate ? absolute(unwrappedOrAsIs(candidate), undefined) : undefined;
    const path = url ? reportPath(url) : undefined;
    if (
      url &&
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      ((path && (year === undefined || path.year === year)) || REPORT_ROOT.test(lastSegment(url)))
    ) {
      return url.origin;
    }
  }
  return REPORT_HOME;
}

function lastSegment(url: URL): string {
  return url.pathname.split('/').filter(Boolean).at(-1) ?? '';
}

/** A link's original when it is archive-wrapped; a malformed archive link is just not evidence. */
function unwrappedOrAsIs(value: string): string {
  try {
    return unwrapArchiveUrl(value).url;
  } catch {
    return value;
  }
}

function absolute(value: string, base: string | undefined): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

function pathOf(value: string): string | undefined {
  try {
    return new URL(value, REPORT_HOME).pathname;
  } catch {
    return undefined;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
