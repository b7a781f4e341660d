import type { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_DEFINITION, type KeyAttribute, type TableDefinition } from '../../shared/adapters/dynamodb/table-definition.js';

export interface RevisionTableProps {
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  /** The key schema and indexes; the same object the adapter and the local runtime use. */
  readonly definition?: TableDefinition;
}

/**
 * The one table (pages, revisions, failures; docs/data-model.md), built from the shared table definition so the
 * cloud table and the local one cannot drift. On demand (traffic is a burst per dispatch, idle otherwise), PITR,
 * a NEW_IMAGE stream for the notify function, and the AWS-managed KMS key: the data is derived from public pages,
 * so a CMK would add cost and kms grants for the stream reader without protecting anything more.
 */
export class RevisionTable extends Construct {
  readonly table: dynamodb.Table;
  readonly definition: TableDefinition;

  constructor(scope: Construct, id: string, props: RevisionTableProps) {
    super(scope, id);
    const definition = props.definition ?? TABLE_DEFINITION;
    this.definition = definition;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: attribute(definition.partitionKey),
      sortKey: attribute(definition.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: streamViewType(definition.stream),
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });
    for (const index of definition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: projectionType(index.projection),
      });
    }
  }

  /** Index names, for IAM statements scoped to each index ARN rather than `index/*`. */
  get indexNames(): string[] {
    return this.definition.globalSecondaryIndexes.map((index) => index.indexName);
  }
}

function attribute(key: KeyAttribute): dynamodb.Attribute {
  const types: Record<KeyAttribute['type'], dynamodb.AttributeType> = { S: dynamodb.AttributeType.STRING };
  return { name: key.name, type: types[key.type] };
}

function streamViewType(view: TableDefinition['stream']): dynamodb.StreamViewType {
  const views: Record<TableDefinition['stream'], dynamodb.StreamViewType> = { NEW_IMAGE: dynamodb.StreamViewType.NEW_IMAGE };
  return views[view];
}

function projectionType(projection: TableDefinition['globalSecondaryIndexes'][number]['projection']): dynamodb.ProjectionType {
  const projections: Record<typeof projection, dynamodb.ProjectionType> = { ALL: dynamodb.ProjectionType.ALL };
  return projections[projection];
}
