import type { SQSBatchResponse } from 'aws-lambda';
import { createCaptureHandler } from '../../../functions/capture/capture-handler.js';
import { NotificationRecorder } from '../../../local/runtime/notification-recorder.js';
import { DynamoRevisionStore } from '../../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { allowLoopbackOrigins } from '../../../shared/adapters/outbound-http/address-guard.js';
import type { HostLookup } from '../../../shared/adapters/outbound-http/guarded-connector.js';
import { HttpFetcher } from '../../../shared/adapters/outbound-http/http-fetcher.js';
import { S3SnapshotStore } from '../../../shared/adapters/s3/s3-snapshot-store.js';
import type { CaptureFailureKind } from '../../../shared/errors.js';
import type { CaptureMessage } from '../../../shared/ports/capture-queue.js';
import type { CaptureFailure, PageRecord } from '../../../shared/domain/page-records.js';
import { localLambdaContext } from '../../../shared/runtime/lambda-handler.js';
import { capturePage } from '../../../shared/use-cases/capture-page.js';
import { recordRevision } from '../../../shared/use-cases/record-revision.js';
import { DEFAULT_TRACKER_SETTINGS, type TrackerDependencies } from '../../../shared/use-cases/tracker-dependencies.js';
import { loadCorpusPage } from '../../support/corpus.js';
import { startHostileServer, type HostileServer } from '../../support/hostile-server.js';
import { startLocalAws, type LocalAws } from '../../support/local-aws.js';
import { measured, silentObservability, sqsEvent } from './hardening-kit.js';
import { startHostileSite, type HostileSite } from './hostile-site.js';

/**
 * The rig of the hostile-target checks (test/hardening/hostile-capture.test.ts and the hardening bench): dynalite
 * and s3rver, the misbehaving servers (test/support/hostile-server.ts and support/hostile-site.ts), the real
 * HttpFetcher with tight caps, and the capture HANDLER. Each case starts from a watched page with one baseline
 * revision (the Tuvalu 2023 report), points the page at the hostile URL and delivers one capture message.
 */
export const BODY_CAP = 2 * 1024 * 1024;
/** The total timeout of the cases about time (kind `timeout`): their servers never finish, so no speed passes it. */
export const TOTAL_TIMEOUT_MS = 2_000;
/**
 * The time caps of every other case: far above what any of them needs on a loaded machine, so that they are
 * classified by what they are (bytes over the cap, a status, a redirect), never by how fast the machine ran.
 */
export const GENEROUS_TIMEOUT_MS = 120_000;
export const GOOD_PATH = '/good';

export interface HostileCase {
  name: string;
  url: (rig: HostileRig) => string;
  kind: CaptureFailureKind;
  httpStatus?: number;
  message: RegExp;
  /** Minutes from the attempt to nextDueAt (default: the first backoff, 15). */
  dueInMinutes?: number;
}

