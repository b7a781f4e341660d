import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { objectCreatedEvent } from '../../local/runtime/aws-event-shapes.js';
import { loadCorpusHtml, stateGovPath } from '../../local/demo/corpus-pages.js';
import { insertSentence, replaceInParagraph } from '../../local/demo/known-edits.js';
import { localLambdaContext } from '../../shared/runtime/lambda-handler.js';
import { LocalQueue, sqsRecord } from '../../local/runtime/local-queue.js';
import type { Document } from '../../shared/domain/document.js';
import { extract } from '../../shared/domain/extract.js';
import type { CaptureMessage } from '../../shared/ports/capture-queue.js';
import type { RevisionRecord } from '../../shared/domain/revision-records.js';
import { capturePage } from '../../shared/use-cases/capture-page.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { EXPRESSION, EXPRESSION_KEY, START, TORTURE, TORTURE_KEY, captureOutcomes, startPipeline, type Pipeline } from './pipeline-fixture.js';

const kazakhstan2023 = { country: 'kazakhstan', year: 2023 } as const;
const HOUR_MS = 3_600_000;

/** SQS records with the given bodies, as the diff queue would deliver them. */
function sqsEvent(bodies: readonly string[]): SQSEvent {
  const queue = new LocalQueue<string>({ name: 'redline-diff' });
  queue.send(bodies);
  return { Records: queue.receive(bodies.length).map((message) => sqsRecord(queue, message)) };
}

function captureMessage(pipeline: Pipeline, page: string, country: 'kazakhstan' | 'tuvalu', year: number): CaptureMessage {
  return { page, url: pipeline.site.url(country, year), reason: 'scheduled', requestedAt: pipeline.clock.now().toISOString() };
}

/** The S3 events the runtime put on the (unconsumed) diff queue, removed from it. */
function takeDiffEvents(pipeline: Pipeline): string[] {
  const messages = pipeline.runtime.queues.diff.receive(100);
  for (const message of messages) pipeline.runtime.queues.diff.delete(message.receiptHandle);
  return messages.map((message) => message.payload);
}

function summary(revisions: RevisionRecord[]) {
  return revisions.map((revision) => ({
    seq: revision.seq,
    previousSeq: revision.previousSeq,
    sections: revision.sections.map((section) => [section.key, section.kind]),
  }));
}

/** The invariants of one page's revision list, whatever the order and multiplicity of the deliveries. */
function expectConsistentHistory(revisions: RevisionRecord[]) {
  expect(revisions.map((revision) => revision.seq)).toEqual(revisions.map((_, index) => index + 1));
  for (const [index, revision] of revisions.entries()) {
    if (index === 0) continue;
    const previous = revisions[index - 1]!;
    expect(revision.previousSeq).toBe(previous.seq);
    expect(revision.documentHash).not.toBe(previous.documentHash);
    expect(Date.parse(revision.capturedAt)).toBeGreaterThan(Date.parse(previous.capturedAt));
    expect(revision.diffKey).toMatch(new RegExp(`^diffs/${revision.page}/`));
  }
  expect(new Set(revisions.map((revision) => revision.documentHash)).size).toBe(revisions.length);
}

