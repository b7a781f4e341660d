import { loadConfig } from '../../shared/config.js';
import { dynamoStores } from '../../shared/runtime/aws/dynamodb-stores.js';
import { s3Snapshots } from '../../shared/runtime/aws/s3-snapshots.js';
import { createObservability } from '../../shared/observability.js';
import { createReportHandler } from './report-handler.js';

const config = loadConfig();
const { revisions } = dynamoStores(config);

export const handler = createReportHandler(
  { revisions, snapshots: s3Snapshots(config), now: () => new Date() },
  { maxReceiveCount: config.REDLINE_REPORT_JOB_MAX_RECEIVES },
  createObservability('report'),
);
