import type { Context } from 'aws-lambda';
import pLimit from 'p-limit';
import * as z from 'zod';
import type { AuditTable } from '../../../shared/domain/audit.js';
import { NotFoundError, ValidationError, type RedlineError } from '../../../shared/errors.js';
import type { RevisionRecord } from '../../../shared/domain/revision-records.js';
import { withPageKeys, type Observability } from '../../../shared/observability.js';
import { compareEditions } from '../../../shared/use-cases/queries/compare-editions.js';
import { getPage, listPages } from '../../../shared/use-cases/queries/pages.js';
import { parseWithSchema } from '../../../shared/use-cases/queries/query-input.js';
import { diffRevisions } from '../../../shared/use-cases/queries/revision-diffs.js';
import { getRevision, listRevisions } from '../../../shared/use-cases/queries/revisions.js';
import { sectionHistory } from '../../../shared/use-cases/queries/section-history.js';
import { listEditions, listSeries } from '../../../shared/use-cases/queries/series.js';
import { auditStoredTerms, processAuditCountsCache } from '../../../shared/use-cases/queries/term-audit.js';
import { revisionView as toRevisionView } from '../../../shared/use-cases/queries/views.js';
import { pathParameter, requestBaseUrl, slashedPathParameter, type ApiEvent } from '../http/api-request.js';
import { CACHE, type ApiResult, type CachePolicy } from '../http/api-response.js';
import { commaList, editionNumber, flag, listCursor, revisionNumber, seriesId } from '../http/query-schemas.js';
import { auditView, type AuditRequestFields } from './audit-view.js';
import { editionOverviewPendingView, editionOverviewView, OVERVIEW_SORTS } from './edition-overview-view.js';
import { REPORT_JOB_RETRY_AFTER_SECONDS } from '../http/report-jobs.js';
import {
  requestEditionReport,
  type EditionReportJobDependencies,
  type EditionReportJobSettings,
} from '../../../shared/use-cases/queries/edition-report-jobs.js';
import { errorView, homeView, revisionView, sectionHistoryView, seriesView, timelineView, type LastChange } from './browse-views.js';
import { firstChangeAnchor, renderDiffPage } from './diff-view.js';
import { html, timeElement, type SafeHtml } from './html.js';
import { findAsset, UI_CONTENT_SECURITY_POLICY } from './ui-assets.js';
import { layout, type LayoutOptions } from './ui-layout.js';
import { UI_ROOT, UiLinks, type DiffDisplay } from './ui-links.js';
import { subscribeView } from './subscribe-view.js';
import { blameViewPage } from './blame-view.js';
import { removedViewPage } from './removed-view.js';
import { searchViewPage } from './search-view.js';
import { diffLedger } from './diff-ledger.js';
import { sectionLineagePage } from './section-lineage-view.js';
import { rawSnapshotResult, snapshotViewPage } from './snapshot-view.js';
import { newestOutline, previousEditionOf } from '../../../shared/use-cases/queries/snapshots.js';
import { subscriptionRequestFrom } from './subscription-form.js';

/**
 * The web UI's routes, served by the api function next to the JSON routes (so the same handler serves it in Lambda,
 * behind `redline serve` and in `npm run dev`). Every page is rendered on the server from the same query use cases
 * the API calls; a small script (ui-client) only enhances it. All GET: writes go to the API's own routes.
 */
export interface UiRoute {
  method: 'GET' | 'HEAD';
  path: string;
  handler: (event: ApiEvent, context: Context) => Promise<ApiResult>;
}

export interface UiDependencies extends EditionReportJobDependencies {
  api: { token?: string; baseUrl?: string; iam?: boolean; reportJobs?: EditionReportJobSettings };
}

const LIST_LIMIT = 50;
const TIMELINE_LIMIT = 25;
const STORE_READS = 8;

