import type { RevisionDiffSummary, SectionChangeKind } from '../../../shared/domain/revision-diff.js';
import type { RevisionSectionChange } from '../../../shared/domain/revision-records.js';
import type { EditionEntry, SeriesRecord } from '../../../shared/domain/page-records.js';
import type { PageDetails } from '../../../shared/use-cases/queries/pages.js';
import type { SectionHistory } from '../../../shared/use-cases/queries/section-history.js';
import type { PageView, RevisionView } from '../../../shared/use-cases/queries/views.js';
import { seriesName } from '../../../shared/domain/series-name.js';
import { sectionAnchor } from './diff-view.js';
import { classes, formatNumber, html, timeElement, type SafeHtml } from './html.js';
import type { UiLinks } from './ui-links.js';

/** The browsing views: series and pages, a page's revision timeline, one revision, one section's history. */

export type LastChange = Pick<RevisionView, 'page' | 'seq' | 'capturedAt' | 'summary' | 'significance' | 'previousSeq' | 'title'>;

const KINDS: readonly Exclude<SectionChangeKind, 'unchanged'>[] = ['removed', 'added', 'renamed', 'moved', 'modified'];

function badge(kind: string, text: string = kind): SafeHtml {
  return html`<span class="${classes('badge', kind)}">${text}</span>`;
}

export function summaryBadges(summary: RevisionDiffSummary | null): SafeHtml {
  if (summary === null) return badge('baseline', 'first capture');
  const parts = KINDS.filter((kind) => summary[kind] > 0).map((kind) => html`${badge(kind, `${summary[kind]} ${kind}`)} `);
  return html`${parts}<span class="muted">+${formatNumber(summary.wordsAdded)} / \u2212${formatNumber(summary.wordsRemoved)} words</span>${
    summary.trivial ? html` ${badge('trivial', 'trivial')}` : ''
  }`;
}

/**
 * Significance in words: the size-weighted share of the page's text that the revision changed (a removed or added
 * section counts whole), so 0.0024 reads "about 0.24% of the text changed". The number stays in the title.
 */
export function significanceWords(value: number): string {
  if (value <= 0) return 'no wording changed';
  if (value >= 1) return 'all of the text changed';
  const percent = value * 100;
  // Small edits to long reports are small numbers: two significant digits keep them apart from zero.
  const shown = percent >= 10 ? percent.toFixed(0) : Number(percent.toPrecision(2)).toString();
  return `about ${shown}% of the text changed`;
}

function significance(value: number): SafeHtml {
  const shown = value === 0 ? '0' : value < 0.1 ? value.toPrecision(2) : value.toFixed(2);
  return html`<span class="muted" title="significance ${shown} (0 to 1)">${significanceWords(value)}</span> <meter min="0" max="1" value="${value}" aria-hidden="true"></meter>`;
}

/** "#3 on 2025-03-03 06:00 UTC" plus what changed, linking to the diff with the previous revision. */
function lastChangeCell(links: UiLinks, change: LastChange | undefined): SafeHtml {
  if (!change) return html`<span class="muted">not captured yet</span>`;
  const target = change.previousSeq !== undefined ? links.diff(change.page, change.previousSeq, change.seq) : links.revision(change.page, change.seq);
  return html`<a href="${target}">#${change.seq}</a> ${timeElement(change.capturedAt)}<br>${summaryBadges(change.summary)}`;
}

export interface HomeModel {
  links: UiLinks;
  series: { record: SeriesRecord; editions: EditionEntry[]; lastChange?: LastChange }[];
  pages: { page: PageView; lastChange?: LastChange }[];
  nextPagesCursor?: string;
  moreSeries: boolean;
}

