import pRetry from 'p-retry';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { LineageOverride } from '../../domain/identity/series-lineage.js';
import { ValidationError } from '../../errors.js';
import { assertPageId } from '../../ports/page-id.js';
import type { PageSignalsRecord, SeriesResolution, StoredLineage } from '../../ports/series-lineage-records.js';
import { itemKeys, itemTypes } from './item-keys.js';

/**
 * The lineage items of the revision table (docs/page-identity.md, "Storage"):
 *   PAGE#<page> / SIGNALS            a page's lineage signals           gsi2 PAGE_SIGNALS / <page>
 *   SERIES#<id> / LINEAGE            a lineage of several series        gsi2 LINEAGES / <id>
 *   LINEAGE_OVERRIDES / OVERRIDE#..  a manual link or unlink
 * and, on each series registry item (SERIES#<series> / META), `lineage` and `lineageMembers`: a member that is not
 * the lineage's id moves from the gsi2 `SERIES` registry to `SERIES_ALIAS`, so the series listing names each
 * lineage once and every query by series resolves a name with one GetItem.
 */

type Item = Record<string, unknown>;

export class LineageItems {
  /** Series this process has registered (registerSeries): at most MAX_REGISTERED_REMEMBERED, then forgotten. */
  private readonly registered = new Set<string>();

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putPageSignals(record: PageSignalsRecord): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: signalsItem(record) }));
    await this.bumpFactsVersion();
  }

  /**
   * Several pages' signals: the same items as putPageSignals, 25 to a BatchWriteItem (each put unconditional, as
   * there), then the facts version moved by as many as were put, once.
   */
  async putPageSignalsBatch(records: readonly PageSignalsRecord[]): Promise<void> {
    // One write per page (a batch may not name a key twice): the last record of a page is the one put.
    const items = [...new Map(records.map((record) => [record.page, signalsItem(record)])).values()];
    if (items.length === 0) return;
    for (let start = 0; start < items.length; start += BATCH_WRITE_ITEMS) {
      let pending = items.slice(start, start + BATCH_WRITE_ITEMS).map((Item) => ({ PutRequest: { Item } }));
      await retryUnprocessed(async () => {
        const { UnprocessedItems } = await this.documents.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
        return pending.length;
      });
    }
    await this.bumpFactsVersion(items.length);
  }

  /** Several pages' signals, 100 keys to a BatchGetItem (consistent reads, as getPageSignals): by page, those stored. */
  async getPageSignalsBatch(pages: readonly string[]): Promise<Map<string, PageSignalsRecord>> {
    const found = new Map<string, PageSignalsRecord>();
    const unique = [...new Set(pages.map((page) => assertPageId(page)))];
    for (let start = 0; start < unique.length; start += BATCH_GET_KEYS) {
      let keys: Array<Record<string, unknown>> = unique
        .slice(start, start + BATCH_GET_KEYS)
        .map((page) => ({ pk: itemKeys.pagePk(page), sk: itemKeys.signalsSk }));
      await retryUnprocessed(async () => {
        const { Responses, UnprocessedKeys } = await this.documents.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[this.tableName] ?? []) {
          const record = signalsRecord(item);
          found.set(record.page, record);
        }
        keys = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        return keys.length;
      });
    }
    return found;
  }

  async getPageSignals(page: string): Promise<PageSignalsRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: itemKeys.pagePk(assertPageId(page)), sk: itemKeys.signalsSk }, ConsistentRead: true }),
    );
    return Item ? signalsRecord(Item) : undefined;
  }

  async resolveSeries(series: string): Promise<SeriesResolution> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: itemKeys.seriesPk(series), sk: itemKeys.pageSk }, ConsistentRead: true }),
    );
    const lineage = typeof Item?.lineage === 'string' ? Item.lineage : undefined;
    const members = Array.isArray(Item?.lineageMembers)
      ? (Item.lineageMembers as unknown[]).filter((member): member is string => typeof member === 'string')
      : [];
    return lineage && members.length > 0 ? { id: lineage, members } : { id: series, members: [series] };
  }

  async listLineages(): Promise<StoredLineage[]> {
    const items = await this.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :partition',
      ExpressionAttributeValues: { ':partition': itemKeys.allLineagesPartition },
    });
    return items.map((item) => ({
      id: String(item.id),
      profile: String(item.profile),
      members: (item.members as string[]) ?? [],
      links: (item.links as StoredLineage['links']) ?? [],
      decidedAt: String(item.decidedAt),
    }));
  }

  async saveLineages(lineages: readonly StoredLineage[]): Promise<void> {
    const current = new Map((await this.listLineages()).map((lineage) => [lineage.id, lineage]));
    const next = lineages.filter((lineage) => lineage.members.length > 1);
    const nextMembers = new Set(next.flatMap((lineage) => lineage.members));
    for (const lineage of next) {
      const stored = current.get(lineage.id);
      if (stored && sameLineage(stored, lineage)) continue;
      // Members first, then the lineage item: the item's presence says its members were written.
      for (const member of lineage.members) await this.registerSeries(member, lineage.profile, lineage.decidedAt, lineage);
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: itemKeys.seriesPk(lineage.id),
            sk: itemKeys.lineageSk,
            type: itemTypes.lineage,
            gsi2pk: itemKeys.allLineagesPartition,
            gsi2sk: lineage.id,
            id: lineage.id,
            profile: lineage.profile,
            members: lineage.members,
            links: JSON.parse(JSON.stringify(lineage.links)) as unknown,
            decidedAt: lineage.decidedAt,
          },
        }),
      );
    }
    const nextIds = new Set(next.map((lineage) => lineage.id));
    for (const stored of current.values()) {
      for (const member of stored.members) if (!nextMembers.has(member)) await this.releaseSeries(member);
      if (!nextIds.has(stored.id)) {
        await this.documents.send(
          new DeleteCommand({ TableName: this.tableName, Key: { pk: itemKeys.seriesPk(stored.id), sk: itemKeys.lineageSk } }),
        );
      }
    }
  }

  async listLineageOverrides(): Promise<LineageOverride[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': itemKeys.overridesPk, ':prefix': itemKeys.overrideSkPrefix },
    });
    return items.map((item) => ({
      a: String(item.a),
      b: String(item.b),
      action: item.action === 'unlink' ? 'unlink' : 'link',
      decidedAt: String(item.decidedAt),
    }));
  }

  async putLineageOverride(override: LineageOverride): Promise<void> {
    if (!(override.a < override.b)) throw new ValidationError('An override names two different series in sorted order');
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: itemKeys.overridesPk,
          sk: itemKeys.overrideSk(override.a, override.b),
          type: itemTypes.lineageOverride,
          a: override.a,
          b: override.b,
          action: override.action,
          decidedAt: override.decidedAt,
        },
      }),
    );
    await this.bumpFactsVersion();
  }

  async deleteLineageOverride(a: string, b: string): Promise<boolean> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: itemKeys.overridesPk, sk: itemKeys.overrideSk(a, b) },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      await this.bumpFactsVersion();
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async lineageFactsVersion(): Promise<number> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: itemKeys.overridesPk, sk: itemKeys.factsVersionSk }, ConsistentRead: true }),
    );
    return typeof Item?.version === 'number' ? Item.version : 0;
  }

  private async bumpFactsVersion(by = 1): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: itemKeys.overridesPk, sk: itemKeys.factsVersionSk },
        UpdateExpression: 'ADD version :by SET #type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':by': by, ':type': itemTypes.lineageOverride },
      }),
    );
  }

  /**
   * Registers a series (every putPage does), and with `lineage` points it at its lineage: only the lineage's own id
   * stays in the series listing. A series already registered keeps its listing partition (an alias stays hidden).
   */
  async registerSeries(series: string, profile: string, seenAt: string, lineage?: StoredLineage): Promise<void> {
    // Registered by this process already: the same write again would change nothing (every value it sets unconditionally
    // is the one it set; no series item is ever deleted), so it is not sent again (an import registers each series once,
    // not once a page).
    if (!lineage && this.registered.has(series)) return;
    const partition = !lineage || series === lineage.id ? itemKeys.allSeriesPartition : itemKeys.aliasSeriesPartition;
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: itemKeys.seriesPk(series), sk: itemKeys.pageSk },
        UpdateExpression:
          `SET #type = :type, series = :series, gsi2pk = ${lineage ? ':partition' : 'if_not_exists(gsi2pk, :partition)'}, gsi2sk = :series, ` +
          'profile = if_not_exists(profile, :profile), firstSeenAt = if_not_exists(firstSeenAt, :seenAt)' +
          (lineage ? ', lineage = :lineage, lineageMembers = :members' : ''),
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':type': itemTypes.series,
          ':series': series,
          ':partition': partition,
          ':profile': profile,
          ':seenAt': seenAt,
          ...(lineage ? { ':lineage': lineage.id, ':members': lineage.members } : {}),
        },
      }),
    );
    if (this.registered.size >= MAX_REGISTERED_REMEMBERED) this.registered.clear();
    this.registered.add(series);
  }

  private async releaseSeries(series: string): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: itemKeys.seriesPk(series), sk: itemKeys.pageSk },
          UpdateExpression: 'SET gsi2pk = :partition REMOVE lineage, lineageMembers',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':partition': itemKeys.allSeriesPartition },
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    }
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const response = await this.documents.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: startKey }));
      items.push(...(response.Items ?? []));
      startKey = response.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