export const cursorQuery = z.object({ cursor: listCursor.optional() });
const displayQuery = {
  view: z.enum(['inline', 'side-by-side']).default('inline'),
  hideTrivial: flag.default(false),
  unchanged: flag.default(false),
};
export const diffQuery = z.object({ from: revisionNumber, to: revisionNumber, ...displayQuery });
export const compareQuery = z.object({ from: editionNumber.optional(), to: editionNumber.optional(), ...displayQuery });
export const auditQuery = z.object({
  terms: z.string().max(2100).optional(),
  series: seriesId.optional(),
  by: z.enum(['edition', 'section']).default('edition'),
  wholeWord: flag.default(false),
});

/** Query parameters as the browser sent them (repeated names kept apart, unlike queryStringParameters). */
function searchParameters(event: ApiEvent): URLSearchParams {
  if (event.rawQueryString) return new URLSearchParams(event.rawQueryString);
  return new URLSearchParams(Object.entries(event.queryStringParameters ?? {}).map(([name, value]) => [name, value ?? '']));
}

function query<T extends z.ZodType>(event: ApiEvent, schema: T): z.infer<T> {
  const values: Record<string, string> = {};
  for (const [name, value] of searchParameters(event)) if (value !== '' && !(name in values)) values[name] = value;
  return parseWithSchema(schema, values, 'query');
}

/** The base path of links: the configured public URL's path, or the stage (empty on `$default` and locally). */
function basePath(event: ApiEvent, configured: string | undefined): string {
  if (configured) {
    try {
      return new URL(configured).pathname.replace(/\/+$/, '');
    } catch {
      return '';
    }
  }
  const stage = event.requestContext.stage;
  return stage && stage !== '$default' ? `/${stage}` : '';
}

function htmlResult(body: SafeHtml, status = 200, cache: CachePolicy = 'list'): ApiResult {
  return {
    statusCode: status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': status === 200 ? CACHE[cache] : CACHE.private,
      'content-security-policy': UI_CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
    },
    body: body.value,
  };
}

function diffDisplay(parsed: { view: 'inline' | 'side-by-side'; hideTrivial: boolean; unchanged: boolean }) {
  return { view: parsed.view, hideTrivial: parsed.hideTrivial, unchanged: parsed.unchanged };
}

/** What a view renders: the page shell's options, and the status and caching when not the defaults. */
export interface RenderedView {
  options: Omit<LayoutOptions, 'links'>;
  status?: number;
  cache?: CachePolicy;
}

/** One request to a view, with the store reads the views share. */
export interface ViewRequest {
  event: ApiEvent;
  links: UiLinks;
  dependencies: UiDependencies;
  reads: StoreReads;
}

export type View = (request: ViewRequest) => Promise<RenderedView>;

/** Store reads of the listing views, at most STORE_READS at once across requests. */
interface StoreReads {
  limit: ReturnType<typeof pLimit>;
  latestOf(pageId: string): Promise<RevisionRecord | undefined>;
}

function storeReads(dependencies: UiDependencies): StoreReads {
  const limit = pLimit(STORE_READS);
  return { limit, latestOf: (pageId) => limit(() => dependencies.revisions.latestRevision(pageId)) };
}

function lastChange(record: RevisionRecord | undefined): LastChange | undefined {
  if (!record) return undefined;
  const { page: id, seq, capturedAt, summary, significance, previousSeq, title } = toRevisionView(record);
  return { page: id, seq, capturedAt, summary, significance, title, ...(previousSeq !== undefined ? { previousSeq } : {}) };
}

