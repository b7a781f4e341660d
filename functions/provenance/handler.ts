import { loadConfig } from '../../shared/config.js';
import { dynamoStores } from '../../shared/runtime/aws/dynamodb-stores.js';
import { s3Snapshots } from '../../shared/runtime/aws/s3-snapshots.js';
import { createObservability } from '../../shared/observability.js';
import { createProvenanceHandler } from './provenance-handler.js';

const config = loadConfig();
const { revisions } = dynamoStores(config);

export const handler = createProvenanceHandler({ revisions, snapshots: s3Snapshots(config) }, createObservability('provenance'));
