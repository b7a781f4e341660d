import { createServer, type Server } from 'node:http';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { Template } from 'aws-cdk-lib/assertions';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { FUNCTION_NAMES, type FunctionName } from '../../infra/stacks/stateless-stack.js';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3ImportStaging } from '../../shared/adapters/s3/s3-import-staging.js';
import { S3SnapshotStore, snapshotKeys } from '../../shared/adapters/s3/s3-snapshot-store.js';
import type { Document } from '../../shared/domain/document.js';
import { extract } from '../../shared/domain/extract.js';
import { loadCorpusPage } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { killTrackedProcesses } from '../support/child-processes.js';
import { invokeBundle } from './support/invoke-bundle.js';
import { logicalIdOf } from './support/iam-statements.js';
import { synthRedline, type SynthesizedRedline } from './support/synth-redline.js';

/**
 * Each function's bundle, as `cdk synth` builds it, imported in a fresh Node process with the environment its
 * template gives it (resource names swapped for local ones) and invoked once with a real event shape, against
 * dynalite, s3rver and fauxqs. This proves that the bundle runs, not just the source.
 */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repository, so the bundles resolve the external @aws-sdk/* packages as the Lambda runtime would.
const OUTDIR = join(PROJECT_ROOT, 'test-artifacts', `infra-bundles-${process.pid}`);

type BundleName = FunctionName | 'seed';

/**
 * The target is 1 MB per bundle (sourcemaps are separate files). Only capture bundles the HTTP client (undici,
 * ~720 KB), and only the api function bundles zod classic; the others use zod/mini.
 */
const BUNDLE_BUDGET_BYTES = 1_000_000;
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