export function uiRoutes(dependencies: UiDependencies, observability: Observability): UiRoute[] {
  const reads = storeReads(dependencies);
  const page = (path: string, view: View): UiRoute => ({
    method: 'GET',
    path,
    handler: async (event) => {
      const links = new UiLinks(basePath(event, dependencies.api.baseUrl));
      const work = async () => {
        try {
          const { options, status, cache } = await view({ event, links, dependencies, reads });
          return htmlResult(layout({ ...options, links }), status, cache);
        } catch (error) {
          const failure = error as RedlineError & { statusCode?: number };
          const status = failure.status ?? failure.statusCode;
          // Errors safe to show become an HTML page; anything else goes to the API's error middleware (a generic 500).
          if (!(typeof status === 'number' && status >= 400 && status < 500 && failure.expose !== false)) throw error;
          observability.logger.info('ui request refused', { status, message: failure.message });
          return htmlResult(layout({ title: 'Error', links, body: errorView(links, status, failure.message) }), status);
        }
      };
      const pageId = event.pathParameters?.page;
      return pageId ? withPageKeys(observability.logger, { page: pageId }, work) : work();
    },
  });

  const routes: UiRoute[] = [
    { method: 'GET', path: '/', handler: async (event) => redirectHome(event, dependencies.api.baseUrl) },
    page(UI_ROOT, homePage),
    page(`${UI_ROOT}/series/{series}`, seriesPage),
    page(`${UI_ROOT}/series/{series}/compare`, editionComparisonPage),
    page(`${UI_ROOT}/pages/{page}`, timelinePage),
    page(`${UI_ROOT}/pages/{page}/revisions/{seq}`, revisionPage),
    page(`${UI_ROOT}/pages/{page}/diff`, revisionDiffPage),
    page(`${UI_ROOT}/pages/{page}/sections/{key}/history`, sectionHistoryPage),
    page(`${UI_ROOT}/pages/{page}/blame`, blameViewPage),
    page(`${UI_ROOT}/series/{series}/blame`, blameViewPage),
    page(`${UI_ROOT}/series/{series}/removed`, removedViewPage),
    page(`${UI_ROOT}/search`, searchViewPage),
    page(`${UI_ROOT}/series/{series}/sections/{key}/history`, sectionLineagePage),
    page(`${UI_ROOT}/pages/{page}/revisions/{seq}/snapshot`, snapshotViewPage),
    { method: 'GET', path: `${UI_ROOT}/pages/{page}/revisions/{seq}/raw`, handler: async (event) => rawSnapshotResult(dependencies, event) },
    page(`${UI_ROOT}/audit`, auditPage),
    page(`${UI_ROOT}/editions/{report}`, editionOverviewPage),
    page(`${UI_ROOT}/subscribe`, subscribePage),
    { method: 'GET', path: `${UI_ROOT}/assets/{name}`, handler: async (event) => assetResult(event) },
    page(`${UI_ROOT}/{proxy+}`, async () => {
      throw new NotFoundError('No such page in the UI');
    }),
  ];
  // HEAD is answered for every GET route by the api handler (the GET's status and headers, no body).
  return routes;
}

export const overviewQuery = z.object({ from: editionNumber, to: editionNumber, sort: z.enum(OVERVIEW_SORTS).default('ratio') });

/** `/ui/editions/{report}?from=&to=&sort=`: the edition report as a page (edition-overview-view.ts). */
async function editionOverviewPage({ event, links, dependencies }: ViewRequest): Promise<RenderedView> {
  const reportId = slashedPathParameter(event, 'report');
  const parsed = query(event, overviewQuery);
  const result = await requestEditionReport(dependencies, { report: reportId, from: parsed.from, to: parsed.to }, dependencies.api.reportJobs);
  if (result.state !== 'ready') {
    // Too many series for a request: its job runs off the request path; this page reloads itself until it is done.
    return {
      options: {
        title: `${reportId}: ${parsed.from} vs ${parsed.to}, being computed`,
        current: 'browse',
        breadcrumbs: [{ label: 'Series and pages', href: links.home() }, { label: `${reportId}: ${parsed.from} vs ${parsed.to}` }],
        body: editionOverviewPendingView({ job: result.job, refreshSeconds: REPORT_JOB_RETRY_AFTER_SECONDS }),
        refreshSeconds: REPORT_JOB_RETRY_AFTER_SECONDS,
      },
      status: 202,
    };
  }
  const { report } = result;
  return {
    options: {
      title: `${reportId}: ${parsed.from} vs ${parsed.to}, all series`,
      current: 'browse',
      breadcrumbs: [{ label: 'Series and pages', href: links.home() }, { label: `${reportId}: ${parsed.from} vs ${parsed.to}` }],
      body: editionOverviewView({ links, report, sort: parsed.sort }),
    },
    cache: 'derived',
  };
}

