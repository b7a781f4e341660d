import { SNSClient } from '@aws-sdk/client-sns';
import { SnsSubscriptionGateway } from '../../shared/adapters/sns/sns-subscription-gateway.js';
import { loadConfig } from '../../shared/config.js';
import { RedlineError } from '../../shared/errors.js';
import { awsDependencies } from '../../shared/runtime/aws-dependencies.js';
import { createObservability } from '../../shared/runtime/observability.js';
import { createApiHandler } from './api-handler.js';

const config = loadConfig();
const dependencies = awsDependencies(config);

export const handler = createApiHandler(
  {
    ...dependencies,
    subscriptions: dependencies.subscriptions!,
    subscriptionGateway: config.REDLINE_TOPIC_ARN
      ? new SnsSubscriptionGateway({
          client: new SNSClient({ region: config.AWS_REGION, ...(config.REDLINE_SNS_ENDPOINT ? { endpoint: config.REDLINE_SNS_ENDPOINT } : {}) }),
          topicArn: config.REDLINE_TOPIC_ARN,
        })
      : {
          subscribe: async () => {
            throw new RedlineError('REDLINE_TOPIC_ARN is not set: subscriptions cannot be delivered');
          },
          unsubscribe: async () => undefined,
        },
    api: {
      ...(config.REDLINE_API_TOKEN ? { token: config.REDLINE_API_TOKEN } : {}),
      ...(config.REDLINE_API_BASE_URL ? { baseUrl: config.REDLINE_API_BASE_URL } : {}),
    },
  },
  createObservability('api'),
);
