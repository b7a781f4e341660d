import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scheduledEvent } from '../../local/runtime/aws-event-shapes.js';
import { loadCorpusHtml } from '../../local/demo/corpus-pages.js';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime/local-runtime.js';
import { attributesMatch, notificationMatches } from '../../shared/adapters/sns/filter-policy.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../local/demo/webhook-receiver.js';
import { notificationAttributes } from '../../shared/adapters/sns/notification-attributes.js';
import { extract } from '../../shared/domain/extract.js';
import { parseObjectCreated } from '../../shared/runtime/event-parsing.js';
import { pageOfDocumentKey } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { revisionFromStreamImage } from '../../shared/adapters/dynamodb/revision-stream-image.js';
import { notificationIds, type Notification, type RevisionNotification } from '../../shared/domain/notification.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';

const URL_2023 = 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/tuvalu/';
const SECRET = 'local-runtime-test-secret';

const revisionNotification: RevisionNotification = {
  id: notificationIds.revision('hrr.tuvalu.2023', 2),
  type: 'revision',
  page: 'hrr.tuvalu.2023',
  url: URL_2023,
  series: 'hrr/tuvalu',
  edition: 2023,
  occurredAt: '2025-03-02T06:00:00.000Z',
  seq: 2,
  previousSeq: 1,
  summary: {
    added: 0,
    removed: 0,
    modified: 1,
    renamed: 0,
    moved: 0,
    unchanged: 40,
    wordsAdded: 8,
    wordsRemoved: 0,
    significance: 0.01,
    trivial: false,
  },
  sections: [
    {
      key: 'respect-for-civil-liberties/freedom-of-expression',
      heading: 'Freedom of Expression',
      kind: 'modified',
      kinds: ['modified'],
      wordsAdded: 8,
      wordsRemoved: 0,
      significance: 0.2,
    },
  ],
  significance: 0.01,
  trivial: false,
};
const trivialNotification: Notification = {
  ...revisionNotification,
  id: notificationIds.revision('hrr.tuvalu.2023', 3),
  seq: 3,
  trivial: true,
  sections: [
    {
      key: 'executive-summary',
      heading: 'Executive Summary',
      kind: 'modified',
      kinds: ['modified'],
      wordsAdded: 1,
      wordsRemoved: 1,
      significance: 0,
      trivial: 'numbers',
    },
  ],
};
const alert: Notification = {
  id: notificationIds.alert('hrr.tuvalu.2023', '2025-03-02T06:00:00.000Z'),
  type: 'alert',
  page: 'hrr.tuvalu.2023',
  url: URL_2023,
  occurredAt: '2025-03-02T06:00:00.000Z',
  kind: 'http-status',
  message: 'HTTP 503',
  httpStatus: 503,
  consecutiveFailures: 3,
};

