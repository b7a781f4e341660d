import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface NotificationTopicProps {
  readonly masterKey: kms.IKey;
  readonly displayName: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * An SNS topic encrypted with the messaging CMK whose policy denies publishing and subscribing over plain HTTP.
 * Used for the change notifications (subscribers filter on series, page, sections and significance) and the alarms.
 */
export class NotificationTopic extends Construct {
  readonly topic: sns.Topic;
  readonly masterKey: kms.IKey;

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    this.masterKey = props.masterKey;
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName,
      masterKey: props.masterKey,
      enforceSSL: true,
    });
    this.topic.applyRemovalPolicy(props.removalPolicy);
  }
}
