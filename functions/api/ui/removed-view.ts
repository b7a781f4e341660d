import * as z from 'zod';
import { versionText, type LedgerTransition, type RemovedSentence } from '../../../shared/domain/provenance/removal-ledger.js';
import { MAX_PROVENANCE_LIMIT, removedSentencesPage, type RemovedPage } from '../../../shared/use-cases/provenance/provenance-queries.js';
import { listEditions } from '../../../shared/use-cases/queries/series.js';
import { slashedPathParameter } from '../http/api-request.js';
import { editionNumber, flag, listCursor } from '../http/query-schemas.js';
import { classes, formatNumber, html, type SafeHtml } from './html.js';
import type { UiLinks } from './ui-links.js';
import type { RenderedView, ViewRequest } from './ui-routes.js';
import { versionLink, viewQuery } from './view-query.js';

/**
 * `/ui/series/{series}/removed?from=&to=&term=&moved=`: the removal ledger of a series, for two editions or every
 * edition against the next: the sentences cut, grouped by transition and section, each with the last edition that
 * had it, where it reappears, its new wording when it was reworded, and (when asked) where a moved one went. The
 * counts are the ledger's own, so they match the edition comparison's summary. CSV: the API's.
 */
export const removedQuery = z.object({
  from: editionNumber.optional(),
  to: editionNumber.optional(),
  term: z.string().trim().min(1).max(100).optional(),
  moved: flag.default(false),
  cursor: listCursor.max(512).optional(),
});

export async function removedViewPage({ event, links, dependencies }: ViewRequest): Promise<RenderedView> {
  const series = slashedPathParameter(event, 'series');
  const parsed = viewQuery(event, removedQuery);
  const editions = (await listEditions(dependencies, series)).flatMap((entry) => (entry.edition !== undefined ? [entry.edition] : []));
  // One year alone: that edition against the one before it (or after it, for the first).
  let { from, to } = parsed;
  if ((from === undefined) !== (to === undefined)) {
    const given = (from ?? to)!;
    const at = editions.indexOf(given);
    if (from !== undefined) to = editions[at + 1];
    else from = editions[at - 1];
    if (from === undefined || to === undefined) ({ from, to } = { from: undefined, to: undefined });
  }
  const ledger = await removedSentencesPage(dependencies, {
    series,
    ...(from !== undefined && to !== undefined ? { from, to } : {}),
    ...(parsed.term !== undefined ? { term: parsed.term } : {}),
    fates: parsed.moved ? ['removed', 'reworded', 'moved'] : ['removed', 'reworded'],
    limit: MAX_PROVENANCE_LIMIT,
    ...(parsed.cursor ? { cursor: parsed.cursor } : {}),
  });
  const pair = from !== undefined && to !== undefined ? `${from} to ${to}` : 'every edition';
  return {
    options: {
      title: `Removed sentences: ${series}, ${pair}`,
      current: 'browse',
      breadcrumbs: [{ label: 'Series and pages', href: links.home() }, { label: series, href: links.series(series) }, { label: 'removed sentences' }],
      body: removedView({
        links,
        series,
        editions,
        ledger,
        moved: parsed.moved,
        ...(from !== undefined && to !== undefined ? { from, to } : {}),
        ...(parsed.term !== undefined ? { term: parsed.term } : {}),
      }),
    },
  };
}

export interface RemovedModel {
  links: UiLinks;
  series: string;
  editions: number[];
  ledger: RemovedPage;
  from?: number;
  to?: number;
  term?: string;
  moved: boolean;
}

const FATE_TEXT: Record<RemovedSentence['fate'], string> = { removed: 'removed', reworded: 'reworded', moved: 'moved' };

function transitionKey(transition: Pick<LedgerTransition, 'from' | 'to'>): string {
  return `${transition.from.page}#${transition.from.seq}..${transition.to.page}#${transition.to.seq}`;
}

function ledgerEntry(links: UiLinks, item: RemovedSentence): SafeHtml {
  return html`<li class="${classes('ledger-entry', `fate-${item.fate}`)}" id="r-${item.hash}-${versionText(item.to)}">
<p class="sentence"><span class="${classes('badge', item.fate === 'reworded' ? 'renamed' : item.fate)}">${FATE_TEXT[item.fate]}</span> ${
    item.fate === 'moved' ? html`${item.text}` : html`<del>${item.text}</del>`
  }</p>
<p class="blame-meta"><span>first in ${versionLink(links, item.origin)}</span> <span>last seen ${versionLink(links, item.lastSeen)}</span>${
    item.removedIn ? html` <span>removed in ${versionLink(links, item.removedIn)}</span>` : ''
  }${item.reappears ? html` <span>reappears in ${versionLink(links, item.reappears)}</span>` : ''}</p>${
    item.rewordedAs
      ? html`<p class="reworded-from">Reworded as <ins>${item.rewordedAs.text}</ins> (${Math.round(item.rewordedAs.similarity * 100)}% of words shared${
          item.rewordedAs.section.key !== item.section.key ? html`, in “${item.rewordedAs.section.heading}”` : ''
        })</p>`
      : ''
  }${item.movedTo ? html`<p class="reworded-from">Moved to “${item.movedTo.heading}”</p>` : ''}
</li>`;
}