describe('the local runtime', () => {
  let runtime: LocalRuntime;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
    runtime = await startLocalRuntime({
      ephemeral: true,
      startEventSources: false,
      // In the test's thread: a thread of their own costs a short test CPU time (docs/testing.md); the edition report
      // and data folder tests below run them on it, as `npm start` does.
      serversThread: false,
      webhooks: [
        { url: receiver.url('/all'), secret: SECRET },
        {
          url: receiver.url('/civil-liberties'),
          secret: SECRET,
          filterPolicy: { sections: [{ prefix: 'respect-for-civil-liberties' }], trivial: ['false'] },
        },
      ],
    });
  });

  afterAll(async () => {
    await runtime?.close();
    await receiver?.close();
  });

  it('turns a Document stored under docs/ into the EventBridge "Object Created" event on the diff queue, and nothing else', async () => {
    const { page } = (await runtime.watch({ url: URL_2023 })).page;
    const document = extract(loadCorpusHtml('tuvalu', 2023), { url: URL_2023 });
    const stored = await runtime.dependencies.snapshots.putDocument(page, document);
    await runtime.dependencies.snapshots.putRaw(page, new TextEncoder().encode('<html></html>'), 'text/html');
    const messages = runtime.queues.diff.receive(10);
    expect(messages).toHaveLength(1);
    const event = JSON.parse(messages[0]!.payload) as Record<string, unknown>;
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: 'us-east-1',
      resources: [`arn:aws:s3:::${runtime.servers.bucketName}`],
      detail: {
        version: '0',
        bucket: { name: runtime.servers.bucketName },
        object: { key: stored.key, size: expect.any(Number), etag: expect.stringMatching(/^[0-9a-f]{32}$/), sequencer: expect.any(String) },
        'request-id': expect.any(String),
        requester: '000000000000',
        'source-ip-address': '127.0.0.1',
        reason: 'PutObject',
      },
    });
    // The diff handler's own parsing reads it.
    expect(parseObjectCreated(messages[0]!.payload)).toEqual([{ bucket: runtime.servers.bucketName, key: stored.key, time: expect.any(String) }]);
    expect(pageOfDocumentKey(stored.key)).toBe(page);
    runtime.queues.diff.delete(messages[0]!.receiptHandle);
  });

  it('emits the DynamoDB stream record of a new revision item, read back as stored', async () => {
    const page = 'hrr.tuvalu.2023';
    const key = (await runtime.dependencies.snapshots.putDocument(page, extract(loadCorpusHtml('tuvalu', 2023), { url: URL_2023 }))).key;
    runtime.queues.diff.receive(10).forEach((message) => runtime.queues.diff.delete(message.receiptHandle));
    expect(await recordRevision(runtime.dependencies, { page, documentKey: key, capturedAt: '2025-03-01T06:00:00.000Z' })).toMatchObject({
      outcome: 'recorded',
    });
    await runtime.drain();
    const [record] = runtime.queues.stream.receive(10);
    expect(record).toBeDefined();
    expect(record!.payload).toEqual({
      eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: expect.stringMatching(/^arn:aws:dynamodb:us-east-1:000000000000:table\/redline\/stream\//),
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { pk: { S: `PAGE#${page}` }, sk: { S: 'REV#0000000001' } },
        NewImage: expect.objectContaining({ pk: { S: `PAGE#${page}` }, sk: { S: 'REV#0000000001' }, type: { S: 'revision' }, seq: { N: '1' } }),
        SequenceNumber: expect.stringMatching(/^\d{21}$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_IMAGE',
      },
    });
    expect(revisionFromStreamImage(record!.payload.dynamodb!.NewImage)).toMatchObject({ page, seq: 1, documentKey: key });
    runtime.queues.stream.delete(record!.receiptHandle);
    // The provenance consumer reads the same record from its own position on the stream.
    const [copy] = runtime.queues.provenanceStream.receive(10);
    expect(copy!.payload).toEqual(record!.payload);
    runtime.queues.provenanceStream.delete(copy!.receiptHandle);
  });

  it('builds the ScheduledEvent that EventBridge Scheduler sends to dispatch', () => {
    expect(scheduledEvent(new Date('2025-03-01T06:00:00.123Z'))).toEqual({
      version: '0',
      id: expect.any(String),
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '000000000000',
      time: '2025-03-01T06:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:scheduler:us-east-1:000000000000:schedule/default/redline-dispatch'],
      detail: {},
    });
  });

  it('delivers each notification to the recorder and to the webhooks whose filter policy passes it, signed', async () => {
    for (const notification of [revisionNotification, trivialNotification, alert]) await runtime.dependencies.notifier.publish(notification);
    expect(runtime.notifications.ids()).toEqual([revisionNotification.id, trivialNotification.id, alert.id]);
    expect(receiver.accepted('/all').map((notification) => notification.id)).toEqual([revisionNotification.id, trivialNotification.id, alert.id]);
    expect(receiver.accepted('/civil-liberties').map((notification) => notification.id)).toEqual([revisionNotification.id]);
    expect(receiver.receipts.every((receipt) => receipt.verified)).toBe(true);

    // A stream retry delivers again: the receiver drops the repeated id.
    await runtime.dependencies.notifier.publish(revisionNotification);
    expect(
      receiver.receipts.filter((receipt) => receipt.id === revisionNotification.id && receipt.path === '/all').map((receipt) => receipt.duplicate),
    ).toEqual([false, true]);

    // And refuses what is not signed with the secret.
    const forged = await fetch(receiver.url('/all'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,AAAA',
      },
      body: JSON.stringify(alert),
    });
    expect(forged.status).toBe(401);
    expect(receiver.receipts.at(-1)).toMatchObject({ id: 'forged', verified: false, status: 401 });
  });

  it('runs the dispatch handler on a timer', async () => {
    // Waits for two dispatches, however long a loaded machine takes to fire them: the outcome does not depend on speed.
    const dispatched = new Promise<void>((resolve) => {
      let count = 0;
      const stop = runtime.onActivity((activity) => {
        if (activity.type === 'dispatch' && ++count === 2) {
          stop();
          resolve();
        }
      });
    });
    runtime.startScheduler(20);
    try {
      await dispatched;
    } finally {
      await runtime.stopScheduler();
    }
    expect(runtime.activity.filter((activity) => activity.type === 'dispatch').length).toBeGreaterThanOrEqual(2);
  });
});

