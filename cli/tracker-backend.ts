import type { AuditTable } from '../shared/domain/audit.js';
import type { EditionMap } from '../shared/domain/edition-map.js';
import type { RevisionDiff } from '../shared/domain/revision-diff.js';
import { assertPublicUrl } from '../shared/adapters/outbound-http/address-guard.js';
import { RedlineError, ValidationError } from '../shared/errors.js';
import type { PageOfItems } from '../shared/ports/revision-store.js';
import type { EditionEntry } from '../shared/domain/page-records.js';
import { addWatch } from '../shared/use-cases/add-watch.js';
import type { EditionMapRequest } from '../shared/use-cases/queries/edition-map.js';
import { getPage, listPages, type PageDetails } from '../shared/use-cases/queries/pages.js';
import { diffRevisions } from '../shared/use-cases/queries/revision-diffs.js';
import { getRevision, listRevisions } from '../shared/use-cases/queries/revisions.js';
import { listEditions } from '../shared/use-cases/queries/series.js';
import { listSeriesLineages, seriesLineage, type SeriesListing } from '../shared/use-cases/series-lineage.js';
import { auditStoredTerms, type StoredAuditRequest } from '../shared/use-cases/queries/term-audit.js';
import { pageView, type PageView, type RevisionView } from '../shared/use-cases/queries/views.js';
import {
  createSubscription,
  deleteSubscription,
  listSubscriptions,
  type CreatedSubscription,
  type SubscriptionView,
} from '../shared/use-cases/subscriptions/manage-subscriptions.js';
import type { CreateSubscriptionInput } from '../shared/use-cases/subscriptions/subscription-input.js';
import { ForbiddenApiError, forbiddenMessage } from './api-signing.js';
import { UsageError, type CliIo } from './cli-io.js';
import { describeTarget, openStore, type OpenStore, type StoreTarget } from './store-selection.js';
// Issue 15 (edition reports, baselines, phrases, drafts): types only here; the use cases load when a command runs.
import type { EditionReport } from '../shared/domain/edition-report.js';
import type { BaselineTable } from '../shared/domain/term-baseline.js';
import type { DraftComparisonRequest } from '../shared/use-cases/queries/compare-draft.js';
import type { KeyPhrasesRequest, KeyPhrasesResult } from '../shared/use-cases/queries/key-phrases.js';
import type { BaselineAuditRequest } from '../shared/use-cases/queries/term-baseline.js';

/**
 * What the store-backed commands ask for, answered either by the use cases over the stores (local folder, AWS) or
 * by a redline HTTP API. Diffs and comparisons come back as data and are rendered by the CLI, so every format and
 * the exit code work the same way in both.
 */
export interface RenderableDiff {
  title: string;
  meta: Record<string, unknown>;
  diff: RevisionDiff;
}

export interface DiffRequestOptions {
  includeUnchanged: boolean;
  hideTrivial: boolean;
}

export interface WatchRequest {
  url: string;
  intervalMinutes?: number;
  robotsOverride?: boolean;
}