export function homeView(model: HomeModel): SafeHtml {
  const { links } = model;
  return html`<h1>Series and pages</h1>
<p class="lead">Every watched report page, grouped by series (the same report in each year's edition), with its last
change. Open a page for its revision timeline, or a series to compare two editions section by section.</p>
<h2 id="series">Series</h2>
${
  model.series.length === 0
    ? html`<p>No series yet: watch a report page (<code>POST /watches</code>, or <code>redline watch add</code>).</p>`
    : html`<div class="table-scroll"><table class="data">
<caption class="visually-hidden">Series, their editions and their last change</caption>
<thead><tr><th scope="col">Series</th><th scope="col">Editions</th><th scope="col">Last change</th><th scope="col">Feed</th></tr></thead>
<tbody>${model.series.map(
        ({ record, editions, lastChange }) => html`<tr>
<th scope="row"><a href="${links.series(record.series)}">${seriesName(record.series, lastChange && { ...(lastChange.title ? { title: lastChange.title } : {}), ...(editionOf(editions, lastChange.page) !== undefined ? { edition: editionOf(editions, lastChange.page)! } : {}) })}</a><br><code class="muted">${record.series}</code></th>
<td>${editions.map((entry, index) => html`${index > 0 ? ', ' : ''}<a href="${links.page(entry.page)}">${entry.edition ?? entry.page}</a>`)}</td>
<td>${lastChange ? html`${lastChange.page}: ${lastChangeCell(links, lastChange)}` : html`<span class="muted">not captured yet</span>`}</td>
<td><a href="${links.feedSeries(record.series)}">Atom<span class="visually-hidden"> feed of ${record.series}</span></a></td>
</tr>`,
      )}</tbody></table></div>${model.moreSeries ? html`<p class="muted">Only the first series are listed; the API pages through all of them (<a href="${links.api('/series')}">/series</a>).</p>` : ''}`
}
<h2 id="pages">Pages</h2>
${
  model.pages.length === 0
    ? html`<p>No pages watched yet.</p>`
    : html`<div class="table-scroll"><table class="data">
<caption class="visually-hidden">Watched pages and their last change</caption>
<thead><tr><th scope="col">Page</th><th scope="col">Title</th><th scope="col">Last change</th><th scope="col">Last checked</th></tr></thead>
<tbody>${model.pages.map(
        ({ page, lastChange }) => html`<tr>
<th scope="row"><a href="${links.page(page.page)}">${page.page}</a></th>
<td>${page.title ?? lastChange?.title ?? html`<span class="muted">${page.url}</span>`}${page.series ? html`<br><a class="muted" href="${links.series(page.series)}">${page.series}</a>${page.edition !== undefined ? html` <span class="muted">${page.edition}</span>` : ''}` : ''}</td>
<td>${lastChangeCell(links, lastChange)}</td>
<td>${timeElement(page.lastCheckedAt)}${page.consecutiveFailures > 0 ? html`<br>${badge('removed', `${page.consecutiveFailures} failed check${page.consecutiveFailures === 1 ? '' : 's'}`)}` : ''}</td>
</tr>`,
      )}</tbody></table></div>${model.nextPagesCursor ? html`<p><a href="${links.homePage(model.nextPagesCursor)}#pages">More pages</a></p>` : ''}`
}
<h2 id="feeds">Feeds</h2>
<p>Atom feeds of new revisions, for a feed reader; each entry links to its diff.</p>
<ul>
<li><a href="${links.feedAll()}">All pages</a> (the last 30 days)</li>
${model.series.map(({ record }) => html`<li><a href="${links.feedSeries(record.series)}">${record.series}</a> (every edition)</li>`)}
</ul>
<p>Per page: the feed link is on each page's timeline. To be notified by webhook, e-mail or queue instead, <a href="${links.subscribe()}">subscribe</a>.</p>`;
}

function editionOf(editions: readonly EditionEntry[], page: string): number | undefined {
  return editions.find((entry) => entry.page === page)?.edition;
}

export interface SeriesModel {
  links: UiLinks;
  series: string;
  editions: { entry: EditionEntry; lastChange?: LastChange }[];
}

