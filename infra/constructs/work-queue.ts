import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface WorkQueueProps {
  /** The consumer's timeout: the visibility timeout is six times it, as AWS advises for Lambda event sources. */
  readonly consumerTimeout: Duration;
  /** Deliveries before a message moves to the DLQ. */
  readonly maxReceiveCount?: number;
}

export const DEFAULT_MAX_RECEIVE_COUNT = 5;

/**
 * A work queue with its dead-letter queue: SSE (SQS-managed keys, which EventBridge and Lambda can use without
 * key-policy grants), SSL-only policies on both, and a redrive after `maxReceiveCount` deliveries. The DLQ keeps
 * messages for the 14-day maximum so an operator can redrive them after a fix.
 */
export class WorkQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT },
    });
  }
}
