import type { AuditTable } from '../../../shared/domain/audit.js';
import { auditChart, editionLabel } from './audit-chart.js';
import { formatNumber, html, type SafeHtml } from './html.js';
import type { UiLinks } from './ui-links.js';

/** Terms in (a GET form, so an audit is a link), a chart and a table of rates by edition out, plus CSV and JSON. */
export interface AuditRequestFields {
  terms: string;
  series?: string;
  by: 'edition' | 'section';
  wholeWord: boolean;
}

export interface AuditModel {
  links: UiLinks;
  seriesOptions: string[];
  request?: AuditRequestFields;
  table?: AuditTable;
  error?: string;
}

function formatRate(rate: number): string {
  return rate.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function resultTable(table: AuditTable): SafeHtml {
  const bySection = table.by === 'section';
  return html`<div class="table-scroll"><table class="data" id="audit-table">
<caption>Matches and rates per 100,000 words${bySection ? ', by edition and section' : ', by edition'}</caption>
<thead><tr><th scope="col">Edition</th>${bySection ? html`<th scope="col">Section</th>` : ''}<th scope="col" class="number">Reports</th><th scope="col" class="number">Words</th>${table.terms.map(
    (term) => html`<th scope="col" class="number">“${term}” matches</th><th scope="col" class="number">“${term}” rate</th>`,
  )}</tr></thead>
<tbody>${table.rows.map(
    (row) =>
      html`<tr data-edition="${row.edition ?? ''}"><th scope="row">${editionLabel(row)}</th>${
        bySection ? html`<td>${row.heading ?? ''}<br><code class="muted">${row.sectionKey ?? ''}</code></td>` : ''
      }<td class="number">${formatNumber(row.reports)}</td><td class="number">${formatNumber(row.wordCount)}</td>${table.terms.map(
        (term) =>
          html`<td class="number">${formatNumber(row.counts[term] ?? 0)}</td><td class="number" data-term="${term}" data-rate="${String(row.rates[term] ?? 0)}">${formatRate(row.rates[term] ?? 0)}</td>`,
      )}</tr>`,
  )}</tbody></table></div>`;
}

export function auditView(model: AuditModel): SafeHtml {
  const { links, request, table } = model;
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  const query = request
    ? { terms: request.terms, by: request.by, ...(request.series ? { series: request.series } : {}), wholeWord: request.wholeWord }
    : undefined;
  return html`<h1>Term audit</h1>
<p class="lead">How often terms appear in each edition, per 100,000 words of report text (headings excluded), over the latest
capture of every page${request?.series ? html` of <a href="${links.series(request.series)}">${request.series}</a>` : ''}.</p>
<form class="inline" method="get" action="${links.audit()}">
<div class="field"><label for="audit-terms">Terms</label><input type="text" id="audit-terms" name="terms" size="40" value="${request?.terms ?? ''}" required aria-describedby="audit-terms-hint"><span class="hint" id="audit-terms-hint">Separate terms with commas, e.g. torture, climate change</span></div>
<div class="field"><label for="audit-series">Series</label><select id="audit-series" name="series">${option('', 'every series', !request?.series)}${model.seriesOptions.map((series) => option(series, series, request?.series === series))}</select></div>
<div class="field"><label for="audit-by">Rows</label><select id="audit-by" name="by">${option('edition', 'by edition', request?.by !== 'section')}${option('section', 'by edition and section', request?.by === 'section')}</select></div>
<label class="check"><input type="checkbox" name="wholeWord" value="true"${request?.wholeWord ? html` checked` : ''}> Whole words only</label>
<button type="submit">Run audit</button>
</form>
${model.error ? html`<p class="notice error" role="alert">${model.error}</p>` : ''}
${
  table && query
    ? html`<h2 id="results">Results</h2>
${
  table.rows.length === 0
    ? html`<p>No captured report to audit${request?.series ? ' in this series' : ''}.</p>`
    : html`${table.by === 'edition' ? auditChart(table, { id: 'audit-chart', caption: `Rates of ${table.terms.map((term) => `“${term}”`).join(', ')} per 100,000 words, by edition` }) : html`<p class="muted">The chart is drawn for audits by edition.</p>`}
${resultTable(table)}`
}
<ul class="links-inline">
<li><a href="${links.auditCsv(query)}" download="redline-audit.csv">Download CSV</a></li>
<li><a href="${links.auditJson(query)}">JSON</a></li>
</ul>
<p class="muted">${formatNumber(table.rows.reduce((sum, row) => sum + (table.by === 'edition' ? row.reports : 0), 0))} report(s) audited${table.wholeWord ? ', whole words only' : ''}. Matching ignores case and typographic quotes.</p>`
    : ''
}`;
}
