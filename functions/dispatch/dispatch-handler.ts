import type { ScheduledEvent } from 'aws-lambda';
import { MetricUnit, type Observability } from '../../shared/observability.js';
import { trackerHandler } from '../../shared/runtime/lambda-handler.js';
import { dispatchDue } from '../../shared/use-cases/dispatch-due.js';
import type { TrackerDependencies } from '../../shared/use-cases/tracker-dependencies.js';

/** EventBridge Scheduler -> enqueue a capture for every due page (and probes for next editions). */
export function createDispatchHandler(
  dependencies: Pick<TrackerDependencies, 'revisions' | 'captureQueue' | 'now' | 'settings'>,
  observability: Observability,
) {
  const { logger, metrics } = observability;
  return trackerHandler(observability, async (event: ScheduledEvent) => {
    const result = await dispatchDue(dependencies);
    metrics.addMetric('PagesDispatched', MetricUnit.Count, result.dispatched.length);
    metrics.addMetric('EditionProbes', MetricUnit.Count, result.probes.length);
    logger.info('dispatched due pages', { scheduledAt: event.time, ...result, dispatched: result.dispatched.length });
    return result;
  });
}