export interface TrackerBackend {
  readonly target: StoreTarget;
  readonly description: string;
  /** The stores themselves; undefined over the HTTP API (commands that need them say so). */
  readonly store: OpenStore | undefined;
  listPages(options: { series?: string; cursor?: string; limit?: number }): Promise<PageOfItems<PageView>>;
  getPage(page: string): Promise<PageDetails>;
  listRevisions(page: string, options: { cursor?: string; limit?: number }): Promise<PageOfItems<RevisionView>>;
  getRevision(page: string, seq: number): Promise<RevisionView>;
  diffRevisions(page: string, from: number, to: number, options: DiffRequestOptions): Promise<RenderableDiff>;
  compareEditions(series: string, from: number, to: number, options: DiffRequestOptions): Promise<RenderableDiff>;
  /** A saved draft against a published edition of its series (`redline compare-file`). */
  compareDraft(request: DraftComparisonRequest): Promise<RenderableDiff>;
  listEditions(series: string): Promise<EditionEntry[]>;
  /** Every series with its editions, aliases and links (`redline series list`). */
  seriesLineages(): Promise<SeriesListing[]>;
  /** One series' lineage, by any of its names. */
  seriesLineage(series: string): Promise<SeriesListing>;
  editionMap(request: EditionMapRequest): Promise<EditionMap>;
  /** The edition report of a report's two editions across its series (`redline editions report`). */
  editionReport(request: EditionMapRequest): Promise<EditionReport>;
  /** Key phrases tracked across a report's editions (`redline editions phrases`). */
  keyPhrases(request: KeyPhrasesRequest): Promise<KeyPhrasesResult>;
  audit(request: StoredAuditRequest): Promise<AuditTable>;
  /** Term rates against the mean over the N editions before (`redline audit --baseline N`). */
  auditBaseline(request: BaselineAuditRequest): Promise<BaselineTable>;
  /** `allowedOrigins`: loopback origins the operator allows explicitly (`--allow-origin`, a local store only). */
  addWatch(request: WatchRequest, options?: SubmittedUrlOptions): Promise<{ page: PageView; created: boolean }>;
  createSubscription(input: CreateSubscriptionInput, options?: SubmittedUrlOptions): Promise<CreatedSubscription>;
  listSubscriptions(options: { cursor?: string; limit?: number }): Promise<PageOfItems<SubscriptionView>>;
  deleteSubscription(id: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBackend(target: StoreTarget, io: Pick<CliIo, 'env'> & Partial<Pick<CliIo, 'sleep' | 'stderr'>>): Promise<TrackerBackend> {
  if (target.kind === 'api') return new ApiBackend(target, io);
  return new StoreBackend(await openStore(target, io));
}

/** Opens the backend for `work` and always closes it (the local servers must never outlive a command). */
export async function withBackend<T>(
  target: StoreTarget,
  io: Pick<CliIo, 'env'> & Partial<Pick<CliIo, 'sleep' | 'stderr'>>,
  work: (backend: TrackerBackend) => Promise<T>,
): Promise<T> {
  const backend = await openBackend(target, io);
  try {
    return await work(backend);
  } finally {
    await backend.close();
  }
}

/** Commands that need the stores themselves (not available over the HTTP API). */
export function requireStore(backend: TrackerBackend, what: string): OpenStore {
  if (!backend.store) {
    throw new UsageError(
      `${what} needs the store itself, not an HTTP API: run it with --data-dir, or with REDLINE_TABLE/REDLINE_BUCKET set for a deployed stack`,
    );
  }
  return backend.store;
}

export function diffTitle(page: string, title: string | undefined, from: number, to: number): string {
  return `${title || page}: revision ${from} to ${to}`;
}

export function comparisonTitle(series: string, from: number, to: number): string {
  return `${series}: edition ${from} to ${to}`;
}

class StoreBackend implements TrackerBackend {
  readonly target: StoreTarget;
  readonly description: string;

  constructor(readonly store: OpenStore) {
    this.target = store.target;
    this.description = describeTarget(store.target);
  }

  private get dependencies() {
    return this.store.dependencies;
  }

  listPages(options: { series?: string; cursor?: string; limit?: number }) {
    return listPages(this.dependencies, options);
  }

  getPage(page: string) {
    return getPage(this.dependencies, page);
  }

  listRevisions(page: string, options: { cursor?: string; limit?: number }) {
    return listRevisions(this.dependencies, page, options);
  }

  getRevision(page: string, seq: number) {
    return getRevision(this.dependencies, page, seq);
  }

  async diffRevisions(page: string, from: number, to: number): Promise<RenderableDiff> {
    const result = await diffRevisions(this.dependencies, { page, from, to });
    return {
      title: diffTitle(result.page, result.to.title, result.from.seq, result.to.seq),
      meta: { page: result.page, from: result.from, to: result.to, source: result.source },
      diff: result.diff,
    };
  }

  async compareDraft(request: DraftComparisonRequest): Promise<RenderableDiff> {
    const { compareDraft } = await import('../shared/use-cases/queries/compare-draft.js');
    const comparison = await compareDraft(this.dependencies, request);
    const draft = `draft ${comparison.draft.title || comparison.draft.url}`;
    const published = `edition ${comparison.published.edition}`;
    return {
      title: `${comparison.series}: ${comparison.draftSide === 'after' ? `${published} to ${draft}` : `${draft} to ${published}`}`,
      meta: {
        series: comparison.series,
        published: comparison.published,
        draft: comparison.draft,
        draftSide: comparison.draftSide,
        ...(comparison.editionMap ? { editionMap: comparison.editionMap } : {}),
      },
      diff: comparison.diff,
    };
  }

  async compareEditions(series: string, from: number, to: number): Promise<RenderableDiff> {
    // Edition maps (and their zod schemas) only for the commands that compare editions.
    const { compareEditions } = await import('../shared/use-cases/queries/compare-editions.js');
    const comparison = await compareEditions(this.dependencies, { series, from, to });
    return {
      title: comparisonTitle(comparison.series, comparison.from.edition, comparison.to.edition),
      meta: {
        series: comparison.series,
        from: comparison.from,
        to: comparison.to,
        ...(comparison.editionMap ? { editionMap: comparison.editionMap } : {}),
      },
      diff: comparison.diff,
    };
  }

  listEditions(series: string) {
    return listEditions(this.dependencies, series);
  }

  seriesLineages() {
    return listSeriesLineages(this.dependencies);
  }

  seriesLineage(series: string) {
    return seriesLineage(this.dependencies, series);
  }

  async editionMap(request: EditionMapRequest) {
    // Its zod schemas (most of the CLI's start time after the SDK) only for this command.
    const { buildEditionMap } = await import('../shared/use-cases/queries/edition-map.js');
    return (await buildEditionMap(this.dependencies, request)).map;
  }

  async editionReport(request: EditionMapRequest) {
    const { buildEditionReport } = await import('../shared/use-cases/queries/edition-report.js');
    return (await buildEditionReport(this.dependencies, request)).report;
  }

  async keyPhrases(request: KeyPhrasesRequest) {
    const { trackKeyPhrases } = await import('../shared/use-cases/queries/key-phrases.js');
    return trackKeyPhrases(this.dependencies, request);
  }

  audit(request: StoredAuditRequest) {
    return auditStoredTerms(this.dependencies, request);
  }

  async auditBaseline(request: BaselineAuditRequest) {
    const { auditTermBaselines } = await import('../shared/use-cases/queries/term-baseline.js');
    return auditTermBaselines(this.dependencies, request);
  }

  async addWatch(request: WatchRequest, options: SubmittedUrlOptions = {}) {
    // Checked as the API checks it (public URLs only), except the loopback origins the operator allowed; the
    // fetcher's connect-time address guard applies again when it is fetched.
    const { page, created } = await addWatch(this.dependencies, request, submittedUrl(options.allowedOrigins ?? [], 'url'));
    return { page: pageView(page), created };
  }

  createSubscription(input: CreateSubscriptionInput, options: SubmittedUrlOptions = {}) {
    return createSubscription(this.dependencies, input, { assertWebhookUrl: submittedUrl(options.allowedOrigins ?? [], 'url') });
  }

  listSubscriptions(options: { cursor?: string; limit?: number }) {
    return listSubscriptions(this.dependencies, options);
  }

  deleteSubscription(id: string) {
    return deleteSubscription(this.dependencies, id);
  }

  close() {
    return this.store.close();
  }
}

function refuseAllowedOrigins(options: SubmittedUrlOptions): void {
  if ((options.allowedOrigins ?? []).length > 0) {
    throw new UsageError('--allow-origin is for a local store; an HTTP API checks URLs against its own allowed origins');
  }
}

export interface SubmittedUrlOptions {
  allowedOrigins?: readonly string[];
}

/**
 * The check of a URL the operator submits to a local store: the API's (assertPublicUrl: http(s), no credentials, a
 * public literal address or a name, the usual ports), or exactly one of the origins allowed with --allow-origin
 * (the local report site or webhook receiver, on loopback; the connect-time guard admits loopback only for them).
 */
export function submittedUrl(allowedOrigins: readonly string[], field: string): (value: string) => URL {
  const allowed = new Set(allowedOrigins.map((origin) => new URL(origin).origin));
  return (value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ValidationError(`${field}: not a URL: ${value}`);
    }
    if (allowed.has(url.origin) && !url.username && !url.password) return url;
    try {
      return assertPublicUrl(value);
    } catch (error) {
      const hint = allowed.size === 0 ? ' (a local report site or receiver: --allow-origin <origin>)' : '';
      throw new ValidationError(`${field}: ${(error as Error).message}${hint}`);
    }
  };
}

/** An HTTP error from the API, keeping its status (so 4xx exit 2) and its message (safe: the API shows it). */
export class ApiRequestError extends RedlineError {
  override readonly expose = true;
  constructor(
    override readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const API_LIST_LIMIT = 100;

/**
 * An edition report computed off the request path (202): the status URL is asked at most this many times, each
 * after the Retry-After the API gives (at most REPORT_POLL_MAX_WAIT_S): about ten minutes at the API's 10 s.
 */
export const REPORT_POLL_ATTEMPTS = 60;
const REPORT_POLL_MAX_WAIT_S = 60;

interface ApiAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** The body of a 202 (and of a failed job at its status URL): functions/api/http/report-jobs.ts. */
interface ReportJobAnswer {
  state: 'pending' | 'done' | 'failed';
  job: string;
  series: number;
  error?: string;
}

class ApiBackend implements TrackerBackend {
  readonly store = undefined;
  readonly description: string;

  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    readonly target: Extract<StoreTarget, { kind: 'api' }>,
    private readonly io: Partial<Pick<CliIo, 'sleep' | 'stderr'>> = {},
  ) {
    this.description = describeTarget(target);
    this.sleep = io.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async listPages(options: { series?: string; cursor?: string; limit?: number }) {
    return this.list<PageView>('/pages', { series: options.series, cursor: options.cursor, limit: options.limit });
  }

  getPage(page: string) {
    return this.get<PageDetails>(`/pages/${segment(page)}`);
  }

  listRevisions(page: string, options: { cursor?: string; limit?: number }) {
    return this.list<RevisionView>(`/pages/${segment(page)}/revisions`, options);
  }

  getRevision(page: string, seq: number) {
    return this.get<RevisionView>(`/pages/${segment(page)}/revisions/${seq}`);
  }

  async diffRevisions(page: string, from: number, to: number, options: DiffRequestOptions): Promise<RenderableDiff> {
    const { diff, ...meta } = await this.get<{ diff: RevisionDiff; page: string; to: { title?: string } }>(`/pages/${segment(page)}/diff`, {
      from,
      to,
      format: 'json',
      unchanged: options.includeUnchanged,
      hideTrivial: options.hideTrivial,
    });
    return { title: diffTitle(page, meta.to.title, from, to), meta, diff };
  }

  compareDraft(): Promise<RenderableDiff> {
    // The draft stays on this machine: the API has no route that takes one.
    return Promise.reject(new UsageError('compare-file reads the published edition from a store: use --data-dir or a deployed stack, not --api'));
  }

  async compareEditions(series: string, from: number, to: number, options: DiffRequestOptions): Promise<RenderableDiff> {
    const { diff, ...meta } = await this.get<{ diff: RevisionDiff; series: string }>(`/series/${seriesSegment(series)}/compare`, {
      from,
      to,
      format: 'json',
      unchanged: options.includeUnchanged,
      hideTrivial: options.hideTrivial,
    });
    return { title: comparisonTitle(meta.series, from, to), meta, diff };
  }

  async listEditions(series: string) {
    return (await this.get<{ editions: EditionEntry[] }>(`/series/${seriesSegment(series)}/editions`)).editions;
  }

  /** The series listing, then each series' lineage route. */
  async seriesLineages() {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const batch = await this.list<{ series: string }>('/series', { cursor, limit: API_LIST_LIMIT });
      names.push(...batch.items.map((item) => item.series));
      cursor = batch.cursor;
    } while (cursor);
    return Promise.all(names.map((name) => this.seriesLineage(name)));
  }

  seriesLineage(series: string) {
    return this.get<SeriesListing>(`/series/${seriesSegment(series)}/lineage`);
  }

  editionMap(request: EditionMapRequest) {
    return this.get<EditionMap>(`/editions/${seriesSegment(request.report)}/map`, { from: request.from, to: request.to, format: 'json' });
  }

  /**
   * The report; a 202 (too many series for a request) is followed: the status URL is asked after each Retry-After,
   * at most REPORT_POLL_ATTEMPTS times (a plain bounded loop on the injected sleep), until it gives the report.
   */
  async editionReport(request: EditionMapRequest): Promise<EditionReport> {
    let answer = await this.exchange<EditionReport | ReportJobAnswer>(
      'GET',
      this.url(`/editions/${seriesSegment(request.report)}/report`, {
        from: request.from,
        to: request.to,
        format: 'json',
      }),
    );
    for (let attempt = 0; answer.status === 202 || answer.status === 303; attempt++) {
      const location = this.sameApiUrl(answer.headers.get('location'));
      if (answer.status === 303) {
        answer = await this.exchange('GET', location);
        continue;
      }
      const job = answer.body as ReportJobAnswer;
      if (attempt >= REPORT_POLL_ATTEMPTS) {
        throw new RedlineError(`The edition report is still being computed after ${attempt} polls; ask again later (status: ${location.href})`);
      }
      const waitS = Math.min(REPORT_POLL_MAX_WAIT_S, Math.max(1, Number(answer.headers.get('retry-after')) || 10));
      if (attempt === 0)
        this.io.stderr?.write(`Computing the edition report off the request path (${job.series} series, job ${job.job.slice(0, 12)}); waiting...\n`);
      await this.sleep(waitS * 1000);
      answer = await this.exchange('GET', location);
    }
    const failed = answer.body as Partial<ReportJobAnswer>;
    if (failed.state === 'failed') {
      throw new RedlineError(`The edition report job failed: ${failed.error ?? 'no reason given'}. Run the command again to retry it.`);
    }
    return answer.body as EditionReport;
  }

  /** A Location of this API's (a status URL), refused when it points anywhere else: it gets this API's credentials. */
  private sameApiUrl(location: string | null): URL {
    if (!location) throw new RedlineError('The API answered 202 without a Location (status URL)');
    const url = new URL(location, `${this.target.url}/`);
    if (url.origin !== new URL(this.target.url).origin) throw new RedlineError(`The API's status URL is on another origin: ${url.origin}`);
    return url;
  }

  keyPhrases(request: KeyPhrasesRequest) {
    // The API takes the user's phrases separated by "|" (a phrase may hold commas).
    return this.get<KeyPhrasesResult>(`/editions/${seriesSegment(request.report)}/phrases`, {
      phrases: request.phrases?.length ? request.phrases.join('|') : undefined,
      profile: request.profilePhrases === false ? false : undefined,
      format: 'json',
    });
  }

  audit(request: StoredAuditRequest) {
    return this.get<AuditTable>('/audit', {
      terms: request.terms.join(','),
      series: request.series,
      by: request.by,
      format: 'json',
      wholeWord: request.wholeWord,
    });
  }
  auditBaseline(request: BaselineAuditRequest) {
    return this.get<BaselineTable>('/audit', {
      terms: request.terms.join(','),
      series: request.series,
      by: request.by,
      baseline: request.baseline,
      format: 'json',
      wholeWord: request.wholeWord,
    });
  }

  async addWatch(request: WatchRequest, options: SubmittedUrlOptions = {}) {
    refuseAllowedOrigins(options);
    if (request.robotsOverride) throw new UsageError('--ignore-robots is an operator setting of the store; the HTTP API does not take it');
    return this.send<{ page: PageView; created: boolean }>('POST', '/watches', {
      url: request.url,
      ...(request.intervalMinutes !== undefined ? { intervalMinutes: request.intervalMinutes } : {}),
    });
  }

  createSubscription(input: CreateSubscriptionInput, options: SubmittedUrlOptions = {}) {
    refuseAllowedOrigins(options);
    return this.send<CreatedSubscription>('POST', '/subscriptions', input);
  }

  listSubscriptions(options: { cursor?: string; limit?: number }) {
    return this.list<SubscriptionView>('/subscriptions', options, true);
  }

  async deleteSubscription(id: string) {
    await this.send('DELETE', `/subscriptions/${segment(id)}`);
  }

  async close() {}

  private async list<T>(path: string, query: Record<string, string | number | undefined>, authorized = false): Promise<PageOfItems<T>> {
    const limit = query.limit === undefined ? undefined : Math.min(Number(query.limit), API_LIST_LIMIT);
    const body = await this.request<{ items: T[]; nextCursor?: string }>('GET', path, { ...query, limit }, undefined, authorized);
    return { items: body.items, ...(body.nextCursor ? { cursor: body.nextCursor } : {}) };
  }

  private get<T>(path: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<T> {
    return this.request<T>('GET', path, query);
  }

  private send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return this.request<T>(method, path, {}, body, true);
  }

  private async request<T>(
    method: string,
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    body?: unknown,
    authorized = false,
  ): Promise<T> {
    return (await this.exchange<T>(method, this.url(path, query), body, authorized)).body;
  }

  private url(path: string, query: Record<string, string | number | boolean | undefined>): URL {
    const url = new URL(`${this.target.url}${path}`);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
    return url;
  }

  /** One request: the status, headers and parsed body of a 2xx (or 303), a named error for anything else. */
  private async exchange<T>(method: string, url: URL, body?: unknown, authorized = false): Promise<ApiAnswer<T>> {
    const path = url.pathname;
    const text = body !== undefined ? JSON.stringify(body) : undefined;
    let headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.target.signer) {
      headers = await this.target.signer.sign({ method, url, headers, ...(text !== undefined ? { body: text } : {}) });
    } else if (authorized) {
      if (!this.target.token) {
        throw new UsageError(
          `${method} ${path} needs credentials: set REDLINE_API_TOKEN for a local API (redline serve); ` +
            `a deployed API's execute-api URL is signed with your AWS credentials (--profile; see docs/cli.md, "Which store")`,
        );
      }
      headers.authorization = `Bearer ${this.target.token}`;
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(text !== undefined ? { body: text } : {}),
        // A 303 from a status URL is followed by the caller, with this API's credentials checked first.
        redirect: 'manual',
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new RedlineError(
        `Cannot reach the API at ${this.target.url}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`,
        { cause: error },
      );
    }
    const answer = await response.text();
    if (!response.ok && response.status !== 303) {
      let message = `${response.status} ${response.statusText}`;
      let gatewayMessage: string | undefined;
      try {
        // RFC 9457 problem details from redline; `message` from API Gateway itself (403, 404, 500).
        const parsed = JSON.parse(answer) as { detail?: string; message?: string };
        gatewayMessage = parsed.message;
        message = parsed.detail ?? parsed.message ?? message;
      } catch {
        // Not JSON: keep the status line.
      }
      if (response.status === 403 && this.target.signer) {
        throw new ForbiddenApiError(`${forbiddenMessage(method, url, gatewayMessage)} (${method} ${url.pathname})`);
      }
      throw new ApiRequestError(response.status, `${message} (${method} ${url.pathname})`);
    }
    const parsed = response.status === 204 || answer === '' ? undefined : (JSON.parse(answer) as unknown);
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
}

function segment(value: string): string {
  return encodeURIComponent(value);
}

/** Series ids carry slashes; the API takes them as `~` in a path segment. */
function seriesSegment(series: string): string {
  return encodeURIComponent(series.replaceAll('/', '~'));
}
