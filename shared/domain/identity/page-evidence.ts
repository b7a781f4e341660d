import { decodeHTML } from 'entities';
import { cleanText } from '../extracted-text.js';

/**
 * What a page says about itself, read in the same streaming pass as its body (extract.ts feeds the collector).
 * Nothing here is specific to a site: profiles interpret it (page-identity-resolution.ts, profiles/*).
 */
export interface PageEvidence {
  /** `<link rel="canonical">` as written. */
  canonical?: string;
  /** `og:url` (or `twitter:url`) as written. */
  metaUrl?: string;
  /** `<title>` text. */
  title?: string;
  /** `og:title`. */
  metaTitle?: string;
  /** The first few h1 elements anywhere in the page, with their classes. */
  headlines: Array<{ text: string; classes: string[] }>;
  /** URLs the JSON-LD gives for the page itself (`url`, `@id` without fragment, of WebPage-like nodes). */
  jsonLdUrls: string[];
  /** The JSON-LD breadcrumb trail, outermost first (`url` absent for the last item, the page). */
  breadcrumb: Array<{ name: string; url?: string }>;
  /** `datePublished` / `dateModified` as the JSON-LD states them. */
  jsonLdDates: { published?: string; modified?: string };
  /** Other `<meta>` values by lower-cased name/property (first value kept). */
  meta: Record<string, string>;
  /** The `url` parameter of oEmbed discovery links (`<link rel="alternate" type="...oembed">`). */
  alternateUrls: string[];
  /** Classes of the page's `<body>` and its first `<article>`. */
  bodyClasses: string[];
  articleClasses: string[];
  /** Links and menu options with their text as written (the page's own navigation), in page order, capped. */
  links: Array<{ url: string; text: string }>;
  /** What a web archive left in the page. */
  archive: {
    /** The archive's toolbar markers (`<!-- BEGIN ... TOOLBAR INSERT -->` ... `END`) were seen. */
    toolbar: boolean;
    /** The capture time the archive's closing comment states (`FILE ARCHIVED ON 13:05:13 Mar 02, 2020`), ISO. */
    archivedOn?: string;
  };
}

export function emptyEvidence(): PageEvidence {
  return {
    headlines: [],
    jsonLdUrls: [],
    breadcrumb: [],
    jsonLdDates: {},
    meta: {},
    alternateUrls: [],
    bodyClasses: [],
    articleClasses: [],
    links: [],
    archive: { toolbar: false },
  };
}

const MAX_HEADLINES = 5;
const MAX_LINKS = 4000;
const MAX_LINK_TEXT = 300;
const MAX_JSON_LD_DEPTH = 6;
const TOOLBAR_BEGIN = /^\s*BEGIN\b.*\bTOOLBAR INSERT\s*$/i;
const TOOLBAR_END = /^\s*END\b.*\bTOOLBAR INSERT\s*$/i;
const ARCHIVED_ON = /\bFILE ARCHIVED ON (\d{1,2}:\d{2}:\d{2}) ([A-Z][a-z]{2}) (\d{1,2}), (\d{4})\b/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Capture {
  depth: number;
  text: string;
  /** Whitespace normalised before `finish` (links are many and compared by slug: theirs is left as written). */
  clean: boolean;
  finish(text: string): void;
}

/** Reads PageEvidence from parser events: open and close elements (with their stack depth), text and comments. */
export class EvidenceCollector {
  readonly evidence = emptyEvidence();
  private readonly captures: Capture[] = [];
  private jsonLd: string | undefined;
  private articleSeen = false;
  /** Inside the archive's toolbar (between its markers): nothing there is the page's. */
  inArchiveToolbar = false;

  openElement(name: string, attributes: Readonly<Record<string, string>>, depth: number): void {
    const evidence = this.evidence;
    switch (name) {
      case 'link': {
        const rel = attributes.rel?.toLowerCase().split(/\s+/) ?? [];
        if (rel.includes('canonical') && attributes.href && evidence.canonical === undefined) evidence.canonical = attributes.href;
        if (rel.includes('alternate') && attributes.href && /oembed/i.test(attributes.type ?? '')) {
          const embedded = queryParameter(attributes.href, 'url');
          if (embedded) evidence.alternateUrls.push(embedded);
        }
        return;
      }
      case 'meta': {
        const key = (attributes.property ?? attributes.name ?? attributes.itemprop)?.toLowerCase();
        if (!key || attributes.content === undefined) return;
        if ((key === 'og:url' || key === 'twitter:url') && evidence.metaUrl === undefined) evidence.metaUrl = attributes.content;
        if (key === 'og:title' && evidence.metaTitle === undefined) evidence.metaTitle = cleanText(attributes.content);
        if (!(key in evidence.meta)) evidence.meta[key] = attributes.content;
        return;
      }
      case 'title':
        if (evidence.title === undefined) this.capture(depth, (text) => (evidence.title = text));
        return;
      case 'script':
        if (attributes.type?.toLowerCase() === 'application/ld+json') this.jsonLd = '';
        return;
      case 'body':
        evidence.bodyClasses = classList(attributes.class);
        return;
      case 'article':
        if (!this.articleSeen) {
          this.articleSeen = true;
          evidence.articleClasses = classList(attributes.class);
        }
        return;
      case 'h1':
        if (evidence.headlines.length < MAX_HEADLINES) {
          const classes = classList(attributes.class);
          this.capture(depth, (text) => {
            if (text) evidence.headlines.push({ text, classes });
          });
        }
        return;
      case 'a':
      case 'option': {
        const url = name === 'a' ? attributes.href : attributes.value;
        if (url && !url.startsWith('#') && evidence.links.length < MAX_LINKS) {
          this.capture(
            depth,
            (text) => {
              if (evidence.links.length < MAX_LINKS && /\S/.test(text)) evidence.links.push({ url, text: text.slice(0, MAX_LINK_TEXT) });
            },
            false,
          );
        }
        return;
      }
    }
  }

