import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { CaptureError } from '../../shared/errors.js';
import type { Fetcher, FetchRequest, FetchResult } from '../../shared/ports/fetcher.js';
import type { Notifier } from '../../shared/ports/notifier.js';
import type { Notification } from '../../shared/domain/notification.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { capturePage } from '../../shared/use-cases/capture-page.js';
import { DEFAULT_TRACKER_SETTINGS, type TrackerDependencies } from '../../shared/use-cases/tracker-dependencies.js';
import { loadCorpusPage } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

/** Failure alerts: once per run of failures, not lost when publishing fails, re-armed by a success. */

const URL = 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/tuvalu/';

/** A scripted Fetcher (the port, not AWS): each call takes the next outcome. */
class ScriptedFetcher implements Fetcher {
  constructor(private readonly outcomes: Array<'503' | 'ok'>) {}
  async fetchPage(request: FetchRequest): Promise<FetchResult> {
    const next = this.outcomes.shift();
    if (next === '503') throw new CaptureError('HTTP 503', 'http-status', { httpStatus: 503 });
    const html = loadCorpusPage('tuvalu', 2023);
    return {
      status: 'ok',
      finalUrl: request.url,
      body: new TextEncoder().encode(html),
      text: html,
      contentType: 'text/html',
      charset: 'utf-8',
      httpStatus: 200,
      fetchedAt: new Date().toISOString(),
    };
  }
}

/** Records alerts; fails the first `failures` publishes. */
class FlakyNotifier implements Notifier {
  readonly name = 'flaky';
  readonly delivered: Notification[] = [];
  constructor(private failures: number) {}
  async publish(notification: Notification): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('topic unavailable');
    }
    this.delivered.push(notification);
  }
}

describe('capture failure alerts', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws();
  });
  afterAll(async () => {
    await aws.close();
  });

  function dependencies(fetcher: Fetcher, notifier: Notifier): TrackerDependencies {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    return {
      revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName }),
      snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName }),
      fetcher,
      captureQueue: { enqueue: async () => undefined },
      notifier,
      // Each call is one minute later, so every failure has its own capture time.
      now: () => new Date((clock += 60_000)),
      settings: { ...DEFAULT_TRACKER_SETTINGS, failureAlertThreshold: 2 },
    };
  }

  it('alerts once at the threshold, retries a failed publish, and re-arms after a success', async () => {
    const notifier = new FlakyNotifier(1);
    const deps = dependencies(new ScriptedFetcher(['503', '503', '503', '503', 'ok', '503', '503']), notifier);
    const { page } = await addWatch(deps, { url: URL });
    const message = { page: page.page, url: URL, reason: 'scheduled' as const, requestedAt: new Date().toISOString() };

    const first = await capturePage(deps, message);
    expect(first).toMatchObject({ outcome: 'failed', consecutiveFailures: 1, alerted: false });
    // The threshold is reached, but the topic is down: the capture throws, so the queue retries it.
    await expect(capturePage(deps, message)).rejects.toThrow('topic unavailable');
    expect(await capturePage(deps, message)).toMatchObject({ consecutiveFailures: 3, alerted: true });
    expect(await capturePage(deps, message)).toMatchObject({ consecutiveFailures: 4, alerted: false });
    expect(notifier.delivered.map((notification) => notification.type)).toEqual(['alert']);

    expect(await capturePage(deps, message)).toMatchObject({ outcome: 'captured' });
    expect((await deps.revisions.getPage(page.page))?.alertedAt).toBeUndefined();

    await capturePage(deps, message);
    expect(await capturePage(deps, message)).toMatchObject({ consecutiveFailures: 2, alerted: true });
    expect(notifier.delivered).toHaveLength(2);
  });
});
