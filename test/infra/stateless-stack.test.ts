import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { API_ROUTES, methodFallbackRoutes } from '../../infra/constructs/tracker-api.js';
import { CAPTURE_TIMEOUT, FUNCTION_NAMES, type FunctionName } from '../../infra/stacks/stateless-stack.js';
import { acknowledgementsUnder } from './support/acknowledgements.js';
import { logicalIdOf, roleStatements, type ResourceNames } from './support/iam-statements.js';
import { awsSolutionsFindings, synthRedline, type SynthesizedRedline } from './support/synth-redline.js';

const XRAY_AND_LOGS = (name: string) => [
  `logs:CreateLogStream on ${name}-logs`,
  `logs:PutLogEvents on ${name}-logs`,
  'xray:PutTelemetryRecords on *',
  'xray:PutTraceSegments on *',
];
const TABLE_READ_WRITE = ['GetItem', 'PutItem', 'Query', 'UpdateItem'].map((action) => `dynamodb:${action} on table`);
const CONSUME = (queue: string) =>
  ['ChangeMessageVisibility', 'DeleteMessage', 'GetQueueAttributes', 'GetQueueUrl', 'ReceiveMessage'].map((action) => `sqs:${action} on ${queue}`);
const PUBLISH = ['sns:Publish on topic', 'kms:Decrypt on messaging-key', 'kms:GenerateDataKey on messaging-key'];

