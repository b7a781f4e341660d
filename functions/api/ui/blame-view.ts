import * as z from 'zod';
import type { BlamedSentence } from '../../../shared/domain/provenance/blame.js';
import { versionText } from '../../../shared/domain/provenance/removal-ledger.js';
import { NotFoundError } from '../../../shared/errors.js';
import { blamePage, MAX_PROVENANCE_LIMIT, type BlamePage } from '../../../shared/use-cases/provenance/provenance-queries.js';
import { listEditions } from '../../../shared/use-cases/queries/series.js';
import { pathParameter, slashedPathParameter } from '../http/api-request.js';
import { editionNumber, listCursor, revisionNumber } from '../http/query-schemas.js';
import { classes, formatNumber, html, type SafeHtml } from './html.js';
import type { UiLinks } from './ui-links.js';
import type { RenderedView, ViewRequest } from './ui-routes.js';
import { editionRanges, versionLink, viewQuery } from './view-query.js';

/**
 * `/ui/pages/{page}/blame` and `/ui/series/{series}/blame?edition=`: every sentence of a revision (default: the
 * page's latest) with the edition and revision where it first appeared, the editions it survived, and the earlier
 * wording it came from. Filter by section (key prefix); each sentence has a permalink (`#s-<hash>`, stable across
 * editions, since the hash is the sentence's identity).
 */
export const blameQuery = z.object({
  edition: editionNumber.optional(),
  seq: revisionNumber.optional(),
  section: z.string().trim().min(1).max(300).optional(),
  cursor: listCursor.max(512).optional(),
});

export async function blameViewPage({ event, links, dependencies }: ViewRequest): Promise<RenderedView> {
  const parsed = viewQuery(event, blameQuery);
  let page: string;
  if (event.pathParameters?.series !== undefined) {
    const series = slashedPathParameter(event, 'series');
    const editions = await listEditions(dependencies, series);
    const edition = parsed.edition ?? editions.at(-1)!.edition;
    const entry = editions.find((candidate) => candidate.edition === edition);
    if (!entry) throw new NotFoundError(`No edition ${edition} of series ${series}`);
    page = entry.page;
  } else page = pathParameter(event, 'page');
  const request = {
    page,
    ...(parsed.edition !== undefined ? { edition: parsed.edition } : {}),
    ...(parsed.seq !== undefined ? { seq: parsed.seq } : {}),
    limit: MAX_PROVENANCE_LIMIT,
  };
  // The section list comes from the whole version; the sentences shown from the filtered one.
  const [whole, filtered] = await Promise.all([
    blamePage(dependencies, { ...request, ...(parsed.section === undefined && parsed.cursor ? { cursor: parsed.cursor } : {}) }),
    parsed.section !== undefined
      ? blamePage(dependencies, { ...request, sectionPrefix: parsed.section, ...(parsed.cursor ? { cursor: parsed.cursor } : {}) })
      : undefined,
  ]);
  const blame = filtered ?? whole;
  const label = versionText(blame.version);
  return {
    options: {
      title: `Blame: ${blame.page} (${label})`,
      current: 'browse',
      breadcrumbs: [
        { label: 'Series and pages', href: links.home() },
        ...(blame.series ? [{ label: blame.series, href: links.series(blame.series) }] : []),
        { label: blame.page, href: links.page(blame.page) },
        { label: 'blame' },
      ],
      body: blameView({ links, blame, sections: sectionsOf(whole.items), ...(parsed.section ? { section: parsed.section } : {}) }),
    },
  };
}

function sectionsOf(items: readonly BlamedSentence[]): { key: string; heading: string }[] {
  const seen = new Map<string, string>();
  for (const item of items) if (!seen.has(item.sectionKey)) seen.set(item.sectionKey, item.heading);
  return [...seen].map(([key, heading]) => ({ key, heading }));
}

export interface BlameModel {
  links: UiLinks;
  blame: BlamePage;
  sections: { key: string; heading: string }[];
  section?: string;
}

/** `s-<hash>`, with `-2`, `-3` for a sentence repeated in the version. */
function sentenceIds(items: readonly BlamedSentence[]): string[] {
  const used = new Map<string, number>();
  return items.map((item) => {
    const seen = (used.get(item.hash) ?? 0) + 1;
    used.set(item.hash, seen);
    return seen === 1 ? `s-${item.hash}` : `s-${item.hash}-${seen}`;
  });
}

