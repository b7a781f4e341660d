import { Logger, type LogItem } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Observability } from '../../shared/observability.js';

/**
 * The handlers' Powertools logger and metrics, locally: log lines go to a sink (the runtime writes them to
 * <data dir>/logs/functions.jsonl and reads the handlers' outcomes from them, as one would read CloudWatch Logs)
 * instead of the terminal, which stays free for the demo's own output. EMF metrics are not published locally
 * (POWERTOOLS_METRICS_DISABLED, set by the runtime unless the environment says otherwise).
 */
export interface LogEntry {
  service: string;
  level: string;
  message: string;
  attributes: Record<string, unknown>;
}

export type LogSink = (entry: LogEntry) => void;

class LocalLogger extends Logger {
  private sink: LogSink | undefined;

  constructor(serviceName: string, sink: LogSink) {
    super({ serviceName, logLevel: 'INFO' });
    this.sink = sink;
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    const attributes = log.getAttributes() as Record<string, unknown>;
    this.sink?.({
      service: String(attributes.service ?? ''),
      level: String(attributes.level ?? ''),
      message: String(attributes.message ?? ''),
      attributes,
    });
  }
}

export function localObservability(serviceName: string, sink: LogSink): Observability {
  const logger = new LocalLogger(serviceName, sink);
  return {
    logger,
    metrics: new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'redline', logger }),
  };
}
