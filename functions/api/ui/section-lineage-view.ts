import * as z from 'zod';
import type { SectionLineageHistory } from '../../../shared/domain/provenance/section-lineage.js';
import { sectionLineage } from '../../../shared/use-cases/provenance/section-lineage.js';
import { slashedPathParameter } from '../http/api-request.js';
import { editionNumber } from '../http/query-schemas.js';
import { sectionAnchor } from './diff-view.js';
import { formatNumber, html, type SafeHtml } from './html.js';
import type { UiLinks } from './ui-links.js';
import type { RenderedView, ViewRequest } from './ui-routes.js';
import { versionLink, viewQuery } from './view-query.js';

/**
 * `/ui/series/{series}/sections/{key}/history?edition=`: one section across every edition of the series, through
 * renames and moves, by heading: its sentences and words per edition, the sentences that came and went, and a link
 * to each edition comparison at that section.
 */
export const lineageQuery = z.object({ edition: editionNumber.optional() });

export async function sectionLineagePage({ event, links, dependencies }: ViewRequest): Promise<RenderedView> {
  const series = slashedPathParameter(event, 'series');
  const key = slashedPathParameter(event, 'key');
  const { edition } = viewQuery(event, lineageQuery);
  const history = await sectionLineage(dependencies, { series, key, ...(edition !== undefined ? { edition } : {}) });
  return {
    options: {
      title: `“${history.heading}” across the editions of ${series}`,
      current: 'browse',
      breadcrumbs: [
        { label: 'Series and pages', href: links.home() },
        { label: series, href: links.series(series) },
        { label: 'section across editions' },
      ],
      body: sectionLineageView(links, history),
    },
  };
}

export function sectionLineageView(links: UiLinks, history: SectionLineageHistory & { series: string }): SafeHtml {
  let previousEdition: number | undefined;
  const rows = history.editions.map((entry) => {
    const compare =
      previousEdition !== undefined && entry.key !== undefined
        ? html`<a href="${links.compare(history.series, previousEdition, entry.edition)}#${sectionAnchor(entry.key)}">${previousEdition} → ${entry.edition}</a>`
        : '';
    previousEdition = entry.edition;
    return html`<tr data-edition="${entry.edition}"><th scope="row">${versionLink(links, entry.version)}</th>
<td>${entry.heading ?? html`<span class="muted">not in this edition</span>`}${entry.renamed ? html` <span class="badge renamed">renamed or moved</span>` : ''}</td>
<td class="number" data-sentences>${formatNumber(entry.sentences)}</td><td class="number" data-words>${formatNumber(entry.words)}</td>
<td>${entry.added !== undefined ? html`+${formatNumber(entry.added)} / \u2212${formatNumber(entry.removed ?? 0)} sentences` : html`<span class="muted">first edition</span>`}</td>
<td>${compare}</td></tr>`;
  });
  return html`<h1>“${history.heading}” across the editions</h1>
<p class="lead">The section of the ${history.edition} edition of <a href="${links.series(history.series)}">${history.series}</a>, followed
back and forward through every edition, renames and moves included (sections are paired between editions by heading and text).
For each edition: the section's heading there, its sentences and words, and the sentences that came and went since the edition before.</p>
<div class="table-scroll"><table class="data" id="section-editions">
<caption class="visually-hidden">The section in each edition</caption>
<thead><tr><th scope="col">Edition</th><th scope="col">Heading</th><th scope="col" class="number">Sentences</th><th scope="col" class="number">Words</th><th scope="col">Change</th><th scope="col">Compare</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p><a href="${links.seriesBlame(history.series, history.edition, history.key)}">Blame of this section in ${history.edition}</a></p>`;
}