function sentenceEntry(links: UiLinks, blame: BlamePage, item: BlamedSentence, id: string, permalinkBase: string): SafeHtml {
  const here = blame.version;
  const lastIsLater = item.lastSeen.page !== here.page || item.lastSeen.seq !== here.seq;
  const survived =
    item.editions.length > 0
      ? html`in ${formatNumber(item.editions.length)} edition${item.editions.length === 1 ? '' : 's'} (${editionRanges(item.editions)})`
      : html`in ${formatNumber(item.versions)} revision${item.versions === 1 ? '' : 's'}`;
  const firstIsOlder = item.origin.page !== here.page || item.origin.seq !== here.seq;
  return html`<li id="${id}" class="${classes('blamed', !firstIsOlder && 'new-here', item.rewordedFrom && 'reworded')}" data-origin="${versionText(item.origin)}">
<p class="sentence">${item.text}</p>
<p class="blame-meta"><span>first in ${versionLink(links, item.origin)}</span> <span>${survived}</span>${
    lastIsLater ? html` <span>last seen ${versionLink(links, item.lastSeen)}</span>` : ''
  } <a class="permalink" href="${permalinkBase}#${id}">permalink</a></p>${
    item.rewordedFrom
      ? html`<p class="reworded-from">Reworded from <q>${item.rewordedFrom.text}</q> (${versionLink(links, item.rewordedFrom.origin)}${
          item.rewordedFrom.lastSeen.seq !== item.rewordedFrom.origin.seq || item.rewordedFrom.lastSeen.page !== item.rewordedFrom.origin.page
            ? html`-${versionLink(links, item.rewordedFrom.lastSeen)}`
            : ''
        }; ${Math.round(item.rewordedFrom.similarity * 100)}% of words shared)${
          item.firstWordingOrigin && versionText(item.firstWordingOrigin) !== versionText(item.rewordedFrom.origin)
            ? html`; first worded in ${versionLink(links, item.firstWordingOrigin)}`
            : ''
        }</p>`
      : ''
  }
</li>`;
}

export function blameView(model: BlameModel): SafeHtml {
  const { links, blame } = model;
  const version = blame.version;
  const label = versionText(version);
  const ids = sentenceIds(blame.items);
  const permalinkBase =
    version.edition !== undefined && blame.series ? links.seriesBlame(blame.series, version.edition) : links.blame(blame.page, { seq: version.seq });
  const groups: { key: string; heading: string; entries: SafeHtml[] }[] = [];
  blame.items.forEach((item, index) => {
    let group = groups.at(-1);
    if (!group || group.key !== item.sectionKey) groups.push((group = { key: item.sectionKey, heading: item.heading, entries: [] }));
    group.entries.push(sentenceEntry(links, blame, item, ids[index]!, permalinkBase));
  });
  const editionLinks = blame.series
    ? blame.editions.map((edition) =>
        edition === version.edition
          ? html`<li><span aria-current="page">${edition}</span></li>`
          : html`<li><a href="${links.seriesBlame(blame.series!, edition, model.section)}">${edition}</a></li>`,
      )
    : [];
  const formAction = blame.series && version.edition !== undefined ? `${links.series(blame.series)}/blame` : `${links.page(blame.page)}/blame`;
  const byOrigin = blame.summary.byOrigin.filter((entry) => entry.sentences > 0);
  return html`<h1>Blame: ${blame.page}, ${label}</h1>
<p class="lead">Every sentence of <a href="${links.revision(version.page, version.seq)}">revision #${version.seq}</a> of
<a href="${links.page(version.page)}">${version.page}</a>, with the edition (and revision) where it first appeared, the
editions that kept it, and the earlier wording it came from when it was reworded. The same sentence keeps its permalink in
every edition.</p>
${editionLinks.length > 0 ? html`<nav aria-label="Editions"><p class="muted">Blame another edition:</p><ul class="links-inline">${editionLinks}</ul></nav>` : ''}
<p class="diff-summary">${formatNumber(blame.summary.sentences)} sentences: ${byOrigin.map(
    (entry, index) => html`${index > 0 ? ', ' : ''}${formatNumber(entry.sentences)} from ${versionText(entry)}`,
  )}; ${formatNumber(blame.summary.reworded)} came in reworded.</p>
<form class="inline" method="get" action="${formAction}">
${version.edition !== undefined ? html`<input type="hidden" name="edition" value="${version.edition}">` : html`<input type="hidden" name="seq" value="${version.seq}">`}
<div class="field"><label for="blame-section">Section</label><select id="blame-section" name="section">
<option value="">All sections</option>
${model.sections.map((section) => html`<option value="${section.key}"${model.section === section.key ? html` selected` : ''}>${section.heading}</option>`)}
</select></div>
<button type="submit">Show</button>
</form>
${groups.length === 0 ? html`<p class="notice">No sentence in this section.</p>` : ''}
${groups.map(
  (group) =>
    html`<section class="blame-section" aria-label="${group.heading}"><h2>${group.heading}</h2><ol class="blame">${group.entries}</ol></section>`,
)}
${
  blame.cursor
    ? html`<p><a href="${links.blame(blame.page, { seq: version.seq, ...(model.section ? { section: model.section } : {}), cursor: blame.cursor })}">Next sentences</a></p>`
    : ''
}
<p>The same blame from the API: <a href="${links.api(`/pages/${encodeURIComponent(blame.page)}/blame?seq=${version.seq}`)}">JSON</a>.</p>`;
}