describe('function bundles, invoked against local AWS servers', () => {
  let synthesized: SynthesizedRedline;
  let template: Template;
  let aws: LocalAws;
  let fauxqs: FauxqsServer;
  let sns: SNSClient;
  let sqs: SQSClient;
  let captureQueueUrl: string;
  let reportQueueUrl: string;
  let topicArn: string;
  let notificationsQueueUrl: string;
  let cfnResponses: Server;
  let cfnResponseUrl: string;
  const cfnBodies: unknown[] = [];
  let revisions: DynamoRevisionStore;
  let snapshots: S3SnapshotStore;
  const timings: string[] = [];
  const sizes: string[] = [];

  beforeAll(async () => {
    synthesized = synthRedline('dev', { outdir: OUTDIR });
    template = Template.fromStack(synthesized.stateless!);
    aws = await startLocalAws();
    fauxqs = await startFauxqs({ port: 0, logger: false });
    const clientConfig = {
      endpoint: `http://127.0.0.1:${fauxqs.port}`,
      region: REGION,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    sns = new SNSClient(clientConfig);
    sqs = new SQSClient(clientConfig);
    // fauxqs answers with a sqs.<region>.localhost host, which the SDK would call directly: keep the local address.
    captureQueueUrl = new URL(new URL((await sqs.send(new CreateQueueCommand({ QueueName: 'capture' }))).QueueUrl!).pathname, clientConfig.endpoint)
      .href;
    reportQueueUrl = new URL(
      new URL((await sqs.send(new CreateQueueCommand({ QueueName: 'report-jobs' }))).QueueUrl!).pathname,
      clientConfig.endpoint,
    ).href;
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'notifications' }))).TopicArn!;
    notificationsQueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'notifications' }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: notificationsQueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn, Attributes: { RawMessageDelivery: 'true' } }),
    );
    cfnResponses = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        cfnBodies.push(JSON.parse(body));
        response.end();
      });
    });
    await new Promise<void>((resolve) => cfnResponses.listen(0, '127.0.0.1', resolve));
    const address = cfnResponses.address() as { port: number };
    cfnResponseUrl = `http://127.0.0.1:${address.port}/cloudformation-response?signature=x`;
    revisions = new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName });
    snapshots = new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName });
  });

  afterEach(killTrackedProcesses);

  afterAll(async () => {
    process.stdout.write(
      `  bundle sizes:\n${sizes.join('\n')}\n  bundle invocations (fresh process; import = cold-start import of the bundle):\n${timings.join('\n')}\n`,
    );
    sns?.destroy();
    sqs?.destroy();
    await new Promise((resolve) => cfnResponses?.close(resolve));
    await fauxqs?.stop();
    await aws?.close();
    synthesized?.cleanup();
    rmSync(OUTDIR, { recursive: true, force: true });
  });

  function functionResource(name: BundleName) {
    const construct = name === 'seed' ? synthesized.stateless!.watchListSeed.function : synthesized.stateless!.functions[name];
    return template.toJSON().Resources[logicalIdOf(construct)];
  }

  /** The template's environment for the function, with each bound resource replaced by its local stand-in. */
  function environmentOf(name: BundleName): Record<string, string> {
    const local: Record<string, string> = {
      REDLINE_TABLE: aws.tableName,
      REDLINE_BUCKET: aws.bucketName,
      REDLINE_TOPIC_ARN: topicArn,
      REDLINE_CAPTURE_QUEUE_URL: captureQueueUrl,
      REDLINE_REPORT_JOB_QUEUE_URL: reportQueueUrl,
    };
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(functionResource(name).Properties.Environment.Variables as Record<string, unknown>)) {
      if (typeof value === 'string') environment[key] = value;
      else if (key in local) environment[key] = local[key]!;
      else throw new Error(`${name}: no local stand-in for ${key}`);
    }
    return {
      ...environment,
      AWS_REGION: REGION,
      // s3rver checks signatures against these (localCredentials); dynalite and fauxqs take anything.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      REDLINE_DYNAMODB_ENDPOINT: aws.endpoints.dynamodb,
      REDLINE_S3_ENDPOINT: aws.endpoints.s3,
      REDLINE_SNS_ENDPOINT: `http://127.0.0.1:${fauxqs.port}`,
      // The SDK's own endpoint variables, for clients built without a redline override (SQS, the seed's DynamoDB).
      AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${fauxqs.port}`,
      AWS_ENDPOINT_URL_DYNAMODB: aws.endpoints.dynamodb,
      POWERTOOLS_METRICS_DISABLED: 'true',
    };
  }

  function bundleFile(name: BundleName): string {
    const code = functionResource(name).Properties.Code as { S3Key: string };
    return join(OUTDIR, `asset.${code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs');
  }

  async function invoke<T>(name: BundleName, event: unknown, overrides: Record<string, string> = {}): Promise<T> {
    const invocation = await invokeBundle<T>(bundleFile(name), event, { ...environmentOf(name), ...overrides }, name);
    timings.push(
      `    ${name.padEnd(9)} import ${invocation.importMs.toFixed(0).padStart(4)} ms, process total ${String(invocation.ms).padStart(5)} ms`,
    );
    return invocation.result;
  }

  async function receiveAll(queueUrl: string): Promise<Message[]> {
    const messages: Message[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (Messages.length === 0) return messages;
      messages.push(...Messages);
    }
  }

  const sqsRecord = (body: string, queue: string) => ({
    messageId: crypto.randomUUID(),
    receiptHandle: 'handle',
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: ACCOUNT,
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queue}`,
    awsRegion: REGION,
  });

  const objectCreated = (key: string) => ({
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: ACCOUNT,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: REGION,
    resources: [`arn:aws:s3:::${aws.bucketName}`],
    detail: {
      version: '0',
      bucket: { name: aws.bucketName },
      object: { key, size: 1, etag: 'etag', sequencer: '0' },
      'request-id': 'request',
      requester: ACCOUNT,
      'source-ip-address': '127.0.0.1',
      reason: 'PutObject',
    },
  });

  it('the watch-list seed answers CloudFormation and adds the configured pages', async () => {
    const [resource] = Object.values(template.findResources('Custom::RedlineWatchListSeed'));
    await invoke('seed', {
      RequestType: 'Create',
      ServiceToken: 'arn:aws:lambda:us-east-1:000000000000:function:seed',
      ResponseURL: cfnResponseUrl,
      StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/Redline-Dev-Stateless/1`,
      RequestId: 'request-1',
      LogicalResourceId: 'WatchListSeed',
      ResourceType: 'Custom::RedlineWatchListSeed',
      ResourceProperties: { ServiceToken: 'arn', Watches: resource!.Properties.Watches },
    });
    expect(cfnBodies).toEqual([
      expect.objectContaining({ Status: 'SUCCESS', RequestId: 'request-1', Data: { Created: synthesized.watchList.length } }),
    ]);
    const pages = (await revisions.listPages({ limit: 100 })).items;
    expect(pages.map((page) => page.url).sort()).toEqual(synthesized.watchList.map((watch) => watch.url).sort());
    expect(pages.map((page) => page.page)).toContain('hrr.kazakhstan.2023');
  });

  it('dispatch takes the Scheduler payload of the template and enqueues every due page', async () => {
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    const [, parts] = schedule!.Properties.Target.Input['Fn::Join'] as [string, unknown[]];
    const payload = parts
      .map((part) => (typeof part === 'string' ? part : (part as { Ref: string }).Ref === 'AWS::AccountId' ? ACCOUNT : REGION))
      .join('')
      .replace('<aws.scheduler.execution-id>', 'execution-1')
      .replace('<aws.scheduler.scheduled-time>', new Date().toISOString())
      .replace('<aws.scheduler.schedule-arn>', `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/dispatch`);
    const result = await invoke<{ dispatched: string[] }>('dispatch', JSON.parse(payload));
    expect(result.dispatched).toHaveLength(synthesized.watchList.length);
    const bodies = (await receiveAll(captureQueueUrl)).map((message) => JSON.parse(message.Body!) as { page: string; reason: string });
    expect(
      bodies
        .filter((body) => body.reason === 'scheduled')
        .map((body) => body.page)
        .sort(),
    ).toEqual([...result.dispatched].sort());
    expect((await revisions.getPage('hrr.kazakhstan.2023'))?.dispatchedAt).toBeDefined();
  });

  it('capture records a refused fetch as a capture failure (never a revision) and reports no batch failure', async () => {
    await revisions.putPage({
      page: 'local.blocked',
      url: 'http://127.0.0.1:9/report',
      profile: 'generic',
      createdAt: new Date().toISOString(),
      consecutiveFailures: 0,
    });
    const message = { page: 'local.blocked', url: 'http://127.0.0.1:9/report', reason: 'manual', requestedAt: new Date().toISOString() };
    const result = await invoke<{ batchItemFailures: unknown[] }>('capture', { Records: [sqsRecord(JSON.stringify(message), 'capture')] });
    expect(result.batchItemFailures).toEqual([]);
    expect((await revisions.listFailures('local.blocked')).items).toHaveLength(1);
    expect(await revisions.latestRevision('local.blocked')).toBeUndefined();
  });

  it('diff records a capture from the FIFO import queue at its capture time (the bundle routes .fifo batches)', async () => {
    const url = 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/tuvalu/';
    await revisions.putPage({ page: 'import.bundle', url, profile: 'generic', createdAt: new Date().toISOString(), consecutiveFailures: 0 });
    const staged = await new S3ImportStaging({ client: aws.s3, bucket: aws.bucketName }).putDocument(
      'import.bundle',
      extract(loadCorpusPage('tuvalu', 2023), { url, profile: 'generic' }),
    );
    const message = {
      page: 'import.bundle',
      documentHash: staged.sha256,
      stagedKey: staged.key,
      capturedAt: '2024-05-01T00:00:00.000Z',
      source: 'tuvalu.html',
    };
    const result = await invoke<{ batchItemFailures: unknown[] }>('diff', { Records: [sqsRecord(JSON.stringify(message), 'redline-import.fifo')] });
    expect(result.batchItemFailures).toEqual([]);
    expect(await revisions.latestRevision('import.bundle')).toMatchObject({ seq: 1, capturedAt: message.capturedAt, documentHash: staged.sha256 });
    expect(await snapshots.documentCaptureTime(snapshotKeys.document('import.bundle', staged.sha256))).toBe(message.capturedAt);
  });

  describe('diff, notify, provenance and api on one page', () => {
    const page = 'hrr.kazakhstan.2023';
    const url = 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/kazakhstan/';
    let first: Document;

    beforeAll(() => {
      first = extract(loadCorpusPage('kazakhstan', 2023), { url });
    });

    it('diff records the baseline, then the next revision with its diff in S3, from SQS-wrapped EventBridge events', async () => {
      const stored = await snapshots.putDocument(page, first);
      let result = await invoke<{ batchItemFailures: unknown[] }>('diff', {
        Records: [sqsRecord(JSON.stringify(objectCreated(stored.key)), 'diff')],
      });
      expect(result.batchItemFailures).toEqual([]);
      expect((await revisions.latestRevision(page))?.seq).toBe(1);

      const edited: Document = structuredClone(first);
      const section = edited.sections.find((candidate) => candidate.paragraphs.length > 1)!;
      section.paragraphs[0]!.text = `${section.paragraphs[0]!.text} The government also detained two journalists.`;
      const next = await snapshots.putDocument(page, edited);
      result = await invoke('diff', { Records: [sqsRecord(JSON.stringify(objectCreated(next.key)), 'diff')] });
      expect(result.batchItemFailures).toEqual([]);
      const latest = await revisions.latestRevision(page);
      expect(latest).toMatchObject({ seq: 2, previousSeq: 1 });
      expect(latest!.sections.map((change) => change.key)).toContain(section.key);
      await expect(aws.s3.send(new HeadObjectCommand({ Bucket: aws.bucketName, Key: latest!.diffKey! }))).resolves.toBeDefined();
    });

    it('notify turns the revision stream record into one SNS notification and ignores other items', async () => {
      const { Item } = await aws.dynamodb.send(
        new GetItemCommand({ TableName: aws.tableName, Key: { pk: { S: `PAGE#${page}` }, sk: { S: 'REV#0000000002' } } }),
      );
      const { Item: pageItem } = await aws.dynamodb.send(
        new GetItemCommand({ TableName: aws.tableName, Key: { pk: { S: `PAGE#${page}` }, sk: { S: 'META' } } }),
      );
      const result = await invoke<{ batchItemFailures: unknown[] }>('notify', {
        Records: [streamRecord('MODIFY', pageItem, '1'), streamRecord('INSERT', Item, '2')],
      });
      expect(result.batchItemFailures).toEqual([]);
      const messages = await receiveAll(notificationsQueueUrl);
      expect(messages).toHaveLength(1);
      expect(JSON.parse(messages[0]!.Body!)).toMatchObject({ type: 'revision', page, seq: 2 });
    });

    it('provenance brings the series index up to date from the same stream records, and ignores other items', async () => {
      const { Item } = await aws.dynamodb.send(
        new GetItemCommand({ TableName: aws.tableName, Key: { pk: { S: `PAGE#${page}` }, sk: { S: 'REV#0000000002' } } }),
      );
      const { Item: pageItem } = await aws.dynamodb.send(
        new GetItemCommand({ TableName: aws.tableName, Key: { pk: { S: `PAGE#${page}` }, sk: { S: 'META' } } }),
      );
      const listed = async () =>
        (await aws.s3.send(new ListObjectsV2Command({ Bucket: aws.bucketName, Prefix: 'provenance/' }))).Contents?.map((object) => object.Key) ?? [];
      // The diff bundle recorded both revisions without touching the index.
      expect(await listed()).toEqual([]);
      const result = await invoke<{ batchItemFailures: unknown[] }>('provenance', {
        Records: [streamRecord('MODIFY', pageItem, '1'), streamRecord('INSERT', Item, '2')],
      });
      expect(result.batchItemFailures).toEqual([]);
      const keys = await listed();
      expect(keys).toHaveLength(1);
      // Both versions of the page: the update catches up on the baseline as well as the new revision.
      const record = await revisions.getPage(page);
      const scope = record!.series ? `series:${record!.series}` : `page:${page}`;
      expect(keys[0]!.startsWith(snapshotKeys.provenancePrefix(scope))).toBe(true);
      const index = await snapshots.getProvenanceIndex(scope);
      expect(index).toMatchObject({ generation: 1 });
      const versions = (index!.data as { versions: { page: string; seq: number }[] }).versions;
      expect(versions.map(({ page: versionPage, seq }) => [versionPage, seq]).sort()).toEqual([
        [page, 1],
        [page, 2],
      ]);
    });

    const httpEvent = (method: string, path: string, options: { iam?: boolean; body?: unknown } = {}) => ({
      version: '2.0',
      routeKey: `${method} ${path}`,
      rawPath: path,
      rawQueryString: '',
      headers: { host: 'api.example.org', 'x-forwarded-proto': 'https', ...(options.body ? { 'content-type': 'application/json' } : {}) },
      requestContext: {
        accountId: ACCOUNT,
        apiId: 'api',
        domainName: 'api.example.org',
        domainPrefix: 'api',
        http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
        requestId: crypto.randomUUID(),
        routeKey: `${method} ${path}`,
        stage: '$default',
        time: new Date().toUTCString(),
        timeEpoch: Date.now(),
        ...(options.iam
          ? {
              authorizer: {
                iam: {
                  accountId: ACCOUNT,
                  userArn: `arn:aws:iam::${ACCOUNT}:user/operator`,
                  callerId: 'AIDA',
                  principalOrgId: null,
                  userId: 'AIDA',
                  cognitoIdentity: null,
                },
              },
            }
          : {}),
      },
      ...(options.body ? { body: JSON.stringify(options.body) } : {}),
      isBase64Encoded: false,
    });

    it('api serves the pages and the revisions it finds in dynalite (HTTP API payload 2.0)', async () => {
      const pages = await invoke<{ statusCode: number; body: string }>('api', httpEvent('GET', '/pages'));
      expect(pages.statusCode).toBe(200);
      expect(JSON.stringify(JSON.parse(pages.body))).toContain(page);
      const revisionsResponse = await invoke<{ statusCode: number; body: string }>('api', httpEvent('GET', `/pages/${page}/revisions`));
      expect(revisionsResponse.statusCode).toBe(200);
      expect(revisionsResponse.body).toContain('"seq":2');
    });

    it('api refuses a write route without the IAM authorizer context, and accepts it with', async () => {
      const watch = { url: 'https://www.state.gov/reports/2022-country-reports-on-human-rights-practices/kazakhstan/' };
      const refused = await invoke<{ statusCode: number }>('api', httpEvent('POST', '/watches', { body: watch }));
      expect(refused.statusCode).toBe(401);
      const accepted = await invoke<{ statusCode: number }>('api', httpEvent('POST', '/watches', { body: watch, iam: true }));
      expect(accepted.statusCode).toBe(201);
      expect(await revisions.getPage('hrr.kazakhstan.2022')).toBeDefined();
    });

    it('api answers a report over its bound with 202 and a job on SQS; the report bundle computes it from that SQS message', async () => {
      // Two editions of one series: the 2023 page above, and the 2024 edition recorded by the diff bundle.
      const editionUrl = (year: number) => `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/kazakhstan/`;
      for (const year of [2023, 2024]) {
        const watched = await invoke<{ statusCode: number }>('api', httpEvent('POST', '/watches', { body: { url: editionUrl(year) }, iam: true }));
        expect([200, 201]).toContain(watched.statusCode);
      }
      const stored = await snapshots.putDocument('hrr.kazakhstan.2024', extract(loadCorpusPage('kazakhstan', 2024), { url: editionUrl(2024) }));
      const recorded = await invoke<{ batchItemFailures: unknown[] }>('diff', {
        Records: [sqsRecord(JSON.stringify(objectCreated(stored.key)), 'diff')],
      });
      expect(recorded.batchItemFailures).toEqual([]);

      const reportEvent = (path: string) => ({
        ...httpEvent('GET', path),
        rawQueryString: 'from=2023&to=2024',
        queryStringParameters: { from: '2023', to: '2024' },
      });
      // A bound of 0 series: every report not cached is a job.
      const accepted = await invoke<{ statusCode: number; headers: Record<string, string>; body: string }>(
        'api',
        reportEvent('/editions/hrr~kazakhstan/report'),
        { REDLINE_SYNC_REPORT_SERIES: '0' },
      );
      expect(accepted.statusCode).toBe(202);
      const job = JSON.parse(accepted.body) as { job: string; state: string; series: number };
      expect(job).toMatchObject({ state: 'pending', series: 1 });
      expect(accepted.headers.location).toBe(`https://api.example.org/editions/hrr~kazakhstan/report/jobs/${job.job}?from=2023&to=2024`);
      const messages = await receiveAll(reportQueueUrl);
      expect(messages).toHaveLength(1);
      expect(JSON.parse(messages[0]!.Body!)).toMatchObject({ report: 'hrr/kazakhstan', from: 2023, to: 2024, inputsHash: job.job });

      const computed = await invoke<{ batchItemFailures: unknown[] }>('report', { Records: [sqsRecord(messages[0]!.Body!, 'report-jobs')] });
      expect(computed.batchItemFailures).toEqual([]);
      const status = await invoke<{ statusCode: number; body: string }>('api', reportEvent(`/editions/hrr~kazakhstan/report/jobs/${job.job}`));
      expect(status.statusCode).toBe(200);
      const report = JSON.parse(status.body) as { series: { series: string; wordsFrom: number; wordsTo: number }[] };
      expect(report.series.map((row) => [row.series, row.wordsTo])).toEqual([['hrr/kazakhstan', 4492]]);
    });
  });

  function streamRecord(eventName: string, image: unknown, sequence: string) {
    return {
      eventID: sequence,
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      dynamodb: {
        ApproximateCreationDateTime: Date.now() / 1000,
        Keys: {},
        NewImage: image,
        SequenceNumber: sequence,
        SizeBytes: 1,
        StreamViewType: 'NEW_IMAGE',
      },
      eventSourceARN: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${aws.tableName}/stream/now`,
    };
  }

  it(`keeps each bundle (all of its chunks) within the size budget (${BUNDLE_BUDGET_BYTES} bytes), without the AWS SDK in it`, () => {
    for (const name of [...FUNCTION_NAMES, 'seed'] as const) {
      // The asset: index.mjs, the chunks it imports at start or on first use, and a source map for each.
      const folder = dirname(bundleFile(name));
      const chunks = readdirSync(folder).filter((file) => file.endsWith('.mjs'));
      const size = chunks.reduce((sum, file) => sum + statSync(join(folder, file)).size, 0);
      const entrySize = statSync(join(folder, 'index.mjs')).size;
      sizes.push(
        `    ${name.padEnd(9)} ${(size / 1024).toFixed(0).padStart(5)} KiB in ${chunks.length} file(s), ` +
          `index.mjs ${(entrySize / 1024).toFixed(0)} KiB`,
      );
      expect(size).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
      for (const chunk of chunks) {
        // The SDK comes from the runtime.
        expect({ chunk, sdk: readFileSync(join(folder, `${chunk}.map`), 'utf8').includes('node_modules/@aws-sdk/') }).toEqual({ chunk, sdk: false });
      }
    }
  });

  it('covers every function', () => {
    expect(timings.map((line) => line.trim().split(/\s+/)[0])).toEqual(expect.arrayContaining([...FUNCTION_NAMES, 'seed']));
  });
});