export function removedView(model: RemovedModel): SafeHtml {
  const { links, series, ledger } = model;
  const byTransition = new Map<string, Map<string, { heading: string; items: RemovedSentence[] }>>();
  for (const item of ledger.items) {
    const key = transitionKey(item);
    let sections = byTransition.get(key);
    if (!sections) byTransition.set(key, (sections = new Map()));
    let section = sections.get(item.section.key);
    if (!section) sections.set(item.section.key, (section = { heading: item.section.heading, items: [] }));
    section.items.push(item);
  }
  const option = (edition: number, selected: number | undefined) =>
    html`<option value="${edition}"${edition === selected ? html` selected` : ''}>${edition}</option>`;
  const csv = links.apiRemovedCsv(series, {
    ...(model.from !== undefined ? { from: model.from } : {}),
    ...(model.to !== undefined ? { to: model.to } : {}),
    ...(model.term !== undefined ? { term: model.term } : {}),
    moved: model.moved,
  });
  const heading =
    model.from !== undefined ? `${series}: sentences removed from ${model.from} to ${model.to}` : `${series}: sentences removed, edition by edition`;
  return html`<h1>${heading}</h1>
<p class="lead">The sentences of one edition that the next one lacks, section by section: <strong>removed</strong> (gone),
or <strong>reworded</strong> (a new sentence carries it on). A sentence that only moved to another section is not a
removal: tick “Include moved sentences” to list those too.</p>
<form class="inline" method="get" action="${links.series(series)}/removed">
<div class="field"><label for="removed-from">From edition</label><select id="removed-from" name="from"><option value="">every edition</option>${model.editions.map((edition) => option(edition, model.from))}</select></div>
<div class="field"><label for="removed-to">To edition</label><select id="removed-to" name="to"><option value="">the next one</option>${model.editions.map((edition) => option(edition, model.to))}</select></div>
<div class="field"><label for="removed-term">Containing</label><input type="text" id="removed-term" name="term" value="${model.term ?? ''}" maxlength="100"></div>
<label class="check"><input type="checkbox" name="moved" value="true"${model.moved ? html` checked` : ''}> Include moved sentences</label>
<button type="submit">Show</button>
</form>
<p><a href="${csv}">Download CSV</a> (the whole ledger, from the API)</p>
<div class="table-scroll"><table class="data" id="ledger-counts">
<caption>Counts per transition</caption>
<thead><tr><th scope="col">Editions</th><th scope="col" class="number">Removed</th><th scope="col" class="number">Reworded</th>${model.moved ? html`<th scope="col" class="number">Moved</th>` : ''}<th scope="col">Compare</th></tr></thead>
<tbody>${ledger.transitions.map(
    (
      transition,
    ) => html`<tr data-transition="${versionText(transition.from)}-${versionText(transition.to)}"><th scope="row">${versionText(transition.from)} → ${versionText(transition.to)}</th>
<td class="number" data-count="removed">${formatNumber(transition.removed)}</td><td class="number" data-count="reworded">${formatNumber(transition.reworded)}</td>${
      model.moved ? html`<td class="number" data-count="moved">${formatNumber(transition.moved)}</td>` : ''
    }<td>${
      transition.from.edition !== undefined && transition.to.edition !== undefined
        ? html`<a href="${links.compare(series, transition.from.edition, transition.to.edition)}">compare</a>`
        : ''
    }</td></tr>`,
  )}</tbody></table></div>
${ledger.items.length === 0 ? html`<p class="notice">No sentence${model.term ? html` containing “${model.term}”` : ''} was removed.</p>` : ''}
${ledger.transitions.map((transition) => {
  const sections = byTransition.get(transitionKey(transition));
  if (!sections) return '';
  return html`<section class="ledger-transition" aria-labelledby="t-${versionText(transition.from)}-${versionText(transition.to)}">
<h2 id="t-${versionText(transition.from)}-${versionText(transition.to)}">${versionText(transition.from)} → ${versionText(transition.to)}</h2>
${[...sections.values()].map((section) => html`<h3>${section.heading}</h3><ol class="blame">${section.items.map((item) => ledgerEntry(links, item))}</ol>`)}
</section>`;
})}
${
  ledger.cursor
    ? html`<p><a href="${links.removed(series, { ...(model.from !== undefined ? { from: model.from, to: model.to! } : {}), ...(model.term ? { term: model.term } : {}), moved: model.moved, cursor: ledger.cursor })}">More removed sentences</a></p>`
    : ''
}`;
}
