import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseCaptureMessage } from '../../shared/runtime/event-parsing.js';
import { MetricUnit, withPageKeys, type Observability } from '../../shared/observability.js';
import { trackerHandler } from '../../shared/runtime/lambda-handler.js';
import { capturePage, type CaptureDependencies } from '../../shared/use-cases/capture-page.js';

const OUTCOME_METRICS = {
  captured: 'PagesCaptured',
  unchanged: 'PagesUnchanged',
  'not-modified': 'PagesNotModified',
  failed: 'CaptureFailures',
  skipped: 'CapturesSkipped',
} as const;

/**
 * SQS capture queue -> capture each page. A failed fetch is recorded by the use case and rescheduled, not retried
 * here; an error of redline's own (storage, a malformed message) fails only that record (partial batch response),
 * so SQS redelivers it and finally moves it to the DLQ.
 */
export function createCaptureHandler(dependencies: CaptureDependencies, observability: Observability) {
  const { logger, metrics } = observability;
  const processor = new BatchProcessor(EventType.SQS);
  const captureRecord = async (record: SQSRecord) => {
    const message = parseCaptureMessage(record.body);
    return withPageKeys(logger, { page: message.page, capture: record.messageId }, async () => {
      const result = await capturePage(dependencies, message);
      metrics.addMetric(OUTCOME_METRICS[result.outcome], MetricUnit.Count, 1);
      if (result.outcome === 'failed') {
        // `message` is a reserved log key (Powertools drops it with a warning): log the failure's under `failure`.
        const { message: failure, ...rest } = result;
        logger.warn('capture failed', { ...rest, failure });
      } else logger.info(`capture ${result.outcome}`, { ...result });
      return result;
    });
  };
  return trackerHandler(observability, (event: SQSEvent, context: Context) =>
    // One record at a time: withPageKeys sets the page keys on the shared logger, so parallel records would log
    // under each other's keys.
    processPartialResponse(event, captureRecord, processor, { context, processInParallel: false }),
  );
}
