import { loadConfig } from '../../shared/config.js';
import { dynamoStores } from '../../shared/runtime/aws/dynamodb-stores.js';
import { sqsCaptureQueue } from '../../shared/runtime/aws/sqs-capture-queue.js';
import { composeDependencies } from '../../shared/runtime/compose-dependencies.js';
import { createObservability } from '../../shared/observability.js';
import { createDispatchHandler } from './dispatch-handler.js';

const config = loadConfig();
const { revisions } = dynamoStores(config);

export const handler = createDispatchHandler(
  composeDependencies(config, { revisions, captureQueue: sqsCaptureQueue(config) }),
  createObservability('dispatch'),
);
