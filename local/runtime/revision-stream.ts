import { GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { itemKeys } from '../../shared/adapters/dynamodb/item-keys.js';
import type { RevisionStore } from '../../shared/ports/revision-store.js';
import type { RevisionRecord } from '../../shared/domain/revision-records.js';
import { insertStreamRecord } from './aws-event-shapes.js';
import { interceptPort } from './port-interceptor.js';

/**
 * dynalite has no streams, so the local runtime makes the stream records of new revisions itself: after a
 * successful putRevision it reads the item back as stored (GetItem, consistent) and emits the INSERT record with
 * its NEW_IMAGE, exactly what the table's stream would carry (pk/sk/type/gsi keys included). Like a real stream,
 * the record exists once the write succeeded, whatever happens to the writer afterwards: the read-back runs after
 * the put has returned (the writer never waits for it), is retried, and never fails the put.
 */
export interface RevisionStreamOptions {
  client: DynamoDBClient;
  tableName: string;
  region?: string;
  clock?: () => Date;
  emit(record: DynamoDBRecord): void;
  /** Told first, as soon as the put succeeded (before the record is read back and emitted). */
  onPut?(revision: RevisionRecord): void;
  /** Told when an item could not be read back (the record is lost, as it would not be on AWS). */
  onError?(error: unknown, revision: RevisionRecord): void;
}

const READ_BACK_ATTEMPTS = 5;

export class RevisionStream {
  readonly streamArn: string;
  private sequence = 0n;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: RevisionStreamOptions) {
    const region = options.region ?? 'us-east-1';
    this.streamArn = `arn:aws:dynamodb:${region}:000000000000:table/${options.tableName}/stream/${new Date().toISOString().replace(/Z$/, '')}`;
  }

  /** The store the use cases get: the same store, whose successful putRevision also emits a stream record. */
  wrap(store: RevisionStore): RevisionStore {
    return interceptPort(store, 'revisions', (call) => {
      const result = call.proceed();
      if (call.method !== 'putRevision') return result;
      const revision = call.args[0] as RevisionRecord;
      return (result as Promise<void>).then(() => {
        this.options.onPut?.(revision);
        // Numbered at the write, so records keep the order of the writes.
        const sequenceNumber = String(100_000_000_000_000_000_000n + ++this.sequence);
        const emitting = this.emitInserted(revision, sequenceNumber).finally(() => this.pending.delete(emitting));
        this.pending.add(emitting);
      });
    });
  }

  /** Records read back but not yet emitted. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async emitInserted(revision: RevisionRecord, sequenceNumber: string): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= READ_BACK_ATTEMPTS; attempt++) {
      try {
        const { Item } = await this.options.client.send(
          new GetItemCommand({
            TableName: this.options.tableName,
            Key: { pk: { S: itemKeys.pagePk(revision.page) }, sk: { S: itemKeys.revisionSk(revision.seq) } },
            ConsistentRead: true,
          }),
        );
        if (!Item) throw new Error(`revision ${revision.page}#${revision.seq} not found after its put`);
        this.options.emit(this.record(Item, sequenceNumber));
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
    this.options.onError?.(lastError, revision);
  }

  private record(item: Record<string, AttributeValue>, sequenceNumber: string): DynamoDBRecord {
    return insertStreamRecord({
      newImage: item,
      keyNames: ['pk', 'sk'],
      sequenceNumber,
      at: this.options.clock?.() ?? new Date(),
      streamArn: this.streamArn,
      ...(this.options.region ? { region: this.options.region } : {}),
    });
  }
}
