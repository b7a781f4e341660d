import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { markPrefixScopedPolicy } from '../nag/prefix-grant-acknowledgements.js';
import { SNAPSHOT_PREFIXES } from './snapshot-bucket.js';
import { DEFAULT_MAX_RECEIVE_COUNT } from './work-queue.js';

export interface ImportQueueProps {
  /** The consumer's timeout (the diff function's): the visibility timeout is six times it. */
  readonly consumerTimeout: Duration;
  readonly maxReceiveCount?: number;
  readonly table: dynamodb.ITable;
  readonly bucket: s3.IBucket;
}

/**
 * The import queue of a cloud backfill (`redline import` against a deployed stack): SQS FIFO, one message group
 * per page, so pages are recorded in parallel and each page's captures one at a time in capture order; a message's
 * deduplication id is its page and Document hash (no content-based deduplication: the body names the source
 * file, which may differ between two runs of the same capture). SSE and SSL-only like the work queues, and a FIFO
 * DLQ after `maxReceiveCount` deliveries (a FIFO queue's DLQ must be FIFO; the group then goes on).
 *
 * The importer's permissions are a role (`importerRole`, assumable by principals of this account that may assume
 * roles) whose policy is exactly what `redline import` calls: the page items and lineage (the table, as capture
 * uses it), raw bodies and staged Documents (raw/ and imports/, HEAD before PUT), the consumer's outcomes
 * (imports/), the queue (send, and its attributes to check it is FIFO) and this stack's outputs (--stack). No docs/ write: only the consumer puts
 * Documents there, so every docs/ event is a capture the diff step may record.
 */
export class ImportQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly importerRole: iam.Role;

  constructor(scope: Construct, id: string, props: ImportQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      fifo: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      fifo: true,
      contentBasedDeduplication: false,
      // Throughput per message group (page), not per queue: a backfill of many pages is not held to 300 messages/s.
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT },
    });

    const { table, bucket } = props;
    this.importerRole = new iam.Role(this, 'ImporterRole', {
      assumedBy: new iam.AccountPrincipal(Stack.of(this).account),
      description: 'redline import: backfill saved pages into this stack through its FIFO import queue',
      maxSessionDuration: Duration.hours(12),
    });
    const policy = new iam.Policy(this, 'ImporterAccess', { roles: [this.importerRole] });
    // Only prefix-scoped object ARNs carry a wildcard here (acknowledged like bindBucket's, finding by finding).
    markPrefixScopedPolicy(policy);
    policy.addStatements(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], resources: [this.queue.queueArn] }),
      // `redline import --stack <name>` reads this stack's outputs.
      new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [Stack.of(this).stackId] }),
      // addWatch, the page's revisions, lineage signals and series lineage (a lineage no longer decided is deleted).
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
      }),
      new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: ['gsi1', 'gsi2'].map((index) => `${table.tableArn}/index/${index}`) }),
      new iam.PolicyStatement({
        actions: ['dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SERIES#*'] } },
      }),
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [SNAPSHOT_PREFIXES.raw, SNAPSHOT_PREFIXES.imports].map((prefix) => bucket.arnForObjects(`${prefix}*`)),
      }),
      // HEAD of a missing key answers 404 (not 403) only with ListBucket (see bindBucket).
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
  }
}