export const HOSTILE_CASES: HostileCase[] = [
  { name: 'slow headers', url: (rig) => rig.hostile.url('/slow-headers'), kind: 'timeout', message: /response headers timeout|total timeout/ },
  {
    name: 'a body dripping one byte at a time',
    url: (rig) => rig.hostile.url('/drip'),
    kind: 'timeout',
    message: /total timeout of 2000 ms exceeded|response body timeout/,
  },
  {
    name: 'a 100 MB body announced by Content-Length',
    url: (rig) => rig.hostile.url('/huge-length'),
    kind: 'too-large',
    httpStatus: 200,
    message: /declares 104857600 bytes, over the 2097152 byte cap/,
  },
  {
    name: 'an endless body without a length (multi-GB)',
    url: (rig) => rig.site.url('/endless'),
    kind: 'too-large',
    message: /body over the 2097152 byte cap \(received\)/,
  },
  { name: 'a 32 MiB gzip bomb', url: (rig) => rig.hostile.url('/gzip-bomb'), kind: 'too-large', message: /byte cap \(decompressed\)/ },
  {
    name: 'a 1 GiB gzip bomb (1 MiB on the wire)',
    url: (rig) => rig.site.url('/gzip-bomb-1g'),
    kind: 'too-large',
    message: /byte cap \(decompressed\)/,
  },
  { name: 'a redirect loop', url: (rig) => rig.hostile.url('/loop-a'), kind: 'http-status', httpStatus: 301, message: /Redirect loop/ },
  {
    name: 'a redirect to a private address',
    url: (rig) => rig.hostile.url('/redirect?to=http://10.0.0.1/'),
    kind: 'blocked',
    message: /private address 10\.0\.0\.1/,
  },
  {
    name: 'a redirect to the metadata address',
    url: (rig) => rig.hostile.url('/redirect?to=http://169.254.169.254/latest/meta-data/'),
    kind: 'blocked',
    message: /linkLocal address 169\.254\.169\.254/,
  },
  {
    name: 'a redirect to a name that resolves to loopback (DNS rebinding)',
    url: (rig) => rig.hostile.url(`/redirect?to=http://rebind.test:${new URL(rig.site.origin).port}/good`),
    kind: 'blocked',
    message: /Refusing to connect to rebind\.test: loopback address 127\.0\.0\.1/,
  },
  {
    name: 'a redirect to a name that resolves to the metadata address',
    url: (rig) => rig.hostile.url('/redirect?to=http://metadata.test/'),
    kind: 'blocked',
    message: /linkLocal address 169\.254\.169\.254/,
  },
  { name: 'non-HTML (PDF)', url: (rig) => rig.hostile.url('/pdf'), kind: 'not-html', httpStatus: 200, message: /is application\/pdf, not HTML/ },
  {
    name: 'no Content-Type',
    url: (rig) => rig.hostile.url('/no-content-type'),
    kind: 'not-html',
    httpStatus: 200,
    message: /served without a Content-Type/,
  },
  { name: 'robots.txt disallows the page', url: (rig) => rig.hostile.url('/private/report'), kind: 'robots', message: /robots\.txt/ },
  {
    name: '429 with Retry-After 7 s (the backoff is longer)',
    url: (rig) => rig.hostile.url('/status/429'),
    kind: 'http-status',
    httpStatus: 429,
    message: /HTTP 429/,
  },
  {
    name: '429 with Retry-After 7200 s',
    url: (rig) => rig.site.url('/retry-after-seconds?s=7200'),
    kind: 'http-status',
    httpStatus: 429,
    message: /HTTP 429/,
    dueInMinutes: 120,
  },
  {
    name: '503 with a Retry-After date 3 hours ahead',
    url: (rig) => rig.site.url('/retry-after-date?ms=10800000'),
    kind: 'http-status',
    httpStatus: 503,
    message: /HTTP 503/,
    dueInMinutes: 180,
  },
  { name: '503 without Retry-After', url: (rig) => rig.site.url('/unavailable'), kind: 'http-status', httpStatus: 503, message: /HTTP 503/ },
  { name: '404', url: (rig) => rig.hostile.url('/status/404'), kind: 'http-status', httpStatus: 404, message: /HTTP 404/ },
  {
    name: 'an error page served with 200',
    url: (rig) => rig.site.url('/error-200'),
    kind: 'body-missing',
    message: /No report body found for profile "state-hrr"/,
  },
  { name: 'an empty 200', url: (rig) => rig.site.url('/empty'), kind: 'body-missing', message: /The page is empty/ },
  { name: 'a blank 200', url: (rig) => rig.site.url('/blank'), kind: 'body-missing', message: /The page is empty/ },
  {
    name: 'a report whose headings are gone (structure lost)',
    url: (rig) => rig.site.url('/structure-lost'),
    kind: 'body-missing',
    message: /no section headings: its structure was lost/,
  },
  {
    name: 'truncated HTML with intact HTTP framing',
    url: (rig) => rig.site.url('/truncated-html'),
    kind: 'body-missing',
    message: /ends inside the report body .*truncated/,
  },
  {
    name: 'a transfer cut short of its Content-Length',
    url: (rig) => rig.site.url('/truncated-transfer'),
    kind: 'network',
    message: /terminated|other side closed|aborted|socket/i,
  },
  { name: 'a truncated gzip body', url: (rig) => rig.site.url('/truncated-gzip'), kind: 'network', message: /unexpected end of file/ },
  { name: 'binary bytes served as text/html', url: (rig) => rig.site.url('/binary'), kind: 'body-missing', message: /No report body found/ },
];

