import { findMovedParagraphs, paragraphKey, type MovedText, type ParagraphMove } from '../../../shared/domain/moved-text.js';
import type { RemovedSentence } from '../../../shared/domain/provenance/removal-ledger.js';
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
  /** The section across every edition of the series (edition comparisons only). */
  lineageFor?: (key: string) => string;
  /** Section history link for a section key (revisions only). */
  historyFor?: (key: string) => string;
  /** The same diff from the API (JSON, text, standalone HTML). */
  alternates: { label: string; href: string }[];
  /** The removal ledger of the same pair (when it could be read): its counts are the summary's, its sentences the lists under sections. */
  ledger?: DiffLedger;
}

export interface DiffLedger {
  removed: number;
  reworded: number;
  moved: number;
  /** The ledger view of the pair (removed and reworded), and with moves. */
  href: string;
  movedHref: string;
  /** Removed and reworded sentences by their section key in the earlier version. */
  bySectionKey: Map<string, RemovedSentence[]>;
}

/**
 * "Hide formatting-only changes" hides sections whose every change is whitespace or punctuation. A change of numbers
 * or dates (a death toll from 20 to 21) is never hidden: it is marked, and shown.
 */
function formattingOnly(section: SectionChange): boolean {
  return section.trivial === 'whitespace' || section.trivial === 'punctuation';
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

/** Where a moved paragraph's other end is: its anchor, and the section's title there. */
interface MoveTarget {
  move: ParagraphMove;
  end: 'from' | 'to';
  otherAnchor: string;
  otherTitle: string;
}

function moveAnchor(move: ParagraphMove, end: 'from' | 'to'): string {
  return `moved-${move.id}-${end}`;
}

/** A moved paragraph at one end: its text unmarked (it is neither deleted nor inserted), a badge and a link to the other end. */
function movedParagraph(paragraph: ParagraphChange, target: MoveTarget, element: 'p' | 'div'): SafeHtml {
  const text = target.end === 'from' ? paragraph.before : paragraph.after;
  const label = target.end === 'from' ? `Moved to “${target.otherTitle}”` : `Moved from “${target.otherTitle}”`;
  const link = target.otherAnchor
    ? html`<a href="#${target.otherAnchor}" class="move-link">${label}</a>`
    : html`<span class="move-link">${label}</span>`;
  const inner = html`<span class="badge moved">moved</span> <span class="moved-text">${text ?? ''}</span> ${link}`;
  return element === 'p'
    ? html`<p class="para whole moved-para" id="${moveAnchor(target.move, target.end)}" data-move="${target.move.id}" data-move-end="${target.end}">${inner}</p>`
    : html`<div class="moved-para" id="${moveAnchor(target.move, target.end)}" data-move="${target.move.id}" data-move-end="${target.end}">${inner}</div>`;
}

function inlineParagraph(paragraph: ParagraphChange, target?: MoveTarget): SafeHtml {
  if (target) return movedParagraph(paragraph, target, 'p');
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

function sideBySideRow(paragraph: ParagraphChange, target?: MoveTarget): SafeHtml {
  if (target?.end === 'from') return html`<tr><td>${movedParagraph(paragraph, target, 'div')}</td>${EMPTY_CELL}</tr>`;
  if (target?.end === 'to') return html`<tr>${EMPTY_CELL}<td>${movedParagraph(paragraph, target, 'div')}</td></tr>`;
  if (paragraph.kind === 'removed') return html`<tr><td><del>${paragraph.before ?? ''}</del></td>${EMPTY_CELL}</tr>`;
  if (paragraph.kind === 'added') return html`<tr>${EMPTY_CELL}<td><ins>${paragraph.after ?? ''}</ins></td></tr>`;
  if (!paragraph.words) return html`<tr><td><del>${paragraph.before ?? ''}</del></td><td><ins>${paragraph.after ?? ''}</ins></td></tr>`;
  return html`<tr><td>${sideText(paragraph, 'before')}</td><td>${sideText(paragraph, 'after')}</td></tr>`;
}

interface SectionRenderContext {
  model: DiffPageModel;
  removed: RemovedSentences;
  moved: MovedText;
  /** Anchor of each shown section, by its index in the diff. */
  anchors: Map<number, string>;
}

function moveTarget(context: SectionRenderContext, sectionIndex: number, paragraphIndex: number): MoveTarget | undefined {
  const found = context.moved.byParagraph.get(paragraphKey({ section: sectionIndex, paragraph: paragraphIndex }));
  if (!found) return undefined;
  const other = found.end === 'from' ? found.move.to : found.move.from;
  const otherSection = context.model.diff.sections[other.section]!;
  const sectionAnchor = context.anchors.get(other.section);
  return {
    ...found,
    otherAnchor: sectionAnchor ? moveAnchor(found.move, found.end === 'from' ? 'to' : 'from') : '',
    otherTitle: found.end === 'from' ? sectionTitle(otherSection) : previousTitle(otherSection),
  };
}

/** Where a moved section was: its old heading, and its old parent's when the key says so (never the internal key alone). */
function movedFromPlace(section: SectionChange): string {
  const old = previousTitle(section);
  const parentKey = section.previousKey?.includes('/') ? section.previousKey.slice(0, section.previousKey.lastIndexOf('/')) : undefined;
  const newParent = section.key.includes('/') ? section.key.slice(0, section.key.lastIndexOf('/')) : undefined;
  if (parentKey === undefined) return `“${old}”, at the top level`;
  if (parentKey === newParent) return `“${old}”`;
  return `“${old}”, under another section`;
}

/** A removed section's likely counterpart, linked when the counterpart is in this comparison. */
function counterpartNote(section: SectionChange, context: SectionRenderContext): SafeHtml {
  const counterpart = section.likelyCounterpart!;
  const at = context.model.diff.sections.findIndex((candidate) => candidate.key === counterpart.key && candidate.kind !== 'removed');
  const anchor = at === -1 ? undefined : context.anchors.get(at);
  const name = counterpart.number ? `${counterpart.number} ${counterpart.heading}` : counterpart.heading;
  const share = `${Math.round(counterpart.retained * 100)}% of its text is there`;
  const why =
    counterpart.by === 'text' ? share : counterpart.by === 'heading' ? `a similar heading; ${share}` : `the edition map pairs them; ${share}`;
  return html`<p class="counterpart">Likely counterpart: ${anchor ? html`<a href="#${anchor}">${name}</a>` : html`“${name}”`} (${why}).</p>`;
}

/** The ledger's sentences cut from this section: removed, or reworded (with the new wording). */
function ledgerList(items: RemovedSentence[], ledger: DiffLedger): SafeHtml {
  const removed = items.filter((item) => item.fate === 'removed').length;
  const reworded = items.length - removed;
  return html`<div class="removed-sentences"><h3>${formatNumber(removed)} sentence${removed === 1 ? '' : 's'} removed${
    reworded > 0 ? html`, ${formatNumber(reworded)} reworded` : ''
  }</h3><ol>${items.map((item) =>
    item.fate === 'reworded' && item.rewordedAs
      ? html`<li class="reworded"><del>${item.text}</del> <span class="muted">reworded as</span> <ins>${item.rewordedAs.text}</ins></li>`
      : html`<li><del>${item.text}</del></li>`,
  )}</ol><p class="muted"><a href="${ledger.href}">The removal ledger</a> lists where each was last seen and whether it comes back.</p></div>`;
}

function renderSection(section: SectionChange, index: number, anchor: string, context: SectionRenderContext): SafeHtml {
  const { model } = context;
  const headingId = `${anchor}-h`;
  const changeKinds = section.kinds.filter((kind) => kind !== 'unchanged');
  const isRemoved = section.kind === 'removed';
  const renamed = section.kinds.includes('renamed');
  const ledgerSentences = !isRemoved && model.ledger ? model.ledger.bySectionKey.get(section.previousKey ?? section.key) : undefined;
  const sentences = isRemoved || model.ledger ? undefined : context.removed.bySection.get(index);
  const history = model.historyFor && section.kind !== 'removed' ? model.historyFor(section.key) : undefined;
  const lineage = model.lineageFor && section.kind !== 'removed' && section.paragraphs.length > 0 ? model.lineageFor(section.key) : undefined;

  const paragraphs =
    section.paragraphs.length === 0
      ? ''
      : model.display.view === 'side-by-side'
        ? html`<table class="side-by-side"><thead><tr><th scope="col">${model.fromLabel}</th><th scope="col">${model.toLabel}</th></tr></thead><tbody>${section.paragraphs.map(
            (paragraph, at) => sideBySideRow(paragraph, moveTarget(context, index, at)),
          )}</tbody></table>`
        : section.paragraphs.map((paragraph, at) => inlineParagraph(paragraph, moveTarget(context, index, at)));

  return html`<section class="${classes('diff-section', `kind-${section.kind}`, section.trivial && 'trivial')}" id="${anchor}" aria-labelledby="${headingId}" data-key="${section.key}" data-kind="${section.kind}"${formattingOnly(section) ? html` data-trivial="${section.trivial}"` : ''}${section.trivial === 'numbers' ? html` data-numbers-only="true"` : ''}${formattingOnly(section) && model.display.hideTrivial ? html` hidden` : ''}>
<header>
<h2 id="${headingId}" tabindex="-1">${sectionTitle(section)}</h2>
<p class="meta">${section.kind === 'unchanged' ? badge('unchanged') : changeKinds.map((kind) => badge(kind))}${
    section.kind === 'unchanged' ? '' : html` <span>${words(section.wordsAdded, '+')} / ${words(section.wordsRemoved, '\u2212')} words</span>`
  }${section.trivial ? html` ${badge('trivial', section.trivial === 'numbers' ? 'numbers or dates only' : `formatting only: ${section.trivial}`)}` : ''}${history ? html` <a href="${history}">Section history</a>` : ''}${lineage ? html` <a href="${lineage}" class="lineage-link">Across editions</a>` : ''} <code class="muted">${section.key}</code></p>
${isRemoved ? html`<p class="removed-banner">Section removed: it is not in ${model.toLabel}.</p>` : ''}${isRemoved && section.likelyCounterpart ? counterpartNote(section, context) : ''}
${
  renamed
    ? html`<p class="rename">${badge('renamed')} Renamed from <span class="old-name">“${previousTitle(section)}”</span> to <span class="new-name">“${sectionTitle(section)}”</span></p>`
    : ''
}
${section.kinds.includes('moved') && section.previousKey && section.previousKey !== section.key ? html`<p class="rename">${badge('moved')} Moved from <span class="old-name">${movedFromPlace(section)}</span></p>` : ''}
</header>
${paragraphs}
${ledgerSentences ? ledgerList(ledgerSentences, model.ledger!) : ''}
${
  sentences
    ? html`<div class="removed-sentences"><h3>${formatNumber(sentences.length)} sentence${sentences.length === 1 ? '' : 's'} removed</h3><ol>${sentences.map(
        (sentence) => html`<li><del>${sentence}</del></li>`,
      )}</ol></div>`
    : ''
}
</section>`;
}

function sentenceCounts(removed: RemovedSentences, ledger: DiffLedger | undefined, moves: number): SafeHtml {
  if (!ledger) {
    return html`${removed.total > 0 ? html` <span>· ${formatNumber(removed.total)} sentence${removed.total === 1 ? '' : 's'} removed</span>` : ''}${
      moves > 0 ? html` <span>· ${formatNumber(moves)} paragraph${moves === 1 ? '' : 's'} moved</span>` : ''
    }`;
  }
  return html` <span data-ledger-counts>· <a href="${ledger.href}"><span data-count="removed">${formatNumber(ledger.removed)}</span> sentence${
    ledger.removed === 1 ? '' : 's'
  } removed, <span data-count="reworded">${formatNumber(ledger.reworded)}</span> reworded</a>, <a href="${ledger.movedHref}"><span data-count="moved">${formatNumber(
    ledger.moved,
  )}</span> moved to another section</a>${moves > 0 ? html` (${formatNumber(moves)} whole paragraph${moves === 1 ? '' : 's'})` : ''}</span>`;
}

function summaryBadges(diff: RevisionDiff, removed: RemovedSentences, ledger: DiffLedger | undefined, moves: number): SafeHtml {
  const summary = diff.summary;
  const counts = KIND_ORDER.filter((kind) => summary[kind] > 0).map((kind) => html`${badge(kind, `${formatNumber(summary[kind])} ${kind}`)} `);
  return html`<p class="diff-summary" id="diff-summary">${counts.length > 0 ? counts : html`<span>No section changed.</span> `}<span>${words(summary.wordsAdded, '+')} / ${words(summary.wordsRemoved, '\u2212')} words</span>${sentenceCounts(removed, ledger, moves)}${summary.unchanged > 0 ? html` <span class="muted">· ${formatNumber(summary.unchanged)} unchanged</span>` : ''}${
    summary.trivial && summary.unchanged < diff.sections.length ? html` ${badge('trivial', 'every change minor: formatting, numbers or dates')}` : ''
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
          ({ section, anchor }) =>
            html`<li><a href="#${anchor}"><span class="old-name">${previousTitle(section)}</span> → ${sectionTitle(section)}</a></li>`,
        )}</ul></div>`
      : ''
  }</div>`;
}

type ShownSection = { section: SectionChange; index: number; anchor: string };

function navItem({ section, anchor }: ShownSection, hidden: boolean, tracked: boolean): SafeHtml {
  const attributes = html`${tracked ? html` data-for="${anchor}"` : ''}${hidden ? html` hidden` : ''}`;
  const label = html`${sectionTitle(section)} ${badge(section.kind, section.kind)}`;
  return html`<li class="level-${Math.min(section.level, 6)}"${attributes}><a href="#${anchor}">${label}</a></li>`;
}

/** One sidebar group of an edition comparison: a heading and its links, left out when empty. */
function navGroup(id: string, title: string, items: SafeHtml[]): SafeHtml {
  if (items.length === 0) return html``;
  return html`<h3 id="${id}">${title} <span class="muted">(${formatNumber(items.length)})</span></h3><ol aria-labelledby="${id}">${items}</ol>`;
}

/**
 * The sidebar of an edition comparison. The later edition's outline never holds the earlier edition's sections: the
 * changed sections come first (in the later edition's order, so the first change is a few Tab presses away), then
 * "Removed" (earlier headings), "Added", "Renamed/Moved" (old heading -> new heading), and the whole later outline in a
 * <details> (closed, so its links add no Tab stops until opened; no script needed).
 */
function editionNav(model: DiffPageModel, shown: ShownSection[], hide: (section: SectionChange) => boolean): SafeHtml {
  const present = shown.filter(({ section }) => section.kind !== 'removed');
  const changed = present.filter(({ section }) => section.kind !== 'unchanged');
  const removed = shown.filter(({ section }) => section.kind === 'removed');
  const added = shown.filter(({ section }) => section.kind === 'added');
  const relocated = shown.filter(
    ({ section }) => section.kind !== 'removed' && (section.kinds.includes('renamed') || section.kinds.includes('moved')),
  );
  const link = (entry: ShownSection, text: SafeHtml | string) =>
    html`<li${hide(entry.section) ? html` hidden` : ''}><a href="#${entry.anchor}">${text}</a></li>`;
  return html`<nav class="section-nav edition-nav" aria-label="Sections in this comparison" data-section-nav>
<h2 id="section-nav-heading">Sections</h2>
${navGroup(
  'nav-changed',
  'Changed only',
  changed.map((entry) => link(entry, html`${sectionTitle(entry.section)} ${badge(entry.section.kind, entry.section.kind)}`)),
)}
${navGroup(
  'nav-removed',
  `Removed (${model.fromLabel})`,
  removed.map((entry) => link(entry, sectionTitle(entry.section))),
)}
${navGroup(
  'nav-added',
  'Added',
  added.map((entry) => link(entry, sectionTitle(entry.section))),
)}
${navGroup(
  'nav-relocated',
  'Renamed/Moved',
  relocated.map((entry) => link(entry, html`<span class="old-name">${previousTitle(entry.section)}</span> → ${sectionTitle(entry.section)}`)),
)}
${
  present.length === 0
    ? removed.length === 0
      ? html`<p class="muted">None.</p>`
      : ''
    : html`<details class="outline"><summary>Outline of the ${model.toLabel} <span class="muted" data-visible-count>(${formatNumber(
        present.filter(({ section }) => !hide(section)).length,
      )})</span></summary><ol>${present.map((entry) => navItem(entry, hide(entry.section), true))}</ol></details>`
}
</nav>`;
}

/** The sections the page renders, in the diff's order, each with its unique anchor. */
function shownSections(diff: RevisionDiff, display: DiffPageModel['display']): ShownSection[] {
  const used = new Set<string>();
  const shown: ShownSection[] = [];
  diff.sections.forEach((section, index) => {
    if (section.kind === 'unchanged' && !display.unchanged) return;
    let anchor = sectionAnchor(section.key);
    for (let copy = 2; used.has(anchor); copy++) anchor = `${sectionAnchor(section.key)}-${copy}`;
    used.add(anchor);
    shown.push({ section, index, anchor });
  });
  return shown;
}

/** The anchor of the first changed section the page shows (not hidden as formatting only): the target of "Skip to the first change". */
export function firstChangeAnchor(diff: RevisionDiff, display: DiffPageModel['display']): string | undefined {
  return shownSections(diff, display).find(({ section }) => section.kind !== 'unchanged' && !(formattingOnly(section) && display.hideTrivial))
    ?.anchor;
}

export function renderDiffPage(model: DiffPageModel): SafeHtml {
  const { diff, display } = model;
  const removed = removedSentences(diff);
  const moved = findMovedParagraphs(diff);
  const shown = shownSections(diff, display);
  const trivialCount = shown.filter(({ section }) => formattingOnly(section)).length;
  const visibleCount = shown.length - (display.hideTrivial ? trivialCount : 0);
  const context: SectionRenderContext = { model, removed, moved, anchors: new Map(shown.map(({ index, anchor }) => [index, anchor])) };

  const viewLink = (view: DiffView, label: string) =>
    html`<a href="${model.urlFor({ ...display, view })}" data-view="${view}"${display.view === view ? html` aria-current="true"` : ''}>${label}</a>`;

  const toolbar = html`<form class="diff-toolbar" method="get" action="${model.form.action}" data-diff-toolbar>
${Object.entries(model.form.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<input type="hidden" name="view" value="${display.view}">
<span class="views" role="group" aria-label="Layout">Layout: ${viewLink('inline', 'Inline')} | ${viewLink('side-by-side', 'Side by side')}</span>
<label class="check"><input type="checkbox" name="hideTrivial" value="true" data-toggle-trivial${display.hideTrivial ? html` checked` : ''}> Hide formatting-only changes (${formatNumber(trivialCount)})</label>
<label class="check"><input type="checkbox" name="unchanged" value="true" data-autosubmit${display.unchanged ? html` checked` : ''}> Show unchanged sections</label>
<button type="submit" class="secondary" data-apply>Apply</button>
<span class="keys-hint" data-keys-hint hidden>Keys: <kbd>n</kbd> next section, <kbd>p</kbd> previous</span>
</form>`;

  const hide = (section: SectionChange) => formattingOnly(section) && display.hideTrivial;
  const nav =
    model.mode === 'editions'
      ? editionNav(model, shown, hide)
      : html`<nav class="section-nav" aria-label="Sections in this comparison" data-section-nav>
<h2 id="section-nav-heading">Sections <span class="muted" data-visible-count>(${formatNumber(visibleCount)})</span></h2>
${
  shown.length === 0
    ? html`<p class="muted">None.</p>`
    : html`<ol>${shown.map(
        ({ section, anchor }) =>
          html`<li class="level-${Math.min(section.level, 6)}" data-for="${anchor}"${formattingOnly(section) && display.hideTrivial ? html` hidden` : ''}><a href="#${anchor}">${sectionTitle(section)} ${badge(
            section.kind,
            section.kind,
          )}</a></li>`,
      )}</ol>`
}
</nav>`;

  const body =
    shown.length === 0
      ? html`<p class="notice">No section changed between these two.</p>`
      : shown.map(({ section, index, anchor }) => renderSection(section, index, anchor, context));
  const allHidden = shown.length > 0 && visibleCount === 0;

  return html`<h1>${model.heading}</h1>
${model.intro}
${summaryBadges(diff, removed, model.ledger, moved.moves.length)}
${diff.bounded ? html`<p class="notice">Word-level highlighting was skipped for ${formatNumber(diff.bounded.paragraphs)} paragraph(s) (${diff.bounded.reason}): they are shown whole, old then new.</p>` : ''}
${model.mode === 'editions' ? atAGlance(shown) : ''}
${toolbar}
<div class="diff-layout">
${nav}
<div class="diff-sections" data-diff-sections>
<p class="notice" data-all-hidden${allHidden ? '' : html` hidden`}>Every change here is formatting only (whitespace or punctuation) and hidden. Untick “Hide formatting-only changes” to see them.</p>
${body}
</div>
</div>
<p>The same comparison from the API: ${model.alternates.map((alternate, index) => html`${index > 0 ? ', ' : ''}<a href="${alternate.href}">${alternate.label}</a>`)}.</p>`;
}
