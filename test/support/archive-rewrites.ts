import { Parser } from 'htmlparser2';

/**
 * Rewrites of real pages the ways web archives and saved copies differ from what the site served: archive-wrapped
 * links and head URLs, the archive's toolbar and scripts, URL evidence taken away, slugs respelled. Tags are
 * rewritten in place (found with htmlparser2's indexes): everything else in the page stays byte for byte.
 */

type Attributes = Record<string, string>;
/** Returns the tag's new attributes, or undefined to keep the tag as it is. */
export type TagRewrite = (name: string, attributes: Readonly<Attributes>) => Attributes | undefined | null;

/** Applies `rewrite` to every start tag; `null` removes the tag (and, for a script, its content). */
export function rewriteTags(html: string, rewrite: TagRewrite): string {
  const edits: Array<{ start: number; end: number; text: string }> = [];
  let dropScript: { start: number } | undefined;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const result = rewrite(name, attributes);
        if (result === undefined) return;
        const start = parser.startIndex;
        const end = parser.endIndex + 1;
        if (result === null) {
          if (name === 'script' || name === 'style') dropScript = { start };
          else edits.push({ start, end, text: '' });
          return;
        }
        const selfClosing = html.slice(start, end).trimEnd().endsWith('/>');
        edits.push({ start, end, text: serialiseTag(name, result, selfClosing) });
      },
      onclosetag(name) {
        if (dropScript && (name === 'script' || name === 'style')) {
          edits.push({ start: dropScript.start, end: parser.endIndex + 1, text: '' });
          dropScript = undefined;
        }
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  let output = '';
  let cursor = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    if (edit.start < cursor) continue;
    output += html.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return output + html.slice(cursor);
}

function serialiseTag(name: string, attributes: Attributes, selfClosing: boolean): string {
  const parts = Object.entries(attributes).map(([key, value]) => `${key}="${value.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"`);
  return `<${[name, ...parts].join(' ')}${selfClosing ? ' /' : ''}>`;
}

/** Inserts `text` right after the first start tag `name` (e.g. after <head> or <body ...>). */
export function insertAfterTag(html: string, name: string, text: string): string {
  let at = -1;
  const parser = new Parser({
    onopentag(tag) {
      if (at < 0 && tag === name) at = parser.endIndex + 1;
    },
  });
  parser.end(html);
  if (at < 0) throw new Error(`no <${name}> in the page`);
  return html.slice(0, at) + text + html.slice(at);
}

export interface WaybackOptions {
  timestamp: string;
  /** How links are written: absolute to the archive, or relative paths as saved pages carry them. */
  absolute: boolean;
  /** Also wrap the head's own URLs (canonical link, og:url, oEmbed) the way the pages show them. */
  wrapHead: boolean;
  /** Rewrite-flag for images and scripts (the archive uses `im_`, `js_`). */
  flags: boolean;
}

const URL_ATTRIBUTES: Record<string, string[]> = {
  a: ['href'],
  link: ['href'],
  img: ['src'],
  script: ['src'],
  iframe: ['src'],
  form: ['action'],
  option: ['value'],
};

/**
 * A page as the Wayback Machine serves it: its links, images and scripts pointing into the archive, the archive's
 * scripts in the head, its toolbar between its BEGIN/END markers after <body>, its closing comments.
 */
