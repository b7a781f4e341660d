import * as z from 'zod';
import type { SentenceHit } from '../../../shared/domain/provenance/sentence-search.js';
import { listSeries } from '../../../shared/use-cases/queries/series.js';
import { MAX_SEARCH_LENGTH, searchStoredSentences, type SentenceSearchResult } from '../../../shared/use-cases/provenance/sentence-search.js';
import { seriesId } from '../http/query-schemas.js';
import { formatNumber, html, type SafeHtml } from './html.js';
import type { UiLinks } from './ui-links.js';
import type { RenderedView, ViewRequest } from './ui-routes.js';
import { editionRanges, versionLink, viewQuery } from './view-query.js';

/**
 * `/ui/search?q=&series=`: sentence search across the store, as WikiBlame answers it: each sentence containing the
 * phrase, with where it was first seen, last seen, and removed (and links to the blame of its first edition and to
 * the removal ledger of the edition that cut it).
 */
export const searchQuery = z.object({
  q: z.string().trim().max(MAX_SEARCH_LENGTH).optional(),
  series: seriesId.optional(),
});

const SHOWN = 200;

export async function searchViewPage({ event, links, dependencies }: ViewRequest): Promise<RenderedView> {
  const parsed = viewQuery(event, searchQuery);
  const [seriesOptions, result] = await Promise.all([
    listSeries(dependencies, { limit: 100 }).then((page) => page.items.map((item) => item.series)),
    parsed.q !== undefined
      ? searchStoredSentences(dependencies, { query: parsed.q, ...(parsed.series ? { series: parsed.series } : {}), limit: SHOWN })
      : undefined,
  ]);
  return {
    cache: result ? 'derived' : 'list',
    options: {
      title: parsed.q ? `Search: ${parsed.q}` : 'Sentence search',
      current: 'search',
      body: searchView({
        links,
        seriesOptions,
        ...(parsed.q !== undefined ? { q: parsed.q } : {}),
        ...(parsed.series ? { series: parsed.series } : {}),
        ...(result ? { result } : {}),
      }),
    },
  };
}

export interface SearchModel {
  links: UiLinks;
  seriesOptions: string[];
  q?: string;
  series?: string;
  result?: SentenceSearchResult;
}

function highlighted(hit: SentenceHit): SafeHtml {
  if (!hit.match) return html`${hit.text}`;
  const [start, end] = hit.match;
  return html`${hit.text.slice(0, start)}<mark>${hit.text.slice(start, end)}</mark>${hit.text.slice(end)}`;
}

function seriesOf(hit: SentenceHit): string | undefined {
  return hit.scope.startsWith('series:') ? hit.scope.slice('series:'.length) : undefined;
}

function hitEntry(links: UiLinks, hit: SentenceHit): SafeHtml {
  const series = seriesOf(hit);
  const removed = hit.removedIn;
  const ledger =
    series && removed?.edition !== undefined && hit.lastSeen.edition !== undefined && removed.edition !== hit.lastSeen.edition
      ? links.removed(series, { from: hit.lastSeen.edition, to: removed.edition })
      : undefined;
  return html`<li class="search-hit" data-hash="${hit.hash}">
<p class="sentence">${highlighted(hit)}</p>
<p class="blame-meta"><span>${series ?? hit.firstSeen.page}</span> <span>“${hit.heading}”</span></p>
<dl class="hit-facts">
<div><dt>First seen</dt><dd data-fact="first">${versionLink(links, hit.firstSeen)}</dd></div>
<div><dt>Last seen</dt><dd data-fact="last">${versionLink(links, hit.lastSeen)}</dd></div>
<div><dt>Removed in</dt><dd data-fact="removed">${removed ? html`${versionLink(links, removed)}${ledger ? html` (<a href="${ledger}">ledger</a>)` : ''}` : html`<span class="muted">still there</span>`}</dd></div>
${hit.editions.length > 0 ? html`<div><dt>Editions</dt><dd>${editionRanges(hit.editions)}</dd></div>` : ''}
</dl>
<p class="blame-meta"><a href="${links.blame(hit.lastSeen.page, { seq: hit.lastSeen.seq })}#s-${hit.hash}">Blame of the last version with it</a></p>
</li>`;
}

export function searchView(model: SearchModel): SafeHtml {
  const { links, result } = model;
  return html`<h1>Sentence search</h1>
<p class="lead">Find a sentence in every edition and revision of the store: a phrase, or a single term. Each sentence
found shows where it first appeared, the last version that had it, and the version that removed it.</p>
<form class="inline" method="get" action="${links.search()}" role="search">
<div class="field"><label for="search-q">Phrase or term</label><input type="text" id="search-q" name="q" value="${model.q ?? ''}" maxlength="${MAX_SEARCH_LENGTH}" size="40"></div>
<div class="field"><label for="search-series">Series</label><select id="search-series" name="series"><option value="">All</option>${model.seriesOptions.map(
    (series) => html`<option value="${series}"${series === model.series ? html` selected` : ''}>${series}</option>`,
  )}</select></div>
<button type="submit">Search</button>
</form>
${
  result
    ? html`<h2 id="results">${formatNumber(result.total)} sentence${result.total === 1 ? '' : 's'} found${
        result.total > result.hits.length ? html` (the first ${formatNumber(result.hits.length)} shown)` : ''
      }</h2>
${result.hits.length === 0 ? html`<p class="notice">No sentence contains “${result.query}”.</p>` : html`<ol class="blame">${result.hits.map((hit) => hitEntry(links, hit))}</ol>`}`
    : ''
}`;
}
