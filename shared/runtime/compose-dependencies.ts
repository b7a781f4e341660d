import type { RedlineConfig } from '../config.js';
import { RedlineError } from '../errors.js';
import { DEFAULT_TRACKER_SETTINGS, type TrackerDependencies } from '../use-cases/tracker-dependencies.js';

/**
 * The composition root of a Lambda function: each entry (functions/<name>/handler.ts) builds only the adapters it
 * uses (shared/runtime/aws/*), so its bundle loads only those SDK clients at cold start; every other port is
 * `unconfigured` and fails loudly, naming what is missing, if it is ever called.
 */
export function composeDependencies(
  config: RedlineConfig,
  ports: Partial<Omit<TrackerDependencies, 'now' | 'settings'>>,
): TrackerDependencies {
  return {
    revisions: ports.revisions ?? unconfigured('the revision table'),
    snapshots: ports.snapshots ?? unconfigured('the snapshot bucket'),
    fetcher: ports.fetcher ?? unconfigured('the fetcher (only the capture function fetches pages)'),
    captureQueue: ports.captureQueue ?? unconfigured('the capture queue'),
    notifier: ports.notifier ?? unconfigured('the notification topic'),
    ...(ports.subscriptions ? { subscriptions: ports.subscriptions } : {}),
    now: () => new Date(),
    settings: { ...DEFAULT_TRACKER_SETTINGS, failureAlertThreshold: config.REDLINE_FAILURE_ALERT_THRESHOLD },
  };
}

/** A port whose every method rejects with a RedlineError naming the missing resource. */
export function unconfigured<T extends object>(what: string): T {
  const fail = async () => {
    throw new RedlineError(`${what} is not configured: this function is not bound to that resource`);
  };
  return new Proxy({} as T, {
    get: (_target, property) => (property === 'name' ? 'unconfigured' : property === 'then' ? undefined : fail),
  });
}

/** Reads a variable that this function's binding must have set, failing fast at cold start. */
export function required(config: RedlineConfig, variable: 'REDLINE_BUCKET' | 'REDLINE_TOPIC_ARN' | 'REDLINE_CAPTURE_QUEUE_URL'): string {
  const value = config[variable];
  if (!value) throw new RedlineError(`${variable} is not set: this function needs it`);
  return value;
}
