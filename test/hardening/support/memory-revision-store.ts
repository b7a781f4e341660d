import { ConflictError, NotFoundError, ValidationError } from '../../../shared/errors.js';
import { assertPageId } from '../../../shared/ports/page-id.js';
import type {
  ListOptions,
  ListRecentRevisionsOptions,
  ListRevisionsOptions,
  PageOfItems,
  RevisionStore,
} from '../../../shared/ports/revision-store.js';
import type { RevisionRecord } from '../../../shared/domain/revision-records.js';
import type { CaptureFailure, CheckResult, EditionEntry, PageRecord, SeriesRecord } from '../../../shared/domain/page-records.js';
import type { LineageOverride } from '../../../shared/domain/identity/series-lineage.js';
import type { PageSignalsRecord, SeriesResolution, StoredLineage } from '../../../shared/ports/series-lineage-records.js';

/**
 * An in-memory RevisionStore for the 1,000-run fault property: the port's contract as DynamoRevisionStore implements
 * it over DynamoDB, and nothing more.
 * - Every read is consistent and every write atomic: a conditional check and its write happen with no await between
 *   them (DynamoDB's single-item conditions), so `putRevision` throws ConflictError for an existing (page, seq) and
 *   two racing writers cannot both win.
 * - Items are copied through JSON on the way in and out (undefined dropped, as `removeUndefinedValues` does), so no
 *   caller can change stored state through a reference.
 * - A successful `putRevision` hands the stored item to `onRevisionPut` at once, whatever the writer does next:
 *   the DynamoDB stream's record exists as soon as the write succeeded.
 * - `recordCheck` resets the failure count and removes `alertedAt`, and moves the latest revision pointer forward only;
 *   `recordFailure` counts a failure once per capturedAt (a later one only); unknown pages are NotFoundError, as the
 *   conditional UpdateItem makes them.
 * Each call yields to the event loop a pseudo-random number of times (`yields`), before and after its atomic part,
 * so that concurrent deliveries interleave differently from run to run (and reproducibly for one seed).
 */