/** Exactly what each role may do: the use cases' calls (shared/use-cases) and nothing more. */
const EXPECTED_STATEMENTS: Record<FunctionName | 'seed', string[]> = {
  dispatch: [...XRAY_AND_LOGS('dispatch'), 'dynamodb:Query on table/index/gsi2', 'dynamodb:UpdateItem on table', 'sqs:SendMessage on capture-queue'],
  capture: [
    ...XRAY_AND_LOGS('capture'),
    ...TABLE_READ_WRITE,
    // Series lineage decided again when a page's signals change: a lineage no longer decided is deleted.
    'dynamodb:DeleteItem on table if {"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["SERIES#*"]}}',
    'dynamodb:Query on table/index/gsi1',
    'dynamodb:Query on table/index/gsi2',
    ...['raw', 'docs'].flatMap((prefix) => [`s3:GetObject on bucket/${prefix}/*`, `s3:PutObject on bucket/${prefix}/*`]),
    's3:ListBucket on bucket',
    's3:PutObject on bucket/diffs/*',
    's3:PutObject on bucket/sections/*',
    's3:PutObject on bucket/terms/*',
    ...PUBLISH,
    ...CONSUME('capture-queue'),
  ],
  // The diff step no longer touches the provenance index (nor the lineage's editions on gsi1).
  diff: [
    ...XRAY_AND_LOGS('diff'),
    ...TABLE_READ_WRITE,
    's3:GetObject on bucket/docs/*',
    's3:PutObject on bucket/diffs/*',
    's3:PutObject on bucket/sections/*',
    's3:PutObject on bucket/terms/*',
    ...CONSUME('diff-queue'),
    // The import queue's captures: staged Document in, outcome out (imports/), Document put to docs/ written once.
    's3:PutObject on bucket/docs/*',
    's3:GetObject on bucket/imports/*',
    's3:PutObject on bucket/imports/*',
    's3:ListBucket on bucket',
    ...CONSUME('import-queue'),
  ],
  notify: [
    ...XRAY_AND_LOGS('notify'),
    'dynamodb:GetItem on table',
    'dynamodb:Query on table/index/gsi1',
    'dynamodb:Query on table/index/gsi2',
    's3:GetObject on bucket/docs/*',
    'dynamodb:ListStreams on *',
    ...['DescribeStream', 'GetRecords', 'GetShardIterator'].map((action) => `dynamodb:${action} on table-stream`),
    ...PUBLISH,
    ...['SendMessage', 'GetQueueAttributes', 'GetQueueUrl'].map((action) => `sqs:${action} on notify-failures`),
  ],
  provenance: [
    ...XRAY_AND_LOGS('provenance'),
    'dynamodb:GetItem on table',
    'dynamodb:Query on table',
    'dynamodb:Query on table/index/gsi1',
    's3:GetObject on bucket/docs/*',
    // The provenance index: generations written once (HEAD before PUT needs ListBucket), older ones deleted.
    's3:GetObject on bucket/provenance/*',
    's3:PutObject on bucket/provenance/*',
    's3:DeleteObject on bucket/provenance/*',
    's3:ListBucket on bucket',
    'dynamodb:ListStreams on *',
    ...['DescribeStream', 'GetRecords', 'GetShardIterator'].map((action) => `dynamodb:${action} on table-stream`),
    ...['SendMessage', 'GetQueueAttributes', 'GetQueueUrl'].map((action) => `sqs:${action} on provenance-failures`),
  ],
  // An edition report job: what buildEditionReport reads, and writes only under reports/ (report and job marker).
  report: [
    ...XRAY_AND_LOGS('report'),
    'dynamodb:GetItem on table',
    'dynamodb:Query on table',
    'dynamodb:Query on table/index/gsi1',
    'dynamodb:Query on table/index/gsi2',
    's3:GetObject on bucket/docs/*',
    's3:GetObject on bucket/maps/*',
    's3:ListBucket on bucket if {"StringLike":{"s3:prefix":["maps/*"]}}',
    's3:GetObject on bucket/reports/*',
    's3:PutObject on bucket/reports/*',
    's3:DeleteObject on bucket/reports/*',
    's3:ListBucket on bucket if {"StringLike":{"s3:prefix":["reports/*"]}}',
    ...CONSUME('report-queue'),
  ],
  api: [
    ...XRAY_AND_LOGS('api'),
    // A report too large for a request: its job.
    'sqs:SendMessage on report-queue',
    ...TABLE_READ_WRITE,
    'dynamodb:DeleteItem on table if {"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["SUB#*"]}}',
    'dynamodb:Query on table/index/gsi1',
    'dynamodb:Query on table/index/gsi2',
    's3:GetObject on bucket/docs/*',
    's3:GetObject on bucket/diffs/*',
    's3:GetObject on bucket/provenance/*',
    's3:ListBucket on bucket if {"StringLike":{"s3:prefix":["provenance/*"]}}',
    // The UI's raw HTML download (a revision's own raw body is found by listing the page's).
    's3:GetObject on bucket/raw/*',
    's3:ListBucket on bucket if {"StringLike":{"s3:prefix":["raw/*"]}}',
    // Edition maps: derived, cached by the hash of their inputs, found by listing, stale ones deleted.
    's3:GetObject on bucket/maps/*',
    's3:PutObject on bucket/maps/*',
    's3:DeleteObject on bucket/maps/*',
    's3:ListBucket on bucket if {"StringLike":{"s3:prefix":["maps/*"]}}',
    // Edition reports alike.
    's3:GetObject on bucket/reports/*',
    's3:PutObject on bucket/reports/*',
    's3:DeleteObject on bucket/reports/*',
    's3:ListBucket on bucket if {"StringLike":{"s3:prefix":["reports/*"]}}',
    // Term indexes: read by whole-store audits, a missing one built and stored (no listing).
    's3:GetObject on bucket/terms/*',
    's3:PutObject on bucket/terms/*',
    'sns:Subscribe on topic',
    'sns:Unsubscribe on topic',
  ],
  seed: [...XRAY_AND_LOGS('seed'), 'dynamodb:GetItem on table', 'dynamodb:PutItem on table', 'dynamodb:UpdateItem on table'],
};

const EXPECTED_ENVIRONMENT: Record<FunctionName, string[]> = {
  dispatch: ['REDLINE_CAPTURE_QUEUE_URL', 'REDLINE_TABLE'],
  capture: ['REDLINE_BUCKET', 'REDLINE_TABLE', 'REDLINE_TOPIC_ARN'],
  diff: ['REDLINE_BUCKET', 'REDLINE_TABLE'],
  notify: ['REDLINE_BUCKET', 'REDLINE_TABLE', 'REDLINE_TOPIC_ARN'],
  provenance: ['REDLINE_BUCKET', 'REDLINE_TABLE'],
  report: ['REDLINE_BUCKET', 'REDLINE_REPORT_JOB_MAX_RECEIVES', 'REDLINE_TABLE'],
  api: [
    'REDLINE_BUCKET',
    'REDLINE_REPORT_JOB_DEADLINE_SECONDS',
    'REDLINE_REPORT_JOB_QUEUE_URL',
    'REDLINE_SYNC_REPORT_SERIES',
    'REDLINE_TABLE',
    'REDLINE_TOPIC_ARN',
  ],
};

