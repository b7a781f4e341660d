import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Document } from '../domain/document.js';
import type { ImportOutcome, ImportQueue, ImportStaging } from '../ports/import-queue.js';
import type { SerializedDocument } from '../ports/snapshot-store.js';
import type { ImportDestination, PendingCapture, RecordResult } from './import-pages.js';

export interface CloudImportOptions {
  /** How long to wait for the stack to decide the captures sent (0: do not wait; they are reported `queued`). */
  waitMs: number;
  /** Between two reads of a page's last outcome while waiting (default 1 s). */
  pollIntervalMs?: number;
  /** The wait's clock and pause (tests drive them; default: the system's). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A cloud backfill's destination for importPages: a deployed stack records the captures, not the importer.
 *
 * - pass 1 stages each Document under imports/ (no S3 event reads it), unless the stack decided it in an earlier
 *   run (its outcome object says how: that capture is skipped, so a second run sends nothing);
 * - pass 2 sends each page's captures, oldest first, on the FIFO import queue (one message group per page), and
 *   the diff function records them in that order with recordRevision, as it records live captures.
 *
 * The outcomes are read back from the bucket. FIFO decides a page's messages in order, so once the page's last
 * message is decided the others are too: one page is waited for at a time, and a page decided already costs one
 * read. A message past its retries is in the import DLQ, with no outcome: that capture is reported failed.
 */
export function cloudImportDestination(ports: { staging: ImportStaging; queue: ImportQueue }, options: CloudImportOptions): ImportDestination {
  const { staging, queue } = ports;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  let deadline: number | undefined;
  // One page waited for at a time (see above), in the order they were sent.
  let waiting: Promise<unknown> = Promise.resolve();

  const waitForPage = async (captures: readonly PendingCapture[], onDecided: () => void, signal?: AbortSignal): Promise<RecordResult[]> => {
    const last = captures[captures.length - 1]!;
    deadline ??= now() + options.waitMs;
    let lastOutcome = await staging.getOutcome(last.page, last.documentHash);
    // Stopped (Ctrl-C) or out of time: what is not decided yet is reported queued; the stack goes on with it.
    while (!lastOutcome && now() < deadline && !signal?.aborted) {
      await sleep(Math.min(pollIntervalMs, Math.max(0, deadline - now())));
      lastOutcome = await staging.getOutcome(last.page, last.documentHash);
    }
    const results: RecordResult[] = [];
    for (const capture of captures) {
      const outcome = capture === last ? lastOutcome : await staging.getOutcome(capture.page, capture.documentHash);
      if (outcome) onDecided();
      results.push(resultOf(capture, outcome, lastOutcome !== undefined));
    }
    return results;
  };

  return {
    async storeDocument(page: string, document: Document, { sha256: documentHash }: SerializedDocument) {
      const decided = await staging.getOutcome(page, documentHash);
      if (decided) return { kind: 'skipped', message: `already imported by an earlier run: ${describe(decided)}` };
      const staged = await staging.putDocument(page, document);
      // The term index is the stack's to write: the import consumer's recordRevision builds it beside docs/.
      return { kind: 'stored', key: staged.key, storedBefore: false, termIndexStored: false };
    },
    async recordPage(_state, captures, onDecided, signal) {
      if (captures.length === 0 || signal?.aborted) return { settled: Promise.resolve([]) };
      // A failure part way leaves the first messages queued: importPages reports the page failed, and the next run
      // sends it again (the queue drops what it already has, by deduplication id or by the outcome stored).
      await queue.sendInOrder(
        captures.map((capture) => ({
          page: capture.page,
          documentHash: capture.documentHash,
          stagedKey: capture.documentKey,
          capturedAt: capture.capturedAt,
          source: capture.source,
        })),
      );
      if (options.waitMs <= 0) return { settled: Promise.resolve(captures.map((capture) => resultOf(capture, undefined, false))) };
      const settled = waiting.then(() => waitForPage(captures, onDecided, signal));
      waiting = settled.catch(() => undefined);
      return { settled };
    },
  };
}

/** What the stack decided, in the local import's terms. */
function resultOf(capture: PendingCapture, outcome: ImportOutcome | undefined, groupDone: boolean): RecordResult {
  const base = { source: capture.source, page: capture.page, capturedAt: capture.capturedAt };
  if (!outcome) {
    return groupDone
      ? { ...base, outcome: 'failed', message: 'the import queue gave up on it (see its dead-letter queue): fix the cause and import again' }
      : { ...base, outcome: 'queued', message: 'sent on the import queue, not decided yet: run the same import again later to see its outcome' };
  }
  switch (outcome.outcome) {
    case 'recorded':
      return { outcome: 'imported' };
    case 'duplicate':
      return { ...base, outcome: 'skipped', message: `already stored as revision ${outcome.seq}` };
    case 'no-change':
      return { ...base, outcome: 'unchanged', message: `same sections and text as revision ${outcome.seq} (only metadata differs)` };
    case 'stale':
      return {
        ...base,
        outcome: 'out-of-order',
        message:
          `stale: captured ${capture.capturedAt}, before the page's latest revision ${outcome.seq} in the stack; ` +
          'history is append-only, so older captures must be imported before newer ones (all of them in one run are sorted)',
      };
    case 'skipped':
      return { ...base, outcome: 'failed', message: outcome.reason ?? 'not recorded' };
  }
}

function describe(outcome: ImportOutcome): string {
  switch (outcome.outcome) {
    case 'recorded':
      return `recorded as revision ${outcome.seq}`;
    case 'duplicate':
      return `already revision ${outcome.seq}`;
    case 'no-change':
      return `same sections and text as revision ${outcome.seq}`;
    case 'stale':
      return `stale (captured before revision ${outcome.seq})`;
    case 'skipped':
      return `not recorded: ${outcome.reason ?? 'skipped'}`;
  }
}