/** Fake DNS: the *.test names of the cases; nothing else resolves (no lookup ever leaves the machine). */
const lookup: HostLookup = async (hostname) => {
  if (hostname === 'rebind.test') return [{ address: '127.0.0.1', family: 4 }];
  if (hostname === 'metadata.test') return [{ address: '169.254.169.254', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

export interface HostileOutcome {
  batchItemFailures: SQSBatchResponse['batchItemFailures'];
  failures: CaptureFailure[];
  page: PageRecord;
  baselineHash: string;
  revisionSeqs: number[];
  documents: number;
  /** Milliseconds before and after the attempt (bounds for nextDueAt). */
  attemptedFrom: number;
  attemptedTo: number;
  ms: number;
  peakMiB: number;
}

export interface HostileRig {
  aws: LocalAws;
  hostile: HostileServer;
  site: HostileSite;
  dependencies: TrackerDependencies;
  notifications: NotificationRecorder;
  /** The clock the use cases read (real time unless a test moves it). */
  clock: { now: () => Date };
  pageWithBaseline(intervalMinutes?: number): Promise<{ page: PageRecord; baselineHash: string }>;
  pointAt(page: PageRecord, url: string): Promise<PageRecord>;
  message(page: PageRecord): CaptureMessage;
  captureThroughHandler(page: PageRecord): Promise<SQSBatchResponse>;
  run(testCase: HostileCase): Promise<HostileOutcome>;
  close(): Promise<void>;
}

export async function startHostileRig(): Promise<HostileRig> {
  const aws = await startLocalAws();
  const hostile = await startHostileServer();
  const site = await startHostileSite(loadCorpusPage('tuvalu', 2023));
  const fetcherWith = (timeouts: { connectTimeoutMs: number; headersTimeoutMs: number; totalTimeoutMs: number }) =>
    new HttpFetcher({
      userAgent: 'redline-hardening/0.1 (+tests)',
      ...timeouts,
      maxBodyBytes: BODY_CAP,
      perHostDelayMs: 0,
      perHostConcurrency: 4,
      allowPrivateAddresses: allowLoopbackOrigins([hostile.origin, site.origin]),
      lookup,
    });
  const timedFetcher = fetcherWith({ connectTimeoutMs: 1_000, headersTimeoutMs: 800, totalTimeoutMs: TOTAL_TIMEOUT_MS });
  const generousFetcher = fetcherWith({
    connectTimeoutMs: GENEROUS_TIMEOUT_MS,
    headersTimeoutMs: GENEROUS_TIMEOUT_MS,
    totalTimeoutMs: GENEROUS_TIMEOUT_MS,
  });
  // The handler's fetcher: the generous one, except while a case about time runs.
  let activeFetcher: HttpFetcher = generousFetcher;
  const fetcher = { fetchPage: (request: Parameters<HttpFetcher['fetchPage']>[0]) => activeFetcher.fetchPage(request) };
  const clock = { now: () => new Date() };
  const notifications = new NotificationRecorder();
  const dependencies: TrackerDependencies = {
    revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName }),
    snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName }),
    fetcher,
    notifier: notifications,
    captureQueue: { enqueue: async () => undefined },
    now: () => clock.now(),
    settings: { ...DEFAULT_TRACKER_SETTINGS, probeNewEditions: false },
  };
  const handler = createCaptureHandler(dependencies, silentObservability('capture'));
  let pages = 0;

  const message = (page: PageRecord): CaptureMessage => ({
    page: page.page,
    url: page.url,
    reason: 'scheduled',
    requestedAt: clock.now().toISOString(),
  });

  const rig: HostileRig = {
    aws,
    hostile,
    site,
    dependencies,
    notifications,
    clock,
    message,
    async pageWithBaseline(intervalMinutes = 24 * 60) {
      pages += 1;
      const record: PageRecord = {
        page: `hostile.case-${pages}`,
        url: site.url(GOOD_PATH),
        profile: 'state-hrr',
        createdAt: clock.now().toISOString(),
        consecutiveFailures: 0,
        intervalMinutes,
      };
      await dependencies.revisions.putPage(record);
      const captured = await capturePage(dependencies, message(record));
      if (captured.outcome !== 'captured') throw new Error(`baseline capture: ${captured.outcome}`);
      const recorded = await recordRevision(dependencies, {
        page: record.page,
        documentKey: captured.documentKey,
        capturedAt: clock.now().toISOString(),
      });
      if (recorded.outcome !== 'recorded') throw new Error(`baseline revision: ${recorded.outcome}`);
      return { page: (await dependencies.revisions.getPage(record.page))!, baselineHash: captured.documentHash };
    },
    async pointAt(page, url) {
      const current = (await dependencies.revisions.getPage(page.page))!;
      const moved = { ...current, url };
      await dependencies.revisions.putPage(moved);
      return moved;
    },
    async captureThroughHandler(page) {
      return (await handler(sqsEvent([JSON.stringify(message(page))]), localLambdaContext('redline-capture'))) as SQSBatchResponse;
    },
    async run(testCase) {
      const { page, baselineHash } = await rig.pageWithBaseline();
      const hostilePage = await rig.pointAt(page, testCase.url(rig));
      const attemptedFrom = clock.now().getTime();
      activeFetcher = testCase.kind === 'timeout' ? timedFetcher : generousFetcher;
      const { result, ms, peakMiB } = await measured(() => rig.captureThroughHandler(hostilePage)).finally(() => (activeFetcher = generousFetcher));
      const attemptedTo = clock.now().getTime();
      let documents = 0;
      for await (const object of dependencies.snapshots.listDocuments(page.page)) documents += object.key ? 1 : 0;
      return {
        batchItemFailures: result.batchItemFailures,
        failures: (await dependencies.revisions.listFailures(page.page)).items,
        page: (await dependencies.revisions.getPage(page.page))!,
        baselineHash,
        revisionSeqs: (await dependencies.revisions.listRevisions(page.page)).items.map((revision) => revision.seq),
        documents,
        attemptedFrom,
        attemptedTo,
        ms,
        peakMiB,
      };
    },
    async close() {
      await timedFetcher.close();
      await generousFetcher.close();
      await site.close();
      await hostile.close();
      await aws.close();
    },
  };
  return rig;
}
