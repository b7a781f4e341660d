import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { StageSettings } from '../config/stages.js';
import { MessagingKey } from '../constructs/messaging-key.js';
import { NotificationTopic } from '../constructs/notification-topic.js';
import { RevisionTable } from '../constructs/revision-table.js';
import { SectionLinesTable } from '../constructs/section-lines-table.js';
import { SnapshotBucket } from '../constructs/snapshot-bucket.js';

export interface StatefulStackProps extends StackProps {
  readonly stage: StageSettings;
}

export interface StatefulKeys {
  /** Encrypts the SNS topics (notifications here, alarms in the stateless stack). */
  readonly messaging: kms.IKey;
}

/**
 * Everything that holds data: the table, the snapshot bucket and its access-log bucket, the notification topic
 * (its subscriptions are data) and the key. The stateless stack takes these through typed props, so it can be
 * destroyed and redeployed freely, and this stack can deploy on its own.
 */
export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;
  readonly bucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;
  readonly topic: sns.Topic;
  readonly keys: StatefulKeys;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    const { stage, ...stackProps } = props;
    super(scope, id, { terminationProtection: stage.terminationProtection, ...stackProps });

    const messaging = new MessagingKey(this, 'MessagingKey', {
      alias: `alias/redline-${stage.name}-messaging`,
      removalPolicy: stage.removalPolicy,
    });
    this.keys = { messaging: messaging.key };

    const snapshots = new SnapshotBucket(this, 'SnapshotBucket', {
      removalPolicy: stage.removalPolicy,
      autoDeleteObjects: stage.autoDeleteObjects,
      accessLogExpiration: stage.accessLogExpiration,
      noncurrentVersionExpiration: stage.noncurrentVersionExpiration,
    });
    this.bucket = snapshots.bucket;
    this.accessLogBucket = snapshots.accessLogBucket;
    // SQL for analysts: an Athena (Glue) table over the section lines already in the bucket.
    new SectionLinesTable(this, 'SectionLinesTable', { bucket: snapshots.bucket, databaseName: `redline_${stage.name}` });

    this.table = new RevisionTable(this, 'RevisionTable', {
      removalPolicy: stage.removalPolicy,
      deletionProtection: stage.tableDeletionProtection,
    }).table;

    this.topic = new NotificationTopic(this, 'NotificationTopic', {
      displayName: `redline ${stage.name}: page changes`,
      masterKey: messaging.key,
      removalPolicy: stage.removalPolicy,
    }).topic;
  }
}
