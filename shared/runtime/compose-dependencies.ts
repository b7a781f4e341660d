import type { RedlineConfig } from '../config.js';
import { RedlineError } from '../errors.js';
import { DEFAULT_TRACKER_SETTINGS, type TrackerDependencies } from '../use-cases/tracker-dependencies.js';

/**
 * Shared by the Lambda composition roots. Each entry (functions/<name>/handler.ts) builds only the adapters its
 * handler factory declares (shared/runtime/aws/*), so its bundle loads only those SDK clients at cold start.
 */

/** The wall clock and the tracker settings, from the function's environment. */
export function clockAndSettings(config: RedlineConfig): Pick<TrackerDependencies, 'now' | 'settings'> {
  return {
    now: () => new Date(),
    settings: { ...DEFAULT_TRACKER_SETTINGS, failureAlertThreshold: config.REDLINE_FAILURE_ALERT_THRESHOLD },
  };
}

/** Reads a variable that this function's binding must have set, failing fast at cold start. */
export function required(config: RedlineConfig, variable: 'REDLINE_BUCKET' | 'REDLINE_TOPIC_ARN' | 'REDLINE_CAPTURE_QUEUE_URL'): string {
  const value = config[variable];
  if (!value) throw new RedlineError(`${variable} is not set: this function needs it`);
  return value;
}
