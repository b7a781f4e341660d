import { Match, Template } from 'aws-cdk-lib/assertions';
import { TABLE_DEFINITION } from '../../shared/adapters/dynamodb/table-definition.js';
import type { SectionLine } from '../../shared/ports/snapshot-store.js';
import { acknowledgementsUnder } from './support/acknowledgements.js';
import { awsSolutionsFindings, synthRedline, type SynthesizedRedline } from './support/synth-redline.js';

describe.each(['dev', 'prod'] as const)('stateful stack (%s)', (stageName) => {
  let synthesized: SynthesizedRedline;
  let template: Template;

  beforeAll(() => {
    synthesized = synthRedline(stageName, { includeStateless: false });
    template = Template.fromStack(synthesized.stateful);
  });
  afterAll(() => synthesized.cleanup());

  const prod = stageName === 'prod';
  const retainOrDelete = prod ? 'Retain' : 'Delete';

  it('synthesizes with zero unacknowledged cdk-nag AwsSolutions errors or warnings', () => {
    expect(synthesized.synthError).toBeUndefined();
    expect(awsSolutionsFindings(synthesized.report)).toEqual([]);
  });

  it('acknowledges nothing in the stateful stack', () => {
    expect(acknowledgementsUnder(synthesized.stateful)).toEqual([]);
  });

  describe('RevisionTable', () => {
    it('has the key schema and both GSIs of the shared table definition', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: TABLE_DEFINITION.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: TABLE_DEFINITION.sortKey.name, KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith(
          ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        ),
        GlobalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      });
      expect(TABLE_DEFINITION.globalSecondaryIndexes.map((index) => index.indexName)).toEqual(['gsi1', 'gsi2']);
    });

    it('is on demand, with PITR, a NEW_IMAGE stream and KMS encryption', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it(`has deletion protection ${prod ? 'on' : 'off'} and the ${retainOrDelete} policy`, () => {
      template.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({ DeletionProtectionEnabled: prod }),
        DeletionPolicy: retainOrDelete,
        UpdateReplacePolicy: retainOrDelete,
      });
    });
  });

  describe('SnapshotBucket', () => {
    const snapshotBucket = () => {
      const buckets = template.findResources('AWS::S3::Bucket', { Properties: { VersioningConfiguration: { Status: 'Enabled' } } });
      expect(Object.keys(buckets)).toHaveLength(1);
      const [logicalId, bucket] = Object.entries(buckets)[0]!;
      return { logicalId, bucket: bucket as { Properties: Record<string, unknown>; DeletionPolicy?: string } };
    };

    it('blocks public access, encrypts (SSE-S3), versions and owns its objects', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
    });

    it('moves raw/ to STANDARD_IA after 30 days and GLACIER_IR after 180, and expires noncurrent versions', () => {
      const { bucket } = snapshotBucket();
      const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
      expect(rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Prefix: 'raw/',
            Status: 'Enabled',
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
              { StorageClass: 'GLACIER_IR', TransitionInDays: 180 },
            ],
          }),
          // A cloud backfill's staged Documents and outcomes (imports/) expire once recorded.
          expect.objectContaining({ Prefix: 'imports/', Status: 'Enabled', ExpirationInDays: 30 }),
          expect.objectContaining({
            Status: 'Enabled',
            NoncurrentVersionExpiration: { NoncurrentDays: prod ? 90 : 7 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          }),
        ]),
      );
      // The noncurrent-version rule covers the whole bucket.
      expect(rules.find((rule) => 'NoncurrentVersionExpiration' in rule)).not.toHaveProperty('Prefix');
    });

    it('sends ObjectCreated events to EventBridge natively (no notification custom resource)', () => {
      const { bucket } = snapshotBucket();
      expect(bucket.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
      template.resourceCountIs('Custom::S3BucketNotifications', 0);
    });

    it('logs server access to a dedicated, encrypted, private log bucket that expires the logs', () => {
      const { bucket } = snapshotBucket();
      const logging = bucket.Properties.LoggingConfiguration as { DestinationBucketName: { Ref: string }; LogFilePrefix: string };
      expect(logging.LogFilePrefix).toBe('snapshots/');
      const logBucketId = logging.DestinationBucketName.Ref;
      const logBucket = template.toJSON().Resources[logBucketId];
      expect(logBucket.Type).toBe('AWS::S3::Bucket');
      expect(logBucket.Properties).toMatchObject({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: prod ? 365 : 30, Status: 'Enabled' })] },
      });
      expect(logBucket.Properties).not.toHaveProperty('AccessControl');
      expect(logBucket.Properties).not.toHaveProperty('VersioningConfiguration');
      // Delivery through the bucket policy, from this account's snapshot bucket only.
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logBucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Action: 's3:PutObject',
              Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': Match.anyValue() } }),
            }),
          ]),
        },
      });
    });

    it('denies non-TLS requests on both buckets', () => {
      const policies = template.findResources('AWS::S3::BucketPolicy');
      expect(Object.keys(policies)).toHaveLength(2);
      for (const policy of Object.values(policies)) {
        expect(policy.Properties.PolicyDocument.Statement).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          ]),
        );
      }
    });

    it(prod ? 'is retained and never emptied in prod' : 'is emptied and deleted with the dev stack', () => {
      const { bucket } = snapshotBucket();
      expect(bucket.DeletionPolicy).toBe(retainOrDelete);
      template.resourceCountIs('Custom::S3AutoDeleteObjects', prod ? 0 : 2);
    });
  });

  describe('SectionLinesTable (Athena)', () => {
    it('is a Glue database and an external JSON table over sections/, partitioned by series and edition', () => {
      template.resourceCountIs('AWS::Glue::Database', 1);
      template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: `redline_${stageName}` } });
      template.resourceCountIs('AWS::Glue::Table', 1);
      const tables = template.findResources('AWS::Glue::Table');
      const [table] = Object.values(tables) as Array<{ Properties: { DatabaseName: string; TableInput: Record<string, any> }; DependsOn: string[] }>; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(table!.Properties.DatabaseName).toBe(`redline_${stageName}`);
      const input = table!.Properties.TableInput;
      expect(input).toMatchObject({ Name: 'sections', TableType: 'EXTERNAL_TABLE' });
      expect(input.PartitionKeys).toEqual([
        expect.objectContaining({ Name: 'series', Type: 'string' }),
        expect.objectContaining({ Name: 'edition', Type: 'int' }),
      ]);
      expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
      // The location is the bucket's sections/ prefix, the diff function's writes (docs/data-model.md).
      expect(JSON.stringify(input.StorageDescriptor.Location)).toContain('sections/');
      expect(JSON.stringify(input.StorageDescriptor.Location)).toMatch(/SnapshotBucket/);
      expect(table!.DependsOn.some((id) => id.startsWith('SectionLinesTableDatabase'))).toBe(true);
    });

    it('has a column for every field of a section line, lowercased, besides the partition keys', () => {
      const [table] = Object.values(template.findResources('AWS::Glue::Table')) as Array<{
        Properties: { TableInput: { StorageDescriptor: { Columns: Array<{ Name: string }> } } };
      }>;
      const fields: Array<keyof SectionLine> = ['page', 'url', 'documentHash', 'key', 'heading', 'number', 'level', 'parentKey', 'wordCount', 'text'];
      expect(table!.Properties.TableInput.StorageDescriptor.Columns.map((column) => column.Name)).toEqual(fields.map((field) => field.toLowerCase()));
    });
  });

  describe('NotificationTopic and MessagingKey', () => {
    it('encrypts the topic with the rotating customer-managed key', () => {
      const keys = template.findResources('AWS::KMS::Key');
      expect(Object.keys(keys)).toHaveLength(1);
      const [keyId, key] = Object.entries(keys)[0]!;
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe(retainOrDelete);
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/redline-${stageName}-messaging` });
    });

    it('lets CloudWatch alarms of this account use the key, and nothing else outside IAM', () => {
      const [key] = Object.values(template.findResources('AWS::KMS::Key'));
      const statements = key!.Properties.KeyPolicy.Statement as Record<string, unknown>[];
      expect(statements).toHaveLength(2);
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      );
    });

    it('denies publishing and subscribing without TLS', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  it(`is ${prod ? '' : 'not '}termination-protected`, () => {
    expect(synthesized.stateful.terminationProtection).toBe(prod);
  });
});

it('an unknown stage fails with the stages it knows', async () => {
  const { stageSettings } = await import('../../infra/config/stages.js');
  expect(() => stageSettings('staging')).toThrow('Unknown stage "staging"; expected one of: dev, prod');
  expect(stageSettings(undefined).name).toBe('dev');
  expect(stageSettings('prod', { alarmEmail: 'ops@example.org' }).alarmEmail).toBe('ops@example.org');
  expect(() => stageSettings('prod', { alarmEmail: 'not an address' })).toThrow('alarmEmail');
});
