import { describeCounterpart } from '../../../shared/domain/diff-rendering.js';
import type { ParagraphChange, RevisionDiff, SectionChange, SectionChangeKind } from '../../../shared/domain/revision-diff.js';
import { classes, formatNumber, html, type SafeHtml } from './html.js';
import { removedSentences, type RemovedSentences } from './removed-sentences.js';
import type { DiffDisplay, DiffView } from './ui-links.js';

/**
 * A RevisionDiff as an HTML page body, rendered on the server (readable with JavaScript off): a toolbar (a GET form:
 * view, hide trivial changes, unchanged sections), section navigation, then one <section> per shown section with
 * word-level <ins>/<del>, inline or side by side. Work is linear in the diff: each section and paragraph is rendered
 * once into an array of strings.
 *
 * Trivial sections are always rendered and marked `hidden` when "hide trivial changes" is on, so the script can
 * toggle them without a round trip; unchanged sections (headings only) are rendered only when asked for.
 */
export interface DiffPageModel {
  mode: 'revisions' | 'editions';
  heading: string;
  intro: SafeHtml;
  fromLabel: string;
  toLabel: string;
  diff: RevisionDiff;
  display: { view: DiffView; hideTrivial: boolean; unchanged: boolean };
  /** This view's URL with other display settings (view switch links, the script keeps them in step). */
  urlFor: (display: DiffDisplay) => string;
  /** The toolbar form: its action and the fields that pick what is compared. */
  form: { action: string; fields: Record<string, string | number> };
  /** Section history link for a section key (revisions only). */
  historyFor?: (key: string) => string;
  /** The same diff from the API (JSON, text, standalone HTML). */
  alternates: { label: string; href: string }[];
}

const KIND_ORDER: readonly Exclude<SectionChangeKind, 'unchanged'>[] = ['removed', 'added', 'renamed', 'moved', 'modified'];

export function sectionAnchor(key: string): string {
  return `sec-${key.replaceAll('/', '.')}`;
}

function sectionTitle(section: SectionChange): string {
  return section.number ? `${section.number} ${section.heading}` : section.heading;
}