describe('SNS filter policies evaluated in process', () => {
  const attributes = notificationAttributes(revisionNotification);

  it.each([
    [{ type: ['revision'] }, true],
    [{ type: ['alert', 'new-edition'] }, false],
    [{ series: [{ prefix: 'hrr/' }] }, true],
    [{ page: [{ suffix: '.2024' }] }, false],
    [{ page: [{ 'equals-ignore-case': 'HRR.TUVALU.2023' }] }, true],
    [{ sections: ['executive-summary', 'respect-for-civil-liberties/freedom-of-expression'] }, true],
    [{ kinds: [{ 'anything-but': ['modified'] }] }, false],
    [{ significance: [{ numeric: ['>=', 0.01, '<', 1] }] }, true],
    [{ significance: [{ numeric: ['>', 0.5] }] }, false],
    [{ edition: [2023] }, true],
    [{ failureKind: [{ exists: false }] }, true],
    [{ failureKind: [{ exists: true }] }, false],
    [{ type: ['revision'], trivial: ['true'] }, false],
  ] as const)('%j matches: %s', (policy, expected) => {
    expect(attributesMatch(policy, attributes)).toBe(expected);
  });

  it('passes everything without a policy', () => {
    expect(notificationMatches(undefined, alert)).toBe(true);
  });
});

describe('the local runtime with its HTTP API', () => {
  it('serves the api handler, takes subscriptions through it and delivers to them, and keeps the URL guard for other origins', async () => {
    const hooks = await startWebhookReceiver({ secret: SECRET });
    const runtime = await startLocalRuntime({
      ephemeral: true,
      startEventSources: false,
      serversThread: false,
      api: { token: 'test-token', allowedUrlOrigins: [hooks.origin] },
    });
    try {
      const api = runtime.api!;
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${api.url}${path}`, {
          method,
          headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const created = await call('POST', '/subscriptions', {
        filters: { sectionPrefixes: ['respect-for-civil-liberties'] },
        delivery: { type: 'webhook', url: hooks.url('/api-subscription'), secret: SECRET },
      });
      expect(created.status).toBe(201);
      // Loopback is refused unless it is an allowed origin (the SSRF guard still applies to everything else).
      const refused = await call('POST', '/watches', { url: 'http://127.0.0.1:9/reports/2023-country-reports-on-human-rights-practices/tuvalu/' });
      expect(refused.status).toBe(400);
      expect((await call('POST', '/watches', { url: URL_2023 })).status).toBe(201);
      expect((await (await fetch(`${api.url}/pages`)).json()) as unknown).toMatchObject({
        items: [expect.objectContaining({ page: 'hrr.tuvalu.2023' })],
      });

      for (const notification of [revisionNotification, trivialNotification, alert]) await runtime.dependencies.notifier.publish(notification);
      expect(hooks.accepted('/api-subscription').map((notification) => notification.id)).toEqual([revisionNotification.id]);
    } finally {
      await runtime.close();
      await hooks.close();
    }
  });
});

describe('the local runtime: edition reports over the bound', () => {
  it('answers 202, runs the job on its in-process report queue and function, and the status URL then gives the report', async () => {
    const runtime = await startLocalRuntime({ ephemeral: true, api: { token: 'test-token', syncReportSeries: 0 } });
    try {
      expect(runtime.servers.thread).toBe('worker');
      // Two editions of one series, recorded by the runtime's own diff path (docs/ -> EventBridge -> diff queue): the
      // S3 events relayed from the servers' thread.
      for (const year of [2023, 2024]) {
        const url = `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/tuvalu/`;
        const { page } = await runtime.watch({ url });
        await runtime.dependencies.snapshots.putDocument(page.page, extract(loadCorpusHtml('tuvalu', year), { url }));
      }
      await runtime.drain();
      const api = runtime.api!;
      const accepted = await fetch(`${api.url}/editions/hrr~tuvalu/report?from=2023&to=2024`);
      expect(accepted.status).toBe(202);
      const location = accepted.headers.get('location')!;
      await runtime.drain();
      const done = await fetch(location);
      expect(done.status).toBe(200);
      const report = (await done.json()) as { series: { series: string; wordsFrom: number; wordsTo: number }[] };
      expect(report.series.map((row) => [row.series, row.wordsFrom, row.wordsTo])).toEqual([['hrr/tuvalu', 2659, 842]]);
      expect(runtime.queues.reportJobDeadLetters.deadLetters).toEqual([]);
    } finally {
      await runtime.close();
    }
  });
});

describe('the local runtime on a data folder', () => {
  it('writes runtime.json while running, keeps the data across a restart, and removes runtime.json on close', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'redline-runtime-data-'));
    try {
      const first = await startLocalRuntime({ dataDir, requireListPaging: false });
      try {
        const file = join(dataDir, 'runtime.json');
        expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
          pid: process.pid,
          endpoints: first.servers.endpoints,
          table: 'redline',
          bucket: 'redline',
        });
        await first.watch({ url: URL_2023 });
      } finally {
        await first.close();
      }
      expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
      expect(existsSync(join(dataDir, 'logs', 'functions.jsonl'))).toBe(true);

      const second = await startLocalRuntime({ dataDir, requireListPaging: false });
      try {
        expect(await second.dependencies.revisions.getPage('hrr.tuvalu.2023')).toMatchObject({ url: URL_2023, series: 'hrr/tuvalu' });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