function sameLineage(a: StoredLineage, b: StoredLineage): boolean {
  return a.profile === b.profile && JSON.stringify(a.members) === JSON.stringify(b.members) && JSON.stringify(a.links) === JSON.stringify(b.links);
}

/** The item of a page's signals (the page's partition, listed on gsi2 PAGE_SIGNALS). */
function signalsItem(record: PageSignalsRecord): Item {
  const page = assertPageId(record.page);
  if (typeof record.series !== 'string' || record.series.length === 0 || record.series.length > 200) throw new ValidationError('Invalid series');
  const signals = {
    ...(record.signals.name ? { name: record.signals.name.slice(0, 500) } : {}),
    ...(record.signals.taxonomy?.length ? { taxonomy: record.signals.taxonomy.slice(0, 50) } : {}),
  };
  return {
    pk: itemKeys.pagePk(page),
    sk: itemKeys.signalsSk,
    type: itemTypes.pageSignals,
    gsi2pk: itemKeys.allSignalsPartition,
    gsi2sk: page,
    page,
    series: record.series,
    profile: record.profile,
    signals,
    recordedAt: record.recordedAt,
    ...(record.edition !== undefined ? { edition: record.edition } : {}),
    ...(record.identifiedBy ? { identifiedBy: record.identifiedBy.slice(0, 500) } : {}),
    ...(record.notes?.length ? { notes: record.notes.slice(0, 20).map((note) => note.slice(0, 500)) } : {}),
  };
}

