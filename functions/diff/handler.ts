import { loadConfig } from '../../shared/config.js';
import { dynamoStores } from '../../shared/runtime/aws/dynamodb-stores.js';
import { s3Snapshots } from '../../shared/runtime/aws/s3-snapshots.js';
import { createObservability } from '../../shared/observability.js';
import { createDiffHandler } from './diff-handler.js';

const config = loadConfig();
const { revisions } = dynamoStores(config);

export const handler = createDiffHandler({ revisions, snapshots: s3Snapshots(config) }, createObservability('diff'));