export interface MemoryRevisionStoreOptions {
  onRevisionPut?: (revision: RevisionRecord) => void;
  /** How many microtask turns to yield at a suspension point (default: none). */
  yields?: () => number;
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class MemoryRevisionStore implements RevisionStore {
  private readonly pages = new Map<string, PageRecord>();
  private readonly series = new Map<string, SeriesRecord>();
  private readonly revisions = new Map<string, Map<number, RevisionRecord>>();
  private readonly failures = new Map<string, Map<string, CaptureFailure>>();
  private readonly signals = new Map<string, PageSignalsRecord>();
  private readonly lineages = new Map<string, StoredLineage>();
  private readonly overrides = new Map<string, LineageOverride>();
  private factsVersion = 0;
  /** Conditional puts that lost (a ConflictError), for the figures. */
  conflicts = 0;

  constructor(private readonly options: MemoryRevisionStoreOptions = {}) {}

  private async turn(): Promise<void> {
    const count = this.options.yields?.() ?? 0;
    for (let index = 0; index < count; index++) await Promise.resolve();
  }

  async putPage(record: PageRecord, options: { onlyIfNew?: boolean } = {}): Promise<{ written: boolean }> {
    assertPageId(record.page);
    await this.turn();
    if (record.series && !this.series.has(record.series)) {
      this.series.set(record.series, { series: record.series, profile: record.profile, firstSeenAt: record.createdAt });
    }
    if (options.onlyIfNew && this.pages.has(record.page)) return { written: false };
    this.pages.set(record.page, copy({ ...record, consecutiveFailures: record.consecutiveFailures ?? 0 }));
    await this.turn();
    return { written: true };
  }

  async getPage(page: string): Promise<PageRecord | undefined> {
    await this.turn();
    const record = this.pages.get(assertPageId(page));
    return record ? copy(record) : undefined;
  }

  async removePage(page: string): Promise<boolean> {
    await this.turn();
    return this.pages.delete(page);
  }

  async listPages(options: ListOptions & { series?: string } = {}): Promise<PageOfItems<PageRecord>> {
    await this.turn();
    let pages = [...this.pages.values()];
    if (options.series !== undefined) {
      const { members } = this.resolve(options.series);
      pages = pages.filter((page) => page.series !== undefined && members.includes(page.series)).sort((a, b) => (a.edition ?? 0) - (b.edition ?? 0));
    } else pages.sort((a, b) => (a.page < b.page ? -1 : a.page > b.page ? 1 : 0));
    return slice(pages.map(copy), options);
  }

  async listSeries(options: ListOptions = {}): Promise<PageOfItems<SeriesRecord>> {
    await this.turn();
    const listed = [...this.series.values()]
      .filter((record) => this.resolve(record.series).id === record.series)
      .map((record) => {
        const aliases = this.resolve(record.series).members.filter((member) => member !== record.series);
        return aliases.length > 0 ? { ...record, aliases } : record;
      });
    return slice(listed.sort((a, b) => a.series.localeCompare(b.series)).map(copy), options);
  }

  async listEditions(series: string): Promise<EditionEntry[]> {
    const { id } = this.resolve(series);
    const { items } = await this.listPages({ series, limit: 1000 });
    return items.map((page) =>
      copy({
        series: id,
        ...(page.series !== id ? { pageSeries: page.series } : {}),
        edition: page.edition,
        page: page.page,
        url: page.url,
        title: page.title,
      }),
    );
  }

  // Series lineage: the same contract as lineage-items.ts, without its items.

  private resolve(series: string): SeriesResolution {
    const lineage = [...this.lineages.values()].find((entry) => entry.members.includes(series));
    return lineage ? { id: lineage.id, members: [...lineage.members] } : { id: series, members: [series] };
  }

  async putPageSignals(record: PageSignalsRecord): Promise<void> {
    await this.turn();
    this.signals.set(assertPageId(record.page), copy(record));
    this.factsVersion++;
  }

  async getPageSignals(page: string): Promise<PageSignalsRecord | undefined> {
    await this.turn();
    const record = this.signals.get(page);
    return record ? copy(record) : undefined;
  }

  async putPageSignalsBatch(records: readonly PageSignalsRecord[]): Promise<void> {
    await this.turn();
    const byPage = new Map(records.map((record) => [assertPageId(record.page), copy(record)]));
    for (const [page, record] of byPage) this.signals.set(page, record);
    if (byPage.size > 0) this.factsVersion += byPage.size;
  }

  async getPageSignalsBatch(pages: readonly string[]): Promise<Map<string, PageSignalsRecord>> {
    await this.turn();
    const found = new Map<string, PageSignalsRecord>();
    for (const page of pages) {
      const record = this.signals.get(page);
      if (record) found.set(page, copy(record));
    }
    return found;
  }

  async listPageSignals(options: ListOptions = {}): Promise<PageOfItems<PageSignalsRecord>> {
    await this.turn();
    return slice([...this.signals.values()].sort((a, b) => a.page.localeCompare(b.page)).map(copy), options);
  }

  async resolveSeries(series: string): Promise<SeriesResolution> {
    await this.turn();
    return this.resolve(series);
  }

  async listLineages(): Promise<StoredLineage[]> {
    await this.turn();
    return [...this.lineages.values()].map(copy);
  }

  async saveLineages(lineages: readonly StoredLineage[]): Promise<void> {
    await this.turn();
    this.lineages.clear();
    for (const lineage of lineages) if (lineage.members.length > 1) this.lineages.set(lineage.id, copy(lineage));
  }

  async listLineageOverrides(): Promise<LineageOverride[]> {
    await this.turn();
    return [...this.overrides.values()].map(copy);
  }

  async putLineageOverride(override: LineageOverride): Promise<void> {
    await this.turn();
    this.overrides.set(`${override.a}\u0000${override.b}`, copy(override));
    this.factsVersion++;
  }

  async deleteLineageOverride(a: string, b: string): Promise<boolean> {
    await this.turn();
    const deleted = this.overrides.delete(`${a}\u0000${b}`);
    if (deleted) this.factsVersion++;
    return deleted;
  }

  async lineageFactsVersion(): Promise<number> {
    await this.turn();
    return this.factsVersion;
  }

  async latestRevision(page: string): Promise<RevisionRecord | undefined> {
    await this.turn();
    const revisions = this.revisions.get(assertPageId(page));
    if (!revisions || revisions.size === 0) return undefined;
    return copy(revisions.get(Math.max(...revisions.keys()))!);
  }

  async putRevision(revision: RevisionRecord): Promise<void> {
    assertPageId(revision.page);
    if (!Number.isSafeInteger(revision.seq) || revision.seq < 1) throw new ValidationError(`Invalid revision seq: ${revision.seq}`);
    if (revision.previousSeq !== undefined && revision.previousSeq >= revision.seq) throw new ValidationError('previousSeq must be lower than seq');
    await this.turn();
    // The condition and the write are one atomic step (attribute_not_exists(pk) on the (page, seq) item).
    let revisions = this.revisions.get(revision.page);
    if (!revisions) this.revisions.set(revision.page, (revisions = new Map()));
    if (revisions.has(revision.seq)) {
      this.conflicts += 1;
      throw new ConflictError(`Revision ${revision.seq} of ${revision.page} already exists`);
    }
    const stored = copy(revision);
    revisions.set(revision.seq, stored);
    this.options.onRevisionPut?.(copy(stored));
    await this.turn();
  }

  async getRevision(page: string, seq: number): Promise<RevisionRecord | undefined> {
    await this.turn();
    const revision = this.revisions.get(assertPageId(page))?.get(seq);
    return revision ? copy(revision) : undefined;
  }

  async listRevisions(page: string, options: ListRevisionsOptions = {}): Promise<PageOfItems<RevisionRecord>> {
    await this.turn();
    const revisions = [...(this.revisions.get(assertPageId(page))?.values() ?? [])].sort((a, b) => a.seq - b.seq);
    if (options.newestFirst !== false) revisions.reverse();
    return slice(revisions.map(copy), options);
  }

  async listRecentRevisions(options: ListRecentRevisionsOptions = {}): Promise<PageOfItems<RevisionRecord>> {
    await this.turn();
    const all = [...this.revisions.values()].flatMap((revisions) => [...revisions.values()]);
    const since = options.since ?? '';
    const until = options.until ?? '\uffff';
    const recent = all.filter((revision) => revision.capturedAt >= since && revision.capturedAt <= until);
    recent.sort((a, b) => (a.capturedAt < b.capturedAt ? 1 : a.capturedAt > b.capturedAt ? -1 : 0));
    return slice(recent.map(copy), options);
  }

  async markDispatched(page: string, dispatchedAt: string): Promise<void> {
    await this.update(page, (record) => {
      record.dispatchedAt = dispatchedAt;
    });
  }

  async markAlerted(page: string, alertedAt: string): Promise<void> {
    await this.update(page, (record) => {
      record.alertedAt = alertedAt;
    });
  }

  async forgetValidators(page: string): Promise<void> {
    await this.update(page, (record) => {
      delete record.etag;
      delete record.lastModified;
    });
  }

  async recordCheck(page: string, check: CheckResult): Promise<void> {
    await this.update(page, (record) => {
      record.lastCheckedAt = check.checkedAt;
      record.consecutiveFailures = 0;
      if (check.etag !== undefined) record.etag = check.etag;
      if (check.lastModified !== undefined) record.lastModified = check.lastModified;
      if (check.documentHash !== undefined) record.lastDocumentHash = check.documentHash;
      if (check.nextDueAt !== undefined) record.nextDueAt = check.nextDueAt;
      // SET latestRevisionSeq, latestDocumentKey IF attribute_not_exists(latestRevisionSeq) OR latestRevisionSeq <= :seq
      const latest = check.latestRevision;
      if (latest && (record.latestRevisionSeq === undefined || record.latestRevisionSeq <= latest.seq)) {
        record.latestRevisionSeq = latest.seq;
        record.latestDocumentKey = latest.documentKey;
      }
      delete record.alertedAt;
    });
  }

  async recordFailure(page: string, failure: CaptureFailure): Promise<number> {
    let count = 0;
    await this.update(page, (record) => {
      // ADD consecutiveFailures :one ... IF attribute_not_exists(lastFailureAt) OR lastFailureAt < :at
      if (record.lastFailureAt === undefined || record.lastFailureAt < failure.capturedAt) {
        record.consecutiveFailures = (record.consecutiveFailures ?? 0) + 1;
        record.lastFailureAt = failure.capturedAt;
        if (failure.nextDueAt !== undefined) record.nextDueAt = failure.nextDueAt;
      }
      count = record.consecutiveFailures ?? 0;
    });
    let failures = this.failures.get(page);
    if (!failures) this.failures.set(page, (failures = new Map()));
    failures.set(failure.capturedAt, copy(failure));
    await this.turn();
    return count;
  }

  async listFailures(page: string, options: ListOptions = {}): Promise<PageOfItems<CaptureFailure>> {
    await this.turn();
    const failures = [...(this.failures.get(assertPageId(page))?.values() ?? [])].sort((a, b) => (a.capturedAt < b.capturedAt ? 1 : -1));
    return slice(failures.map(copy), options);
  }

  private async update(page: string, change: (record: PageRecord) => void): Promise<void> {
    assertPageId(page);
    await this.turn();
    const record = this.pages.get(page);
    if (!record) throw new NotFoundError(`No page ${page}`);
    change(record);
    await this.turn();
  }
}

/** Offset cursors: enough for the use cases (which page through listings), not a model of DynamoDB's keys. */
function slice<T>(items: T[], options: ListOptions): PageOfItems<T> {
  const limit = options.limit ?? 50;
  const start = options.cursor ? Number(options.cursor) : 0;
  if (!Number.isInteger(start) || start < 0) throw new ValidationError('Invalid cursor');
  const page = items.slice(start, start + limit);
  return { items: page, ...(start + limit < items.length ? { cursor: String(start + limit) } : {}) };
}
