import type { PageEvidence } from '../identity/page-evidence.js';

/**
 * A Profile says how to read one kind of site: which URLs it covers (and the series/edition they give), where the
 * report body is, which elements are chrome, and what each heading means in the outline.
 * The extraction engine (extract.ts) interprets it in one streaming pass.
 */

export interface ElementInfo {
  name: string;
  attributes: Readonly<Record<string, string>>;
}

export interface PageIdentity {
  /** Series the page belongs to, e.g. "hrr/kazakhstan": the page's own series, from its URL (see docs/page-identity.md). */
  series?: string;
  /** Edition within the series, e.g. the report year. */
  edition?: number;
  /** The page's URL in the profile's normal form (case, CMS suffixes, extra segments and trailing slash settled). */
  canonicalUrl?: string;
  /** How the page's evidence changed the reading of the URL (a suffix dropped, a segment left out...). */
  notes?: string[];
}

/** What a page says about which series it continues: compared across editions to link renamed series. */
export interface LineageSignals {
  /** The name the page gives its subject ("Kazakhstan", "China (Includes Hong Kong, Macau, and Tibet)"). */
  name?: string;
  /** The site's taxonomy terms for the subject (slugs), as the page lists them. */
  taxonomy?: string[];
}

export interface HeadingReading {
  /** Outline rank: smaller is higher. A heading becomes a child of the nearest open heading of smaller rank. */
  rank: number;
  /** Heading text with any outline number removed. */
  heading: string;
  /** Outline number as printed ("1", "c"); combined with the parent's number when `nested` is set. */
  number?: string;
  /** The number continues the parent's ("c" under "1" prints as "1.c"). */
  nested?: boolean;
}

export interface HeadingContext {
  /** A number label seen just before this heading ("Section 1." in its own element), if any. */
  pendingLabel?: string;
}

export interface Profile {
  readonly name: string;
  matches(url: URL): boolean;
  /** Series, edition and normal URL of a URL this profile matches, read with the page's evidence when there is some. */
  identify(url: URL, evidence?: PageEvidence): PageIdentity;
  /** The page's URL from in-page evidence alone (headline, navigation, taxonomy), for a page that names no URL. */
  recognise?(evidence: PageEvidence): { url: string; via: string } | undefined;
  /** The page's lineage signals. */
  signals?(evidence: PageEvidence): LineageSignals;
  /** The site's own hosts: a page from one of them that this profile does not place is reported by imports. */
  readonly hosts?: readonly string[];
  /** The element that holds the report body. */
  isBodyRoot(element: ElementInfo): boolean;
  /** What to use when no body root exists; absent means the page is not readable by this profile. */
  isFallbackBodyRoot?(element: ElementInfo): boolean;
  /** Elements skipped with everything inside them (page chrome, scripts, icons). */
  isChrome(element: ElementInfo): boolean;
  isHeading(element: ElementInfo): boolean;
  /** Interprets a heading once its text is known; undefined means "not an outline heading, treat as a paragraph". */
  readHeading(element: ElementInfo, text: string, context: HeadingContext): HeadingReading | undefined;
  /** An element that only carries an outline number for the next heading ("Section 1."). */
  isNumberLabel?(element: ElementInfo): boolean;
  /**
   * Navigation inside the body ("Read a Section: China | Hong Kong | ..."): a heading with such text is skipped with
   * its content, a paragraph is dropped.
   */
  isNavigation?(text: string): boolean;
  /** The element whose text is the best title for the page (checked anywhere in the page). */
  isTitleElement?(element: ElementInfo): boolean;
  /** Clean-up of the <title> text (site suffixes). */
  cleanTitle?(title: string): string;
  /** The body must yield at least one outline heading, or the structure is considered lost. */
  readonly requiresHeadings: boolean;
  /** Phrases whose presence across editions tells a story of the report's own (`redline editions phrases`). */
  readonly keyPhrases?: readonly string[];
}

export function hasClass(element: ElementInfo, className: string): boolean {
  const classes = element.attributes.class;
  if (!classes) return false;
  // Called for most elements of a page: a boundary-checked indexOf, with no allocation.
  for (let index = classes.indexOf(className); index >= 0; index = classes.indexOf(className, index + 1)) {
    const end = index + className.length;
    if ((index === 0 || isSpace(classes.charCodeAt(index - 1))) && (end === classes.length || isSpace(classes.charCodeAt(end)))) {
      return true;
    }
  }
  return false;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}
