import { SnsSubscriptionGateway } from '../../shared/adapters/sns/sns-subscription-gateway.js';
import { loadConfig } from '../../shared/config.js';
import { dynamoStores } from '../../shared/runtime/aws/dynamodb-stores.js';
import { s3Snapshots } from '../../shared/runtime/aws/s3-snapshots.js';
import { snsClient } from '../../shared/runtime/aws/sns-clients.js';
import { clockAndSettings, required } from '../../shared/runtime/compose-dependencies.js';
import { createObservability } from '../../shared/observability.js';
import { createApiHandler } from './api-handler.js';

const config = loadConfig();
const { revisions, subscriptions } = dynamoStores(config);

export const handler = createApiHandler(
  {
    revisions,
    snapshots: s3Snapshots(config),
    ...clockAndSettings(config),
    subscriptions,
    subscriptionGateway: new SnsSubscriptionGateway({ client: snsClient(config), topicArn: required(config, 'REDLINE_TOPIC_ARN') }),
    // No bearer token in the cloud: the HTTP API authorizes the credentialed routes with IAM, and a token here
    // would be a secret in a plain environment variable. (Should one ever be wanted, read it at cold start from an
    // SSM SecureString or Secrets Manager named by the environment, never the value itself.)
    api: {
      iam: true,
      ...(config.REDLINE_API_BASE_URL ? { baseUrl: config.REDLINE_API_BASE_URL } : {}),
      ...(config.REDLINE_FEED_ID_PREFIX ? { feedIdPrefix: config.REDLINE_FEED_ID_PREFIX } : {}),
    },
  },
  createObservability('api'),
);