const MAX_REGISTERED_REMEMBERED = 10_000;

/** DynamoDB's limits: 25 writes to a BatchWriteItem, 100 keys to a BatchGetItem. */
const BATCH_WRITE_ITEMS = 25;
const BATCH_GET_KEYS = 100;

/**
 * Sends a batch request again, with backoff, while it leaves some of its writes or keys unprocessed (a throttled
 * table); `send` returns how many it left, and resends only those.
 */
async function retryUnprocessed(send: () => Promise<number>): Promise<void> {
  await pRetry(
    async () => {
      const left = await send();
      if (left > 0) throw new Error(`DynamoDB left ${left} requests of a batch unprocessed`);
    },
    { retries: 8, minTimeout: 50, maxTimeout: 2000, factor: 2, randomize: true },
  );
}

export function signalsRecord(item: Item): PageSignalsRecord {
  const signals = (item.signals ?? {}) as PageSignalsRecord['signals'];
  return {
    page: String(item.page),
    series: String(item.series),
    profile: String(item.profile),
    signals: { ...(signals.name ? { name: signals.name } : {}), ...(signals.taxonomy?.length ? { taxonomy: [...signals.taxonomy] } : {}) },
    recordedAt: String(item.recordedAt),
    ...(typeof item.edition === 'number' ? { edition: item.edition } : {}),
    ...(typeof item.identifiedBy === 'string' ? { identifiedBy: item.identifiedBy } : {}),
    ...(Array.isArray(item.notes) ? { notes: item.notes as string[] } : {}),
  };
}
