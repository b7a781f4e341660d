import { appendToFirstParagraph, applyEdits } from '../../local/demo/known-edits.js';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import type { Fetcher, FetchRequest, FetchResult } from '../../shared/ports/fetcher.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { capturePage } from '../../shared/use-cases/capture-page.js';
import { importPages, type CaptureSourceItem } from '../../shared/use-cases/import-pages.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { DEFAULT_TRACKER_SETTINGS, type TrackerDependencies } from '../../shared/use-cases/tracker-dependencies.js';
import { cycleLines } from '../../cli/run-command.js';
import type { CycleReport } from '../../local/runtime/local-runtime.js';
import { loadCorpusPage } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

/**
 * Issue 12, item 1: a page whose own date is in the future (2099) must not stop change detection. Imports bound a
 * capture's time by the import's; a revision already dated in the future (a store imported before) never makes a
 * live capture stale; a capture that is not recorded keeps no validators, leaves lastDocumentHash alone, and `run`
 * says it was not recorded.
 */

const URL = 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/tuvalu/';
const PAGE_DATE = '2025-01-03T21:45:56+00:00';
const FUTURE_DATE = '2099-01-03T21:45:56+00:00';
/** The real Tuvalu 2023 page, with its own modified date (JSON-LD and meta) moved to 2099. */
const futureDated = (): string => {
  const html = loadCorpusPage('tuvalu', 2023);
  expect(html).toContain(PAGE_DATE);
  return html.split(PAGE_DATE).join(FUTURE_DATE);
};

/** Serves the current HTML, with an ETag per text. */
class PageFetcher implements Fetcher {
  html = '';
  async fetchPage(request: FetchRequest): Promise<FetchResult> {
    return {
      status: 'ok',
      finalUrl: request.url,
      body: new TextEncoder().encode(this.html),
      text: this.html,
      contentType: 'text/html',
      charset: 'utf-8',
      httpStatus: 200,
      etag: `"${this.html.length}"`,
      fetchedAt: new Date().toISOString(),
    };
  }
}

