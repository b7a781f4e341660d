import type { Context, SQSEvent } from 'aws-lambda';
import { loadConfig } from '../../shared/config.js';
import { dynamoStores } from '../../shared/runtime/aws/dynamodb-stores.js';
import { s3ImportStaging, s3Snapshots } from '../../shared/runtime/aws/s3-snapshots.js';
import { createObservability } from '../../shared/observability.js';
import { createDiffHandler } from './diff-handler.js';
import { createImportHandler, isFifoBatch } from './import-handler.js';

const config = loadConfig();
const { revisions } = dynamoStores(config);
const snapshots = s3Snapshots(config);
const observability = createObservability('diff');
const diff = createDiffHandler({ revisions, snapshots }, observability);
// The same function consumes the FIFO import queue (a cloud backfill): same grants, same use case.
const imports = createImportHandler({ revisions, snapshots, staging: s3ImportStaging(config, snapshots) }, observability);

export const handler = (event: SQSEvent, context: Context) => (isFifoBatch(event) ? imports(event, context) : diff(event, context));
