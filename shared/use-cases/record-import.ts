import { parseStagedKey } from '../adapters/s3/s3-import-staging.js';
import { ValidationError } from '../errors.js';
import type { ImportMessage, ImportOutcome, ImportStaging } from '../ports/import-queue.js';
import { recordRevision, type RecordDependencies } from './record-revision.js';

export type RecordImportDependencies = RecordDependencies & { staging: ImportStaging };

/**
 * The import queue's consumer, for one message (one capture of a cloud backfill, delivered in its page's capture
 * order by SQS FIFO): the staged Document goes to docs/ with its capture time on the object, then the diff step's
 * own use case records it at that time, then the outcome is stored for the importer to read.
 *
 * Idempotent: a message delivered again finds its outcome and does nothing. A crash before the outcome is stored is
 * finished by the redelivery (recordRevision's duplicate path). The docs/ write raises the usual S3 event; the diff
 * step reads the capture time from the object, so that event, however late, is a duplicate or stale, never a second
 * revision dated at the upload.
 */
export async function recordImport(dependencies: RecordImportDependencies, message: ImportMessage): Promise<ImportOutcome> {
  const decided = await dependencies.staging.getOutcome(message.page, message.documentHash);
  if (decided) return decided;
  if (Number.isNaN(Date.parse(message.capturedAt))) throw new ValidationError(`Invalid capture time in the import message: ${message.capturedAt}`);
  const staged = parseStagedKey(message.stagedKey);
  if (staged?.page !== message.page || staged.sha256 !== message.documentHash) {
    throw new ValidationError(`The import message's staged key ${message.stagedKey} is not page ${message.page}'s Document ${message.documentHash}`);
  }
  // getDocument checks the staged bytes against the hash in their key.
  const document = await dependencies.staging.getDocument(message.stagedKey);
  const stored = await dependencies.snapshots.putDocument(message.page, document, { capturedAt: message.capturedAt });
  const result = await recordRevision(dependencies, { page: message.page, documentKey: stored.key, capturedAt: message.capturedAt });
  const now = (dependencies.now ?? (() => new Date()))();
  const outcome: ImportOutcome = {
    page: message.page,
    documentHash: message.documentHash,
    capturedAt: message.capturedAt,
    source: message.source,
    outcome: result.outcome,
    ...(result.outcome === 'recorded'
      ? { seq: result.revision.seq }
      : result.outcome === 'skipped'
        ? { reason: result.reason }
        : { seq: result.seq }),
    decidedAt: now.toISOString(),
  };
  await dependencies.staging.putOutcome(outcome);
  return outcome;
}
