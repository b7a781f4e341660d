/**
 * Renderings of a RevisionDiff: unified text (like `git diff --word-diff=plain`), an HTML fragment and stable JSON.
 * By default only changed sections are shown; trivial ones can be hidden too.
 */
import type { ParagraphChange, RevisionDiff, SectionChange } from './revision-diff.js';

export interface RenderOptions {
  /** Show unchanged sections as well (default false). */
  includeUnchanged?: boolean;
  /** Hide sections whose every change is trivial (whitespace, punctuation, numbers) (default false). */
  hideTrivial?: boolean;
}

export function visibleSections(diff: RevisionDiff, options: RenderOptions = {}): SectionChange[] {
  return diff.sections.filter((section) => {
    if (section.kind === 'unchanged') return options.includeUnchanged === true;
    return !(options.hideTrivial && section.trivial !== undefined);
  });
}

function title(section: SectionChange): string {
  return section.number ? `${section.number} ${section.heading}` : section.heading;
}

/** "(renamed, modified, +12 -3 words, trivial: numbers)" without the parentheses. */
function describeChange(section: SectionChange): string {
  const parts = [section.kinds.join(', ')];
  if (section.kind !== 'unchanged') parts.push(`+${section.wordsAdded} -${section.wordsRemoved} words`);
  if (section.trivial) parts.push(`trivial: ${section.trivial}`);
  return parts.join(', ');
}

/** Where a renamed or moved section came from: "was 2.a Freedom of Speech and Press, key a/b". */
function describeOrigin(section: SectionChange): string | undefined {
  const origin: string[] = [];
  if (section.previousHeading !== undefined || section.previousNumber !== undefined) {
    const number = section.previousNumber ?? section.number;
    const heading = section.previousHeading ?? section.heading;
    origin.push(`was ${number ? `${number} ${heading}` : heading}`);
  }
  if (section.kinds.includes('moved') && section.previousKey !== undefined) origin.push(`from ${section.previousKey}`);
  return origin.length > 0 ? origin.join(', ') : undefined;
}

/** A removed section's likely counterpart: "likely counterpart: 2.a Freedom of the Press (liberty/freedom-of-the-press), 43% of its text is there". */
export function describeCounterpart(section: SectionChange): string | undefined {
  const counterpart = section.likelyCounterpart;
  if (!counterpart) return undefined;
  const name = counterpart.number ? `${counterpart.number} ${counterpart.heading}` : counterpart.heading;
  const share = `${Math.round(counterpart.retained * 100)}% of its text is there`;
  const why =
    counterpart.by === 'text' ? share : counterpart.by === 'heading' ? `a similar heading; ${share}` : `the edition map pairs them; ${share}`;
  return `likely counterpart: ${name} (${counterpart.key}), ${why}`;
}

const BEFORE_ONLY = (paragraph: ParagraphChange): string => paragraph.before ?? '';
const AFTER_ONLY = (paragraph: ParagraphChange): string => paragraph.after ?? '';

function unifiedParagraph(paragraph: ParagraphChange): string[] {
  if (paragraph.kind === 'removed') return [`-${BEFORE_ONLY(paragraph)}`];
  if (paragraph.kind === 'added') return [`+${AFTER_ONLY(paragraph)}`];
  if (!paragraph.words) return [`-${BEFORE_ONLY(paragraph)}`, `+${AFTER_ONLY(paragraph)}`];
  const line = paragraph.words
    .map((word) => (word.op === 'equal' ? word.text : word.op === 'delete' ? `[-${word.text}-]` : `{+${word.text}+}`))
    .join('');
  return [` ${line}`];
}

/**
 * Git-like text: a header per changed section ("@@ 1.c Torture (modified, +12 -3 words)"), a "# likely counterpart"
 * line under a removed section that has one, then "-" and "+" lines for removed and added paragraphs and a " " line
 * with [-removed-]{+added+} markers for a modified one.
 */
export function renderUnified(diff: RevisionDiff, options: RenderOptions = {}): string {
  const lines = [`--- ${diff.from.title} <${diff.from.url}>`, `+++ ${diff.to.title} <${diff.to.url}>`];
  for (const section of visibleSections(diff, options)) {
    const origin = describeOrigin(section);
    lines.push(`@@ ${title(section)} (${describeChange(section)})${origin ? ` [${origin}]` : ''}`);
    const counterpart = describeCounterpart(section);
    if (counterpart) lines.push(`# ${counterpart}`);
    for (const paragraph of section.paragraphs) lines.push(...unifiedParagraph(paragraph));
  }
  if (diff.bounded) lines.push(`# word diff skipped for ${diff.bounded.paragraphs} paragraph(s): ${diff.bounded.reason}`);
  return lines.join('\n') + '\n';
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] as string);
}

function htmlParagraph(paragraph: ParagraphChange): string {
  if (paragraph.kind === 'removed') return `<p class="redline-removed"><del>${escapeHtml(BEFORE_ONLY(paragraph))}</del></p>`;
  if (paragraph.kind === 'added') return `<p class="redline-added"><ins>${escapeHtml(AFTER_ONLY(paragraph))}</ins></p>`;
  if (!paragraph.words) {
    return (
      `<p class="redline-modified redline-bounded"><del>${escapeHtml(BEFORE_ONLY(paragraph))}</del></p>\n` +
      `<p class="redline-modified redline-bounded"><ins>${escapeHtml(AFTER_ONLY(paragraph))}</ins></p>`
    );
  }
  const inner = paragraph.words
    .map((word) => {
      const text = escapeHtml(word.text);
      return word.op === 'equal' ? text : word.op === 'delete' ? `<del>${text}</del>` : `<ins>${text}</ins>`;
    })
    .join('');
  return `<p class="redline-modified">${inner}</p>`;
}

/** An HTML fragment: one <section> per shown section, <del>/<ins> inline; every piece of text is escaped. */
export function renderHtml(diff: RevisionDiff, options: RenderOptions = {}): string {
  const parts: string[] = [];
  for (const section of visibleSections(diff, options)) {
    const level = Math.min(6, Math.max(2, section.level + 1));
    const origin = describeOrigin(section);
    const classes = ['redline-section', ...section.kinds.map((kind) => `redline-${kind}`)];
    if (section.trivial) classes.push(`redline-trivial-${section.trivial}`);
    parts.push(`<section class="${classes.join(' ')}" data-key="${escapeHtml(section.key)}">`);
    parts.push(`<h${level}>${escapeHtml(title(section))} <small class="redline-meta">(${escapeHtml(describeChange(section))})</small></h${level}>`);
    if (origin) parts.push(`<p class="redline-origin">${escapeHtml(origin)}</p>`);
    const counterpart = describeCounterpart(section);
    if (counterpart) parts.push(`<p class="redline-counterpart">${escapeHtml(counterpart.charAt(0).toUpperCase() + counterpart.slice(1))}</p>`);
    for (const paragraph of section.paragraphs) parts.push(htmlParagraph(paragraph));
    parts.push('</section>');
  }
  return parts.join('\n') + (parts.length > 0 ? '\n' : '');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = sortKeys(item);
    }
    return sorted;
  }
  return value;
}

/** Pretty JSON with object keys sorted, so equal diffs give byte-identical output. */
export function renderJson(diff: RevisionDiff, options: RenderOptions = {}): string {
  return JSON.stringify(sortKeys({ ...diff, sections: visibleSections(diff, options) }), null, 2) + '\n';
}