export function waybackWrap(html: string, options: WaybackOptions): string {
  const prefix = options.absolute ? 'https://web.archive.org/web/' : '/web/';
  const wrap = (url: string, flag = '') => (/^https?:\/\//i.test(url) ? `${prefix}${options.timestamp}${options.flags ? flag : ''}/${url}` : url);
  let page = rewriteTags(html, (name, attributes) => {
    if (name === 'meta' && (attributes.property === 'og:url' || attributes.property === 'og:image') && options.wrapHead && attributes.content) {
      return { ...attributes, content: wrap(attributes.content) };
    }
    const names = URL_ATTRIBUTES[name];
    if (!names) return undefined;
    if (name === 'link' && !options.wrapHead && /canonical|alternate/.test(attributes.rel ?? '')) return undefined;
    const changed = { ...attributes };
    let touched = false;
    for (const attribute of names) {
      const value = attributes[attribute];
      if (!value) continue;
      changed[attribute] = wrap(value, name === 'img' ? 'im_' : name === 'script' ? 'js_' : '');
      touched = changed[attribute] !== value || touched;
    }
    return touched ? changed : undefined;
  });
  page = insertAfterTag(
    page,
    'head',
    `<script src="//archive.org/includes/analytics.js?v=cf34f82" type="text/javascript"></script>
<script type="text/javascript">window.addEventListener('DOMContentLoaded',function(){var v=archive_analytics.values;v.service='wb';});</script>
<script type="text/javascript" src="/_static/js/bundle-playback.js?v=1WaXNDFE"></script>
<link rel="stylesheet" type="text/css" href="/_static/css/banner-styles.css?v=S1zqJCYt" />
<!-- End Wayback Rewrite JS Include -->
`,
  );
  page = insertAfterTag(
    page,
    'body',
    `<!-- BEGIN WAYBACK TOOLBAR INSERT -->
<script>__wm.rw(0);</script>
<div id="wm-ipp-base" lang="en" style="display:none;direction:ltr;">
<div id="wm-ipp" style="position:fixed;left:0;top:0;right:0;">
<main><h1>The Wayback Machine</h1>
<p><a href="https://web.archive.org/web/">Wayback Machine</a> 12 captures 02 Mar 2020 - 13 Aug 2025</p>
<h2>About this capture</h2><p>COLLECTED BY Organization: Internet Archive. These crawls are part of an effort to archive pages.</p>
</main></div></div>
<div id="wm-ipp-print">The Wayback Machine - https://web.archive.org/web/${options.timestamp}/</div>
<!-- END WAYBACK TOOLBAR INSERT -->
`,
  );
  return `${page}
<!--
     FILE ARCHIVED ON 13:05:13 Mar 02, 2020 AND RETRIEVED FROM THE
     INTERNET ARCHIVE ON 10:11:12 Aug 13, 2025.
     JAVASCRIPT APPENDED BY WAYBACK MACHINE, COPYRIGHT INTERNET ARCHIVE.
-->
<!--
playback timings (ms):
  captures_list: 0.6
-->`;
}

export type UrlEvidence = 'canonical' | 'og:url' | 'json-ld' | 'oembed' | 'menu';

/** The page with some of its own URL evidence taken away. */
export function withoutUrlEvidence(html: string, remove: readonly UrlEvidence[], selfUrl?: string): string {
  return rewriteTags(html, (name, attributes) => {
    if (name === 'link' && remove.includes('canonical') && /\bcanonical\b/.test(attributes.rel ?? '')) return null;
    if (name === 'link' && remove.includes('oembed') && /oembed/.test(attributes.type ?? '')) return null;
    if (name === 'meta' && remove.includes('og:url') && attributes.property === 'og:url') return null;
    if (name === 'script' && remove.includes('json-ld') && attributes.type === 'application/ld+json') return null;
    if (remove.includes('menu') && selfUrl && (name === 'option' || name === 'a')) {
      const url = name === 'a' ? attributes.href : attributes.value;
      if (url && sameUrl(url, selfUrl)) return { ...attributes, [name === 'a' ? 'href' : 'value']: '#' };
    }
    return undefined;
  });
}

/** Replaces every spelling of the page's own URL (plain, without its slash, percent-encoded, JSON-escaped), in one pass. */
export function replacePageUrl(html: string, from: string, to: string): string {
  const bare = (url: string) => url.replace(/\/$/, '');
  const spellings = (url: string) => [url, encodeURIComponent(url), url.replaceAll('/', '\\/')];
  const replacements = new Map<string, string>();
  for (const [before, after] of [
    ...spellings(from).map((spelling, index) => [spelling, spellings(to)[index]!] as const),
    ...spellings(bare(from)).map((spelling, index) => [spelling, spellings(bare(to))[index]!] as const),
  ]) {
    replacements.set(before, after);
  }
  // Longest first, so a URL with its slash is replaced whole rather than as its bare prefix.
  const pattern = new RegExp(
    [...replacements.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );
  return html.replace(pattern, (match) => replacements.get(match)!);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/$/, '').toLowerCase() === b.replace(/\/$/, '').toLowerCase();
}
