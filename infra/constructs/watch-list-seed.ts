import { CustomResource, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { PowertoolsLogLevel } from '../config/stages.js';
import type { WatchList } from '../config/watch-list.js';
import { bindTable } from './bindings.js';
import { TrackerFunction } from './tracker-function.js';

export interface WatchListSeedProps {
  readonly table: dynamodb.ITable;
  readonly watches: WatchList;
  readonly logLevel: PowertoolsLogLevel;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * Seeds infra/config/watches.json into the table on every deploy that changes it (custom-resources/seed-watches.ts).
 * Only new pages are added; nothing is ever removed.
 */
export class WatchListSeed extends Construct {
  readonly function: TrackerFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: WatchListSeedProps) {
    super(scope, id);
    this.function = new TrackerFunction(this, 'Function', {
      entry: 'infra/custom-resources/seed-watches.ts',
      serviceName: 'seed-watches',
      description: 'redline: seeds the watch list at deploy time (CloudFormation custom resource)',
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      timeout: Duration.minutes(2),
      memorySize: 256,
    });
    // addWatch: PutItem (only if new), GetItem (the existing page), UpdateItem (the series registry).
    bindTable(this.function, props.table, { access: ['GetItem', 'PutItem', 'UpdateItem'], indexes: [] });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::RedlineWatchListSeed',
      properties: { Watches: JSON.stringify(props.watches) },
    });
  }
}
