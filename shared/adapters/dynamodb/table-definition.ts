/**
 * The one DynamoDB table, as plain data so that the CDK stack, the local servers and the adapter share it
 * (no SDK import here). Layout and item shapes: docs/data-model.md.
 */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S';
}

export interface GlobalSecondaryIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly projection: 'ALL';
}

export interface TableDefinition {
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalSecondaryIndexes: readonly GlobalSecondaryIndexDefinition[];
  readonly stream: 'NEW_IMAGE';
  /** Attribute every item carries; the notify function's stream filter matches `type = revision`. */
  readonly typeAttribute: 'type';
}

export const TABLE_DEFINITION: TableDefinition = Object.freeze({
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: Object.freeze([
    // Pages by series, ordered by edition.
    { indexName: 'gsi1', partitionKey: { name: 'gsi1pk', type: 'S' }, sortKey: { name: 'gsi1sk', type: 'S' }, projection: 'ALL' },
    // Recent revisions sharded by day, and the page and series registries.
    { indexName: 'gsi2', partitionKey: { name: 'gsi2pk', type: 'S' }, sortKey: { name: 'gsi2sk', type: 'S' }, projection: 'ALL' },
  ] as const),
  stream: 'NEW_IMAGE',
  typeAttribute: 'type',
} as const);

/** Every key attribute of the table and its indexes (all strings). */
export function keyAttributeNames(definition: TableDefinition = TABLE_DEFINITION): string[] {
  const names = [definition.partitionKey.name, definition.sortKey.name];
  for (const index of definition.globalSecondaryIndexes) names.push(index.partitionKey.name, index.sortKey.name);
  return names;
}

/**
 * The same definition in the shape of a DynamoDB CreateTable request (plain data, usable with the SDK's
 * CreateTableCommand without this module importing it).
 */
export function createTableRequest(tableName: string, definition: TableDefinition = TABLE_DEFINITION) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: keyAttributeNames(definition).map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: definition.partitionKey.name, KeyType: 'HASH' as const },
      { AttributeName: definition.sortKey.name, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: index.projection },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' as const },
  };
}