describe.each(['dev', 'prod'] as const)('stateless stack (%s)', (stageName) => {
  let synthesized: SynthesizedRedline;
  let template: Template;
  let names: ResourceNames;
  const prod = stageName === 'prod';
  let synthMs = 0;

  beforeAll(() => {
    const startedAt = Date.now();
    // Templates only: bundles are built, sized and run in bundles.test.ts.
    synthesized = synthRedline(stageName, { bundle: false });
    synthMs = Date.now() - startedAt;
    const { stateful, stateless } = synthesized;
    if (!stateless) throw new Error('the stateless stack was not built');
    template = Template.fromStack(stateless);
    names = new Map<string, string>([
      [logicalIdOf(stateful.table), 'table'],
      [logicalIdOf(stateful.bucket), 'bucket'],
      [logicalIdOf(stateful.topic), 'topic'],
      [logicalIdOf(stateful.keys.messaging), 'messaging-key'],
      [logicalIdOf(stateless.captureQueue.queue), 'capture-queue'],
      [logicalIdOf(stateless.diffQueue.queue), 'diff-queue'],
      [logicalIdOf(stateless.importQueue.queue), 'import-queue'],
      [logicalIdOf(stateless.reportJobs.queue), 'report-queue'],
      [logicalIdOf(stateless.revisionStream.failureQueue), 'notify-failures'],
      [logicalIdOf(stateless.provenanceStream.failureQueue), 'provenance-failures'],
      [logicalIdOf(stateless.functions.dispatch), 'dispatch-function'],
      [logicalIdOf(stateless.watchListSeed.function.logGroup), 'seed-logs'],
      ...FUNCTION_NAMES.map((name): [string, string] => [logicalIdOf(stateless.functions[name].logGroup), `${name}-logs`]),
    ]);
  });
  afterAll(() => synthesized.cleanup());

  it('synthesizes both stacks with zero unacknowledged cdk-nag AwsSolutions errors or warnings', () => {
    expect(synthesized.synthError).toBeUndefined();
    expect(awsSolutionsFindings(synthesized.report)).toEqual([]);
    process.stdout.write(`  [${stageName}] synth of both stacks (cdk-nag, no bundling): ${synthMs} ms\n`);
  });

  it('acknowledges only the known findings, each with its reason', () => {
    const acknowledgements = acknowledgementsUnder(synthesized.app);
    for (const { reason } of acknowledgements) expect(reason.length).toBeGreaterThan(40);
    const ids = acknowledgements.map(({ id, path }) => {
      const rule = id
        .replace(/^Annotation::/, '')
        .replace(/<[A-Za-z0-9]+\.Arn>/, '<fn>')
        .replace(/Resource::[^\]]*\/(raw|docs|diffs|sections|provenance|maps|reports|imports|terms)\/\*/, 'Resource::<bucket>/$1/*');
      return `${rule} @ ${path.replace(/^Redline-(Dev|Prod)-Stateless\//, '')}`;
    });
    const publicRoutes = API_ROUTES.filter((route) => route.access === 'public');
    expect(ids.filter((id) => id.startsWith('AwsSolutions-APIG4'))).toHaveLength(publicRoutes.length + methodFallbackRoutes(API_ROUTES).length);
    expect(ids.filter((id) => id.startsWith('AwsSolutions-L1'))).toHaveLength(8);
    expect(ids.filter((id) => id.startsWith('AwsSolutions-IAM5[Resource::*]'))).toHaveLength(8);
    expect(ids.filter((id) => /^AwsSolutions-IAM5\[Resource::<bucket>\//.test(id)).sort()).toEqual(
      [
        'raw @ CaptureFunction',
        'docs @ CaptureFunction',
        'diffs @ CaptureFunction',
        'sections @ CaptureFunction',
        'terms @ CaptureFunction',
        'docs @ DiffFunction',
        'imports @ DiffFunction',
        'diffs @ DiffFunction',
        'sections @ DiffFunction',
        'terms @ DiffFunction',
        'docs @ ProvenanceFunction',
        'provenance @ ProvenanceFunction',
        'docs @ NotifyFunction',
        'docs @ ReportFunction',
        'maps @ ReportFunction',
        'reports @ ReportFunction',
        'docs @ ApiFunction',
        'diffs @ ApiFunction',
        'provenance @ ApiFunction',
        'maps @ ApiFunction',
        'reports @ ApiFunction',
        'terms @ ApiFunction',
        'raw @ ApiFunction',
      ]
        .map((entry) => {
          const [prefix, fn] = entry.split(' @ ');
          return `AwsSolutions-IAM5[Resource::<bucket>/${prefix}/*] @ ${fn}/SnapshotBucketAccess`;
        })
        .concat(['raw', 'imports'].map((prefix) => `AwsSolutions-IAM5[Resource::<bucket>/${prefix}/*] @ ImportQueue/ImporterAccess`))
        .sort(),
    );
    const rest = ids.filter((id) => !/^AwsSolutions-(APIG4|L1|IAM5\[Resource::(\*|<bucket>\/))/.test(id));
    expect(rest.sort()).toEqual([
      'AwsSolutions-IAM5[Resource::<fn>:*] @ DispatchSchedule/InvokeRole',
      'AwsSolutions-SQS3 @ ProvenanceStream/Failures',
      'AwsSolutions-SQS3 @ RevisionStream/Failures',
    ]);
  });

  describe('functions', () => {
    it.each([...FUNCTION_NAMES])('%s may do exactly what its use cases call, on only its resources', (name) => {
      const role = synthesized.stateless!.functions[name].role!;
      expect(roleStatements(template, logicalIdOf(role), names)).toEqual([...EXPECTED_STATEMENTS[name]].sort());
    });

    it('the watch-list seed may only add pages (and register series)', () => {
      const role = synthesized.stateless!.watchListSeed.function.role!;
      expect(roleStatements(template, logicalIdOf(role), names)).toEqual([...EXPECTED_STATEMENTS.seed].sort());
    });

    it.each([...FUNCTION_NAMES])('%s gets the environment of its bindings and the Powertools settings', (name) => {
      const fn = template.toJSON().Resources[logicalIdOf(synthesized.stateless!.functions[name])];
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
      expect(
        Object.keys(variables)
          .filter((key) => key.startsWith('REDLINE_'))
          .sort(),
      ).toEqual(EXPECTED_ENVIRONMENT[name]);
      expect(variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: name,
        POWERTOOLS_METRICS_NAMESPACE: 'redline',
        POWERTOOLS_LOG_LEVEL: prod ? 'INFO' : 'DEBUG',
        NODE_OPTIONS: '--enable-source-maps',
      });
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    });

    it(`keeps every function's logs ${prod ? 'a year' : 'two weeks'}`, () => {
      const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
      expect(groups).toHaveLength(9); // eight functions (seven and the seed) and the API access log
      for (const group of groups) {
        expect(group.Properties.RetentionInDays).toBe(prod ? 365 : 14);
        expect(group.DeletionPolicy).toBe(prod ? 'Retain' : 'Delete');
      }
    });

    it('reserves concurrency for capture only, and caps its queue pollers at the same number', () => {
      const reserved = prod ? 5 : 2;
      const functions = template.findResources('AWS::Lambda::Function');
      const withReserved = Object.entries(functions).filter(([, fn]) => fn.Properties.ReservedConcurrentExecutions !== undefined);
      expect(withReserved.map(([id]) => id)).toEqual([logicalIdOf(synthesized.stateless!.functions.capture)]);
      expect(withReserved[0]![1].Properties.ReservedConcurrentExecutions).toBe(reserved);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalIdOf(synthesized.stateless!.functions.capture) },
        EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(synthesized.stateless!.captureQueue.queue), 'Arn'] },
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: reserved },
      });
    });
  });

  describe('queues', () => {
    it('redrive capture and diff messages to their DLQ after 5 receives, with SSE and a visibility of 6x the consumer timeout', () => {
      const { captureQueue, diffQueue } = synthesized.stateless!;
      for (const [work, visibility] of [
        [captureQueue, CAPTURE_TIMEOUT.toSeconds() * 6],
        [diffQueue, 360],
      ] as const) {
        template.hasResourceProperties('AWS::SQS::Queue', {
          VisibilityTimeout: visibility,
          SqsManagedSseEnabled: true,
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(work.deadLetterQueue), 'Arn'] }, maxReceiveCount: 5 },
        });
        expect(template.toJSON().Resources[logicalIdOf(work.queue)].Properties.VisibilityTimeout).toBe(visibility);
      }
      expect(CAPTURE_TIMEOUT.toSeconds() * 6).toBe(540);
    });

    it('the import queue is FIFO with a FIFO DLQ after 5 receives, deduplicated by explicit ids, and feeds diff in batches per group', () => {
      const { importQueue, functions } = synthesized.stateless!;
      template.hasResourceProperties('AWS::SQS::Queue', {
        FifoQueue: true,
        ContentBasedDeduplication: false,
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
        VisibilityTimeout: 360,
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(importQueue.deadLetterQueue), 'Arn'] }, maxReceiveCount: 5 },
      });
      expect(template.toJSON().Resources[logicalIdOf(importQueue.deadLetterQueue)].Properties.FifoQueue).toBe(true);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalIdOf(functions.diff) },
        EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(importQueue.queue), 'Arn'] },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumBatchingWindowInSeconds: Match.absent(),
      });
    });

    it('the importer role may do exactly what redline import calls, and write nothing under docs/', () => {
      const role = synthesized.stateless!.importQueue.importerRole;
      expect(roleStatements(template, logicalIdOf(role), names)).toEqual(
        [
          'sqs:SendMessage on import-queue',
          'sqs:GetQueueAttributes on import-queue',
          'cloudformation:DescribeStacks on AWS::StackId',
          ...['GetItem', 'Query', 'PutItem', 'UpdateItem'].map((action) => `dynamodb:${action} on table`),
          'dynamodb:Query on table/index/gsi1',
          'dynamodb:Query on table/index/gsi2',
          'dynamodb:DeleteItem on table if {"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["SERIES#*"]}}',
          ...['raw', 'imports'].flatMap((prefix) => [`s3:GetObject on bucket/${prefix}/*`, `s3:PutObject on bucket/${prefix}/*`]),
          's3:ListBucket on bucket',
        ].sort(),
      );
      const trust = template.toJSON().Resources[logicalIdOf(role)].Properties.AssumeRolePolicyDocument.Statement;
      expect(JSON.stringify(trust)).toContain(':iam::');
      expect(JSON.stringify(trust)).toContain(':root');
    });

    it('encrypts every queue and denies non-TLS access to each', () => {
      const queues = template.findResources('AWS::SQS::Queue');
      expect(Object.keys(queues)).toHaveLength(10);
      for (const queue of Object.values(queues)) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
      const denied = policies.flatMap((policy) =>
        (policy.Properties.PolicyDocument.Statement as { Effect: string; Condition?: unknown; Resource: unknown }[])
          .filter((statement) => statement.Effect === 'Deny' && JSON.stringify(statement.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}')
          .map((statement) => JSON.stringify(statement.Resource)),
      );
      for (const logicalId of Object.keys(queues)) expect(denied).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId, 'Arn'] }));
    });
  });

  describe('triggers', () => {
    it('runs dispatch every 15 minutes from EventBridge Scheduler with a ScheduledEvent-shaped payload', () => {
      const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));
      expect(schedules).toHaveLength(1);
      const { Properties } = schedules[0]!;
      expect(Properties.ScheduleExpression).toBe('rate(15 minutes)');
      expect(Properties.Target.Arn).toEqual({ 'Fn::GetAtt': [logicalIdOf(synthesized.stateless!.functions.dispatch), 'Arn'] });
      expect(Properties.Target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 900, MaximumRetryAttempts: 2 });
      const input = JSON.stringify(Properties.Target.Input);
      for (const part of ['\\"detail-type\\":\\"Scheduled Event\\"', '<aws.scheduler.scheduled-time>', '<aws.scheduler.schedule-arn>']) {
        expect(input).toContain(part);
      }
    });

    it('routes S3 Object Created under docs/ through EventBridge to the diff queue (with a DLQ), which feeds diff', () => {
      const { diffQueue, functions } = synthesized.stateless!;
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: { bucket: { name: [Match.anyValue()] }, object: { key: [{ prefix: 'docs/' }] } },
        },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [logicalIdOf(diffQueue.queue), 'Arn'] },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(diffQueue.deadLetterQueue), 'Arn'] } },
            RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
          }),
        ],
      });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalIdOf(functions.diff) },
        EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(diffQueue.queue), 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it.each(['notify', 'provenance'] as const)(
      'sends %s only stream INSERTs of revision items, bisecting, retrying, then to its own failure queue',
      (name) => {
        const { functions, revisionStream, provenanceStream } = synthesized.stateless!;
        const failureQueue = (name === 'notify' ? revisionStream : provenanceStream).failureQueue;
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: logicalIdOf(functions[name]) },
          StartingPosition: 'TRIM_HORIZON',
          FilterCriteria: {
            Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['revision'] } } } }) }],
          },
          BisectBatchOnFunctionError: true,
          MaximumRetryAttempts: 3,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(failureQueue), 'Arn'] } } },
        });
      },
    );

    it('the two stream consumers are separate mappings with separate failure queues', () => {
      const { revisionStream, provenanceStream } = synthesized.stateless!;
      expect(logicalIdOf(provenanceStream.failureQueue)).not.toBe(logicalIdOf(revisionStream.failureQueue));
      const streamMappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
        (mapping) => (mapping as { Properties: { StartingPosition?: string } }).Properties.StartingPosition !== undefined,
      );
      expect(streamMappings).toHaveLength(2);
    });

    it('seeds the watch list through a custom resource backed by the seed function', () => {
      template.hasResourceProperties('Custom::RedlineWatchListSeed', {
        ServiceToken: { 'Fn::GetAtt': [logicalIdOf(synthesized.stateless!.watchListSeed.function), 'Arn'] },
        Watches: JSON.stringify(synthesized.watchList),
      });
    });
  });

  describe('HTTP API', () => {
    it('has every route, reads public and writes behind IAM, an ANY fallback per path, and nothing else (no $default route)', () => {
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => ({
        key: route.Properties.RouteKey as string,
        auth: route.Properties.AuthorizationType as string,
      }));
      expect(routes.sort((a, b) => a.key.localeCompare(b.key))).toEqual(
        [
          ...API_ROUTES.map((route) => ({ key: `${route.method} ${route.path}`, auth: route.access === 'iam' ? 'AWS_IAM' : 'NONE' })),
          ...methodFallbackRoutes(API_ROUTES).map((route) => ({ key: `ANY ${route.path}`, auth: 'NONE' })),
        ].sort((a, b) => a.key.localeCompare(b.key)),
      );
      for (const write of ['POST /watches', 'GET /subscriptions', 'GET /subscriptions/{id}', 'POST /subscriptions', 'DELETE /subscriptions/{id}']) {
        expect(routes).toContainEqual({ key: write, auth: 'AWS_IAM' });
      }
      for (const read of ['GET /pages', 'GET /series/{proxy+}', 'GET /audit', 'GET /feeds/{proxy+}']) {
        expect(routes).toContainEqual({ key: read, auth: 'NONE' });
      }
    });

    it('throttles the default stage and writes JSON access logs', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: prod ? { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } : { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [logicalIdOf(synthesized.stateless!.api.accessLogs), 'Arn'] },
          Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId".*"caller":"\\$context.identity.userArn"'),
        },
      });
    });

    it('integrates every route with the api function (payload format 2.0)', () => {
      const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration'));
      expect(integrations).toHaveLength(1);
      expect(integrations[0]!.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [logicalIdOf(synthesized.stateless!.functions.api), 'Arn'] },
      });
    });
  });

  describe('monitoring', () => {
    it('alarms on each DLQ, on capture failures and on each function error, all to the encrypted alarm topic', () => {
      const { monitoring } = synthesized.stateless!;
      const alarmTopic = { Ref: logicalIdOf(monitoring.alarmTopic) };
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms).toHaveLength(4 + 3 + FUNCTION_NAMES.length);
      for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([alarmTopic]);
      const { captureQueue, diffQueue, importQueue, reportJobs, revisionStream, provenanceStream } = synthesized.stateless!;
      const deadLetterQueues = [captureQueue, diffQueue, importQueue, reportJobs].map((queue) => queue.deadLetterQueue);
      for (const dlq of [...deadLetterQueues, revisionStream.failureQueue, provenanceStream.failureQueue]) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(dlq), 'QueueName'] } }],
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        });
      }
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: [
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: { Namespace: 'redline', MetricName: 'CaptureFailures', Dimensions: [{ Name: 'service', Value: 'capture' }] },
              Stat: 'Sum',
            }),
          }),
        ],
        ComparisonOperator: 'GreaterThanThreshold',
      });
      for (const name of FUNCTION_NAMES) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(synthesized.stateless!.functions[name]) } }],
          Threshold: 0,
        });
      }
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp(logicalIdOf(synthesized.stateful.keys.messaging)) }),
      });
    });

    it('has one dashboard and the outputs the CLI needs', () => {
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      const outputs = ['ApiUrl', 'BucketName', 'TableName', 'TopicArn', 'CaptureQueueUrl', 'ImportQueueUrl', 'ImporterRoleArn', 'AlarmTopicArn'];
      for (const output of outputs) {
        template.hasOutput(output, {});
      }
    });
  });
});

