import { GetObjectCommand } from '@aws-sdk/client-s3';
import { insertSentence } from '../../local/demo/known-edits.js';
import { snapshotKeys } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { provenanceStatus } from '../../shared/use-cases/provenance/provenance-queries.js';
import { TORTURE, TORTURE_KEY, captureOutcomes, crashOnce, startPipeline, type CrashPoint } from './pipeline-fixture.js';

/**
 * A crash between any two steps loses nothing: each case kills one delivery once, right before or after one port
 * call of one step, while a real change is being captured; the queue (or the stream) delivers again and the next
 * attempt completes the work. "Nothing lost" is checked everywhere the change should have left a trace.
 */
const PAGE = 'hrr.tuvalu.2023';
const onPage = (args: unknown[]) => args.includes(PAGE) || (args[0] as { page?: string } | undefined)?.page === PAGE;

const CRASHES: [string, CrashPoint][] = [
  ['capture: before the fetch', { port: 'fetcher', method: 'fetchPage', when: 'before' }],
  ['capture: after the raw body is stored', { port: 'snapshots', method: 'putRaw', when: 'after', matches: onPage }],
  ['capture: after the Document is stored (its S3 event is out)', { port: 'snapshots', method: 'putDocument', when: 'after', matches: onPage }],
  [
    'capture: before the check is recorded',
    {
      port: 'revisions',
      method: 'recordCheck',
      when: 'before',
      matches: (args) => onPage(args) && (args[1] as { nextDueAt?: string }).nextDueAt !== undefined,
    },
  ],
  ['diff: after the new Document is read', { port: 'snapshots', method: 'getDocument', when: 'after' }],
  ['diff: after the full diff is stored', { port: 'snapshots', method: 'putDiff', when: 'after', matches: onPage }],
  ['diff: before the revision put', { port: 'revisions', method: 'putRevision', when: 'before', matches: onPage }],
  ['diff: after the revision put (its stream record is out)', { port: 'revisions', method: 'putRevision', when: 'after', matches: onPage }],
  ['diff: after the section lines are stored', { port: 'snapshots', method: 'putSectionLines', when: 'after', matches: onPage }],
  [
    'diff: before the last document hash is recorded',
    {
      port: 'revisions',
      method: 'recordCheck',
      when: 'before',
      matches: (args) => onPage(args) && (args[1] as { documentHash?: string }).documentHash !== undefined,
    },
  ],
  ['notify: before the notification is published', { port: 'notifier', method: 'publish', when: 'before' }],
  // The provenance consumer, off the diff step: its stream record is delivered again and the retry catches up.
  ['provenance: before the next index generation is written', { port: 'snapshots', method: 'putProvenanceIndex', when: 'before' }],
];

describe('a crash injected between two steps of the pipeline', () => {
  it.each(CRASHES)('%s is recovered by the next delivery, with nothing lost', async (_name, point) => {
    const crash = crashOnce(point);
    const pipeline = await startPipeline({
      site: {
        schedule: [
          {
            cycle: 2,
            page: { country: 'tuvalu', year: 2023 },
            type: 'edit',
            edits: [insertSentence(TORTURE, 0, 'A sentence added after the crash test began.')],
          },
        ],
      },
      // One message per delivery, redelivered one second after a failure.
      runtime: { decorate: crash.decorate, queues: { visibilityTimeoutMs: 1_000, captureBatchSize: 1, diffBatchSize: 1 } },
    });
    try {
      expect(await pipeline.watch('tuvalu', 2023)).toBe(PAGE);
      expect(captureOutcomes(await pipeline.nextCycle())).toEqual({ [PAGE]: 'captured' });
      crash.arm();
      const crashed = await pipeline.nextCycle();
      expect(crash.fired).toBe(1);
      expect(crashed.retries).toBe(1);
      expect(crashed.errors).toEqual([]);

      const revisions = await pipeline.revisions(PAGE);
      expect(revisions.map((revision) => [revision.seq, revision.sections.map((section) => [section.key, section.kind])])).toEqual([
        [1, []],
        [2, [[TORTURE_KEY, 'modified']]],
      ]);
      const latest = revisions[1]!;
      const { runtime } = pipeline;
      // The full diff, the Athena section lines of the new text, the page's record of it, and the notification.
      expect((await runtime.dependencies.snapshots.getDiff(latest.diffKey!)).summary).toMatchObject({ modified: 1, wordsAdded: 8 });
      const linesKey = snapshotKeys.sectionLines(PAGE, 'hrr/tuvalu', 2023);
      const lines = await runtime.clients.s3.send(new GetObjectCommand({ Bucket: runtime.servers.bucketName, Key: linesKey }));
      const hashes = new Set(
        (await lines.Body!.transformToString())
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as { documentHash: string }).documentHash),
      );
      expect([...hashes]).toEqual([latest.documentHash]);
      expect(await runtime.dependencies.revisions.getPage(PAGE)).toMatchObject({ lastDocumentHash: latest.documentHash, consecutiveFailures: 0 });
      expect(runtime.notifications.ids()).toEqual([`${PAGE}#2`]);
      const { captureDeadLetters, diffDeadLetters, streamFailures, provenanceStreamFailures } = runtime.queues;
      const failureQueues = [captureDeadLetters, diffDeadLetters, streamFailures, provenanceStreamFailures];
      expect(failureQueues.map((queue) => queue.size)).toEqual([0, 0, 0, 0]);
      // The sentence provenance index holds both versions (eventually consistent: caught up by the time all drained).
      expect(await provenanceStatus(runtime.dependencies, { page: PAGE })).toMatchObject({ missing: [], indexedVersions: 2 });

      // And the next check finds nothing new.
      const after = await pipeline.nextCycle();
      expect(captureOutcomes(after)).toEqual({ [PAGE]: 'unchanged' });
      expect(after.revisions).toEqual([]);
    } finally {
      await pipeline.close();
    }
  });
});
