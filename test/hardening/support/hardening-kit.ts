import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSEvent } from 'aws-lambda';
import { LocalQueue, sqsRecord } from '../../../local/runtime/local-queue.js';
import type { Observability } from '../../../shared/observability.js';

/** Small shared helpers of the hardening tests and the hardening bench. */

/** Powertools with nothing printed (handlers log every failure, which is the point of these tests). */
export function silentObservability(service: string): Observability {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const logger = new Logger({ serviceName: service, logLevel: 'SILENT' });
  return { logger, metrics: new Metrics({ serviceName: service, namespace: 'redline-hardening', logger }) };
}

/** An SQS event with these bodies, shaped as the event source mapping delivers it. */
export function sqsEvent(bodies: readonly string[], queueName = 'redline-capture'): SQSEvent {
  const queue = new LocalQueue<string>({ name: queueName });
  queue.send(bodies);
  return { Records: queue.receive(bodies.length).map((message) => sqsRecord(queue, message)) };
}

export interface MemoryPeak {
  ms: number;
  /** Peak growth of heapUsed + external (ArrayBuffers included) over the start, in MiB. */
  peakMiB: number;
  rssPeakMiB: number;
}

/** Runs `work`, sampling memory every millisecond or so: how long it took and how high memory went above the start. */
export async function measured<T>(work: () => Promise<T>): Promise<{ result: T } & MemoryPeak> {
  const usage = () => {
    const { heapUsed, external, rss } = process.memoryUsage();
    return { live: heapUsed + external, rss };
  };
  const start = usage();
  let peak = start.live;
  let rssPeak = start.rss;
  const sampler = setInterval(() => {
    const now = usage();
    peak = Math.max(peak, now.live);
    rssPeak = Math.max(rssPeak, now.rss);
  }, 1);
  const began = performance.now();
  try {
    const result = await work();
    const end = usage();
    peak = Math.max(peak, end.live);
    rssPeak = Math.max(rssPeak, end.rss);
    return { result, ms: performance.now() - began, peakMiB: (peak - start.live) / 2 ** 20, rssPeakMiB: (rssPeak - start.rss) / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}