it('synthesizes the stateful stack alone when the stateless stack is left out', () => {
  const synthesized = synthRedline('dev', { includeStateless: false });
  try {
    expect(synthesized.stateless).toBeUndefined();
    expect(synthesized.app.node.children.filter((child) => child instanceof Stack).map((child) => child.node.id)).toEqual(['Redline-Dev-Stateful']);
    expect(awsSolutionsFindings(synthesized.report)).toEqual([]);
  } finally {
    synthesized.cleanup();
  }
});

describe('gateway routes against the api function route table (functions/api/http/api-routes.ts)', () => {
  /** Which gateway route an HTTP API request would take: exact paths first, then the longest greedy prefix. */
  function gatewayRouteFor(method: string, path: string) {
    const candidates = API_ROUTES.filter((route) => route.method === method);
    const exact = candidates.find(
      (route) => !route.path.includes('{proxy+}') && new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
    );
    if (exact) return exact;
    return candidates
      .filter((route) => route.path.endsWith('/{proxy+}') && path.startsWith(route.path.replace('{proxy+}', '')))
      .sort((a, b) => b.path.length - a.path.length)[0];
  }

  it('reaches every route of the function, and puts exactly the credentialed ones behind IAM', async () => {
    const { apiRoutes } = await import('../../functions/api/http/all-routes.js');
    const routes = apiRoutes({ api: {} } as never, { logger: {}, metrics: {} } as never);
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      // A concrete request path for the route ("{page}" -> "p"; section keys may hold slashes).
      const path = route.path.replace(/\{key\}/g, 'a/b').replace(/\{[^}]+\}/g, 'p');
      const gateway = gatewayRouteFor(route.method, path);
      expect({ route: `${route.method} ${route.path}`, reachable: gateway !== undefined }).toEqual({
        route: `${route.method} ${route.path}`,
        reachable: true,
      });
      const credentialed = /^\/(watches|subscriptions)(\/|$)/.test(route.path);
      expect({ route: `${route.method} ${route.path}`, access: gateway!.access }).toEqual({
        route: `${route.method} ${route.path}`,
        access: credentialed ? 'iam' : 'public',
      });
    }
  });
});
