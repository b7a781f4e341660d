import { SnsNotifier } from '../../shared/adapters/sns/sns-notifier.js';
import { loadConfig } from '../../shared/config.js';
import { dynamoStores } from '../../shared/runtime/aws/dynamodb-stores.js';
import { s3Snapshots } from '../../shared/runtime/aws/s3-snapshots.js';
import { snsClient } from '../../shared/runtime/aws/sns-clients.js';
import { required } from '../../shared/runtime/compose-dependencies.js';
import { createObservability } from '../../shared/observability.js';
import { lazyInstance } from '../../shared/runtime/lazy-instance.js';
import { createNotifyHandler } from './notify-handler.js';

const config = loadConfig();

export const handler = createNotifyHandler(
  {
    ...dynamoStores(config),
    // Only term-filtered subscriptions read the two Documents of a revision: the S3 store is made on the first of them.
    snapshots: lazyInstance(() => s3Snapshots(config)),
    notifier: new SnsNotifier({ client: snsClient(config), topicArn: required(config, 'REDLINE_TOPIC_ARN') }),
  },
  createObservability('notify'),
);
