import { S3Client } from '@aws-sdk/client-s3';
import { S3ImportStaging } from '../../adapters/s3/s3-import-staging.js';
import { S3SnapshotStore } from '../../adapters/s3/s3-snapshot-store.js';
import type { RedlineConfig } from '../../config.js';
import { required } from '../compose-dependencies.js';

export function s3Snapshots(config: RedlineConfig): S3SnapshotStore {
  const client = new S3Client({
    region: config.AWS_REGION,
    // Endpoint override: the bundle tests run against s3rver (path-style, no default checksums).
    ...(config.REDLINE_S3_ENDPOINT
      ? {
          endpoint: config.REDLINE_S3_ENDPOINT,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
  });
  return new S3SnapshotStore({ client, bucket: required(config, 'REDLINE_BUCKET') });
}

/** The bucket's imports/ prefix, on the snapshot store's client. */
export function s3ImportStaging(config: RedlineConfig, snapshots: S3SnapshotStore): S3ImportStaging {
  return new S3ImportStaging({ client: snapshots.s3Client, bucket: required(config, 'REDLINE_BUCKET') });
}
