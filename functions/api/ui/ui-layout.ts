import { html, type HtmlValue, type SafeHtml } from './html.js';
import { UI_ASSETS } from './ui-assets.js';
import type { UiLinks } from './ui-links.js';

export type NavSection = 'browse' | 'search' | 'audit' | 'subscribe' | 'feeds';

export interface Crumb {
  label: string;
  href?: string;
}

export interface LayoutOptions {
  /** The document title; the page's own <h1> is part of `body`. */
  title: string;
  links: UiLinks;
  current?: NavSection;
  breadcrumbs?: Crumb[];
  /** Atom feeds offered to feed readers (<link rel="alternate">). */
  feeds?: { title: string; href: string }[];
  body: HtmlValue;
  /** More skip links after "Skip to main content" (e.g. "Skip to the first change"), hidden until focused. */
  skipLinks?: { href: string; label: string }[];
  /** Reload the page after this many seconds (a result still being computed), without script. */
  refreshSeconds?: number;
}

/**
 * The page shell: a skip link first, then header (brand and main navigation), main (the view) and footer. One <h1>
 * per page, given by the view. The script is a module (deferred); every page works without it.
 */
export function layout(options: LayoutOptions): SafeHtml {
  const { links } = options;
  const navItem = (section: NavSection, href: string, label: string) =>
    html`<li><a href="${href}"${options.current === section ? html` aria-current="page"` : ''}>${label}</a></li>`;
  const crumbs = options.breadcrumbs ?? [];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.refreshSeconds ? html`<meta http-equiv="refresh" content="${String(options.refreshSeconds)}">\n` : ''}<title>${options.title} · redline</title>
<link rel="stylesheet" href="${links.asset(UI_ASSETS.css.name)}">
${(options.feeds ?? []).map((feed) => html`<link rel="alternate" type="application/atom+xml" title="${feed.title}" href="${feed.href}">\n`)}<script type="module" src="${links.asset(UI_ASSETS.script.name)}"></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
${(options.skipLinks ?? []).map((link) => html`<a class="skip-link" href="${link.href}">${link.label}</a>\n`)}<header class="site-header">
<div class="bar">
<a class="brand" href="${links.home()}">red<span>line</span></a>
<nav class="site-nav" aria-label="Main">
<ul>
${navItem('browse', links.home(), 'Series and pages')}
${navItem('search', links.search(), 'Sentence search')}
${navItem('audit', links.audit(), 'Term audit')}
${navItem('subscribe', links.subscribe(), 'Subscribe')}
${navItem('feeds', `${links.home()}#feeds`, 'Feeds')}
</ul>
</nav>
</div>
</header>
<main id="main" tabindex="-1">
${
  crumbs.length > 0
    ? html`<nav class="breadcrumbs" aria-label="Breadcrumbs"><ol>${crumbs.map((crumb, index) =>
        crumb.href && index < crumbs.length - 1
          ? html`<li><a href="${crumb.href}">${crumb.label}</a></li>`
          : html`<li><span aria-current="page">${crumb.label}</span></li>`,
      )}</ol></nav>`
    : ''
}
${options.body}
</main>
<footer class="site-footer">
<div class="bar">redline: section-aware change tracking for report pages. Every view here is also in the JSON API
(<a href="${links.api('/pages')}">/pages</a>, <a href="${links.api('/series')}">/series</a>) and in the
<a href="${links.feedAll()}">Atom feed of all changes</a>.</div>
</footer>
</body>
</html>
`;
}
