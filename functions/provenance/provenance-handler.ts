import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { revisionFromStreamImage } from '../../shared/adapters/dynamodb/revision-stream-image.js';
import { MetricUnit, withPageKeys, type Observability } from '../../shared/observability.js';
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
    return withPageKeys(logger, { page: revision.page, revision: revision.seq }, async () => {
      const update = await updateProvenanceAfterRevision(dependencies, revision);
      if (update) {
        metrics.addMetric('ProvenanceVersionsAdded', MetricUnit.Count, update.added);
        logger.info('provenance updated', { ...update });
      } else logger.info('provenance not updated: the page is not watched');
      return update;
    });
  };
  return trackerHandler(observability, (event: DynamoDBStreamEvent, context: Context) =>
    // One record at a time: withPageKeys sets the page keys on the shared logger, and records of one series share
    // an index (the updates would only serialise on it).
    processPartialResponse(event, updateRecord, processor, { context, processInParallel: false }),
  );
}
