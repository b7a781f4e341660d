import { escapeHtml } from '../../../shared/domain/diff-rendering.js';

/**
 * Escaping by construction: `html` templates escape every interpolated value unless it is already SafeHtml (the
 * result of another `html` template, or `rawHtml` for markup built elsewhere and escaped there). Arrays are joined,
 * so lists render without quadratic string building; null, undefined and false render as nothing.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

export { escapeHtml };

function renderValue(value: HtmlValue, parts: string[]): void {
  if (value === null || value === undefined || value === false) return;
  if (value instanceof SafeHtml) parts.push(value.value);
  else if (Array.isArray(value)) for (const item of value as readonly HtmlValue[]) renderValue(item, parts);
  else parts.push(escapeHtml(String(value)));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  const parts: string[] = [strings[0]!];
  for (let index = 0; index < values.length; index++) {
    renderValue(values[index]!, parts);
    parts.push(strings[index + 1]!);
  }
  return new SafeHtml(parts.join(''));
}

/** Markup that is already escaped (the domain's renderings, the inline SVG built here). */
export function rawHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** `class="a b"` from the truthy names. */
export function classes(...names: (string | false | null | undefined)[]): string {
  return names.filter((name): name is string => typeof name === 'string' && name.length > 0).join(' ');
}

const NUMBER = new Intl.NumberFormat('en-US');

export function formatNumber(value: number, fractionDigits = 0): string {
  return fractionDigits === 0
    ? NUMBER.format(value)
    : value.toLocaleString('en-US', { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
}

/** "2025-03-02 06:00 UTC" in a <time> element (machine-readable datetime kept). */
export function timeElement(iso: string | undefined): SafeHtml {
  if (!iso) return html`<span class="muted">never</span>`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return html`${iso}`;
  const shown = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return html`<time datetime="${date.toISOString()}">${shown}</time>`;
}
