import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * The one place that builds the Powertools logger and metrics. Every log line about a page carries `page`,
 * `revision` and `capture` keys (see withPageKeys). Locally, POWERTOOLS_LOG_LEVEL and POWERTOOLS_METRICS_DISABLED
 * keep the demo's output readable.
 */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
}

export function createObservability(serviceName: string): Observability {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'redline' }),
  };
}

export interface LogKeys {
  page?: string;
  revision?: number;
  /** The capture this work belongs to (the queue message id, or the S3 key of the Document). */
  capture?: string;
}

/** Runs `work` with the page/revision/capture keys on every log line, then removes them. */
export async function withPageKeys<T>(logger: Logger, keys: LogKeys, work: () => Promise<T>): Promise<T> {
  logger.appendKeys({ page: keys.page ?? null, revision: keys.revision ?? null, capture: keys.capture ?? null });
  try {
    return await work();
  } finally {
    logger.removeKeys(['page', 'revision', 'capture']);
  }
}

export { MetricUnit };
