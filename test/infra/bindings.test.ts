import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ENVIRONMENT_NAMES, bindBucket, bindQueue, bindTable, bindTopic } from '../../infra/constructs/bindings.js';
import { loadConfig } from '../../shared/config.js';
import { acknowledgementsUnder } from './support/acknowledgements.js';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

function fixture() {
  const stack = new Stack(new App(), 'Bindings');
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => {}'),
  });
  const table = new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
  });
  const bucket = new s3.Bucket(stack, 'Bucket');
  const key = new kms.Key(stack, 'Key');
  const topic = new sns.Topic(stack, 'Topic', { masterKey: key });
  const queue = new sqs.Queue(stack, 'Queue');
  return {
    stack,
    fn,
    table,
    bucket,
    key,
    topic,
    queue,
    id: (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never),
  };
}

/** Statements of every policy attached to the function's role, by policy logical id. */
function statementsOf(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

function variables(template: Template): Record<string, unknown> {
  const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
  return fn!.Properties.Environment.Variables;
}

describe('bind helpers', () => {
  it('use the environment names that shared/config.ts reads', () => {
    const config = loadConfig({
      [ENVIRONMENT_NAMES.table]: 't',
      [ENVIRONMENT_NAMES.bucket]: 'b',
      [ENVIRONMENT_NAMES.topic]: 'arn:aws:sns:us-east-1:1:t',
      [ENVIRONMENT_NAMES.captureQueue]: 'https://sqs/q',
    });
    expect(config).toMatchObject({
      REDLINE_TABLE: 't',
      REDLINE_BUCKET: 'b',
      REDLINE_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:t',
      REDLINE_CAPTURE_QUEUE_URL: 'https://sqs/q',
    });
  });

  describe('bindTable', () => {
    it("'read' grants GetItem and Query on the table, Query on each index ARN (not index/*), and sets REDLINE_TABLE", () => {
      const { stack, fn, table, id } = fixture();
      bindTable(fn, table, { access: 'read' });
      const template = Template.fromStack(stack);
      const tableArn = { 'Fn::GetAtt': [id(table), 'Arn'] };
      expect(statementsOf(template)).toEqual([
        { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: tableArn },
        {
          Effect: 'Allow',
          Action: 'dynamodb:Query',
          Resource: ['gsi1', 'gsi2'].map((index) => ({ 'Fn::Join': ['', [tableArn, `/index/${index}`]] })),
        },
      ]);
      expect(variables(template)).toEqual({ REDLINE_TABLE: { Ref: id(table) } });
    });

    it("'write' grants PutItem and UpdateItem on the table only (no index, no DeleteItem)", () => {
      const { stack, fn, table, id } = fixture();
      bindTable(fn, table, { access: 'write' });
      expect(statementsOf(Template.fromStack(stack))).toEqual([
        { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: { 'Fn::GetAtt': [id(table), 'Arn'] } },
      ]);
    });

    it('queryTable: false keeps Query to the indexes; an unknown index is refused', () => {
      const { stack, fn, table, id } = fixture();
      bindTable(fn, table, { access: ['Query', 'UpdateItem'], indexes: ['gsi2'], queryTable: false });
      const tableArn = { 'Fn::GetAtt': [id(table), 'Arn'] };
      expect(statementsOf(Template.fromStack(stack))).toEqual([
        { Effect: 'Allow', Action: 'dynamodb:UpdateItem', Resource: tableArn },
        { Effect: 'Allow', Action: 'dynamodb:Query', Resource: { 'Fn::Join': ['', [tableArn, '/index/gsi2']] } },
      ]);
      expect(() => bindTable(fn, table, { access: 'read', indexes: ['gsi9'] })).toThrow('The table has no index "gsi9"');
    });

    it('DeleteItem is only granted under the given partition-key prefixes', () => {
      const { stack, fn, table, id } = fixture();
      expect(() => bindTable(fn, table, { access: ['DeleteItem'] })).toThrow('DeleteItem needs deleteKeyPrefixes');
      expect(() => bindTable(fn, table, { access: ['DeleteItem'], deleteKeyPrefixes: ['*'] })).toThrow('DeleteItem needs deleteKeyPrefixes');
      bindTable(fn, table, { access: ['GetItem', 'DeleteItem'], indexes: [], deleteKeyPrefixes: ['SUB#'] });
      const tableArn = { 'Fn::GetAtt': [id(table), 'Arn'] };
      expect(statementsOf(Template.fromStack(stack))).toEqual([
        {
          Effect: 'Allow',
          Action: 'dynamodb:DeleteItem',
          Resource: tableArn,
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*'] } },
        },
        { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: tableArn },
      ]);
    });

    it('an action list grants exactly those actions, on the chosen indexes', () => {
      const { stack, fn, table } = fixture();
      bindTable(fn, table, { access: ['Query', 'PutItem'], indexes: ['gsi2'] });
      const statements = statementsOf(Template.fromStack(stack));
      expect(statements.map((statement) => statement.Action)).toEqual([['dynamodb:Query', 'dynamodb:PutItem'], 'dynamodb:Query']);
      expect(JSON.stringify(statements[1]!.Resource)).toContain('/index/gsi2');
      expect(JSON.stringify(statements[1]!.Resource)).not.toContain('gsi1');
    });
  });

  describe('bindBucket', () => {
    it('scopes object actions to the key prefixes and sets REDLINE_BUCKET', () => {
      const { stack, fn, bucket, id } = fixture();
      bindBucket(fn, bucket, { prefixes: ['docs/'], access: 'read' });
      bindBucket(fn, bucket, { prefixes: ['diffs/'], access: 'write' });
      const template = Template.fromStack(stack);
      const bucketArn = { 'Fn::GetAtt': [id(bucket), 'Arn'] };
      expect(statementsOf(template)).toEqual([
        { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [bucketArn, '/docs/*']] } },
        { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [bucketArn, '/diffs/*']] } },
      ]);
      expect(variables(template)).toEqual({ REDLINE_BUCKET: { Ref: id(bucket) } });
    });

    it("'head' adds ListBucket on the bucket so a missing key is a 404; 'list' narrows ListBucket to the prefixes", () => {
      const headed = fixture();
      bindBucket(headed.fn, headed.bucket, { prefixes: ['raw/', 'docs/'], access: ['head', 'put'] });
      const bucketArn = { 'Fn::GetAtt': [headed.id(headed.bucket), 'Arn'] };
      expect(statementsOf(Template.fromStack(headed.stack))).toEqual([
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: ['/raw/*', '/docs/*'].map((suffix) => ({ 'Fn::Join': ['', [bucketArn, suffix]] })),
        },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
      ]);

      const listed = fixture();
      bindBucket(listed.fn, listed.bucket, { prefixes: ['docs/', 'diffs/'], access: ['list'] });
      expect(statementsOf(Template.fromStack(listed.stack))).toEqual([
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: { 'Fn::GetAtt': [listed.id(listed.bucket), 'Arn'] },
          Condition: { StringLike: { 's3:prefix': ['docs/*', 'diffs/*'] } },
        },
      ]);
    });

    it('keeps bucket statements in one policy per function, apart from every other grant', () => {
      const { stack, fn, bucket, table } = fixture();
      bindBucket(fn, bucket, { prefixes: ['docs/'], access: 'read' });
      bindBucket(fn, bucket, { prefixes: ['sections/'], access: 'write' });
      bindTable(fn, table, { access: 'read' });
      const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
      expect(Object.keys(policies)).toHaveLength(2);
      // Its prefix wildcards are acknowledged at validation time, finding by finding (nag.test.ts).
      expect(acknowledgementsUnder(stack)).toEqual([]);
      const bucketPolicy = Object.entries(policies).find(([logicalId]) => logicalId.startsWith('FnSnapshotBucketAccess'));
      expect(JSON.stringify(bucketPolicy![1].Properties.PolicyDocument)).not.toContain('dynamodb');
    });

    it('refuses an empty or malformed prefix', () => {
      const { fn, bucket } = fixture();
      expect(() => bindBucket(fn, bucket, { prefixes: [], access: 'read' })).toThrow('at least one key prefix');
      expect(() => bindBucket(fn, bucket, { prefixes: ['*' as never], access: 'read' })).toThrow('Not a key prefix');
    });
  });

  describe('bindTopic', () => {
    it("'publish' grants sns:Publish on the topic and a data key of its CMK, and sets REDLINE_TOPIC_ARN", () => {
      const { stack, fn, topic, key, id } = fixture();
      bindTopic(fn, topic, { access: 'publish' });
      const template = Template.fromStack(stack);
      expect(statementsOf(template)).toEqual([
        { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: id(topic) } },
        { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: { 'Fn::GetAtt': [id(key), 'Arn'] } },
      ]);
      expect(variables(template)).toEqual({ REDLINE_TOPIC_ARN: { Ref: id(topic) } });
    });

    it("'manage-subscriptions' grants Subscribe, Unsubscribe and ListSubscriptionsByTopic, and no key use", () => {
      const { stack, fn, topic, id } = fixture();
      bindTopic(fn, topic, { access: 'manage-subscriptions' });
      expect(statementsOf(Template.fromStack(stack))).toEqual([
        { Effect: 'Allow', Action: ['sns:Subscribe', 'sns:Unsubscribe', 'sns:ListSubscriptionsByTopic'], Resource: { Ref: id(topic) } },
      ]);
    });
  });

  describe('bindQueue', () => {
    it("'send' grants sqs:SendMessage on the queue and sets REDLINE_CAPTURE_QUEUE_URL", () => {
      const { stack, fn, queue, id } = fixture();
      bindQueue(fn, queue, { access: 'send' });
      const template = Template.fromStack(stack);
      expect(statementsOf(template)).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [id(queue), 'Arn'] } }]);
      expect(variables(template)).toEqual({ REDLINE_CAPTURE_QUEUE_URL: { Ref: id(queue) } });
    });
  });
});
