import { SnsSubscriptionGateway } from '../../shared/adapters/sns/sns-subscription-gateway.js';
import { loadConfig } from '../../shared/config.js';
import { dynamoStores } from '../../shared/runtime/aws/dynamodb-stores.js';
import { s3Snapshots } from '../../shared/runtime/aws/s3-snapshots.js';
import { snsClient } from '../../shared/runtime/aws/sns-clients.js';
import { composeDependencies, required } from '../../shared/runtime/compose-dependencies.js';
import { createObservability } from '../../shared/runtime/observability.js';
import { createApiHandler } from './api-handler.js';

const config = loadConfig();
const { revisions, subscriptions } = dynamoStores(config);

export const handler = createApiHandler(
  {
    ...composeDependencies(config, { revisions, snapshots: s3Snapshots(config) }),
    subscriptions,
    subscriptionGateway: new SnsSubscriptionGateway({ client: snsClient(config), topicArn: required(config, 'REDLINE_TOPIC_ARN') }),
    api: {
      ...(config.REDLINE_API_TOKEN ? { token: config.REDLINE_API_TOKEN } : {}),
      ...(config.REDLINE_API_BASE_URL ? { baseUrl: config.REDLINE_API_BASE_URL } : {}),
    },
  },
  createObservability('api'),
);
