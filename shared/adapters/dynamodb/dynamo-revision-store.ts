import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { assertPageId } from '../../ports/page-id.js';
import type { ListOptions, ListRecentRevisionsOptions, ListRevisionsOptions, PageOfItems, RevisionStore } from '../../ports/revision-store.js';
import { MAX_REVISION_SECTIONS, MAX_REVISION_TERMS, capSectionChanges, type RevisionRecord } from '../../domain/revision-records.js';
import type { CaptureFailure, CheckResult, EditionEntry, PageRecord, SeriesRecord } from '../../domain/page-records.js';
import { decodeCursor, decodeKeyCursor, encodeCursor, validateKey, type ItemKey } from './pagination-cursor.js';
import { itemKeys, itemTypes, withoutKeyAttributes } from './item-keys.js';
import type { LineageOverride } from '../../domain/identity/series-lineage.js';
import type { PageSignalsRecord, SeriesResolution, StoredLineage } from '../../ports/series-lineage-records.js';
import { LineageItems, signalsRecord } from './lineage-items.js';

const TABLE_KEY = ['pk', 'sk'] as const;
const GSI1_KEY = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;
const GSI2_KEY = ['pk', 'sk', 'gsi2pk', 'gsi2sk'] as const;

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const DEFAULT_RECENT_DAYS = 30;
const MAX_RECENT_DAYS = 366;
const MAX_FAILURE_MESSAGE = 2000;
/** Far below DynamoDB's 400 KB item limit, with room for attribute-name overhead. */
const MAX_REVISION_ITEM_BYTES = 200_000;
const DAY_MS = 86_400_000;

export interface DynamoRevisionStoreOptions {
  /** A plain DynamoDB client (wrapped here) or a DocumentClient. */
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
  /** For "now" in listRecentRevisions (tests pin it). */
  clock?: () => Date;
}

type Item = Record<string, unknown>;

