import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { BufferedOutput, type CliIo } from '../../cli/cli-io.js';
import { runCli } from '../../cli/main.js';
import { createApiHandler } from '../../functions/api/api-handler.js';
import type { ApiDependencies } from '../../functions/api/api-dependencies.js';
import { createReportHandler } from '../../functions/report/report-handler.js';
import { DynamoSubscriptionStore } from '../../shared/adapters/dynamodb/dynamo-subscription-store.js';
import type { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import type { ReportJobMessage } from '../../shared/ports/report-job-queue.js';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';
import { buildEditionReport } from '../../shared/use-cases/queries/edition-report.js';
import { startApiServer, type ApiServer } from '../../local/runtime/api-server.js';
import { LocalSubscriptionGateway } from '../../local/runtime/subscription-notifier.js';
import { startProvenanceStore, type ProvenanceStoreFixture } from '../provenance/provenance-store-fixture.js';
import { CORPUS_COUNTRIES } from '../support/corpus.js';
import { hrrDocument } from '../provenance/provenance-fixture.js';
import { quietObservability } from './api-fixture.js';
import { SAMPLE_SERIES_FIGURES_2023_2024 } from '../support/edition-report-figures.js';

/**
 * Edition reports too large for a request (issue 15 §6): over the sample store (six countries, 2023 and 2024; three
 * of them 2022 too) with the bound set to 2 series, a cold whole-edition request answers 202 with the job's status
 * URL, the report function computes it, and the status URL then gives the figures the synchronous path gives. The
 * queue is a recording one (its messages are handed to the report handler as SQS records), the clock a variable.
 */
describe('edition report jobs (202 and a status URL)', () => {
  let store: ProvenanceStoreFixture;
  let server: ApiServer;
  let now = new Date('2025-03-10T00:00:00.000Z');
  const enqueued: ReportJobMessage[] = [];
  const DEADLINE_MS = 60 * 60_000;

  const get = async (path: string) => {
    const response = await fetch(new URL(path, server.url), { redirect: 'manual' });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  };
  const sqsEvent = (message: ReportJobMessage, receives: number, id = 'm-1'): SQSEvent => ({
    Records: [
      {
        messageId: id,
        receiptHandle: `receipt-${id}`,
        body: JSON.stringify(message),
        attributes: {
          ApproximateReceiveCount: String(receives),
          SentTimestamp: String(now.getTime()),
          SenderId: 'AROAEXAMPLE:redline-api',
          ApproximateFirstReceiveTimestamp: String(now.getTime()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:report-jobs',
        awsRegion: 'us-east-1',
      },
    ],
  });
  const consumer = (snapshots = store.dependencies.snapshots) =>
    createReportHandler({ revisions: store.dependencies.revisions, snapshots, now: () => now }, { maxReceiveCount: 3 }, quietObservability());
  const reportsStored = async () => {
    const keys: string[] = [];
    for await (const object of (store.dependencies.snapshots as S3SnapshotStore).listPrefix('reports/')) keys.push(object.key);
    return keys.sort();
  };

  beforeAll(async () => {
    store = await startProvenanceStore();
    for (const country of CORPUS_COUNTRIES) for (const year of [2023, 2024]) await store.record(country, year);
    for (const country of CORPUS_COUNTRIES.slice(0, 3)) await store.record(country, 2022);
    const dependencies: ApiDependencies = {
      ...store.dependencies,
      now: () => now,
      subscriptions: new DynamoSubscriptionStore({ client: store.aws.dynamodb, tableName: store.aws.tableName }),
      subscriptionGateway: new LocalSubscriptionGateway(),
      reportJobs: { enqueue: async (message) => void enqueued.push(message) },
      api: { token: 'test-token-0123456789abcdef', reportJobs: { syncSeriesLimit: 2, jobDeadlineMs: DEADLINE_MS } },
    };
    server = await startApiServer({ handler: createApiHandler(dependencies, quietObservability()) });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  it('computes a report within the bound in the request (200), and enqueues nothing', async () => {
    const answer = await get('/editions/hrr~russia/report?from=2023&to=2024');
    expect(answer.status).toBe(200);
    expect(answer.json().series.map((row: { series: string }) => row.series)).toEqual(['hrr/russia']);
    expect(enqueued).toEqual([]);
  });

  it('answers a cold whole edition with 202, Location and Retry-After; a repeat while pending enqueues nothing', async () => {
    const answer = await get('/editions/hrr/report?from=2023&to=2024');
    expect(answer.status).toBe(202);
    expect(answer.headers.get('retry-after')).toBe('10');
    expect(answer.headers.get('cache-control')).toBe('private, no-store');
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const location = answer.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${server.url}/editions/hrr/report/jobs/[0-9a-f]{64}\\?from=2023&to=2024$`));
    const body = answer.json();
    expect(body).toMatchObject({ state: 'pending', report: 'hrr', from: 2023, to: 2024, series: 6, statusUrl: location });
    expect(body.reportUrl).toBe(`${server.url}/editions/hrr/report?from=2023&to=2024`);
    expect(enqueued).toEqual([{ report: 'hrr', from: 2023, to: 2024, inputsHash: body.job, requestedAt: now.toISOString() }]);
    // Nothing computed: no report stored, only the job's marker.
    expect((await reportsStored()).filter((key) => !key.startsWith('reports/hrr~russia/'))).toEqual([
      `reports/_jobs/hrr/2023-2024/${body.job}.json.gz`,
    ]);

    const again = await get('/editions/hrr/report?from=2023&to=2024');
    expect([again.status, again.headers.get('location')]).toEqual([202, location]);
    const status = await get(location);
    expect([status.status, status.json().state, status.headers.get('retry-after')]).toEqual([202, 'pending', '10']);
    // The web UI's overview: a "being computed" page that reloads itself without script, and no second job.
    const page = await get('/ui/editions/hrr?from=2023&to=2024');
    expect([page.status, page.headers.get('cache-control')]).toEqual([202, 'private, no-store']);
    expect(page.text).toContain('<meta http-equiv="refresh" content="10">');
    expect(page.text).toContain('<h1>hrr: the 2023 and 2024 editions, being computed</h1>');
    expect(page.text).toContain('6 series are being compared off the request path');
    expect(enqueued).toHaveLength(1);
  });

  it('gives the report at the status URL once the report function has run: the figures of the synchronous path', async () => {
    const message = enqueued[0]!;
    expect(await consumer()(sqsEvent(message, 1), localLambdaContext('redline-report'))).toEqual({ batchItemFailures: [] });
    const status = await get(`/editions/hrr/report/jobs/${message.inputsHash}?from=2023&to=2024`);
    expect(status.status).toBe(200);
    const report = status.json();
    // The figures the use case's test checks by hand (test/use-cases/edition-report.test.ts).
    expect(
      report.series.map((row: { series: string; wordsFrom: number; wordsTo: number; ratio: number }) => [
        row.series,
        row.wordsFrom,
        row.wordsTo,
        row.ratio,
      ]),
    ).toEqual(SAMPLE_SERIES_FIGURES_2023_2024);
    // The report URL now answers 200 from the cache, with the same body; CSV at the status URL as at the report URL.
    const overview = await get('/ui/editions/hrr?from=2023&to=2024');
    expect(overview.status).toBe(200);
    expect(overview.text).not.toContain('http-equiv="refresh"');
    const direct = await get('/editions/hrr/report?from=2023&to=2024');
    expect([direct.status, direct.text]).toEqual([200, status.text]);
    const csv = await get(`/editions/hrr/report/jobs/${message.inputsHash}?from=2023&to=2024&format=csv&by=section`);
    expect(csv.text).toBe((await get('/editions/hrr/report?from=2023&to=2024&format=csv&by=section')).text);
    // The synchronous path, computed afresh (the cache emptied first), gives the same figures.
    for (const key of await reportsStored()) await store.aws.s3.send(new DeleteObjectCommand({ Bucket: store.aws.bucketName, Key: key }));
    const fresh = await buildEditionReport(store.dependencies, { report: 'hrr', from: 2023, to: 2024 });
    expect(fresh.cached).toBe(false);
    expect(fresh.report).toEqual(report);
    expect(enqueued).toHaveLength(1);
  });

  it('reports a failed job as failed at its status URL, and a later request retries it', async () => {
    const first = await get('/editions/hrr/report?from=2022&to=2024');
    expect([first.status, first.json().series]).toEqual([202, 3]);
    const message = enqueued.at(-1)!;
    const unreachable = new Proxy(store.dependencies.snapshots, {
      get: (target, property, receiver) =>
        property === 'getDocument'
          ? async () => {
              throw new Error('S3 is unreachable');
            }
          : Reflect.get(target, property, receiver),
    });
    // Not the last delivery: the record fails for SQS to redeliver, the job stays pending.
    const failing = consumer(unreachable);
    // (A batch whose every record failed is thrown by Powertools: Lambda then retries the batch, as SQS would the record.)
    await expect(failing(sqsEvent(message, 1), localLambdaContext('redline-report'))).rejects.toThrow(FullBatchFailureError);
    const status = first.headers.get('location')!;
    expect((await get(status)).json().state).toBe('pending');
    // The last delivery (3 of 3): the job is marked failed before the message goes to the DLQ.
    await expect(failing(sqsEvent(message, 3), localLambdaContext('redline-report'))).rejects.toThrow(FullBatchFailureError);
    const failed = await get(status);
    expect(failed.status).toBe(200);
    expect(failed.json()).toMatchObject({ state: 'failed', error: 'S3 is unreachable', series: 3 });
    expect(enqueued).toHaveLength(2);

    // A later request enqueues it again (the second request of the job), and the retry's report is served.
    const retry = await get('/editions/hrr/report?from=2022&to=2024');
    expect([retry.status, retry.headers.get('location'), retry.json().state]).toEqual([202, status, 'pending']);
    expect(enqueued).toHaveLength(3);
    expect(enqueued[2]).toEqual({ ...message, requestedAt: now.toISOString() });
    expect(await consumer()(sqsEvent(enqueued[2]!, 1), localLambdaContext('redline-report'))).toEqual({ batchItemFailures: [] });
    const done = await get(status);
    expect(done.status).toBe(200);
    expect(done.json().series).toHaveLength(3);
  });

  it('counts a job still pending past its deadline as failed (the function timed out into the DLQ)', async () => {
    const first = await get('/editions/hrr/report?from=2022&to=2023');
    expect(first.status).toBe(202);
    const status = first.headers.get('location')!;
    now = new Date(now.getTime() + DEADLINE_MS);
    expect((await get(status)).json().state).toBe('pending');
    now = new Date(now.getTime() + 1);
    const failed = (await get(status)).json();
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/^not finished by its deadline/);
    expect((await get('/editions/hrr/report?from=2022&to=2023')).status).toBe(202);
    expect(enqueued.map((message) => `${message.from}-${message.to}`)).toEqual(['2023-2024', '2022-2024', '2022-2024', '2022-2023', '2022-2023']);
  });

  it('the CLI follows the 202: it waits Retry-After on its injected clock, asks the status URL, and prints the report', async () => {
    // The job of 2022 -> 2023 is pending (the test above enqueued it again); the CLI's clock runs it while it waits.
    const pending = enqueued.at(-1)!;
    const waits: number[] = [];
    const stdout = new BufferedOutput();
    const stderr = new BufferedOutput();
    const io: CliIo = {
      stdout,
      stderr,
      env: { PATH: process.env.PATH },
      exitCode: 0,
      sleep: async (ms) => {
        waits.push(ms);
        await consumer()(sqsEvent(pending, 1), localLambdaContext('redline-report'));
      },
    };
    const code = await runCli(['editions', 'report', 'hrr', '--from', '2022', '--to', '2023', '--json', '--api', server.url], io);
    expect([code, stderr.text]).toEqual([
      0,
      `Computing the edition report off the request path (3 series, job ${pending.inputsHash.slice(0, 12)}); waiting...\n`,
    ]);
    expect(waits).toEqual([10_000]);
    const status = await get(`/editions/hrr/report/jobs/${pending.inputsHash}?from=2022&to=2023`);
    expect(JSON.parse(stdout.text)).toEqual(status.json());
    expect(JSON.parse(stdout.text).series).toHaveLength(3);
  });

  it('sends a job done under newer inputs (a page revised meanwhile) to the report URL with 303', async () => {
    const [country] = CORPUS_COUNTRIES;
    const revised = (sentence: string) => {
      const document = structuredClone(hrrDocument(country!, 2023));
      const section = document.sections.find((candidate) => candidate.paragraphs.length > 0)!;
      section.paragraphs[0]!.text += ` ${sentence}`;
      return document;
    };
    await store.record(country!, 2023, revised('Observers reported a first new case.'));
    const first = await get('/editions/hrr/report?from=2022&to=2023');
    expect(first.status).toBe(202);
    const message = enqueued.at(-1)!;
    // The page changes again before the job runs: the report function computes (and caches) the newer inputs.
    await store.record(country!, 2023, revised('Observers reported a second new case.'));
    expect(await consumer()(sqsEvent(message, 1), localLambdaContext('redline-report'))).toEqual({ batchItemFailures: [] });
    const status = await get(first.headers.get('location')!);
    expect([status.status, status.headers.get('location'), status.json().state]).toEqual([
      303,
      `${server.url}/editions/hrr/report?from=2022&to=2023`,
      'done',
    ]);
    const report = await get('/editions/hrr/report?from=2022&to=2023');
    expect(report.status).toBe(200);
    expect(report.json().series).toHaveLength(3);
  });

  it('refuses a malformed job id (400) and answers 404 for a job nobody requested', async () => {
    expect((await get('/editions/hrr/report/jobs/abc?from=2023&to=2024')).status).toBe(400);
    const unknown = await get(`/editions/hrr/report/jobs/${'0'.repeat(64)}?from=2023&to=2024`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