/** `GET /` */
async function redirectHome(event: ApiEvent, baseUrl: string | undefined): Promise<ApiResult> {
  return {
    statusCode: 302,
    headers: { location: new UiLinks(basePath(event, baseUrl)).home(), 'cache-control': CACHE.list },
    body: '',
  };
}

/** `/ui`: series with their editions and last change, and pages with theirs. */
async function homePage({ event, links, dependencies, reads }: ViewRequest): Promise<RenderedView> {
  const { cursor } = query(event, cursorQuery);
  const [seriesList, pagesPage] = await Promise.all([
    listSeries(dependencies, { limit: LIST_LIMIT }),
    listPages(dependencies, { limit: LIST_LIMIT, ...(cursor ? { cursor } : {}) }),
  ]);
  const latest = new Map<string, Promise<RevisionRecord | undefined>>();
  const latestRevision = (id: string) => {
    let found = latest.get(id);
    if (!found) latest.set(id, (found = reads.latestOf(id)));
    return found;
  };
  const [series, pages] = await Promise.all([
    Promise.all(
      seriesList.items.map(async (record) => {
        const editions = await reads.limit(() => listEditions(dependencies, record.series)).catch(() => []);
        const revisions = await Promise.all(editions.map((entry) => latestRevision(entry.page)));
        const newest = revisions.reduce<RevisionRecord | undefined>(
          (best, revision) => (revision && (!best || revision.capturedAt > best.capturedAt) ? revision : best),
          undefined,
        );
        const change = lastChange(newest);
        return { record, editions, ...(change ? { lastChange: change } : {}) };
      }),
    ),
    Promise.all(
      pagesPage.items.map(async (view) => {
        const change = lastChange(await latestRevision(view.page));
        return { page: view, ...(change ? { lastChange: change } : {}) };
      }),
    ),
  ]);
  return {
    options: {
      title: 'Series and pages',
      current: 'browse',
      feeds: [{ title: 'redline: every page', href: links.feedAll() }],
      body: homeView({
        links,
        series,
        pages,
        moreSeries: seriesList.cursor !== undefined,
        ...(pagesPage.cursor ? { nextPagesCursor: pagesPage.cursor } : {}),
      }),
    },
  };
}

/** `/ui/series/{series}`: a series' editions, oldest first. */
async function seriesPage({ event, links, dependencies, reads }: ViewRequest): Promise<RenderedView> {
  const series = slashedPathParameter(event, 'series');
  const entries = await listEditions(dependencies, series);
  const editions = await Promise.all(
    entries.map(async (entry) => {
      const change = lastChange(await reads.latestOf(entry.page));
      return { entry, ...(change ? { lastChange: change } : {}) };
    }),
  );
  return {
    options: {
      title: `Series ${series}`,
      current: 'browse',
      breadcrumbs: [{ label: 'Series and pages', href: links.home() }, { label: series }],
      feeds: [{ title: `redline: ${series}`, href: links.feedSeries(series) }],
      body: seriesView({ links, series, editions }),
    },
  };
}