export class DynamoRevisionStore implements RevisionStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: () => Date;
  private readonly lineage: LineageItems;

  constructor(options: DynamoRevisionStoreOptions) {
    this.documents =
      options.client instanceof DynamoDBDocumentClient
        ? options.client
        : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.tableName = options.tableName;
    this.clock = options.clock ?? (() => new Date());
    this.lineage = new LineageItems(this.documents, this.tableName);
  }

  // Pages and series

  async putPage(record: PageRecord, options: { onlyIfNew?: boolean } = {}): Promise<{ written: boolean }> {
    const page = assertPageId(record.page);
    if (typeof record.url !== 'string' || !record.url) throw new ValidationError('A page needs a url');
    if (typeof record.profile !== 'string' || !record.profile) throw new ValidationError('A page needs a profile');
    if (record.edition !== undefined) assertEdition(record.edition);
    if (record.series !== undefined) assertSeries(record.series);

    // Series first: a crash in between leaves a series with no new page, never a page missing from listSeries.
    if (record.series) await this.registerSeries(record.series, record.profile, record.createdAt);

    const item: Item = {
      ...withoutUndefined({ ...record }),
      consecutiveFailures: record.consecutiveFailures ?? 0,
      pk: itemKeys.pagePk(page),
      sk: itemKeys.pageSk,
      type: itemTypes.page,
      gsi2pk: itemKeys.allPagesPartition,
      gsi2sk: page,
      ...(record.series ? { gsi1pk: itemKeys.seriesPartition(record.series), gsi1sk: itemKeys.editionSort(record.edition) } : {}),
    };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(options.onlyIfNew ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
        }),
      );
      return { written: true };
    } catch (error) {
      if (options.onlyIfNew && isConditionalCheckFailed(error)) return { written: false };
      throw error;
    }
  }

  async getPage(page: string): Promise<PageRecord | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: pageKey(assertPageId(page)), ConsistentRead: true }));
    return Item ? (withoutKeyAttributes(Item) as unknown as PageRecord) : undefined;
  }

  async removePage(page: string): Promise<boolean> {
    try {
      await this.documents.send(
        new DeleteCommand({ TableName: this.tableName, Key: pageKey(assertPageId(page)), ConditionExpression: 'attribute_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async listPages(options: ListOptions & { series?: string } = {}): Promise<PageOfItems<PageRecord>> {
    const limit = clampLimit(options.limit);
    if (options.series !== undefined) {
      assertSeries(options.series);
      const { members } = await this.resolveSeries(options.series);
      if (members.length > 1) return this.listLineagePages(options.series, members, limit, options.cursor);
      const partition = itemKeys.seriesPartition(members[0]!);
      return this.queryPage<PageRecord>(
        {
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :partition',
          ExpressionAttributeValues: { ':partition': partition },
        },
        GSI1_KEY,
        { gsi1pk: partition },
        limit,
        options.cursor,
      );
    }
    return this.listRegistry<PageRecord>(itemKeys.allPagesPartition, options);
  }

  /** One page of a gsi2 registry (pages, series, page signals), in key order. */
  private listRegistry<T>(partition: string, options: ListOptions): Promise<PageOfItems<T>> {
    return this.queryPage<T>(
      { IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :partition', ExpressionAttributeValues: { ':partition': partition } },
      GSI2_KEY,
      { gsi2pk: partition },
      clampLimit(options.limit),
      options.cursor,
    );
  }

  async listSeries(options: ListOptions = {}): Promise<PageOfItems<SeriesRecord>> {
    const result = await this.listRegistry<SeriesRecord & { lineage?: string; lineageMembers?: string[] }>(itemKeys.allSeriesPartition, options);
    return {
      items: result.items.map(({ lineage: _lineage, lineageMembers, ...record }) => {
        const aliases = (lineageMembers ?? []).filter((member) => member !== record.series);
        return aliases.length > 0 ? { ...record, aliases } : record;
      }),
      ...(result.cursor ? { cursor: result.cursor } : {}),
    };
  }

  async listEditions(series: string): Promise<EditionEntry[]> {
    assertSeries(series);
    const { id, members } = await this.resolveSeries(series);
    return (await this.memberPages(members)).map((page) =>
      withoutUndefined({
        series: id,
        pageSeries: page.series !== id ? page.series : undefined,
        edition: page.edition,
        page: page.page,
        url: page.url,
        title: page.title,
      }),
    );
  }

  /** The pages of a lineage of several series: few (one per edition), read whole and paged by offset. */
  private async listLineagePages(
    series: string,
    members: readonly string[],
    limit: number,
    cursor: string | undefined,
  ): Promise<PageOfItems<PageRecord>> {
    let offset = 0;
    if (cursor !== undefined) {
      const value = decodeCursor(cursor) as { s?: unknown; o?: unknown } | null;
      if (value === null || typeof value !== 'object' || value.s !== series || !Number.isInteger(value.o) || (value.o as number) < 0) {
        throw new ValidationError('Cursor does not belong to this listing');
      }
      offset = value.o as number;
    }
    const pages = await this.memberPages(members);
    const end = offset + limit;
    return { items: pages.slice(offset, end), ...(end < pages.length ? { cursor: encodeCursor({ s: series, o: end }) } : {}) };
  }

  /** Every page of the given series, oldest edition first. */
  private async memberPages(members: readonly string[]): Promise<PageRecord[]> {
    const pages: PageRecord[] = [];
    for (const member of members) {
      const partition = itemKeys.seriesPartition(member);
      let cursor: string | undefined;
      do {
        const result = await this.queryPage<PageRecord>(
          { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :partition', ExpressionAttributeValues: { ':partition': partition } },
          GSI1_KEY,
          { gsi1pk: partition },
          MAX_LIMIT,
          cursor,
        );
        pages.push(...result.items);
        cursor = result.cursor;
      } while (cursor);
    }
    return pages.sort((a, b) => (a.edition ?? -1) - (b.edition ?? -1) || a.page.localeCompare(b.page));
  }

  // Series lineage (lineage-items.ts)

  putPageSignals(record: PageSignalsRecord): Promise<void> {
    return this.lineage.putPageSignals(record);
  }

  getPageSignals(page: string): Promise<PageSignalsRecord | undefined> {
    return this.lineage.getPageSignals(page);
  }

  putPageSignalsBatch(records: readonly PageSignalsRecord[]): Promise<void> {
    return this.lineage.putPageSignalsBatch(records);
  }

  getPageSignalsBatch(pages: readonly string[]): Promise<Map<string, PageSignalsRecord>> {
    return this.lineage.getPageSignalsBatch(pages);
  }

  async listPageSignals(options: ListOptions = {}): Promise<PageOfItems<PageSignalsRecord>> {
    const result = await this.listRegistry<Record<string, unknown>>(itemKeys.allSignalsPartition, options);
    return { items: result.items.map(signalsRecord), ...(result.cursor ? { cursor: result.cursor } : {}) };
  }

  resolveSeries(series: string): Promise<SeriesResolution> {
    assertSeries(series);
    return this.lineage.resolveSeries(series);
  }

  listLineages(): Promise<StoredLineage[]> {
    return this.lineage.listLineages();
  }

  saveLineages(lineages: readonly StoredLineage[]): Promise<void> {
    return this.lineage.saveLineages(lineages);
  }

  listLineageOverrides(): Promise<LineageOverride[]> {
    return this.lineage.listLineageOverrides();
  }

  putLineageOverride(override: LineageOverride): Promise<void> {
    assertSeries(override.a);
    assertSeries(override.b);
    return this.lineage.putLineageOverride(override);
  }

  deleteLineageOverride(a: string, b: string): Promise<boolean> {
    return this.lineage.deleteLineageOverride(a, b);
  }

  lineageFactsVersion(): Promise<number> {
    return this.lineage.lineageFactsVersion();
  }

  // Revisions

  async latestRevision(page: string): Promise<RevisionRecord | undefined> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': itemKeys.pagePk(assertPageId(page)), ':prefix': itemKeys.revisionSkPrefix },
        ScanIndexForward: false,
        Limit: 1,
        // A worker that lost the putRevision race re-reads here and must see the winner.
        ConsistentRead: true,
      }),
    );
    const item = Items?.[0];
    return item ? (withoutKeyAttributes(item) as unknown as RevisionRecord) : undefined;
  }

  async putRevision(revision: RevisionRecord): Promise<void> {
    const item = revisionItem(revision);
    try {
      await this.documents.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new ConflictError(`Revision ${revision.seq} of ${revision.page} already exists`, { cause: error });
      }
      throw error;
    }
  }

  async getRevision(page: string, seq: number): Promise<RevisionRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: itemKeys.pagePk(assertPageId(page)), sk: itemKeys.revisionSk(assertSeq(seq)) },
        ConsistentRead: true,
      }),
    );
    return Item ? (withoutKeyAttributes(Item) as unknown as RevisionRecord) : undefined;
  }

  async listRevisions(page: string, options: ListRevisionsOptions = {}): Promise<PageOfItems<RevisionRecord>> {
    const pk = itemKeys.pagePk(assertPageId(page));
    return this.queryPage<RevisionRecord>(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': itemKeys.revisionSkPrefix },
        ScanIndexForward: options.newestFirst === false,
      },
      TABLE_KEY,
      { pk },
      clampLimit(options.limit),
      options.cursor,
      (key) => key.sk!.startsWith(itemKeys.revisionSkPrefix),
    );
  }

  async listRecentRevisions(options: ListRecentRevisionsOptions = {}): Promise<PageOfItems<RevisionRecord>> {
    const limit = clampLimit(options.limit);
    const until = options.until !== undefined ? parseInstant(options.until, 'until') : this.clock();
    const since = options.since !== undefined ? parseInstant(options.since, 'since') : new Date(until.getTime() - DEFAULT_RECENT_DAYS * DAY_MS);
    if (since > until) throw new ValidationError('since is after until');
    if (until.getTime() - since.getTime() > MAX_RECENT_DAYS * DAY_MS) {
      throw new ValidationError(`The recent-revisions window is at most ${MAX_RECENT_DAYS} days`);
    }
    const lowerBound = since.toISOString();
    const upperBound = `${until.toISOString()}#\uffff`;
    const firstDay = dayOf(since);

    let day = dayOf(until);
    let startKey: ItemKey | undefined;
    if (options.cursor !== undefined) {
      ({ day, startKey } = decodeRecentCursor(options.cursor));
    }

    const collected: Item[] = [];
    while (day >= firstDay && collected.length <= limit) {
      const response = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :partition AND gsi2sk BETWEEN :lower AND :upper',
          ExpressionAttributeValues: { ':partition': itemKeys.recentPartition(day), ':lower': lowerBound, ':upper': upperBound },
          ScanIndexForward: false,
          Limit: limit + 1 - collected.length,
          ExclusiveStartKey: startKey,
        }),
      );
      collected.push(...(response.Items ?? []));
      if (response.LastEvaluatedKey && collected.length <= limit) {
        startKey = response.LastEvaluatedKey as ItemKey;
        continue;
      }
      day = previousDay(day);
      startKey = undefined;
    }

    const items = collected.slice(0, limit);
    let cursor: string | undefined;
    if (collected.length > limit) {
      const last = items[items.length - 1]!;
      const lastKey = pickKey(last, GSI2_KEY);
      cursor = encodeCursor({ d: String(last.gsi2pk).slice('RECENT#'.length), k: lastKey });
    }
    return { items: items.map((item) => withoutKeyAttributes(item) as unknown as RevisionRecord), ...(cursor ? { cursor } : {}) };
  }

  // Checks and failures

  async markDispatched(page: string, dispatchedAt: string): Promise<void> {
    parseInstant(dispatchedAt, 'dispatchedAt');
    await this.updatePage(page, { dispatchedAt });
  }

  async recordCheck(page: string, check: CheckResult): Promise<void> {
    parseInstant(check.checkedAt, 'checkedAt');
    if (check.nextDueAt !== undefined) parseInstant(check.nextDueAt, 'nextDueAt');
    const fields = {
      lastCheckedAt: check.checkedAt,
      consecutiveFailures: 0,
      etag: check.etag,
      lastModified: check.lastModified,
      lastDocumentHash: check.documentHash,
      nextDueAt: check.nextDueAt,
    };
    if (check.latestRevision) return this.recordCheckAndLatest(page, fields, check.latestRevision);
    // A success ends the run of failures, and with it the alert about that run.
    await this.updatePage(page, fields, ['alertedAt']);
  }

  /**
   * recordCheck, with the page's latest revision pointer moved to `latest` unless the page already points at a newer
   * seq (two recordings finishing out of order); then the check alone is recorded.
   */
  private async recordCheckAndLatest(page: string, fields: Record<string, unknown>, latest: { seq: number; documentKey: string }) {
    if (!Number.isInteger(latest.seq) || latest.seq < 1) throw new ValidationError(`Bad revision seq ${latest.seq}`);
    try {
      await this.updatePage(page, { ...fields, latestRevisionSeq: latest.seq, latestDocumentKey: latest.documentKey }, ['alertedAt'], {
        expression: '(attribute_not_exists(#latestRevisionSeq) OR #latestRevisionSeq <= :latestRevisionSeq)',
      });
    } catch (error) {
      if (!(error instanceof NotFoundError) || !(await this.getPage(page))) throw error;
      await this.updatePage(page, fields, ['alertedAt']);
    }
  }

  async forgetValidators(page: string): Promise<void> {
    await this.updatePage(page, {}, ['etag', 'lastModified']);
  }

  async markAlerted(page: string, alertedAt: string): Promise<void> {
    parseInstant(alertedAt, 'alertedAt');
    await this.updatePage(page, { alertedAt });
  }

  /** SET the defined fields (and REMOVE the named ones) on an existing page item; NotFoundError for an unknown page. */
  private async updatePage(
    page: string,
    fields: Record<string, unknown>,
    remove: readonly string[] = [],
    /** A further condition on the page item (its values among `fields`'); failing it throws NotFoundError too. */
    condition?: { expression: string },
  ): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const assignments: string[] = [];
    for (const [name, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      assignments.push(`#${name} = :${name}`);
    }
    for (const name of remove) names[`#${name}`] = name;
    const removal = remove.length > 0 ? ` REMOVE ${remove.map((name) => `#${name}`).join(', ')}` : '';
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pageKey(assertPageId(page)),
          UpdateExpression: `${assignments.length > 0 ? `SET ${assignments.join(', ')}` : ''}${removal}`.trim(),
          ConditionExpression: condition ? `attribute_exists(pk) AND ${condition.expression}` : 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ...(assignments.length > 0 ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new NotFoundError(`No page ${page}`, { cause: error });
      throw error;
    }
  }

  async recordFailure(page: string, failure: CaptureFailure): Promise<number> {
    assertPageId(page);
    parseInstant(failure.capturedAt, 'capturedAt');
    if (failure.nextDueAt !== undefined) parseInstant(failure.nextDueAt, 'nextDueAt');
    const failureItem: Item = withoutUndefined({
      pk: itemKeys.pagePk(page),
      sk: itemKeys.failureSk(failure.capturedAt),
      type: itemTypes.failure,
      kind: failure.kind,
      message: String(failure.message).slice(0, MAX_FAILURE_MESSAGE),
      httpStatus: failure.httpStatus,
      capturedAt: failure.capturedAt,
      url: failure.url,
    });

    // The page item remembers the last failure counted, so a redelivered failure is not counted twice; the
    // failure item is written after the count (and again on a redelivery), so a crash in between loses neither.
    let count: number;
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pageKey(page),
          UpdateExpression: `ADD consecutiveFailures :one SET lastFailureAt = :at${failure.nextDueAt !== undefined ? ', nextDueAt = :due' : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastFailureAt) OR lastFailureAt < :at)',
          ExpressionAttributeValues: {
            ':one': 1,
            ':at': failure.capturedAt,
            ...(failure.nextDueAt !== undefined ? { ':due': failure.nextDueAt } : {}),
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      count = Number(Attributes?.consecutiveFailures ?? 1);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const current = await this.getPage(page);
      if (!current) throw new NotFoundError(`No page ${page}`, { cause: error });
      count = current.consecutiveFailures ?? 0;
    }
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: failureItem }));
    return count;
  }

  async listFailures(page: string, options: ListOptions = {}): Promise<PageOfItems<CaptureFailure>> {
    const pk = itemKeys.pagePk(assertPageId(page));
    return this.queryPage<CaptureFailure>(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': itemKeys.failureSkPrefix },
        ScanIndexForward: false,
      },
      TABLE_KEY,
      { pk },
      clampLimit(options.limit),
      options.cursor,
      (key) => key.sk!.startsWith(itemKeys.failureSkPrefix),
    );
  }

  private registerSeries(series: string, profile: string, seenAt: string): Promise<void> {
    return this.lineage.registerSeries(series, profile, seenAt);
  }

  /**
   * One page of a query. Asks for one item more than the limit, so the last page carries no cursor (DynamoDB alone
   * would hand out a cursor to an empty page whenever the items end exactly at the limit).
   */
  private async queryPage<T>(
    input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
    keyAttributes: readonly string[],
    expected: Record<string, string>,
    limit: number,
    cursor: string | undefined,
    acceptKey: (key: ItemKey) => boolean = () => true,
  ): Promise<PageOfItems<T>> {
    let startKey: ItemKey | undefined;
    if (cursor !== undefined) {
      startKey = decodeKeyCursor(cursor, keyAttributes, expected);
      if (!acceptKey(startKey)) throw new ValidationError('Cursor does not belong to this listing');
    }
    const response = await this.documents.send(
      new QueryCommand({ ...input, TableName: this.tableName, Limit: limit + 1, ExclusiveStartKey: startKey }),
    );
    const fetched = response.Items ?? [];
    const items = fetched.slice(0, limit);
    let next: ItemKey | undefined;
    if (fetched.length > limit) next = pickKey(items[items.length - 1]!, keyAttributes);
    else if (response.LastEvaluatedKey) next = response.LastEvaluatedKey as ItemKey; // the 1 MB page cap
    return { items: items.map((item) => withoutKeyAttributes(item) as unknown as T), ...(next ? { cursor: encodeCursor(next) } : {}) };
  }
}

function revisionItem(revision: RevisionRecord): Item {
  const page = assertPageId(revision.page);
  assertSeq(revision.seq);
  if (revision.previousSeq !== undefined && assertSeq(revision.previousSeq) >= revision.seq) {
    throw new ValidationError('previousSeq must be lower than seq');
  }
  const capturedAt = parseInstant(revision.capturedAt, 'capturedAt');
  if (!/^[0-9a-f]{64}$/.test(revision.documentHash)) throw new ValidationError('documentHash must be a hex sha256');
  if (!Array.isArray(revision.sections)) throw new ValidationError('sections must be an array');
  if (revision.edition !== undefined) assertEdition(revision.edition);

  let { sections, truncated } = capSectionChanges(revision.sections, MAX_REVISION_SECTIONS);
  const base: Item = withoutUndefined({
    ...revision,
    terms: revision.terms?.slice(0, MAX_REVISION_TERMS),
    pk: itemKeys.pagePk(page),
    sk: itemKeys.revisionSk(revision.seq),
    type: itemTypes.revision,
    gsi2pk: itemKeys.recentPartition(dayOf(capturedAt)),
    gsi2sk: itemKeys.recentSort(capturedAt.toISOString(), page),
  });
  // Long headings can still make 200 sections too big: halve until the item fits.
  for (;;) {
    const item = { ...base, sections, ...(truncated || revision.sectionsTruncated ? { sectionsTruncated: true } : {}) };
    if (Buffer.byteLength(JSON.stringify(item), 'utf8') <= MAX_REVISION_ITEM_BYTES) return item;
    if (sections.length === 0) throw new ValidationError(`Revision ${revision.seq} of ${page} is too large to store`);
    ({ sections } = capSectionChanges(sections, Math.floor(sections.length / 2)));
    truncated = true;
  }
}

function decodeRecentCursor(cursor: string): { day: string; startKey: ItemKey } {
  const value = decodeCursor(cursor);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError('Invalid cursor');
  const { d, k, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof d !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(d)) {
    throw new ValidationError('Invalid cursor');
  }
  return { day: d, startKey: validateKey(k, GSI2_KEY, { gsi2pk: itemKeys.recentPartition(d) }) };
}

function pageKey(page: string): ItemKey {
  return { pk: itemKeys.pagePk(page), sk: itemKeys.pageSk };
}

function pickKey(item: Item, attributes: readonly string[]): ItemKey {
  const key: ItemKey = {};
  for (const name of attributes) key[name] = String(item[name]);
  return key;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new ValidationError('limit must be a positive integer');
  return Math.min(limit, MAX_LIMIT);
}

function assertSeq(seq: number): number {
  if (!Number.isSafeInteger(seq) || seq < 1 || seq >= 10 ** 10) throw new ValidationError(`Invalid revision seq: ${seq}`);
  return seq;
}

function assertEdition(edition: number): void {
  if (!Number.isSafeInteger(edition) || edition < 0 || edition >= 10 ** 6) throw new ValidationError(`Invalid edition: ${edition}`);
}

function assertSeries(series: string): void {
  if (typeof series !== 'string' || series.length === 0 || series.length > 200) throw new ValidationError('Invalid series');
}

function parseInstant(value: string, name: string): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new ValidationError(`${name} is not an ISO-8601 date: ${String(value)}`);
  return date;
}

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function previousDay(day: string): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00.000Z`) - DAY_MS));
}
