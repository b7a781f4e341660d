import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { MetricUnit, type Observability } from '../../shared/observability.js';
import { parseReportJobMessage } from '../../shared/runtime/event-parsing.js';
import { trackerHandler } from '../../shared/runtime/lambda-handler.js';
import { runEditionReportJob, type EditionReportJobDependencies, type ReportJobOutcome } from '../../shared/use-cases/queries/edition-report-jobs.js';

export interface ReportHandlerSettings {
  /** The queue's maxReceiveCount: the delivery that marks a still failing job failed (the next stop is the DLQ). */
  maxReceiveCount: number;
}

/**
 * SQS report job queue -> compute and cache the edition report (runEditionReportJob). A transient error fails the
 * record (partial batch response) for SQS to redeliver; its last delivery marks the job failed first, so the status
 * URL says failed while the message goes to the DLQ. A malformed message fails without retrying anything.
 */
export function createReportHandler(dependencies: EditionReportJobDependencies, settings: ReportHandlerSettings, observability: Observability) {
  const { logger, metrics } = observability;
  const processor = new BatchProcessor(EventType.SQS);
  const runRecord = async (record: SQSRecord): Promise<ReportJobOutcome> => {
    const message = parseReportJobMessage(record.body);
    const receives = Number(record.attributes.ApproximateReceiveCount) || 1;
    const keys = { report: message.report, from: message.from, to: message.to, job: message.inputsHash, receives };
    const outcome = await runEditionReportJob(dependencies, message, { finalAttempt: receives >= settings.maxReceiveCount });
    metrics.addMetric(outcome.state === 'done' ? 'EditionReportsComputed' : 'EditionReportJobsFailed', MetricUnit.Count, 1);
    if (outcome.state === 'done') logger.info('edition report computed', { ...keys, series: outcome.series });
    else logger.warn('edition report job failed', { ...keys, failure: outcome.error });
    return outcome;
  };
  return trackerHandler(observability, (event: SQSEvent, context: Context) =>
    // One job at a time: each holds two pairs of Documents, and a job is the whole of a function's time.
    processPartialResponse(event, runRecord, processor, { context, processInParallel: false }),
  );
}