export function seriesView(model: SeriesModel): SafeHtml {
  const { links, series } = model;
  const years = model.editions.map(({ entry }) => entry.edition).filter((edition): edition is number => edition !== undefined);
  const captured = model.editions.filter(({ entry, lastChange }) => entry.edition !== undefined && lastChange).map(({ entry }) => entry.edition!);
  const to = captured.at(-1) ?? years.at(-1);
  const from = captured.at(-2) ?? years.at(-2);
  const option = (year: number, selected: number | undefined) =>
    html`<option value="${year}"${year === selected ? html` selected` : ''}>${year}</option>`;
  const newest = [...model.editions].reverse().find(({ lastChange }) => lastChange?.title);
  const name = seriesName(
    series,
    newest && { title: newest.lastChange!.title!, ...(newest.entry.edition !== undefined ? { edition: newest.entry.edition } : {}) },
  );
  return html`<h1>${name}</h1>
<p class="muted">Series <code>${series}</code></p>
<p class="lead">${formatNumber(model.editions.length)} edition${model.editions.length === 1 ? '' : 's'}, oldest first. Compare two editions
section by section, audit the wording across all of them, or follow the series' <a href="${links.feedSeries(series)}">Atom feed</a>.</p>
<div class="table-scroll"><table class="data">
<caption class="visually-hidden">Editions of ${series}</caption>
<thead><tr><th scope="col">Edition</th><th scope="col">Page</th><th scope="col">Title</th><th scope="col">Last change</th></tr></thead>
<tbody>${model.editions.map(
    ({ entry, lastChange }) =>
      html`<tr><th scope="row">${entry.edition ?? '–'}</th><td><a href="${links.page(entry.page)}">${entry.page}</a></td><td>${entry.title ?? lastChange?.title ?? ''}</td><td>${lastChangeCell(links, lastChange)}</td></tr>`,
  )}</tbody></table></div>
<h2 id="compare">Compare two editions</h2>
${
  years.length < 2
    ? html`<p>Only one edition so far.</p>`
    : html`<form class="inline" method="get" action="${links.series(series)}/compare">
<div class="field"><label for="compare-from">From edition</label><select id="compare-from" name="from">${years.map((year) => option(year, from))}</select></div>
<div class="field"><label for="compare-to">To edition</label><select id="compare-to" name="to">${years.map((year) => option(year, to))}</select></div>
<button type="submit">Compare</button>
</form>
<p class="muted">Each edition's latest capture is compared: renamed and moved sections are paired with their old selves, removed sections and sentences are marked.</p>`
}
<h2 id="more">More</h2>
<ul>
<li><a href="${links.audit({ series })}">Term audit of ${series}</a></li>
<li><a href="${links.subscribe({ series })}">Subscribe to changes in ${series}</a></li>
</ul>`;
}

export interface TimelineModel {
  links: UiLinks;
  page: PageDetails;
  revisions: RevisionView[];
  nextCursor?: string;
  /** Set when this is not the first page of revisions. */
  paged: boolean;
  /** The series' edition before this page's, with its newest revision. */
  previousEdition?: PreviousEdition;
}

export interface PreviousEdition {
  edition: number;
  page: string;
  seq: number;
}

/** "Compare with the 2023 edition" (the series comparison), when the page has an edition before it. */
function previousEditionLink(links: UiLinks, page: Pick<PageDetails, 'series' | 'edition'>, previous: PreviousEdition | undefined): SafeHtml {
  if (!previous || !page.series || page.edition === undefined) return html``;
  return html`<li><a href="${links.compare(page.series, previous.edition, page.edition)}">Compare with the previous edition (${previous.edition})</a></li>`;
}

function changedSectionsList(links: UiLinks, revision: RevisionView, limit: number): SafeHtml {
  if (revision.sections.length === 0) return html``;
  const shown = revision.sections.slice(0, limit);
  const diffUrl = revision.previousSeq !== undefined ? links.diff(revision.page, revision.previousSeq, revision.seq) : undefined;
  return html`<ul class="section-list">${shown.map(
    (section) =>
      html`<li>${diffUrl ? html`<a href="${diffUrl}#${sectionAnchor(section.key)}">${section.heading}</a>` : section.heading} ${section.kinds.map((kind) => html`${badge(kind)} `)}<span class="muted">+${section.wordsAdded} / \u2212${section.wordsRemoved}</span>${
        section.trivial ? html` ${badge('trivial', `trivial: ${section.trivial}`)}` : ''
      }</li>`,
  )}${
    revision.sections.length > limit || revision.sectionsTruncated
      ? html`<li><a href="${links.revision(revision.page, revision.seq)}">${revision.sectionsTruncated ? 'more sections' : `${revision.sections.length - limit} more`}</a></li>`
      : ''
  }</ul>`;
}

export function timelineView(model: TimelineModel): SafeHtml {
  const { links, page, revisions } = model;
  const newest = revisions[0]?.seq;
  const defaultFrom = revisions[1]?.seq;
  return html`<h1>${page.title ?? page.latestRevision?.title ?? page.page}</h1>
