import type { CfnResource } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { TABLE_DEFINITION } from '../../shared/adapters/dynamodb/table-definition.js';
import { markPrefixScopedPolicy } from '../nag/prefix-grant-acknowledgements.js';
import type { SnapshotPrefix } from './snapshot-bucket.js';

/**
 * Bind helpers: each call grants exactly the listed actions on exactly the given resource AND sets the environment
 * variable the function's configuration (shared/config.ts) reads, so a function cannot have a permission without
 * knowing where to use it, nor a name without the permission.
 */
export const ENVIRONMENT_NAMES = Object.freeze({
  table: 'REDLINE_TABLE',
  bucket: 'REDLINE_BUCKET',
  topic: 'REDLINE_TOPIC_ARN',
  captureQueue: 'REDLINE_CAPTURE_QUEUE_URL',
} as const);

type Bindable = lambda.Function;

// DynamoDB

export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem';
export type TableAccess = 'read' | 'write' | 'readwrite' | readonly TableAction[];

// The adapter (dynamo-revision-store.ts) reads with GetItem and Query, writes with PutItem (conditional where it
// matters) and UpdateItem, and never scans, batches or deletes.
const TABLE_ACCESS: Readonly<Record<Exclude<TableAccess, readonly TableAction[]>, readonly TableAction[]>> = {
  read: ['GetItem', 'Query'],
  write: ['PutItem', 'UpdateItem'],
  readwrite: ['GetItem', 'Query', 'PutItem', 'UpdateItem'],
};
/** Only these actions apply to an index ARN. */
const INDEX_ACTIONS: ReadonlySet<TableAction> = new Set(['Query']);

export interface BindTableOptions {
  readonly access: TableAccess;
  /** Indexes the function may query; default: every index of the shared table definition; [] for none. */
  readonly indexes?: readonly string[];
  /** Whether Query applies to the base table as well as the indexes (default true). */
  readonly queryTable?: boolean;
  /**
   * Partition-key prefixes DeleteItem is limited to (dynamodb:LeadingKeys), e.g. ["SUB#"]: required with DeleteItem,
   * so a function that removes subscriptions cannot remove a page's history.
   */
  readonly deleteKeyPrefixes?: readonly string[];
}

export function bindTable(fn: Bindable, table: dynamodb.ITable, options: BindTableOptions): void {
  const actions = resolveAccess(options.access, TABLE_ACCESS);
  const indexes = options.indexes ?? TABLE_DEFINITION.globalSecondaryIndexes.map((index) => index.indexName);
  const known = new Set(TABLE_DEFINITION.globalSecondaryIndexes.map((index) => index.indexName));
  for (const index of indexes) if (!known.has(index)) throw new Error(`The table has no index ${JSON.stringify(index)}`);
  const tableActions = actions.filter((action) => action !== 'DeleteItem' && (action !== 'Query' || options.queryTable !== false));
  if (actions.includes('DeleteItem')) {
    const prefixes = options.deleteKeyPrefixes ?? [];
    if (prefixes.length === 0 || prefixes.some((prefix) => !/^[A-Z]+#$/.test(prefix))) {
      throw new Error('DeleteItem needs deleteKeyPrefixes like "SUB#" (the partition keys it may delete under)');
    }
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((prefix) => `${prefix}*`) } },
      }),
    );
  }
  if (tableActions.length > 0) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: tableActions.map((action) => `dynamodb:${action}`), resources: [table.tableArn] }));
  }
  const indexActions = actions.filter((action) => INDEX_ACTIONS.has(action));
  if (indexActions.length > 0 && indexes.length > 0) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: indexActions.map((action) => `dynamodb:${action}`),
        // One ARN per index, not `index/*`: a new index is not readable until someone binds it.
        resources: indexes.map((index) => `${table.tableArn}/index/${index}`),
      }),
    );
  }
  fn.addEnvironment(ENVIRONMENT_NAMES.table, table.tableName);
}

// S3

/** get: GetObject; put: PutObject; head: GetObject plus a 404 (not 403) for a missing key; list: ListBucket under the prefixes. */
export type BucketAction = 'get' | 'put' | 'head' | 'list' | 'delete';
export type BucketAccess = 'read' | 'write' | 'readwrite' | readonly BucketAction[];

const BUCKET_ACCESS: Readonly<Record<Exclude<BucketAccess, readonly BucketAction[]>, readonly BucketAction[]>> = {
  read: ['get'],
  write: ['put'],
  readwrite: ['get', 'put'],
};

export interface BindBucketOptions {
  /** Key prefixes of the data model ("raw/", "docs/", ...); every object permission is scoped to them. */
  readonly prefixes: readonly SnapshotPrefix[];
  readonly access: BucketAccess;
}

