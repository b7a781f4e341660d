import { loadConfig } from '../../shared/config.js';
import { dynamoStores } from '../../shared/runtime/aws/dynamodb-stores.js';
import { sqsCaptureQueue } from '../../shared/runtime/aws/sqs-capture-queue.js';
import { clockAndSettings } from '../../shared/runtime/compose-dependencies.js';
import { createObservability } from '../../shared/observability.js';
import { createDispatchHandler } from './dispatch-handler.js';

const config = loadConfig();
const { revisions } = dynamoStores(config);

export const handler = createDispatchHandler(
  { revisions, captureQueue: sqsCaptureQueue(config), ...clockAndSettings(config) },
  createObservability('dispatch'),
);