<p class="lead"><code>${page.page}</code>${page.series ? html` · series <a href="${links.series(page.series)}">${page.series}</a>` : ''}${page.edition !== undefined ? html` · edition ${page.edition}` : ''} ·
<a href="${page.url}" rel="external noreferrer">the page itself</a></p>
<ul class="links-inline">
<li>Last checked ${timeElement(page.lastCheckedAt)}</li>
${page.consecutiveFailures > 0 ? html`<li>${badge('removed', `${page.consecutiveFailures} failed check${page.consecutiveFailures === 1 ? '' : 's'} in a row`)} last at ${timeElement(page.lastFailureAt)}</li>` : ''}
<li><a href="${links.feedPage(page.page)}">Atom feed</a></li>
<li><a href="${links.subscribe({ page: page.page })}">Subscribe</a></li>
${previousEditionLink(links, page, model.previousEdition)}
${page.latestRevision ? html`<li><a href="${links.blame(page.page)}">Blame</a></li>` : ''}
<li><a href="${links.api(`/pages/${encodeURIComponent(page.page)}/revisions`)}">JSON</a></li>
</ul>
<h2 id="timeline">Revision timeline</h2>
${
  revisions.length === 0
    ? html`<p>Not captured yet.</p>`
    : html`<form method="get" action="${links.page(page.page)}/diff" class="stack">
<p>Newest first. Pick any two revisions to compare them, or follow a revision's link for its diff with the one before.</p>
<ol class="timeline" aria-labelledby="timeline">${revisions.map(
        (revision) => html`<li class="${revision.summary === null ? 'baseline' : ''}" id="rev-${revision.seq}">
<p><a class="when" href="${links.revision(revision.page, revision.seq)}">Revision #${revision.seq}</a> · ${timeElement(revision.capturedAt)}
<span class="pick"><label><input type="radio" name="from" value="${revision.seq}"${revision.seq === defaultFrom ? html` checked` : ''}> from<span class="visually-hidden"> revision #${revision.seq}</span></label>
<label><input type="radio" name="to" value="${revision.seq}"${revision.seq === newest ? html` checked` : ''}> to<span class="visually-hidden"> revision #${revision.seq}</span></label></span></p>
<p>${summaryBadges(revision.summary)}${revision.summary ? html` · ${significance(revision.significance)}` : ''}${
          revision.previousSeq !== undefined
            ? html` · <a href="${links.diff(revision.page, revision.previousSeq, revision.seq)}">Diff with #${revision.previousSeq}</a>`
            : ''
        }</p>
${changedSectionsList(links, revision, 6)}
</li>`,
      )}</ol>
${revisions.length > 1 ? html`<button type="submit">Compare selected revisions</button>` : ''}
</form>`
}
${model.nextCursor ? html`<p><a href="${links.page(page.page, model.nextCursor)}#timeline">Older revisions</a></p>` : ''}
${model.paged ? html`<p><a href="${links.page(page.page)}#timeline">Newest revisions</a></p>` : ''}`;
}

export function revisionView(links: UiLinks, revision: RevisionView, page: PageDetails, previousEdition?: PreviousEdition): SafeHtml {
  const diffUrl = revision.previousSeq !== undefined ? links.diff(revision.page, revision.previousSeq, revision.seq) : undefined;
  const latest = page.latestRevision?.seq;
  return html`<h1>Revision #${revision.seq} of ${revision.title || revision.page}</h1>
