import type { Context } from 'aws-lambda';
import type { Section } from '../../../shared/domain/document.js';
import { parseWithSchema } from '../../../shared/use-cases/queries/query-input.js';
import { getRawSnapshot, getRevisionSnapshot, type RevisionSnapshot } from '../../../shared/use-cases/queries/snapshots.js';
import { pathParameter, type ApiEvent } from '../http/api-request.js';
import { CACHE, type ApiResult } from '../http/api-response.js';
import { revisionNumber } from '../http/query-schemas.js';
import { formatNumber, html, timeElement, type SafeHtml } from './html.js';
import type { UiLinks } from './ui-links.js';
import type { QueryDependencies } from '../../../shared/use-cases/queries/views.js';
import type { RenderedView, ViewRequest } from './ui-routes.js';

/**
 * `/ui/pages/{page}/revisions/{seq}/snapshot`: a revision as captured, its outline then its text, with links to the
 * revision before it, the same page's previous edition, and the diff with either. The raw HTML is offered only as a
 * download (`.../raw`: Content-Disposition attachment, an opaque media type): it is never rendered inside the UI.
 */
export async function snapshotViewPage({ event, links, dependencies }: ViewRequest): Promise<RenderedView> {
  const page = pathParameter(event, 'page');
  const seq = parseWithSchema(revisionNumber, pathParameter(event, 'seq'), 'seq');
  const snapshot = await getRevisionSnapshot(dependencies, page, seq);
  return {
    cache: 'derived',
    options: {
      title: `Revision #${seq} of ${page} as captured`,
      current: 'browse',
      breadcrumbs: [
        { label: 'Series and pages', href: links.home() },
        { label: page, href: links.page(page) },
        { label: `#${seq}`, href: links.revision(page, seq) },
        { label: 'as captured' },
      ],
      body: snapshotView(links, snapshot),
    },
  };
}

/** `/ui/pages/{page}/revisions/{seq}/raw`: the raw body as a download. */
export async function rawSnapshotResult(dependencies: QueryDependencies, event: ApiEvent, _context?: Context): Promise<ApiResult> {
  const page = pathParameter(event, 'page');
  const seq = parseWithSchema(revisionNumber, pathParameter(event, 'seq'), 'seq');
  const raw = await getRawSnapshot(dependencies, page, seq);
  const filename = `${page.replace(/[^A-Za-z0-9._-]/g, '_')}-r${seq}.html`;
  return {
    statusCode: 200,
    headers: {
      // Opaque, so no browser renders it; the file name keeps the .html for whoever opens it deliberately.
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${filename}"`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': CACHE.immutable,
    },
    body: Buffer.from(raw.body).toString('base64'),
    isBase64Encoded: true,
  };
}

function outlineTitle(section: Section): string {
  return section.number ? `${section.number} ${section.heading}` : section.heading;
}

function anchorOf(index: number): string {
  return `snap-${index + 1}`;
}

export function snapshotView(links: UiLinks, snapshot: RevisionSnapshot): SafeHtml {
  const { revision, document, previousEdition } = snapshot;
  const words = document.sections.reduce(
    (total, section) => total + section.paragraphs.reduce((sum, paragraph) => sum + paragraph.text.split(/\s+/u).filter(Boolean).length, 0),
    0,
  );
  return html`<h1>${revision.title || revision.page}: revision #${revision.seq} as captured</h1>
<p class="lead">Captured ${timeElement(revision.capturedAt)} from <a href="${revision.url}" rel="nofollow noopener">${revision.url}</a>:
${formatNumber(document.sections.length)} sections, ${formatNumber(words)} words, as redline extracted them.</p>
<ul class="links-inline" id="snapshot-links">
<li><a href="${links.revision(revision.page, revision.seq)}">What changed in #${revision.seq}</a></li>
${revision.previousSeq !== undefined ? html`<li><a href="${links.snapshot(revision.page, revision.previousSeq)}" rel="prev">Previous revision (#${revision.previousSeq})</a></li><li><a href="${links.diff(revision.page, revision.previousSeq, revision.seq)}">Diff with #${revision.previousSeq}</a></li>` : ''}
${
  previousEdition
    ? html`<li><a href="${links.snapshot(previousEdition.page, previousEdition.seq)}">Previous edition (${previousEdition.edition})</a></li>${
        revision.series && revision.edition !== undefined
          ? html`<li><a href="${links.compare(revision.series, previousEdition.edition, revision.edition)}">Compare with the ${previousEdition.edition} edition</a></li>`
          : ''
      }`
    : ''
}
${snapshot.hasRaw ? html`<li><a href="${links.rawSnapshot(revision.page, revision.seq)}" download>Download the raw HTML</a></li>` : ''}
${revision.edition !== undefined && revision.series ? html`<li><a href="${links.blame(revision.page, { seq: revision.seq })}">Blame</a></li>` : ''}
</ul>
<nav aria-labelledby="outline-heading" class="snapshot-outline"><h2 id="outline-heading">Outline</h2><ol>${document.sections.map(
    (section, index) => html`<li class="level-${Math.min(section.level, 6)}"><a href="#${anchorOf(index)}">${outlineTitle(section)}</a></li>`,
  )}</ol></nav>
<h2 id="text-heading">Text</h2>
<div class="snapshot-text">${document.sections.map((section, index) => {
    const heading = html`${outlineTitle(section)}`;
    const tag = section.level <= 1 ? html`<h3 id="${anchorOf(index)}">${heading}</h3>` : html`<h4 id="${anchorOf(index)}">${heading}</h4>`;
    return html`<section class="snapshot-section" aria-labelledby="${anchorOf(index)}">${tag}${section.paragraphs.map((paragraph) => html`<p>${paragraph.text}</p>`)}</section>`;
  })}</div>`;
}
