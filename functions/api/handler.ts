import { loadConfig } from '../../shared/config.js';
import { dynamoStores } from '../../shared/runtime/aws/dynamodb-stores.js';
import { s3Snapshots } from '../../shared/runtime/aws/s3-snapshots.js';
import { reportJobSettings, sqsReportJobQueue } from '../../shared/runtime/aws/sqs-report-jobs.js';
import { lazySnsSubscriptionGateway } from '../../shared/runtime/aws/lazy-sns.js';
import { clockAndSettings, required } from '../../shared/runtime/compose-dependencies.js';
import { createObservability } from '../../shared/observability.js';
import { lazyInstance } from '../../shared/runtime/lazy-instance.js';
import { createApiHandler } from './api-handler.js';

const config = loadConfig();
const stores = dynamoStores(config);

export const handler = createApiHandler(
  {
    revisions: stores.revisions,
    // Only some routes read snapshots or subscriptions: their stores (and the S3 client) are made on the first of them.
    snapshots: lazyInstance(() => s3Snapshots(config)),
    ...clockAndSettings(config),
    subscriptions: lazyInstance(() => stores.subscriptions),
    // Edition reports larger than REDLINE_SYNC_REPORT_SERIES series go to the report function (202 and a status URL).
    reportJobs: sqsReportJobQueue(config),
    // Only the subscription routes use SNS: its client is imported on the first of them, not at cold start.
    subscriptionGateway: lazySnsSubscriptionGateway(config, required(config, 'REDLINE_TOPIC_ARN')),
    // No bearer token in the cloud: the HTTP API authorizes the credentialed routes with IAM, and a token here
    // would be a secret in a plain environment variable. (Should one ever be wanted, read it at cold start from an
    // SSM SecureString or Secrets Manager named by the environment, never the value itself.)
    api: {
      iam: true,
      reportJobs: reportJobSettings(config),
      ...(config.REDLINE_API_BASE_URL ? { baseUrl: config.REDLINE_API_BASE_URL } : {}),
      ...(config.REDLINE_FEED_ID_PREFIX ? { feedIdPrefix: config.REDLINE_FEED_ID_PREFIX } : {}),
    },
  },
  createObservability('api'),
);
