import type { EditionReport, SeriesReportRow, TemplateSectionRow } from '../../../shared/domain/edition-report.js';
import type { EditionReportJob } from '../../../shared/domain/edition-report-job.js';
import { formatNumber, html, type SafeHtml } from './html.js';
import { pathSegment, UI_ROOT, type UiLinks } from './ui-links.js';

/**
 * The edition overview: a report's two editions across all its series (edition-report.ts). A series table sorted on
 * the server (each column heading is a link, so it sorts without a script), an SVG histogram of the length ratios,
 * a grid of template sections by series, and links into each series' comparison. Everything is plain HTML and SVG.
 */
export const OVERVIEW_SORTS = ['ratio', 'removed', 'kept', 'series'] as const;
export type OverviewSort = (typeof OVERVIEW_SORTS)[number];

export function editionOverviewPath(links: UiLinks, report: string, from: number, to: number, sort?: OverviewSort): string {
  const search = new URLSearchParams({ from: String(from), to: String(to) });
  if (sort && sort !== 'ratio') search.set('sort', sort);
  return `${links.base}${UI_ROOT}/editions/${pathSegment(report)}?${search.toString()}`;
}

function apiReportPath(links: UiLinks, report: string, from: number, to: number, format: 'csv' | 'json', by?: 'section'): string {
  const search = new URLSearchParams({ from: String(from), to: String(to), format });
  if (by) search.set('by', by);
  return links.api(`/editions/${pathSegment(report)}/report?${search.toString()}`);
}

