import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadConfig, type RedlineConfig } from '../config.js';
import { DynamoRevisionStore } from '../adapters/dynamodb/dynamo-revision-store.js';
import { DynamoSubscriptionStore } from '../adapters/dynamodb/dynamo-subscription-store.js';
import { HttpFetcher, httpFetcherOptionsFromConfig } from '../adapters/http/http-fetcher.js';
import { S3SnapshotStore } from '../adapters/s3/s3-snapshot-store.js';
import { SnsNotifier } from '../adapters/sns/sns-notifier.js';
import { SqsCaptureQueue } from '../adapters/sqs/sqs-capture-queue.js';
import { RedlineError } from '../errors.js';
import type { CaptureQueue } from '../ports/capture-queue.js';
import type { Notifier } from '../ports/notifier.js';
import { DEFAULT_TRACKER_SETTINGS, type TrackerDependencies } from '../use-cases/tracker-dependencies.js';

/**
 * The composition root of the Lambda functions: configuration parsed once from the environment at cold start, SDK
 * clients created once, adapters built around them. Endpoint overrides let the same code run against dynalite
 * and s3rver (bundle tests).
 */
export function awsDependencies(config: RedlineConfig = loadConfig()): TrackerDependencies {
  const region = config.AWS_REGION;
  const dynamodb = new DynamoDBClient({ region, ...(config.REDLINE_DYNAMODB_ENDPOINT ? { endpoint: config.REDLINE_DYNAMODB_ENDPOINT } : {}) });
  const s3 = new S3Client({
    region,
    ...(config.REDLINE_S3_ENDPOINT
      ? { endpoint: config.REDLINE_S3_ENDPOINT, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
  });
  return {
    revisions: new DynamoRevisionStore({ client: dynamodb, tableName: config.REDLINE_TABLE }),
    snapshots: new S3SnapshotStore({ client: s3, bucket: config.REDLINE_BUCKET }),
    fetcher: new HttpFetcher(httpFetcherOptionsFromConfig(config)),
    captureQueue: config.REDLINE_CAPTURE_QUEUE_URL
      ? new SqsCaptureQueue({ client: new SQSClient({ region }), queueUrl: config.REDLINE_CAPTURE_QUEUE_URL })
      : unconfigured<CaptureQueue>('REDLINE_CAPTURE_QUEUE_URL', 'enqueue'),
    notifier: config.REDLINE_TOPIC_ARN
      ? new SnsNotifier({
          client: new SNSClient({ region, ...(config.REDLINE_SNS_ENDPOINT ? { endpoint: config.REDLINE_SNS_ENDPOINT } : {}) }),
          topicArn: config.REDLINE_TOPIC_ARN,
        })
      : unconfigured<Notifier>('REDLINE_TOPIC_ARN', 'publish'),
    now: () => new Date(),
    settings: { ...DEFAULT_TRACKER_SETTINGS, failureAlertThreshold: config.REDLINE_FAILURE_ALERT_THRESHOLD },
    subscriptions: new DynamoSubscriptionStore({ client: dynamodb, tableName: config.REDLINE_TABLE }),
  };
}

/** A function that is not bound to a queue or topic gets a port that says so, instead of a silent no-op. */
function unconfigured<T>(variable: string, method: string): T {
  return {
    name: 'unconfigured',
    [method]: async () => {
      throw new RedlineError(`${variable} is not set: this function is not bound to that resource`);
    },
  } as T;
}
