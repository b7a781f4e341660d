import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE_DEFINITION } from '../../shared/adapters/dynamodb/table-definition.js';
import { acknowledge } from '../nag/acknowledge.js';

export interface RevisionStreamTriggerProps {
  readonly table: dynamodb.ITable;
  /** The function that consumes the stream (notify, provenance): each trigger is its own mapping, position and failure queue. */
  readonly consumer: lambda.IFunction;
}

export const REVISION_ITEM_TYPE = 'revision';

/**
 * The table's stream -> one consuming function (notify; provenance), for new revision items only: the event source filter passes INSERTs whose
 * new image has `type = revision`, so page updates, failures and series items never invoke the function. A poison
 * batch is bisected down to the failing record, retried a few times, then described on the failure queue (the
 * stream keeps records for 24 hours only).
 */
export class RevisionStreamTrigger extends Construct {
  readonly failureQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: RevisionStreamTriggerProps) {
    super(scope, id);
    this.failureQueue = new sqs.Queue(this, 'Failures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.failureQueue,
      'AwsSolutions-SQS3',
      'This queue is itself the on-failure destination (a dead-letter queue) of a revision stream mapping; cdk-nag only recognises queues named in a redrive policy or a function DLQ.',
    );

    props.consumer.addEventSource(
      new eventSources.DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        bisectBatchOnError: true,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(12),
        reportBatchItemFailures: true,
        onFailure: new eventSources.SqsDlq(this.failureQueue),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { [TABLE_DEFINITION.typeAttribute]: { S: lambda.FilterRule.isEqual(REVISION_ITEM_TYPE) } } },
          }),
        ],
      }),
    );
  }
}
