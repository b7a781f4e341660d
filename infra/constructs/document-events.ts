import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SNAPSHOT_PREFIXES } from './snapshot-bucket.js';

export interface DocumentEventsProps {
  /** A bucket with EventBridge notifications on (SnapshotBucket). */
  readonly bucket: s3.IBucket;
  /** The diff work queue: each message body is the EventBridge "Object Created" event, unchanged. */
  readonly queue: sqs.IQueue;
  /** Where EventBridge puts events it could not deliver to the queue. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * S3 "Object Created" under docs/ -> EventBridge rule -> the diff queue. The queue (not a direct Lambda target)
 * gives the diff function retries with backoff, partial batch failures and a DLQ; EventBridge's own retries and
 * DLQ cover delivery to the queue.
 */
export class DocumentEvents extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: DocumentEventsProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'DocumentCreated', {
      description: 'redline: a new normalised Document under docs/ -> diff queue',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          object: { key: [{ prefix: SNAPSHOT_PREFIXES.docs }] },
        },
      },
    });
    this.rule.addTarget(
      new eventTargets.SqsQueue(props.queue, {
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      }),
    );
  }
}
