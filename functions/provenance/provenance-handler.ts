import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { revisionFromStreamImage } from '../../shared/adapters/dynamodb/revision-stream-image.js';
import { MetricUnit, type Observability } from '../../shared/observability.js';
import { trackerHandler } from '../../shared/runtime/lambda-handler.js';
import { updateProvenanceAfterRevision, type ProvenanceUpdate } from '../../shared/use-cases/provenance/update-provenance.js';
import type { ProvenanceDependencies } from '../../shared/use-cases/provenance/provenance-sync.js';

/**
 * DynamoDB stream (new revision items only, like notify) -> the provenance index of the revision's scope brought up
 * to date. The diff step no longer waits for it: the index is derived data, so a failed update fails that record,
 * the stream retries it, and any later update (or read) catches up on the versions it lacks. Undefined (nothing to
 * do) for a page no longer watched.
 */
export function createProvenanceHandler(dependencies: ProvenanceDependencies, observability: Observability) {
  const { logger, metrics } = observability;
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const updateRecord = async (record: DynamoDBRecord): Promise<ProvenanceUpdate | undefined> => {
    if (record.eventName !== 'INSERT') return undefined;
    const revision = revisionFromStreamImage(record.dynamodb?.NewImage);
    if (!revision) return undefined;
    // The page keys go on each line, not on the shared logger: the records of a batch run at once.
    const keys = { page: revision.page, revision: revision.seq };
    const update = await updateProvenanceAfterRevision(dependencies, revision);
    if (update) {
      metrics.addMetric('ProvenanceVersionsAdded', MetricUnit.Count, update.added);
      logger.info('provenance updated', { ...keys, ...update });
    } else logger.info('provenance not updated: the page is not watched', keys);
    return update;
  };
  return trackerHandler(observability, (event: DynamoDBStreamEvent, context: Context) =>
    // The records of a batch at once: updates of one scope are serialised, and those that arrive while one runs are
    // folded into a single next run (ScopeSerializer), so a batch of one series costs two index syncs, not one per
    // record. Order does not matter: adding versions in any order gives the same index.
    processPartialResponse(event, updateRecord, processor, { context, processInParallel: true }),
  );
}