describe('the local pipeline: site -> capture -> S3 -> diff -> DynamoDB -> stream -> notify', () => {
  it('records one revision per real change, none for chrome-only changes, and answers 304s with no capture', async () => {
    // The servers on their own thread, as `npm start` runs them: the S3 events that drive the diff step are relayed.
    const pipeline = await startPipeline({
      runtime: { serversThread: true },
      site: {
        schedule: [
          {
            cycle: 3,
            page: kazakhstan2023,
            type: 'edit',
            edits: [insertSentence(TORTURE, 0, 'Observers reported new cases in the fourth quarter.')],
          },
        ],
        pageValidators: { 'kazakhstan/2022': 'weak' },
      },
    });
    try {
      const page = await pipeline.watch('kazakhstan', 2023);
      const conditional = await pipeline.watch('kazakhstan', 2022);
      const cycles = [];
      for (let cycle = 1; cycle <= 4; cycle++) cycles.push(await pipeline.nextCycle());

      expect(cycles.map((report) => ({ [page]: captureOutcomes(report)[page], [conditional]: captureOutcomes(report)[conditional] }))).toEqual([
        { [page]: 'captured', [conditional]: 'captured' },
        { [page]: 'unchanged', [conditional]: 'not-modified' },
        { [page]: 'captured', [conditional]: 'not-modified' },
        { [page]: 'unchanged', [conditional]: 'not-modified' },
      ]);
      expect(summary(await pipeline.revisions(page))).toEqual([
        { seq: 1, previousSeq: undefined, sections: [] },
        { seq: 2, previousSeq: 1, sections: [[TORTURE_KEY, 'modified']] },
      ]);
      const [, changed] = await pipeline.revisions(page);
      expect(changed!.sections).toEqual([expect.objectContaining({ key: TORTURE_KEY, kind: 'modified', wordsAdded: 8, wordsRemoved: 0 })]);
      expect(summary(await pipeline.revisions(conditional))).toEqual([{ seq: 1, previousSeq: undefined, sections: [] }]);
      expect(pipeline.runtime.notifications.ids()).toEqual([`${page}#2`]);
      // Every 200 carried different chrome; the weak ETag let the 2022 page answer 304 instead.
      const statuses = (country: 'kazakhstan', year: number) =>
        pipeline.site.requests.filter((request) => request.path === stateGovPath(country, year)).map((request) => request.status);
      expect(statuses('kazakhstan', 2023)).toEqual([200, 200, 200, 200]);
      expect(statuses('kazakhstan', 2022)).toEqual([200, 304, 304, 304]);
      expect(cycles.every((report) => report.retries === 0 && report.deadLetters === 0 && report.errors.length === 0)).toBe(true);
    } finally {
      await pipeline.close();
    }
  });

  it('records an error page served with 200, a 503 and a 404 as capture failures, never as revisions, and alerts once', async () => {
    const tuvalu2023 = { country: 'tuvalu', year: 2023 } as const;
    const pipeline = await startPipeline({
      site: {
        schedule: [
          { cycle: 2, page: tuvalu2023, type: 'error-page' },
          { cycle: 3, page: tuvalu2023, type: 'unavailable', retryAfterSeconds: 600 },
          { cycle: 4, page: tuvalu2023, type: 'unavailable', status: 404 },
        ],
      },
      runtime: { settings: { failureAlertThreshold: 2 } },
    });
    try {
      const page = await pipeline.watch('tuvalu', 2023);
      const cycles = [];
      for (let cycle = 1; cycle <= 5; cycle++) cycles.push(await pipeline.nextCycle());
      const outcomes = cycles.map((report) => report.captures.find((capture) => capture.page === page)!);
      expect(
        outcomes.map((outcome) =>
          outcome.outcome === 'failed' ? [outcome.kind, outcome.httpStatus, outcome.consecutiveFailures, outcome.alerted] : outcome.outcome,
        ),
      ).toEqual(['captured', ['body-missing', undefined, 1, false], ['http-status', 503, 2, true], ['http-status', 404, 3, false], 'unchanged']);
      expect(summary(await pipeline.revisions(page))).toEqual([{ seq: 1, previousSeq: undefined, sections: [] }]);
      const failures = (await pipeline.runtime.dependencies.revisions.listFailures(page)).items;
      expect(failures.map((failure) => [failure.kind, failure.httpStatus])).toEqual([
        ['http-status', 404],
        ['http-status', 503],
        ['body-missing', undefined],
      ]);
      expect(pipeline.runtime.notifications.ids()).toEqual([`${page}#alert#${failures[1]!.capturedAt}`]);
      expect(pipeline.runtime.notifications.notifications[0]).toMatchObject({
        type: 'alert',
        kind: 'http-status',
        httpStatus: 503,
        consecutiveFailures: 2,
      });
      expect(await pipeline.runtime.dependencies.revisions.getPage(page)).toMatchObject({ consecutiveFailures: 0 });
    } finally {
      await pipeline.close();
    }
  });

  it('finds a newly published edition with the new-edition probe and delivers a new-edition notification', async () => {
    const pipeline = await startPipeline({
      site: { schedule: [{ cycle: 2, page: { country: 'tuvalu', year: 2024 }, type: 'publish' }] },
      runtime: { settings: { probeNewEditions: true } },
    });
    try {
      const page = await pipeline.watch('tuvalu', 2023);
      const first = await pipeline.nextCycle();
      const probe2024 = pipeline.site.url('tuvalu', 2024);
      expect(first.dispatch).toEqual({ dispatched: [page], probes: [`${probe2024}/`], notDue: 0 });
      expect(first.captures.find((capture) => capture.page === 'hrr.tuvalu.2024')).toMatchObject({
        outcome: 'skipped',
        reason: expect.stringContaining('HTTP 404'),
      });

      const second = await pipeline.nextCycle();
      expect(captureOutcomes(second)).toEqual({ [page]: 'unchanged', 'hrr.tuvalu.2024': 'captured' });
      expect(await pipeline.runtime.dependencies.revisions.getPage('hrr.tuvalu.2024')).toMatchObject({
        origin: 'probe',
        series: 'hrr/tuvalu',
        edition: 2024,
      });
      expect(summary(await pipeline.revisions('hrr.tuvalu.2024'))).toEqual([{ seq: 1, previousSeq: undefined, sections: [] }]);
      expect(pipeline.runtime.notifications.ids()).toEqual(['hrr/tuvalu#edition#2024']);
      expect(pipeline.runtime.notifications.notifications[0]).toMatchObject({
        type: 'new-edition',
        series: 'hrr/tuvalu',
        edition: 2024,
        previousEdition: 2023,
        previousPage: page,
        page: 'hrr.tuvalu.2024',
      });

      const third = await pipeline.nextCycle();
      // The probe found 2024 at the URL it derived from 2023's (with its trailing slash), and derives 2025's from it.
      expect(third.dispatch.probes).toEqual([`${pipeline.site.url('tuvalu', 2024).replace('2024', '2025')}/`]);
      expect(pipeline.runtime.notifications.ids()).toEqual(['hrr/tuvalu#edition#2024']);
    } finally {
      await pipeline.close();
    }
  });

  it('turns duplicate deliveries of capture messages and of S3 events into exactly one revision per real change', async () => {
    const pipeline = await startPipeline({
      site: {
        schedule: [
          { cycle: 2, page: kazakhstan2023, type: 'edit', edits: [insertSentence(TORTURE, 0, 'A first added sentence.')] },
          { cycle: 3, page: kazakhstan2023, type: 'edit', edits: [replaceInParagraph(EXPRESSION, 0, 'the government', 'the authorities')] },
          { cycle: 4, page: kazakhstan2023, type: 'edit', edits: [insertSentence(TORTURE, 1, 'A second added sentence.')] },
        ],
      },
      runtime: { startEventSources: false },
    });
    const { handlers } = pipeline.runtime;
    const capture = (messages: CaptureMessage[]) =>
      handlers.capture(sqsEvent(messages.map((message) => JSON.stringify(message))), localLambdaContext('capture'));
    const diff = (bodies: string[]) => handlers.diff(sqsEvent(bodies), localLambdaContext('diff'));
    try {
      const page = await pipeline.watch('kazakhstan', 2023);
      // Three captures, one per real state of the page; their S3 events wait on the diff queue.
      const events: string[] = [];
      for (let cycle = 1; cycle <= 3; cycle++) {
        pipeline.site.advance();
        pipeline.clock.advanceMinutes(24 * 60);
        expect(await capture([captureMessage(pipeline, page, 'kazakhstan', 2023)])).toEqual({ batchItemFailures: [] });
        events.push(...takeDiffEvents(pipeline));
      }
      expect(events).toHaveLength(3);
      const [e0, e1, e2] = events as [string, string, string];
      // In order, each delivered again (in the same batch, a later batch, and late after newer ones).
      for (const batch of [[e0, e0], [e1, e0, e1], [e2, e1, e2, e0], [e2]]) expect(await diff(batch)).toEqual({ batchItemFailures: [] });
      expect(summary(await pipeline.revisions(page))).toEqual([
        { seq: 1, previousSeq: undefined, sections: [] },
        { seq: 2, previousSeq: 1, sections: [[TORTURE_KEY, 'modified']] },
        { seq: 3, previousSeq: 2, sections: [[EXPRESSION_KEY, 'modified']] },
      ]);

      // The same capture message twice in a batch and once more: the duplicate capture records the revision itself
      // (its Document is stored already), and the S3 event, delivered twice afterwards, finds it done.
      pipeline.site.advance();
      pipeline.clock.advanceMinutes(24 * 60);
      const message = captureMessage(pipeline, page, 'kazakhstan', 2023);
      expect(await capture([message, message])).toEqual({ batchItemFailures: [] });
      expect(await capture([message])).toEqual({ batchItemFailures: [] });
      const late = takeDiffEvents(pipeline);
      expect(late).toHaveLength(1);
      expect(await diff([late[0]!, late[0]!])).toEqual({ batchItemFailures: [] });
      const revisions = await pipeline.revisions(page);
      expect(summary(revisions).map(({ seq, sections }) => [seq, sections])).toEqual([
        [1, []],
        [2, [[TORTURE_KEY, 'modified']]],
        [3, [[EXPRESSION_KEY, 'modified']]],
        [4, [[TORTURE_KEY, 'modified']]],
      ]);
      expectConsistentHistory(revisions);

      // The stream delivers one record per revision: one notification per change.
      pipeline.runtime.eventSources.stream.start();
      await pipeline.runtime.eventSources.stream.idle();
      expect(pipeline.runtime.notifications.ids()).toEqual([`${page}#2`, `${page}#3`, `${page}#4`]);
    } finally {
      await pipeline.close();
    }
  });

  describe('with Documents stored directly (no fetch)', () => {
    let pipeline: Pipeline;
    let variants: Document[];
    let runs = 0;

    beforeAll(async () => {
      pipeline = await startPipeline({ runtime: { startEventSources: false } });
      const base = extract(loadCorpusHtml('tuvalu', 2023), {
        url: 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/tuvalu/',
      });
      variants = documentVariants(base, 4);
    });

    afterAll(async () => {
      await pipeline?.close();
    });

    /** A fresh page with the variants stored; `at[i]` is the capture time of variant i (hours after START). */
    async function freshPage(): Promise<{ page: string; keys: string[]; at: Date[] }> {
      runs += 1;
      const { page } = (
        await pipeline.runtime.watch({ url: `https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/run-${runs}/` })
      ).page;
      const keys = [];
      for (const variant of variants) keys.push((await pipeline.runtime.dependencies.snapshots.putDocument(page, variant)).key);
      takeDiffEvents(pipeline);
      return { page, keys, at: variants.map((_, index) => new Date(START.getTime() + index * HOUR_MS)) };
    }

    function eventFor(key: string, at: Date): string {
      return JSON.stringify(objectCreatedEvent({ bucket: pipeline.runtime.servers.bucketName, key, size: 1, etag: 'etag', at }));
    }

    it('never duplicates a revision nor leaves a gap, whatever the order and repetition of the S3 events', async () => {
      const indices = variants.map((_, index) => index);
      const deliveries = fc
        .array(fc.nat({ max: indices.length - 1 }), { maxLength: 4 })
        .chain((extra) =>
          fc.shuffledSubarray([...indices, ...extra], { minLength: indices.length + extra.length, maxLength: indices.length + extra.length }),
        );
      await fc.assert(
        fc.asyncProperty(deliveries, fc.integer({ min: 1, max: 3 }), async (order, batchSize) => {
          const { page, keys, at } = await freshPage();
          for (let start = 0; start < order.length; start += batchSize) {
            const batch = order.slice(start, start + batchSize).map((index) => eventFor(keys[index]!, at[index]!));
            const response = (await pipeline.runtime.handlers.diff(sqsEvent(batch), localLambdaContext('diff'))) as SQSBatchResponse;
            expect(response.batchItemFailures).toEqual([]);
          }
          const revisions = await pipeline.revisions(page);
          expectConsistentHistory(revisions);
          // The newest capture is always the latest revision; older ones arriving after it add nothing.
          expect(revisions.at(-1)!.documentKey).toBe(keys.at(-1));
          const firstSeen = order.filter((index, position) => order.indexOf(index) === position);
          const inOrder = firstSeen.every((index, position) => position === 0 || index > firstSeen[position - 1]!);
          // Delivered in order (duplicates anywhere): exactly one revision per real change.
          if (inOrder) expect(revisions.map((revision) => revision.documentKey)).toEqual(keys);
        }),
        { numRuns: 12 },
      );
    });

    it('lets two workers race for the same seq with different captures: no gap, no duplicate', async () => {
      const { page, keys, at } = await freshPage();
      const dependencies = pipeline.runtime.dependencies;
      expect(await recordRevision(dependencies, { page, documentKey: keys[0]!, capturedAt: at[0]!.toISOString() })).toMatchObject({
        outcome: 'recorded',
      });
      // Two workers get each of the four later captures, all at once; a worker that loses five races in a row fails
      // its message, and SQS delivers it again.
      let pending = [1, 2, 3, 4, 1, 2, 3, 4];
      let deliveries = 0;
      while (pending.length > 0) {
        deliveries += pending.length;
        const results = await Promise.allSettled(
          pending.map((index) => recordRevision(dependencies, { page, documentKey: keys[index]!, capturedAt: at[index]!.toISOString() })),
        );
        for (const result of results) if (result.status === 'rejected') expect(result.reason).toMatchObject({ name: 'ConflictError' });
        pending = pending.filter((_, position) => results[position]!.status === 'rejected');
      }
      expect(deliveries).toBeGreaterThanOrEqual(8);
      const revisions = await pipeline.revisions(page);
      expectConsistentHistory(revisions);
      expect(revisions[0]!.documentKey).toBe(keys[0]);
      expect(revisions.at(-1)!.documentKey).toBe(keys[4]);
    });
  });

  it('lets two workers capture the same page at the same time: one revision per change, no gap, no duplicate', async () => {
    const pipeline = await startPipeline({
      site: {
        schedule: [
          { cycle: 2, page: kazakhstan2023, type: 'edit', edits: [insertSentence(TORTURE, 0, 'A first added sentence.')] },
          { cycle: 3, page: kazakhstan2023, type: 'edit', edits: [replaceInParagraph(EXPRESSION, 0, 'the government', 'the authorities')] },
        ],
      },
    });
    try {
      const page = await pipeline.watch('kazakhstan', 2023);
      const outcomes: string[][] = [];
      for (let cycle = 1; cycle <= 4; cycle++) {
        pipeline.site.advance();
        pipeline.clock.advanceMinutes(24 * 60);
        const message = captureMessage(pipeline, page, 'kazakhstan', 2023);
        const results = await Promise.all([capturePage(pipeline.runtime.dependencies, message), capturePage(pipeline.runtime.dependencies, message)]);
        outcomes.push(results.map((result) => result.outcome).sort());
        await pipeline.runtime.drain();
      }
      // Both workers store the same Document: one creates it (its S3 event triggers the diff), the other finds it
      // stored and records the revision itself; whichever loses the conditional put finds its own Document there.
      expect(outcomes).toEqual([
        ['captured', 'captured'],
        ['captured', 'captured'],
        ['captured', 'captured'],
        ['unchanged', 'unchanged'],
      ]);
      const revisions = await pipeline.revisions(page);
      expect(summary(revisions)).toEqual([
        { seq: 1, previousSeq: undefined, sections: [] },
        { seq: 2, previousSeq: 1, sections: [[TORTURE_KEY, 'modified']] },
        { seq: 3, previousSeq: 2, sections: [[EXPRESSION_KEY, 'modified']] },
      ]);
      expectConsistentHistory(revisions);
      expect(pipeline.runtime.notifications.ids()).toEqual([`${page}#2`, `${page}#3`]);
    } finally {
      await pipeline.close();
    }
  });
});

/** `count` more versions of a Document, each adding one sentence to a different section (cumulative). */
function documentVariants(base: Document, count: number): Document[] {
  const variants = [base];
  const sections = base.sections.map((section, index) => ({ section, index })).filter(({ section }) => section.paragraphs.length > 0);
  for (let step = 1; step <= count; step++) {
    const next = structuredClone(variants.at(-1)!);
    const target = next.sections[sections[step]!.index]!;
    target.paragraphs[0]!.text += ` Sentence number ${step} was added in this revision.`;
    variants.push(next);
  }
  return variants;
}