/** Rows in the chosen order: deepest cut first, most sections removed, fewest sentences kept, or by name. */
export function sortSeries(rows: readonly SeriesReportRow[], sort: OverviewSort): SeriesReportRow[] {
  const byName = (a: SeriesReportRow, b: SeriesReportRow) => a.series.localeCompare(b.series);
  const order: Record<OverviewSort, (a: SeriesReportRow, b: SeriesReportRow) => number> = {
    ratio: (a, b) => a.ratio - b.ratio || byName(a, b),
    removed: (a, b) => b.removed - a.removed || byName(a, b),
    kept: (a, b) => a.keptShare - b.keptShare || byName(a, b),
    series: byName,
  };
  return [...rows].sort(order[sort]);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function seriesTable(report: EditionReport, links: UiLinks, sort: OverviewSort): SafeHtml {
  const heading = (column: OverviewSort, label: string, numeric: boolean) => {
    const current = column === sort;
    return html`<th scope="col"${numeric ? html` class="number"` : ''}${current ? html` aria-sort="${column === 'series' ? 'ascending' : column === 'removed' ? 'descending' : 'ascending'}"` : ''}><a href="${editionOverviewPath(links, report.report, report.from, report.to, column)}">${label}</a></th>`;
  };
  return html`<div class="table-scroll"><table class="data" id="overview-series">
<caption>Series, ${sort === 'ratio' ? 'deepest cut first' : sort === 'removed' ? 'most sections removed first' : sort === 'kept' ? 'fewest sentences kept first' : 'by name'} (choose a column to sort)</caption>
<thead><tr>${heading('series', 'Series', false)}<th scope="col" class="number">Words ${report.from}</th><th scope="col" class="number">Words ${report.to}</th>${heading('ratio', 'Ratio', true)}${heading('removed', 'Sections removed', true)}<th scope="col" class="number">Added</th><th scope="col" class="number">Renamed</th>${heading('kept', 'Sentences kept', true)}</tr></thead>
<tbody>${sortSeries(report.series, sort).map(
    (row) =>
      html`<tr data-series="${row.series}" data-ratio="${String(row.ratio)}"><th scope="row"><a href="${links.compare(row.series, report.from, report.to)}">${row.series}</a></th><td class="number">${formatNumber(row.wordsFrom)}</td><td class="number">${formatNumber(row.wordsTo)}</td><td class="number">${row.ratio.toFixed(3)}</td><td class="number">${formatNumber(row.removed)}</td><td class="number">${formatNumber(row.added)}</td><td class="number">${formatNumber(row.renamed)}</td><td class="number">${percent(row.keptShare)} <span class="muted">(${formatNumber(row.sentencesKept)} of ${formatNumber(row.sentencesFrom)})</span></td></tr>`,
  )}</tbody></table></div>`;
}

/** Ratios in bins of 0.1 (a bin holds [from, to)), from 0 to 1 and on to the largest ratio. */
export function ratioBins(ratios: readonly number[]): Array<{ from: number; to: number; count: number }> {
  const binOf = (ratio: number) => Math.floor(Math.round(ratio * 1000) / 100);
  const count = Math.max(10, ...ratios.map((ratio) => binOf(ratio) + 1));
  const bins = Array.from({ length: count }, (_, index) => ({ from: index / 10, to: (index + 1) / 10, count: 0 }));
  for (const ratio of ratios) bins[Math.max(0, binOf(ratio))]!.count++;
  return bins;
}

function histogram(report: EditionReport): SafeHtml {
  const bins = ratioBins(report.series.map((row) => row.ratio));
  const most = Math.max(1, ...bins.map((bin) => bin.count));
  const margin = { top: 12, right: 8, bottom: 36, left: 32 };
  const barWidth = 28;
  const plotHeight = 160;
  const width = margin.left + bins.length * barWidth + margin.right;
  const height = margin.top + plotHeight + margin.bottom;
  const y = (count: number) => margin.top + plotHeight - (count / most) * plotHeight;
  const bars = bins.map((bin, index) => {
    const x = margin.left + index * barWidth;
    const label = `${bin.from.toFixed(1)}–${bin.to.toFixed(1)}: ${bin.count} series`;
    return html`<g class="bin" data-from="${bin.from.toFixed(1)}" data-count="${bin.count}"><title>${label}</title><rect x="${x + 2}" y="${y(bin.count).toFixed(1)}" width="${barWidth - 4}" height="${(margin.top + plotHeight - y(bin.count)).toFixed(1)}" fill="#1f4f99"/>${
      index % 2 === 0
        ? html`<text x="${x + barWidth / 2}" y="${margin.top + plotHeight + 14}" text-anchor="middle">${bin.from.toFixed(1)}</text>`
        : ''
    }</g>`;
  });
  return html`<figure class="chart-wrap" id="overview-histogram">
<svg class="chart" role="img" aria-labelledby="overview-histogram-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<title id="overview-histogram-title">Length ratios (${report.to} words / ${report.from} words) of ${report.series.length} series, in bins of 0.1</title>
<line x1="${margin.left}" x2="${margin.left + bins.length * barWidth}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="currentColor"/>
<text x="${margin.left - 4}" y="${margin.top + 8}" text-anchor="end">${most}</text><text x="${margin.left - 4}" y="${margin.top + plotHeight}" text-anchor="end">0</text>
${bars}
<text x="${margin.left + (bins.length * barWidth) / 2}" y="${height - 4}" text-anchor="middle">ratio</text>
</svg>
<figcaption>Length ratios: median ${report.summary.median.toFixed(3)}, quartiles ${report.summary.q1.toFixed(3)} and ${report.summary.q3.toFixed(3)}, lowest ${report.summary.min.toFixed(3)}.</figcaption>
</figure>`;
}

type CellStatus = 'kept' | 'renamed' | 'removed' | 'added' | 'absent';

export function sectionStatus(row: TemplateSectionRow, series: string): CellStatus {
  if (!row.presentIn.includes(series)) return 'absent';
  if (row.seriesFrom === 0) return 'added';
  if (row.removedIn.includes(series)) return 'removed';
  if (row.renamedIn.includes(series)) return 'renamed';
  return 'kept';
}

const CELL: Record<CellStatus, { symbol: string; label: string }> = {
  kept: { symbol: '●', label: 'present' },
  renamed: { symbol: '↻', label: 'renamed' },
  removed: { symbol: '✕', label: 'removed' },
  added: { symbol: '+', label: 'added' },
  absent: { symbol: '·', label: 'absent' },
};

function sectionGrid(report: EditionReport, links: UiLinks): SafeHtml {
  const series = [...report.series].map((row) => row.series).sort();
  return html`<div class="table-scroll"><table class="data grid" id="overview-sections">
<caption>Template sections by series: ${Object.values(CELL)
    .map((cell) => `${cell.symbol} ${cell.label}`)
    .join(', ')}</caption>
<thead><tr><th scope="col">Section</th><th scope="col" class="number">In ${report.from}</th><th scope="col" class="number">In ${report.to}</th>${series.map(
    (name) => html`<th scope="col"><a href="${links.compare(name, report.from, report.to)}">${name.slice(name.indexOf('/') + 1)}</a></th>`,
  )}</tr></thead>
<tbody>${report.sections.map(
    (row) =>
      html`<tr data-key="${row.key}"><th scope="row">${row.heading}</th><td class="number">${row.seriesFrom}</td><td class="number">${row.seriesTo}</td>${series.map(
        (name) => {
          const status = sectionStatus(row, name);
          return html`<td class="cell-${status}" data-status="${status}" title="${name}: ${CELL[status].label}"><span role="img" aria-label="${CELL[status].label}">${CELL[status].symbol}</span></td>`;
        },
      )}</tr>`,
  )}</tbody></table></div>`;
}

export interface EditionOverviewModel {
  links: UiLinks;
  report: EditionReport;
  sort: OverviewSort;
}

export function editionOverviewView({ links, report, sort }: EditionOverviewModel): SafeHtml {
  const { summary } = report;
  const removedEverywhere = report.sections.filter(
    (row) => row.seriesFrom === summary.series && row.removed === summary.series && summary.series > 0,
  );
  return html`<h1>${report.report}: the ${report.from} and ${report.to} editions across ${summary.series} series</h1>
<p class="lead">${formatNumber(summary.wordsFrom)} words in ${report.from}, ${formatNumber(summary.wordsTo)} in ${report.to} (ratio ${summary.overallRatio.toFixed(3)}).
Each series is aligned as its comparison aligns it; ratios are words in ${report.to} over words in ${report.from}.</p>
${histogram(report)}
<h2>Series</h2>
${seriesTable(report, links, sort)}
<h2>Sections</h2>
<p>${removedEverywhere.length} section(s) of ${report.from} are gone from every series${removedEverywhere.length > 0 ? html`: ${removedEverywhere.map((row, index) => html`${index > 0 ? ', ' : ''}“${row.heading}”`)}` : ''}.</p>
${sectionGrid(report, links)}
<ul class="links-inline">
<li><a href="${apiReportPath(links, report.report, report.from, report.to, 'csv')}" download="redline-edition-report.csv">Series CSV</a></li>
<li><a href="${apiReportPath(links, report.report, report.from, report.to, 'csv', 'section')}" download="redline-edition-sections.csv">Sections CSV</a></li>
<li><a href="${apiReportPath(links, report.report, report.from, report.to, 'json')}">JSON</a></li>
</ul>`;
}

/**
 * The overview of a report too large for a request, while its job runs (edition-report-jobs.ts): what is being
 * computed, and a page that reloads itself (meta refresh, no script) until the report is there.
 */
export function editionOverviewPendingView({ job, refreshSeconds }: { job: EditionReportJob; refreshSeconds: number }): SafeHtml {
  return html`<h1>${job.report}: the ${String(job.from)} and ${String(job.to)} editions, being computed</h1>
<p class="lead" role="status">${String(job.series)} series are being compared off the request path (since ${job.requestedAt}).
This page reloads itself every ${String(refreshSeconds)} seconds and shows the report once it is ready.</p>`;
}
