import type { AuditRow, AuditTable } from '../../../shared/domain/audit.js';
import { html, type SafeHtml } from './html.js';

/**
 * An inline SVG bar chart of term rates (matches per 100,000 words) by edition: one group of bars per edition, one
 * bar per term. It needs no script and no library. Each bar carries its exact rate in `data-rate` and a <title>
 * tooltip; the table next to it is the accessible form of the same numbers.
 */
export const TERM_COLOURS = ['#1f4f99', '#b3261e', '#17622b', '#6a3d9a', '#00707a', '#7a4a00', '#8a1c5c', '#3b5b00'] as const;

export function termColour(index: number): string {
  return TERM_COLOURS[index % TERM_COLOURS.length]!;
}

export function editionLabel(row: AuditRow): string {
  if (row.edition !== null) return String(row.edition);
  return row.url ? `no edition (${new URL(row.url).hostname})` : 'no edition';
}

/** 1, 2 or 5 times a power of ten, at least `value`. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function formatRate(rate: number): string {
  return rate.toLocaleString('en-US', { maximumFractionDigits: rate < 10 ? 2 : 1 });
}

export function auditChart(table: AuditTable, options: { id: string; caption: string }): SafeHtml {
  const rows = table.rows;
  const terms = table.terms;
  const barWidth = Math.max(10, Math.min(28, Math.floor(160 / Math.max(1, terms.length))));
  const groupWidth = terms.length * barWidth;
  const margin = { top: 16, right: 16, bottom: 44, left: 64 };
  const plotHeight = 240;
  // At least 24 px between groups; fewer groups spread out over a plot at least 480 px wide.
  const groupGap = Math.max(24, (480 - rows.length * groupWidth) / (rows.length + 1));
  const plotWidth = rows.length * (groupWidth + groupGap) + groupGap;
  const width = margin.left + plotWidth + margin.right;
  const height = margin.top + plotHeight + margin.bottom;
  const maxRate = Math.max(0, ...rows.flatMap((row) => terms.map((term) => row.rates[term] ?? 0)));
  const top = niceCeiling(maxRate);
  const y = (rate: number) => margin.top + plotHeight - (rate / top) * plotHeight;
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((fraction) => fraction * top);
  const titleId = `${options.id}-title`;
  const descId = `${options.id}-desc`;

  const grid = ticks.map(
    (tick) =>
      html`<line class="grid" x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}"/><text x="${margin.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${formatRate(tick)}</text>`,
  );
  const groups = rows.map((row, rowIndex) => {
    const groupX = Math.round(margin.left + groupGap + rowIndex * (groupWidth + groupGap));
    const label = editionLabel(row);
    const bars = terms.map((term, termIndex) => {
      const rate = row.rates[term] ?? 0;
      const barTop = y(rate);
      return html`<rect class="bar" x="${groupX + termIndex * barWidth}" y="${barTop.toFixed(2)}" width="${barWidth - 2}" height="${(margin.top + plotHeight - barTop).toFixed(2)}" fill="${termColour(termIndex)}" data-term="${term}" data-edition="${row.edition ?? ''}" data-rate="${String(rate)}"><title>${term}, ${label}: ${formatRate(rate)} per 100,000 words (${row.counts[term] ?? 0} matches)</title></rect>`;
    });
    return html`<g class="edition" data-edition="${row.edition ?? ''}">${bars}<text x="${groupX + groupWidth / 2}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${label}</text></g>`;
  });

  // Focusable: on a narrow screen the chart keeps its size and scrolls sideways inside this box (keyboard too).
  return html`<figure class="chart-wrap" tabindex="0">
<svg class="chart" id="${options.id}" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title id="${titleId}">${options.caption}</title>
<desc id="${descId}">Bar chart: for each edition, one bar per term (${terms.join(', ')}), height = matches per 100,000 words. The table below gives the same numbers.</desc>
${grid}
<line class="axis" x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotHeight}"/>
<line class="axis" x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}"/>
<text x="14" y="${margin.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 14 ${margin.top + plotHeight / 2})">per 100,000 words</text>
${groups}
<text x="${margin.left + plotWidth / 2}" y="${height - 6}" text-anchor="middle">edition</text>
</svg>
<figcaption><ul class="legend">${terms.map(
    (term, index) => html`<li><span class="swatch term-${index % TERM_COLOURS.length}"></span>${term}</li>`,
  )}</ul></figcaption>
</figure>`;
}
