import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { ListOptions, PageOfItems } from '../../ports/revision-store.js';
import type { SubscriptionRecord, SubscriptionStore } from '../../ports/subscription-store.js';
import { withoutKeyAttributes } from './item-keys.js';
import { decodeKeyCursor, encodeCursor, type ItemKey } from './pagination-cursor.js';

/**
 * Subscriptions in the redline table (docs/data-model.md): `SUB#<id>` / `META`, listed through the
 * `SUBSCRIPTIONS` partition of gsi2 (sorted by `<createdAt>#<id>`). Their `type` is `subscription`, so the notify
 * function's stream filter (type = revision) never sees them.
 */
export const subscriptionKeys = {
  pk: (id: string) => `SUB#${id}`,
  sk: 'META',
  partition: 'SUBSCRIPTIONS',
  sort: (createdAt: string, id: string) => `${createdAt}#${id}`,
  type: 'subscription',
} as const;

const SUBSCRIPTION_ID = /^[A-Za-z0-9_-]{8,64}$/;
const GSI2_KEY = ['pk', 'sk', 'gsi2pk', 'gsi2sk'] as const;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

export interface DynamoSubscriptionStoreOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
}

export class DynamoSubscriptionStore implements SubscriptionStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoSubscriptionStoreOptions) {
    this.documents =
      options.client instanceof DynamoDBDocumentClient
        ? options.client
        : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.tableName = options.tableName;
  }

  async putSubscription(record: SubscriptionRecord): Promise<void> {
    const id = assertSubscriptionId(record.id);
    if (Number.isNaN(Date.parse(record.createdAt))) throw new ValidationError('createdAt is not an ISO-8601 date');
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...record,
            pk: subscriptionKeys.pk(id),
            sk: subscriptionKeys.sk,
            type: subscriptionKeys.type,
            gsi2pk: subscriptionKeys.partition,
            gsi2sk: subscriptionKeys.sort(record.createdAt, id),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new ConflictError(`Subscription ${id} already exists`, { cause: error });
      throw error;
    }
  }

  async getSubscription(id: string): Promise<SubscriptionRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: key(assertSubscriptionId(id)), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async listSubscriptions(options: ListOptions = {}): Promise<PageOfItems<SubscriptionRecord>> {
    const limit = clampLimit(options.limit);
    const expected = { gsi2pk: subscriptionKeys.partition };
    const startKey = options.cursor === undefined ? undefined : decodeKeyCursor(options.cursor, GSI2_KEY, expected);
    if (startKey && !startKey.pk!.startsWith('SUB#')) throw new ValidationError('Cursor does not belong to this listing');
    const response = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :partition',
        ExpressionAttributeValues: { ':partition': subscriptionKeys.partition },
        Limit: limit + 1,
        ExclusiveStartKey: startKey,
      }),
    );
    const fetched = response.Items ?? [];
    const items = fetched.slice(0, limit);
    let next: ItemKey | undefined;
    if (fetched.length > limit) {
      const last = items[items.length - 1]!;
      next = Object.fromEntries(GSI2_KEY.map((name) => [name, String(last[name])]));
    } else if (response.LastEvaluatedKey) {
      next = response.LastEvaluatedKey as ItemKey;
    }
    return { items: items.map(fromItem), ...(next ? { cursor: encodeCursor(next) } : {}) };
  }

  async setDeliveryReference(id: string, reference: string): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(assertSubscriptionId(id)),
          UpdateExpression: 'SET deliveryReference = :reference',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':reference': reference },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new NotFoundError(`No subscription ${id}`, { cause: error });
      throw error;
    }
  }

  async deleteSubscription(id: string): Promise<boolean> {
    const { Attributes } = await this.documents.send(
      new DeleteCommand({ TableName: this.tableName, Key: key(assertSubscriptionId(id)), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }
}

export function assertSubscriptionId(id: string): string {
  if (typeof id !== 'string' || !SUBSCRIPTION_ID.test(id))
    throw new ValidationError(`Invalid subscription id: ${JSON.stringify(String(id).slice(0, 80))}`);
  return id;
}

function key(id: string) {
  return { pk: subscriptionKeys.pk(id), sk: subscriptionKeys.sk };
}

function fromItem(item: Record<string, unknown>): SubscriptionRecord {
  return withoutKeyAttributes(item) as unknown as SubscriptionRecord;
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new ValidationError('limit must be a positive integer');
  return Math.min(limit, MAX_LIMIT);
}

function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