/** `/ui/series/{series}/compare?from=&to=`: two editions, section by section. */
async function editionComparisonPage({ event, links, dependencies }: ViewRequest): Promise<RenderedView> {
  const series = slashedPathParameter(event, 'series');
  const asked = query(event, compareQuery);
  const parsed = { ...asked, ...(await comparedEditions(dependencies, series, asked.from, asked.to)) };
  const display = diffDisplay(parsed);
  const [comparison, ledger] = await Promise.all([
    compareEditions(dependencies, { series, from: parsed.from, to: parsed.to }),
    diffLedger(dependencies, links, { series, from: parsed.from, to: parsed.to }),
  ]);
  const fromLabel = `${comparison.from.edition} edition`;
  const toLabel = `${comparison.to.edition} edition`;
  const firstChange = firstChangeAnchor(comparison.diff, display);
  const intro = html`<p class="lead">The latest capture of each edition, section by section: <a href="${links.page(comparison.from.page)}">${comparison.from.page}</a>
(revision #${comparison.from.seq}, ${timeElement(comparison.from.capturedAt)}) against <a href="${links.page(comparison.to.page)}">${comparison.to.page}</a>
(revision #${comparison.to.seq}, ${timeElement(comparison.to.capturedAt)}). Sections are paired by key, then by heading and text similarity, so a
renamed or moved section is shown against its old self.</p>`;
  return {
    options: {
      title: `${series}: ${parsed.from} vs ${parsed.to}`,
      current: 'browse',
      breadcrumbs: [
        { label: 'Series and pages', href: links.home() },
        { label: series, href: links.series(series) },
        { label: `${parsed.from} vs ${parsed.to}` },
      ],
      ...(firstChange ? { skipLinks: [{ href: `#${firstChange}`, label: 'Skip to the first change' }] } : {}),
      body: renderDiffPage({
        mode: 'editions',
        heading: `${series}: the ${comparison.from.edition} and ${comparison.to.edition} editions compared`,
        intro,
        fromLabel,
        toLabel,
        diff: comparison.diff,
        display,
        urlFor: (next: DiffDisplay) => links.compare(series, parsed.from, parsed.to, next),
        lineageFor: (key: string) => links.sectionAcrossEditions(series, key, parsed.to),
        ...(ledger ? { ledger } : {}),
        form: { action: `${links.series(series)}/compare`, fields: { from: parsed.from, to: parsed.to } },
        alternates: (['json', 'text', 'html'] as const).map((format) => ({
          label: format.toUpperCase(),
          href: links.apiCompare(series, parsed.from, parsed.to, format),
        })),
      }),
    },
  };
}

/**
 * The editions to compare when the URL leaves them out, as the CLI does: the newest two; with only `to`, the edition
 * before it; with only `from`, the one after it.
 */
async function comparedEditions(
  dependencies: UiDependencies,
  series: string,
  from: number | undefined,
  to: number | undefined,
): Promise<{ from: number; to: number }> {
  if (from !== undefined && to !== undefined) return { from, to };
  const editions = (await listEditions(dependencies, series)).flatMap((entry) => (entry.edition !== undefined ? [entry.edition] : []));
  if (editions.length < 2)
    throw new ValidationError(`series ${series} has ${editions.length === 1 ? 'one edition' : 'no editions'}: nothing to compare`);
  if (from === undefined && to === undefined) return { from: editions.at(-2)!, to: editions.at(-1)! };
  const given = (from ?? to)!;
  const at = editions.indexOf(given);
  if (at === -1) throw new NotFoundError(`No edition ${given} of series ${series}`);
  const other = from !== undefined ? editions[at + 1] : editions[at - 1];
  if (other === undefined) throw new ValidationError(from !== undefined ? `to: no edition after ${given}` : `from: no edition before ${given}`);
  return from !== undefined ? { from: given, to: other } : { from: other, to: given };
}

