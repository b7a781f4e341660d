import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseObjectCreated } from '../../shared/runtime/event-parsing.js';
import { pageOfDocumentKey } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { MetricUnit, withPageKeys, type Observability } from '../../shared/observability.js';
import { trackerHandler } from '../../shared/runtime/lambda-handler.js';
import { recordRevision, type RecordDependencies, type RecordRevisionOutcome } from '../../shared/use-cases/record-revision.js';

/** S3 "Object Created" under docs/ (EventBridge -> SQS) -> diff against the latest revision and record the next one. */
export function createDiffHandler(dependencies: RecordDependencies, observability: Observability) {
  const { logger, metrics } = observability;
  const processor = new BatchProcessor(EventType.SQS);
  const diffRecord = async (record: SQSRecord) => {
    const outcomes: RecordRevisionOutcome[] = [];
    for (const object of parseObjectCreated(record.body)) {
      const page = pageOfDocumentKey(object.key);
      if (!page) {
        logger.debug('ignoring an object outside docs/', { key: object.key });
        continue;
      }
      const outcome = await withPageKeys(logger, { page, capture: object.key }, async () => {
        // An imported capture's Document carries its capture time: its event, however late, is then a duplicate or
        // stale, never a new revision dated at the upload (the import queue records it, functions/diff/import-handler.ts).
        const capturedAt = (await dependencies.snapshots.documentCaptureTime(object.key)) ?? object.time;
        const result = await recordRevision(dependencies, { page, documentKey: object.key, capturedAt });
        if (result.outcome === 'recorded') {
          metrics.addMetric('RevisionsRecorded', MetricUnit.Count, 1);
          // Sentence provenance follows from the revision stream (functions/provenance), not from this step.
          logger.info('revision recorded', { revision: result.revision.seq, significance: result.revision.significance });
        } else logger.info(`no revision: ${result.outcome}`, { ...result });
        return result;
      });
      outcomes.push(outcome);
    }
    return outcomes;
  };
  return trackerHandler(observability, (event: SQSEvent, context: Context) =>
    // One record at a time: withPageKeys sets the page keys on the shared logger, so parallel records would log
    // under each other's keys.
    processPartialResponse(event, diffRecord, processor, { context, processInParallel: false }),
  );
}