function previousTitle(section: SectionChange): string {
  const number = section.previousNumber ?? section.number;
  const heading = section.previousHeading ?? section.heading;
  return number ? `${number} ${heading}` : heading;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function badge(kind: string, text: string = kind): SafeHtml {
  return html`<span class="${classes('badge', kind)}">${text}</span>`;
}

function words(count: number, sign: '+' | '\u2212'): string {
  return `${sign}${formatNumber(count)}`;
}

/** Word operations of a modified paragraph for one side: equal text plus this side's changes. */
function sideText(paragraph: ParagraphChange, side: 'before' | 'after'): SafeHtml {
  const words = paragraph.words!;
  const parts: SafeHtml[] = [];
  for (const word of words) {
    if (word.op === 'equal') parts.push(html`${word.text}`);
    else if (word.op === 'delete' && side === 'before') parts.push(html`<del>${word.text}</del>`);
    else if (word.op === 'insert' && side === 'after') parts.push(html`<ins>${word.text}</ins>`);
  }
  return html`${parts}`;
}

function inlineParagraph(paragraph: ParagraphChange): SafeHtml {
  if (paragraph.kind === 'removed') return html`<p class="para whole removed-para"><del>${paragraph.before ?? ''}</del></p>`;
  if (paragraph.kind === 'added') return html`<p class="para whole added-para"><ins>${paragraph.after ?? ''}</ins></p>`;
  if (!paragraph.words) {
    return html`<p class="para whole removed-para"><del>${paragraph.before ?? ''}</del></p><p class="para whole added-para"><ins>${paragraph.after ?? ''}</ins></p>`;
  }
  const parts = paragraph.words.map((word) =>
    word.op === 'equal' ? html`${word.text}` : word.op === 'delete' ? html`<del>${word.text}</del>` : html`<ins>${word.text}</ins>`,
  );
  return html`<p class="para">${parts}</p>`;
}

const EMPTY_CELL = html`<td class="empty"><span class="visually-hidden">nothing</span></td>`;

function sideBySideRow(paragraph: ParagraphChange): SafeHtml {
  if (paragraph.kind === 'removed') return html`<tr><td><del>${paragraph.before ?? ''}</del></td>${EMPTY_CELL}</tr>`;
  if (paragraph.kind === 'added') return html`<tr>${EMPTY_CELL}<td><ins>${paragraph.after ?? ''}</ins></td></tr>`;
  if (!paragraph.words) return html`<tr><td><del>${paragraph.before ?? ''}</del></td><td><ins>${paragraph.after ?? ''}</ins></td></tr>`;
  return html`<tr><td>${sideText(paragraph, 'before')}</td><td>${sideText(paragraph, 'after')}</td></tr>`;
}

interface SectionRenderContext {
  model: DiffPageModel;
  removed: RemovedSentences;
}

function renderSection(section: SectionChange, index: number, anchor: string, context: SectionRenderContext): SafeHtml {
  const { model } = context;
  const headingId = `${anchor}-h`;
  const changeKinds = section.kinds.filter((kind) => kind !== 'unchanged');
  const isRemoved = section.kind === 'removed';
  const renamed = section.kinds.includes('renamed');
  const sentences = isRemoved ? undefined : context.removed.bySection.get(index);
  const history = model.historyFor && section.kind !== 'removed' ? model.historyFor(section.key) : undefined;

  const paragraphs =
    section.paragraphs.length === 0
      ? ''
      : model.display.view === 'side-by-side'
        ? html`<table class="side-by-side"><thead><tr><th scope="col">${model.fromLabel}</th><th scope="col">${model.toLabel}</th></tr></thead><tbody>${section.paragraphs.map(sideBySideRow)}</tbody></table>`
        : section.paragraphs.map(inlineParagraph);

  return html`<section class="${classes('diff-section', `kind-${section.kind}`, section.trivial && 'trivial')}" id="${anchor}" aria-labelledby="${headingId}" data-key="${section.key}" data-kind="${section.kind}"${section.trivial ? html` data-trivial="${section.trivial}"` : ''}${section.trivial && model.display.hideTrivial ? html` hidden` : ''}>
<header>
<h2 id="${headingId}" tabindex="-1">${sectionTitle(section)}</h2>
<p class="meta">${section.kind === 'unchanged' ? badge('unchanged') : changeKinds.map((kind) => badge(kind))}${
    section.kind === 'unchanged' ? '' : html` <span>${words(section.wordsAdded, '+')} / ${words(section.wordsRemoved, '\u2212')} words</span>`
  }${section.trivial ? html` ${badge('trivial', `trivial: ${section.trivial}`)}` : ''}${history ? html` <a href="${history}">Section history</a>` : ''} <code class="muted">${section.key}</code></p>
${isRemoved ? html`<p class="removed-banner">Section removed: it is not in ${model.toLabel}.</p>` : ''}${isRemoved && section.likelyCounterpart ? html`<p class="counterpart">${capitalised(describeCounterpart(section)!)}</p>` : ''}
${
  renamed
    ? html`<p class="rename">${badge('renamed')} Renamed from <span class="old-name">“${previousTitle(section)}”</span> to <span class="new-name">“${sectionTitle(section)}”</span></p>`
    : ''
}
${section.kinds.includes('moved') && section.previousKey && section.previousKey !== section.key ? html`<p class="rename">${badge('moved')} Moved from <code>${section.previousKey}</code></p>` : ''}
</header>
${paragraphs}
${
  sentences
    ? html`<div class="removed-sentences"><h3>${formatNumber(sentences.length)} sentence${sentences.length === 1 ? '' : 's'} removed</h3><ol>${sentences.map(
        (sentence) => html`<li><del>${sentence}</del></li>`,
      )}</ol></div>`
    : ''
}
</section>`;
}

function summaryBadges(diff: RevisionDiff, removed: RemovedSentences): SafeHtml {
  const summary = diff.summary;
  const counts = KIND_ORDER.filter((kind) => summary[kind] > 0).map((kind) => html`${badge(kind, `${formatNumber(summary[kind])} ${kind}`)} `);
  return html`<p class="diff-summary" id="diff-summary">${counts.length > 0 ? counts : html`<span>No section changed.</span> `}<span>${words(summary.wordsAdded, '+')} / ${words(summary.wordsRemoved, '\u2212')} words</span>${
    removed.total > 0 ? html` <span>· ${formatNumber(removed.total)} sentence${removed.total === 1 ? '' : 's'} removed</span>` : ''
  }${summary.unchanged > 0 ? html` <span class="muted">· ${formatNumber(summary.unchanged)} unchanged</span>` : ''}${
    summary.trivial && summary.unchanged < diff.sections.length ? html` ${badge('trivial', 'every change trivial')}` : ''
  }</p>`;
}

/** For edition comparisons: the removed and renamed sections listed up front, so they stand out. */
function atAGlance(shown: { section: SectionChange; anchor: string }[]): SafeHtml {
  const removed = shown.filter(({ section }) => section.kind === 'removed');
  const renamed = shown.filter(({ section }) => section.kinds.includes('renamed'));
  if (removed.length === 0 && renamed.length === 0) return html``;
  return html`<div class="glance">${
    removed.length > 0
      ? html`<div><h2 id="removed-sections">Removed sections (${formatNumber(removed.length)})</h2><ul>${removed.map(
          ({ section, anchor }) => html`<li><a href="#${anchor}">${sectionTitle(section)}</a></li>`,
        )}</ul></div>`
      : ''
  }${
    renamed.length > 0
      ? html`<div><h2 id="renamed-sections">Renamed sections (${formatNumber(renamed.length)})</h2><ul>${renamed.map(
          ({ section, anchor }) => html`<li><a href="#${anchor}"><span class="old-name">${previousTitle(section)}</span> → ${sectionTitle(section)}</a></li>`,
        )}</ul></div>`
      : ''
  }</div>`;
}

export function renderDiffPage(model: DiffPageModel): SafeHtml {
  const { diff, display } = model;
  const removed = removedSentences(diff);
  const used = new Set<string>();
  const shown: { section: SectionChange; index: number; anchor: string }[] = [];
  diff.sections.forEach((section, index) => {
    if (section.kind === 'unchanged' && !display.unchanged) return;
    let anchor = sectionAnchor(section.key);
    for (let copy = 2; used.has(anchor); copy++) anchor = `${sectionAnchor(section.key)}-${copy}`;
    used.add(anchor);
    shown.push({ section, index, anchor });
  });
  const trivialCount = shown.filter(({ section }) => section.trivial !== undefined).length;
  const visibleCount = shown.length - (display.hideTrivial ? trivialCount : 0);
  const context: SectionRenderContext = { model, removed };

  const viewLink = (view: DiffView, label: string) =>
    html`<a href="${model.urlFor({ ...display, view })}" data-view="${view}"${display.view === view ? html` aria-current="true"` : ''}>${label}</a>`;

  const toolbar = html`<form class="diff-toolbar" method="get" action="${model.form.action}" data-diff-toolbar>
${Object.entries(model.form.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<input type="hidden" name="view" value="${display.view}">
<span class="views" role="group" aria-label="Layout">Layout: ${viewLink('inline', 'Inline')} | ${viewLink('side-by-side', 'Side by side')}</span>
<label class="check"><input type="checkbox" name="hideTrivial" value="true" data-toggle-trivial${display.hideTrivial ? html` checked` : ''}> Hide trivial changes (${formatNumber(trivialCount)})</label>
<label class="check"><input type="checkbox" name="unchanged" value="true" data-autosubmit${display.unchanged ? html` checked` : ''}> Show unchanged sections</label>
<button type="submit" class="secondary" data-apply>Apply</button>
<span class="keys-hint" data-keys-hint hidden>Keys: <kbd>n</kbd> next section, <kbd>p</kbd> previous</span>
</form>`;

  const nav = html`<nav class="section-nav" aria-label="Sections in this comparison" data-section-nav>
<h2 id="section-nav-heading">Sections <span class="muted" data-visible-count>(${formatNumber(visibleCount)})</span></h2>
${
  shown.length === 0
    ? html`<p class="muted">None.</p>`
    : html`<ol>${shown.map(
        ({ section, anchor }) =>
          html`<li class="level-${Math.min(section.level, 6)}" data-for="${anchor}"${section.trivial && display.hideTrivial ? html` hidden` : ''}><a href="#${anchor}">${sectionTitle(section)} ${badge(
            section.kind,
            section.kind,
          )}</a></li>`,
      )}</ol>`
}
</nav>`;

  const body = shown.length === 0 ? html`<p class="notice">No section changed between these two.</p>` : shown.map(({ section, index, anchor }) => renderSection(section, index, anchor, context));
  const allHidden = shown.length > 0 && visibleCount === 0;

  return html`<h1>${model.heading}</h1>
${model.intro}
${summaryBadges(diff, removed)}
${diff.bounded ? html`<p class="notice">Word-level highlighting was skipped for ${formatNumber(diff.bounded.paragraphs)} paragraph(s) (${diff.bounded.reason}): they are shown whole, old then new.</p>` : ''}
${model.mode === 'editions' ? atAGlance(shown) : ''}
${toolbar}
<div class="diff-layout">
${nav}
<div class="diff-sections" data-diff-sections>
<p class="notice" data-all-hidden${allHidden ? '' : html` hidden`}>Every change here is trivial (whitespace, punctuation or numbers only) and hidden. Untick “Hide trivial changes” to see them.</p>
${body}
</div>
</div>
<p>The same comparison from the API: ${model.alternates.map((alternate, index) => html`${index > 0 ? ', ' : ''}<a href="${alternate.href}">${alternate.label}</a>`)}.</p>`;
}