export function bindBucket(fn: Bindable, bucket: s3.IBucket, options: BindBucketOptions): void {
  if (options.prefixes.length === 0) throw new Error('bindBucket needs at least one key prefix');
  for (const prefix of options.prefixes) {
    if (!/^[a-z]+\/$/.test(prefix)) throw new Error(`Not a key prefix: ${JSON.stringify(prefix)}`);
  }
  const actions = new Set(resolveAccess(options.access, BUCKET_ACCESS));
  const policy = bucketPolicyOf(fn);
  const objectActions = [
    ...(actions.has('get') || actions.has('head') ? ['s3:GetObject'] : []),
    ...(actions.has('put') ? ['s3:PutObject'] : []),
    ...(actions.has('delete') ? ['s3:DeleteObject'] : []),
  ];
  if (objectActions.length > 0) {
    policy.addStatements(
      new iam.PolicyStatement({
        actions: objectActions,
        resources: options.prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
      }),
    );
  }
  if (actions.has('head')) {
    // Without s3:ListBucket, S3 answers 403 instead of 404 for a missing key, and the adapter's write-once check
    // (HEAD before PUT) could not tell "absent" from "forbidden". S3 evaluates this without the s3:prefix key,
    // so it cannot be narrowed by prefix; it reveals key names only (page ids and content hashes).
    policy.addStatements(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
  } else if (actions.has('list')) {
    policy.addStatements(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': options.prefixes.map((prefix) => `${prefix}*`) } },
      }),
    );
  }
  fn.addEnvironment(ENVIRONMENT_NAMES.bucket, bucket.bucketName);
}

/**
 * The bucket statements of one function live in their own policy, so the one cdk-nag finding they raise by
 * nature (an object ARN ends in `<prefix>*`) is acknowledged there, finding by finding, and nowhere else
 * (nag/prefix-grant-acknowledgements.ts).
 */
function bucketPolicyOf(fn: Bindable): iam.Policy {
  const existing = fn.node.tryFindChild('SnapshotBucketAccess');
  if (existing instanceof iam.Policy) return existing;
  const role = fn.role;
  if (!role) throw new Error(`${fn.node.path} has no role to bind to`);
  const policy = new iam.Policy(fn, 'SnapshotBucketAccess', { roles: [role] });
  markPrefixScopedPolicy(policy);
  // The function (and so its event sources) only once it can reach the bucket, as with its role's own policy.
  (fn.node.defaultChild as CfnResource).addResourceDependency(policy.node.defaultChild as CfnResource);
  return policy;
}

// SNS

export type TopicAction = 'publish' | 'subscribe' | 'unsubscribe' | 'list-subscriptions';
export type TopicAccess = 'publish' | 'manage-subscriptions' | readonly TopicAction[];

const TOPIC_ACCESS: Readonly<Record<Exclude<TopicAccess, readonly TopicAction[]>, readonly TopicAction[]>> = {
  publish: ['publish'],
  'manage-subscriptions': ['subscribe', 'unsubscribe', 'list-subscriptions'],
};
const TOPIC_IAM_ACTIONS: Readonly<Record<TopicAction, string>> = {
  publish: 'sns:Publish',
  subscribe: 'sns:Subscribe',
  unsubscribe: 'sns:Unsubscribe',
  'list-subscriptions': 'sns:ListSubscriptionsByTopic',
};

export interface BindTopicOptions {
  readonly access: TopicAccess;
  /** The topic's KMS key (publishing needs it); default: the topic's own masterKey. */
  readonly masterKey?: kms.IKey;
}

export function bindTopic(fn: Bindable, topic: sns.ITopic, options: BindTopicOptions): void {
  const actions = resolveAccess(options.access, TOPIC_ACCESS);
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: actions.map((action) => TOPIC_IAM_ACTIONS[action]), resources: [topic.topicArn] }));
  const key = options.masterKey ?? topic.masterKey;
  if (actions.includes('publish') && key) {
    // Publishing to an SSE topic encrypts with a data key of the topic's CMK.
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }));
  }
  fn.addEnvironment(ENVIRONMENT_NAMES.topic, topic.topicArn);
}

// SQS

export type QueueAccess = 'send';

export interface BindQueueOptions {
  readonly access: QueueAccess;
  /** Environment variable for the queue URL; default REDLINE_CAPTURE_QUEUE_URL. */
  readonly environmentName?: string;
}

/** Sending only: consuming is granted by the Lambda event source mapping, which is the only consumer. */
export function bindQueue(fn: Bindable, queue: sqs.IQueue, options: BindQueueOptions): void {
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  if (queue.encryptionMasterKey) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [queue.encryptionMasterKey.keyArn] }));
  }
  fn.addEnvironment(options.environmentName ?? ENVIRONMENT_NAMES.captureQueue, queue.queueUrl);
}

function resolveAccess<A extends string, N extends string>(access: N | readonly A[], named: Readonly<Record<N, readonly A[]>>): A[] {
  const actions = typeof access === 'string' ? named[access] : access;
  if (!actions || actions.length === 0) throw new Error(`No actions for access ${JSON.stringify(access)}`);
  return [...new Set(actions)];
}