describe('future dates do not stop change detection', () => {
  let aws: LocalAws;
  beforeEach(async () => {
    aws = await startLocalAws();
  });
  afterEach(async () => {
    await aws.close();
  });

  function setUp() {
    const fetcher = new PageFetcher();
    let now = Date.parse('2026-01-01T00:00:00.000Z');
    const dependencies: TrackerDependencies = {
      revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName }),
      snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName }),
      fetcher,
      captureQueue: { enqueue: async () => undefined },
      notifier: { name: 'none', publish: async () => undefined },
      now: () => new Date(now),
      settings: DEFAULT_TRACKER_SETTINGS,
    };
    const advanceDays = (days: number) => (now += days * 86_400_000);
    const at = () => new Date(now).toISOString();
    /** A live capture of a new text; its storage event is what the diff function does with it, at `recordAt`. */
    const capture = async (page: string) => {
      const outcome = await capturePage(dependencies, { page, url: URL, reason: 'scheduled', requestedAt: at() });
      if (outcome.outcome !== 'captured' || !outcome.created) throw new Error(`expected a new Document, got ${JSON.stringify(outcome)}`);
      return outcome;
    };
    const record = (page: string, documentKey: string, capturedAt = at()) => recordRevision(dependencies, { page, documentKey, capturedAt });
    return { fetcher, dependencies, advanceDays, at, capture, record };
  }

  async function* one(html: string): AsyncIterable<CaptureSourceItem> {
    yield {
      capture: {
        source: 'tuvalu-2099.html',
        body: new TextEncoder().encode(html),
        text: html,
        contentType: 'text/html',
        url: URL,
        archivedAt: '2025-06-01T00:00:00.000Z',
      },
    };
  }

  it('an import takes a page dated 2099 as captured at the import time, and later live changes are recorded', async () => {
    const { fetcher, dependencies, advanceDays, capture, record } = setUp();
    const report = await importPages(dependencies, one(futureDated()));
    expect(report.imported).toBe(1);
    const page = report.pages[0]!.page;
    expect((await dependencies.revisions.getRevision(page, 1))?.capturedAt).toBe('2026-01-01T00:00:00.000Z');

    advanceDays(1);
    fetcher.html = applyEdits(futureDated(), [appendToFirstParagraph('Observers reported a new case of torture.')]);
    const live = await capture(page);
    expect(await record(page, live.documentKey)).toMatchObject({ outcome: 'recorded', revision: { seq: 2, capturedAt: '2026-01-02T00:00:00.000Z' } });
    expect((await dependencies.revisions.getPage(page))?.lastDocumentHash).toBe(live.documentHash);
  });

  it('a revision already dated 2099 (an import made before the bound) does not make live captures stale', async () => {
    const { fetcher, dependencies, advanceDays, capture, record } = setUp();
    const { page } = await addWatch(dependencies, { url: URL });
    fetcher.html = futureDated();
    const baseline = await capture(page.page);
    // What an import used to do: record that Document at the page's own date.
    expect(await record(page.page, baseline.documentKey, FUTURE_DATE)).toMatchObject({ outcome: 'recorded', revision: { seq: 1 } });

    advanceDays(1);
    fetcher.html = applyEdits(futureDated(), [appendToFirstParagraph('A second sentence about prisons.')]);
    const live = await capture(page.page);
    expect(await record(page.page, live.documentKey)).toMatchObject({ outcome: 'recorded', revision: { seq: 2 } });
    expect((await dependencies.revisions.getPage(page.page))?.lastDocumentHash).toBe(live.documentHash);
  });

  it('a capture that is not recorded (a late event) keeps no validators and leaves lastDocumentHash alone', async () => {
    const { fetcher, dependencies, advanceDays, at, capture, record } = setUp();
    const { page } = await addWatch(dependencies, { url: URL });
    fetcher.html = loadCorpusPage('tuvalu', 2023);
    const first = await capture(page.page);
    expect((await record(page.page, first.documentKey)).outcome).toBe('recorded');

    advanceDays(1);
    fetcher.html = applyEdits(loadCorpusPage('tuvalu', 2023), [appendToFirstParagraph('Sentence one of the late text.')]);
    const late = await capture(page.page);
    const lateAt = at();
    advanceDays(1);
    fetcher.html = applyEdits(loadCorpusPage('tuvalu', 2023), [appendToFirstParagraph('Sentence two of the newest text.')]);
    const newest = await capture(page.page);
    expect((await record(page.page, newest.documentKey)).outcome).toBe('recorded');
    expect((await dependencies.revisions.getPage(page.page))?.etag).toBe(`"${fetcher.html.length}"`);

    // The late text's storage event arrives after the newest one was recorded: stale, not recorded.
    advanceDays(1);
    expect(await record(page.page, late.documentKey, lateAt)).toMatchObject({ outcome: 'stale', seq: 2 });
    const after = await dependencies.revisions.getPage(page.page);
    expect(after?.lastDocumentHash).toBe(newest.documentHash);
    // The next check fetches in full instead of hearing "304" about a text that may not be in history.
    expect(after?.etag).toBeUndefined();
  });
});

describe('run says when a capture was not recorded', () => {
  const report = (noRevision: { outcome: string; detail: Record<string, unknown> }): CycleReport => ({
    scheduledAt: '2026-01-02T00:00:00.000Z',
    dispatch: { dispatched: ['hrr.tuvalu.2023'], probes: [], notDue: 0 } as unknown as CycleReport['dispatch'],
    captures: [{ outcome: 'captured', page: 'hrr.tuvalu.2023', documentKey: 'docs/x.json', documentHash: 'x', rawKey: 'raw/x', created: true }],
    revisions: [],
    noRevisions: [{ page: 'hrr.tuvalu.2023', ...noRevision }],
    notifications: [],
    retries: 0,
    deadLetters: 0,
    errors: [],
    durationMs: 1,
  });

  it('a stale Document is NOT RECORDED, never "no section changed"', () => {
    const lines = cycleLines(report({ outcome: 'stale', detail: { seq: 3 } })).join('\n');
    expect(lines).toContain('hrr.tuvalu.2023: captured but NOT RECORDED: the latest revision 3 was captured later');
    expect(lines).not.toContain('no section changed');
  });

  it('only a recording that found no section changed says so', () => {
    expect(cycleLines(report({ outcome: 'no-change', detail: { seq: 3 } })).join('\n')).toContain('captured (stored; no section changed)');
  });
});
