import { loadConfig } from '../../shared/config.js';
import { dynamoStores } from '../../shared/runtime/aws/dynamodb-stores.js';
import { s3Snapshots } from '../../shared/runtime/aws/s3-snapshots.js';
import { lazySnsNotifier } from '../../shared/runtime/aws/lazy-sns.js';
import { httpFetcherOptionsFromConfig, lazyHttpFetcher } from '../../shared/runtime/lazy-http-fetcher.js';
import { clockAndSettings, required } from '../../shared/runtime/compose-dependencies.js';
import { createObservability } from '../../shared/observability.js';
import { createCaptureHandler } from './capture-handler.js';

const config = loadConfig();
const { revisions } = dynamoStores(config);

export const handler = createCaptureHandler(
  {
    revisions,
    snapshots: s3Snapshots(config),
    // Only capture fetches pages, so only its bundle carries the HTTP client; it is imported on the first fetch.
    fetcher: lazyHttpFetcher(httpFetcherOptionsFromConfig(config)),
    // Failure alerts only: the SNS client is imported when the first alert is published, not at cold start.
    notifier: lazySnsNotifier(config, required(config, 'REDLINE_TOPIC_ARN')),
    ...clockAndSettings(config),
  },
  createObservability('capture'),
);
