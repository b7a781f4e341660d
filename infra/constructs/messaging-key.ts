import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface MessagingKeyProps {
  readonly alias: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The customer-managed key for the SNS topics (notifications and alarms). A CMK rather than alias/aws/sns because
 * CloudWatch alarms can publish to an encrypted topic only when the key policy lets cloudwatch.amazonaws.com use
 * the key, and an AWS-managed key's policy cannot be changed.
 */
export class MessagingKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: MessagingKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'redline: SNS topic encryption (notifications and alarms)',
      alias: props.alias,
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: props.removalPolicy,
    });
    // Alarm actions publish as the CloudWatch service, scoped to alarms of this account.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.key.stack.account } },
      }),
    );
  }
}