/** `/ui/pages/{page}`: the page's revision timeline, newest first. */
async function timelinePage({ event, links, dependencies }: ViewRequest): Promise<RenderedView> {
  const id = pathParameter(event, 'page');
  const { cursor } = query(event, cursorQuery);
  const [details, revisions] = await Promise.all([
    getPage(dependencies, id),
    listRevisions(dependencies, id, { limit: TIMELINE_LIMIT, ...(cursor ? { cursor } : {}) }),
  ]);
  const previousEdition = await previousEditionOf(dependencies, details.series, details.edition);
  return {
    options: {
      title: details.title ?? details.latestRevision?.title ?? id,
      current: 'browse',
      breadcrumbs: [
        { label: 'Series and pages', href: links.home() },
        ...(details.series ? [{ label: details.series, href: links.series(details.series) }] : []),
        { label: id },
      ],
      feeds: [{ title: `redline: ${id}`, href: links.feedPage(id) }],
      body: timelineView({
        links,
        page: details,
        revisions: revisions.items,
        paged: cursor !== undefined,
        ...(revisions.cursor ? { nextCursor: revisions.cursor } : {}),
        ...(previousEdition ? { previousEdition } : {}),
      }),
    },
  };
}

/** `/ui/pages/{page}/revisions/{seq}`: one revision and its changed sections. */
async function revisionPage({ event, links, dependencies }: ViewRequest): Promise<RenderedView> {
  const id = pathParameter(event, 'page');
  const seq = parseWithSchema(revisionNumber, pathParameter(event, 'seq'), 'seq');
  const [revision, details] = await Promise.all([getRevision(dependencies, id, seq), getPage(dependencies, id)]);
  const previousEdition = await previousEditionOf(dependencies, revision.series, revision.edition);
  return {
    options: {
      title: `Revision #${seq} of ${id}`,
      current: 'browse',
      breadcrumbs: [{ label: 'Series and pages', href: links.home() }, { label: id, href: links.page(id) }, { label: `#${seq}` }],
      body: revisionView(links, revision, details, previousEdition),
    },
  };
}

/** `/ui/pages/{page}/diff?from=&to=`: the diff of any two revisions. */
async function revisionDiffPage({ event, links, dependencies }: ViewRequest): Promise<RenderedView> {
  const id = pathParameter(event, 'page');
  const parsed = query(event, diffQuery);
  const display = diffDisplay(parsed);
  const [result, ledger] = await Promise.all([
    diffRevisions(dependencies, { page: id, from: parsed.from, to: parsed.to }),
    parsed.from < parsed.to ? diffLedger(dependencies, links, { page: id, from: parsed.from, to: parsed.to }) : undefined,
  ]);
  const intro = html`<p class="lead"><a href="${links.page(id)}">${id}</a>: <a href="${links.revision(id, result.from.seq)}">revision #${result.from.seq}</a>
(${timeElement(result.from.capturedAt)}) to <a href="${links.revision(id, result.to.seq)}">revision #${result.to.seq}</a> (${timeElement(result.to.capturedAt)}).
Insertions are <ins>underlined in green</ins>, deletions <del>struck through in red</del>.</p>`;
  return {
    options: {
      title: `${id}: #${result.from.seq} to #${result.to.seq}`,
      current: 'browse',
      breadcrumbs: [
        { label: 'Series and pages', href: links.home() },
        { label: id, href: links.page(id) },
        { label: `#${result.from.seq} → #${result.to.seq}` },
      ],
      body: renderDiffPage({
        mode: 'revisions',
        heading: `${result.to.title || id}: revision #${result.from.seq} to #${result.to.seq}`,
        intro,
        fromLabel: `#${result.from.seq} (${result.from.capturedAt.slice(0, 10)})`,
        toLabel: `#${result.to.seq} (${result.to.capturedAt.slice(0, 10)})`,
        diff: result.diff,
        display,
        urlFor: (next: DiffDisplay) => links.diff(id, parsed.from, parsed.to, next),
        ...(ledger ? { ledger } : {}),
        form: { action: `${links.page(id)}/diff`, fields: { from: parsed.from, to: parsed.to } },
        historyFor: (key) => links.sectionHistory(id, key),
        alternates: (['json', 'text', 'html'] as const).map((format) => ({
          label: format.toUpperCase(),
          href: links.apiDiff(id, parsed.from, parsed.to, format),
        })),
      }),
    },
  };
}

