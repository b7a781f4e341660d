import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface SnapshotBucketProps {
  readonly removalPolicy: RemovalPolicy;
  readonly autoDeleteObjects: boolean;
  readonly accessLogExpiration: Duration;
  readonly noncurrentVersionExpiration: Duration;
}

/** Key prefixes of the data model (docs/data-model.md); grants are scoped to these. */
export const SNAPSHOT_PREFIXES = Object.freeze({
  raw: 'raw/',
  docs: 'docs/',
  diffs: 'diffs/',
  sections: 'sections/',
  provenance: 'provenance/',
  maps: 'maps/',
  reports: 'reports/',
  /** A cloud backfill's staged Documents and the import consumer's outcomes (no event rule reads it). */
  imports: 'imports/',
  terms: 'terms/',
} as const);

export type SnapshotPrefix = (typeof SNAPSHOT_PREFIXES)[keyof typeof SNAPSHOT_PREFIXES];

/**
 * The snapshot bucket (raw bodies, Documents, diffs, Athena section lines) and its server-access-log bucket.
 *
 * Encryption is SSE-S3, not SSE-KMS: everything stored is a copy of a public web page or derived from one, so a
 * CMK protects nothing a reader could not fetch from the site, while it would add a KMS call (or a bucket-key
 * lookup) per object, kms grants for every reader including Athena, and $1/month per key. Access is controlled by
 * the prefix-scoped IAM policies, Block Public Access and SSL-only. The log bucket must be SSE-S3 in any case
 * (S3 server access logging does not deliver to SSE-KMS buckets).
 */
export class SnapshotBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SnapshotBucketProps) {
    super(scope, id);
    // Log delivery through a bucket policy (logging.s3.amazonaws.com), not the legacy LogDeliveryWrite ACL,
    // so both buckets can keep ACLs disabled (BucketOwnerEnforced).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: props.accessLogExpiration }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects,
    });

    this.bucket = new s3.Bucket(this, 'Snapshots', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'snapshots/',
      lifecycleRules: [
        {
          // Raw bodies are read again only for re-extraction after a profile change.
          id: 'raw-to-colder-storage',
          prefix: SNAPSHOT_PREFIXES.raw,
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(180) },
          ],
        },
        {
          // Staged imports are recorded under docs/ within minutes; their outcomes tell a re-run what is done. A
          // re-run after this sends the captures not yet revisions again, which the stack decides the same way.
          id: 'expire-staged-imports',
          prefix: SNAPSHOT_PREFIXES.imports,
          expiration: Duration.days(30),
        },
        {
          // Objects are written once except sections/ lines, which each capture replaces.
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: props.noncurrentVersionExpiration,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects,
    });

    // ObjectCreated events to the default EventBridge bus (the diff trigger), set on the bucket itself:
    // the L2 `eventBridgeEnabled` goes through a custom-resource Lambda, which this native property makes unneeded.
    const cfnBucket = this.bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  }
}