<dl class="grid-form">
<div><dt class="label">Captured</dt><dd>${timeElement(revision.capturedAt)}</dd></div>
<div><dt class="label">Page</dt><dd><a href="${links.page(revision.page)}">${revision.page}</a></dd></div>
${revision.series ? html`<div><dt class="label">Series, edition</dt><dd><a href="${links.series(revision.series)}">${revision.series}</a> ${revision.edition ?? ''}</dd></div>` : ''}
<div><dt class="label">Document</dt><dd><code>${revision.documentHash.slice(0, 16)}…</code></dd></div>
</dl>
<p>${summaryBadges(revision.summary)}${revision.summary ? html` · ${significance(revision.significance)}` : ''}</p>
<ul class="links-inline">
${diffUrl ? html`<li><a href="${diffUrl}">Diff with #${revision.previousSeq}</a></li>` : ''}
<li><a href="${links.snapshot(revision.page, revision.seq)}">Read it as captured</a></li>
${previousEditionLink(links, revision, previousEdition)}
${revision.seq > 1 ? html`<li><a href="${links.revision(revision.page, revision.seq - 1)}">Previous revision</a></li>` : ''}
${latest !== undefined && revision.seq < latest ? html`<li><a href="${links.revision(revision.page, revision.seq + 1)}">Next revision</a></li>` : ''}
<li><a href="${links.api(`/pages/${encodeURIComponent(revision.page)}/revisions/${revision.seq}`)}">JSON</a></li>
</ul>
<h2 id="changed-sections">Changed sections</h2>
${
  revision.summary === null
    ? html`<p>The first capture of this page: no earlier revision to compare with. <a href="${links.snapshot(revision.page, revision.seq)}">Read it as captured</a>${
        previousEdition && revision.series && revision.edition !== undefined
          ? html`, or <a href="${links.compare(revision.series, previousEdition.edition, revision.edition)}">compare it with the ${previousEdition.edition} edition</a>`
          : ''
      }.</p>`
    : revision.sections.length === 0
      ? html`<p>No section changed.</p>`
      : html`<div class="table-scroll"><table class="data">
<caption class="visually-hidden">Sections changed in revision #${revision.seq}</caption>
<thead><tr><th scope="col">Section</th><th scope="col">Change</th><th scope="col" class="number">Words added</th><th scope="col" class="number">Words removed</th><th scope="col" class="number">Significance</th><th scope="col">History</th></tr></thead>
<tbody>${revision.sections.map(
          (section: RevisionSectionChange) => html`<tr>
<th scope="row">${diffUrl ? html`<a href="${diffUrl}#${sectionAnchor(section.key)}">${section.heading}</a>` : section.heading}${section.previousKey && section.previousKey !== section.key ? html`<br><span class="muted">was <code>${section.previousKey}</code></span>` : ''}</th>
<td>${section.kinds.map((kind) => html`${badge(kind)} `)}${section.trivial ? badge('trivial', `trivial: ${section.trivial}`) : ''}</td>
<td class="number">${formatNumber(section.wordsAdded)}</td>
<td class="number">${formatNumber(section.wordsRemoved)}</td>
<td class="number">${section.significance.toFixed(3)}</td>
<td>${section.kind === 'removed' ? html`<span class="muted">removed</span>` : html`<a href="${links.sectionHistory(revision.page, section.key)}">History<span class="visually-hidden"> of ${section.heading}</span></a>`}</td>
</tr>`,
        )}</tbody></table></div>${revision.sectionsTruncated ? html`<p class="muted">Only the most significant sections are listed here; <a href="${diffUrl}">the diff</a> has them all.</p>` : ''}`
}`;
}

export function sectionHistoryView(links: UiLinks, history: SectionHistory, page: PageDetails): SafeHtml {
  const current = history.changes[0]?.heading ?? history.key;
  return html`<h1>History of “${current}”</h1>
<p class="lead">Section <code>${history.key}</code> of <a href="${links.page(history.page)}">${page.title ?? page.latestRevision?.title ?? history.page}</a>: every revision in which it changed, newest first.${
    history.keys.length > 1
      ? html` Renames are followed: the section was also <code>${history.keys.filter((key) => key !== history.key).join(', ')}</code>.`
      : ''
  }</p>
${
  history.changes.length === 0
    ? html`<p>This section has not changed since the page was first captured.</p>`
    : html`<div class="table-scroll"><table class="data">
<caption class="visually-hidden">Changes to this section</caption>
<thead><tr><th scope="col">Revision</th><th scope="col">Captured</th><th scope="col">Heading then</th><th scope="col">Change</th><th scope="col" class="number">Words added</th><th scope="col" class="number">Words removed</th><th scope="col">Diff</th></tr></thead>
<tbody>${history.changes.map(
        (change) => html`<tr>
<th scope="row"><a href="${links.revision(history.page, change.seq)}">#${change.seq}</a></th>
<td>${timeElement(change.capturedAt)}</td>
<td>${change.heading}${change.previousKey && change.previousKey !== change.key ? html`<br><span class="muted">was <code>${change.previousKey}</code></span>` : ''}</td>
<td>${change.kinds.map((kind) => html`${badge(kind)} `)}${change.trivial ? badge('trivial', `trivial: ${change.trivial}`) : ''}</td>
<td class="number">${formatNumber(change.wordsAdded)}</td>
<td class="number">${formatNumber(change.wordsRemoved)}</td>
<td>${change.previousSeq !== undefined ? html`<a href="${links.diff(history.page, change.previousSeq, change.seq)}#${sectionAnchor(change.key)}">#${change.previousSeq} → #${change.seq}</a>` : ''}</td>
</tr>`,
      )}</tbody></table></div>`
}
<p><a href="${links.api(`/pages/${encodeURIComponent(history.page)}/sections/${history.key.replaceAll('/', '~')}/history`)}">JSON</a></p>`;
}

export function errorView(links: UiLinks, status: number, message: string): SafeHtml {
  const title = status === 404 ? 'Not found' : status === 400 ? 'Cannot show that' : 'Something went wrong';
  return html`<h1>${title}</h1>
<p class="notice error">${message}</p>
<p><a href="${links.home()}">Back to the series and pages</a></p>`;
}
