import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { MetricUnit, withPageKeys, type Observability } from '../../shared/observability.js';
import { parseImportMessage } from '../../shared/runtime/event-parsing.js';
import { trackerHandler } from '../../shared/runtime/lambda-handler.js';
import { recordImport, type RecordImportDependencies } from '../../shared/use-cases/record-import.js';

/**
 * The FIFO import queue (one message group per page) -> record each imported capture in its page's capture order.
 * The FIFO processor stops a group at its first failure and reports the group's later messages failed too, so SQS
 * gives them back in order after the failed one; other pages' groups go on.
 */
export function createImportHandler(dependencies: RecordImportDependencies, observability: Observability) {
  const { logger, metrics } = observability;
  const processor = new SqsFifoPartialProcessorAsync();
  const importRecord = async (record: SQSRecord) => {
    const message = parseImportMessage(record.body);
    return withPageKeys(logger, { page: message.page, capture: message.stagedKey }, async () => {
      const outcome = await recordImport(dependencies, message);
      if (outcome.outcome === 'recorded') metrics.addMetric('ImportedRevisionsRecorded', MetricUnit.Count, 1);
      logger.info(`imported capture: ${outcome.outcome}`, { revision: outcome.seq, capturedAt: outcome.capturedAt, source: outcome.source });
      return outcome;
    });
  };
  return trackerHandler(observability, (event: SQSEvent, context: Context) =>
    processPartialResponse(event, importRecord, processor, { context, skipGroupOnError: true }),
  );
}

/** A batch from a FIFO queue (the import queue): the diff function's event source mappings never mix queues in one batch. */
export function isFifoBatch(event: SQSEvent): boolean {
  return event.Records.length > 0 && event.Records.every((record) => record.eventSourceARN?.endsWith('.fifo'));
}