/** `/ui/pages/{page}/sections/{key}/history`: every revision that changed the section. */
async function sectionHistoryPage({ event, links, dependencies }: ViewRequest): Promise<RenderedView> {
  const id = pathParameter(event, 'page');
  const key = slashedPathParameter(event, 'key');
  const [history, details] = await Promise.all([sectionHistory(dependencies, id, key), getPage(dependencies, id)]);
  return {
    options: {
      title: `Section history: ${key}`,
      current: 'browse',
      breadcrumbs: [{ label: 'Series and pages', href: links.home() }, { label: id, href: links.page(id) }, { label: 'section history' }],
      body: sectionHistoryView(links, history, details),
    },
  };
}

/** `/ui/audit?terms=`: the term audit form, and its table and chart once terms are given. */
async function auditPage({ event, links, dependencies }: ViewRequest): Promise<RenderedView> {
  const parsed = query(event, auditQuery);
  const seriesOptions = (await listSeries(dependencies, { limit: 100 })).items.map((item) => item.series);
  const terms = commaList(parsed.terms ?? '');
  const series = parsed.series;
  const request: AuditRequestFields | undefined =
    parsed.terms !== undefined ? { terms: terms.join(', '), by: parsed.by, wholeWord: parsed.wholeWord, ...(series ? { series } : {}) } : undefined;
  let table: AuditTable | undefined;
  let error: string | undefined;
  if (request) {
    if (terms.length === 0) error = 'terms: give at least one term';
    else if (terms.length > 20) error = 'terms: at most 20 terms';
    else if (terms.some((term) => term.length > 100)) error = 'terms: at most 100 characters each';
    else {
      const audit = { terms, by: parsed.by, wholeWord: parsed.wholeWord, ...(series ? { series } : {}) };
      table = await auditStoredTerms(dependencies, audit, { cache: processAuditCountsCache(dependencies) });
    }
  }
  return {
    status: error ? 400 : 200,
    cache: request ? 'derived' : 'list',
    options: {
      title: request ? `Audit: ${request.terms}` : 'Term audit',
      current: 'audit',
      body: auditView({ links, seriesOptions, ...(request ? { request } : {}), ...(table ? { table } : {}), ...(error ? { error } : {}) }),
    },
  };
}

/** `/ui/subscribe`: the subscribe form, and with `preview`, the request it would send. */
async function subscribePage({ event, links, dependencies }: ViewRequest): Promise<RenderedView> {
  const fields = searchParameters(event);
  const endpoint = `${requestBaseUrl(event, dependencies.api.baseUrl)}/subscriptions`;
  const series = fields.get('series')?.split(',')[0]?.trim();
  const sections = series ? await newestOutline(dependencies, series.replaceAll('~', '/')) : [];
  return {
    cache: 'private',
    options: {
      title: 'Subscribe',
      current: 'subscribe',
      body: subscribeView({
        links,
        endpoint,
        tokenAccepted: dependencies.api.token !== undefined,
        iamAuthorized: dependencies.api.iam === true,
        ...(sections.length > 0 ? { sections } : {}),
        fields,
        ...(fields.has('preview') ? { preview: subscriptionRequestFrom(fields) } : {}),
      }),
    },
  };
}

/** `/ui/assets/{name}`: the stylesheet and the script, by content hash. */
async function assetResult(event: ApiEvent): Promise<ApiResult> {
  const asset = findAsset(pathParameter(event, 'name'));
  if (!asset) throw new NotFoundError('No such asset (the UI was redeployed: reload the page)');
  return {
    statusCode: 200,
    headers: { 'content-type': asset.contentType, 'cache-control': CACHE.immutable, 'x-content-type-options': 'nosniff' },
    body: asset.body,
  };
}