  text(text: string): void {
    if (this.jsonLd !== undefined) this.jsonLd += text;
    for (const capture of this.captures) if (capture.text.length < MAX_LINK_TEXT * 4) capture.text += text;
  }

  closeElement(name: string, depth: number): void {
    if (name === 'script' && this.jsonLd !== undefined) {
      this.readJsonLd(this.jsonLd);
      this.jsonLd = undefined;
    }
    while (this.captures.length > 0 && this.captures[this.captures.length - 1]!.depth >= depth) {
      const capture = this.captures.pop()!;
      capture.finish(capture.clean ? cleanText(capture.text) : capture.text);
    }
  }

  comment(text: string): void {
    if (TOOLBAR_BEGIN.test(text)) {
      this.evidence.archive.toolbar = true;
      this.inArchiveToolbar = true;
    } else if (TOOLBAR_END.test(text)) {
      this.inArchiveToolbar = false;
    }
    const archived = ARCHIVED_ON.exec(text);
    if (archived && this.evidence.archive.archivedOn === undefined) {
      const month = MONTHS.indexOf(archived[2]!);
      const time = Date.parse(
        `${archived[4]}-${String(month + 1).padStart(2, '0')}-${archived[3]!.padStart(2, '0')}T${archived[1]!.padStart(8, '0')}Z`,
      );
      if (month >= 0 && !Number.isNaN(time)) this.evidence.archive.archivedOn = new Date(time).toISOString();
    }
  }

  private capture(depth: number, finish: (text: string) => void, clean = true): void {
    this.captures.push({ depth, text: '', clean, finish });
  }

  private readJsonLd(block: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(block);
    } catch {
      return; // Malformed JSON-LD is common on the web; it is optional evidence.
    }
    const evidence = this.evidence;
    const visit = (value: unknown, depth: number): void => {
      if (depth > MAX_JSON_LD_DEPTH || value === null || typeof value !== 'object') return;
      if (Array.isArray(value)) {
        for (const item of value) visit(item, depth + 1);
        return;
      }
      const node = value as Record<string, unknown>;
      const types = [node['@type']].flat().filter((type): type is string => typeof type === 'string');
      evidence.jsonLdDates.published ??= dateValue(node.datePublished);
      evidence.jsonLdDates.modified ??= dateValue(node.dateModified);
      if (types.some((type) => /Page$|Article$|Report$/.test(type))) {
        for (const url of [stringValue(node.url), stringValue(node['@id'])]) {
          const page = url?.split('#')[0];
          if (page && !evidence.jsonLdUrls.includes(page)) evidence.jsonLdUrls.push(page);
        }
      }
      if (types.includes('BreadcrumbList') && evidence.breadcrumb.length === 0 && Array.isArray(node.itemListElement)) {
        for (const item of node.itemListElement as unknown[]) {
          if (item === null || typeof item !== 'object') continue;
          const entry = item as Record<string, unknown>;
          const name = stringValue(entry.name);
          const url = stringValue(entry.item) ?? stringValue((entry.item as Record<string, unknown> | undefined)?.['@id']);
          if (name) evidence.breadcrumb.push({ name: cleanText(decodeHTML(name)), ...(url ? { url } : {}) });
        }
      }
      if (node['@graph']) visit(node['@graph'], depth + 1);
    };
    visit(parsed, 0);
  }
}

function classList(value: string | undefined): string[] {
  return value ? value.split(/\s+/).filter((name) => name.length > 0) : [];
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function dateValue(value: unknown): string | undefined {
  const text = stringValue(value);
  return text !== undefined && !Number.isNaN(Date.parse(text)) ? text : undefined;
}

function queryParameter(href: string, name: string): string | undefined {
  const query = href.indexOf('?');
  if (query < 0) return undefined;
  try {
    return new URLSearchParams(href.slice(query + 1).split('#')[0]).get(name) ?? undefined;
  } catch {
    return undefined;
  }
}
