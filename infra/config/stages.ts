import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * Per-stage settings, typed so a stack cannot read a setting that no stage defines.
 * Pick the stage with `-c stage=prod` (default: dev).
 */
export type StageName = 'dev' | 'prod';

export type PowertoolsLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface StageSettings {
  readonly name: StageName;
  /** Prefix for stack names and resource descriptions ("Redline-Dev"). */
  readonly stackPrefix: string;
  /** What happens to stateful resources (table, buckets, topic, key) when the stack or resource goes away. */
  readonly removalPolicy: RemovalPolicy;
  /** Empty the buckets on stack deletion (only where removalPolicy is DESTROY). */
  readonly autoDeleteObjects: boolean;
  readonly tableDeletionProtection: boolean;
  readonly terminationProtection: boolean;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  /** Server access logs are kept this long. */
  readonly accessLogExpiration: Duration;
  /** Overwritten versions (sections/ lines are replaced per capture) are kept this long. */
  readonly noncurrentVersionExpiration: Duration;
  /** How often the dispatcher runs; pages have their own interval on top of this. */
  readonly dispatchRate: Duration;
  /** Caps concurrent captures, which caps concurrent requests to the watched sites. */
  readonly captureReservedConcurrency: number;
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Optional e-mail subscribed to the alarm topic. */
  readonly alarmEmail?: string;
}

export const STAGES: Readonly<Record<StageName, StageSettings>> = Object.freeze({
  dev: Object.freeze({
    name: 'dev',
    stackPrefix: 'Redline-Dev',
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
    tableDeletionProtection: false,
    terminationProtection: false,
    logRetention: RetentionDays.TWO_WEEKS,
    logLevel: 'DEBUG',
    accessLogExpiration: Duration.days(30),
    noncurrentVersionExpiration: Duration.days(7),
    dispatchRate: Duration.minutes(15),
    captureReservedConcurrency: 2,
    apiThrottle: Object.freeze({ rateLimit: 10, burstLimit: 20 }),
  }),
  prod: Object.freeze({
    name: 'prod',
    stackPrefix: 'Redline-Prod',
    removalPolicy: RemovalPolicy.RETAIN,
    autoDeleteObjects: false,
    tableDeletionProtection: true,
    terminationProtection: true,
    logRetention: RetentionDays.ONE_YEAR,
    logLevel: 'INFO',
    accessLogExpiration: Duration.days(365),
    noncurrentVersionExpiration: Duration.days(90),
    dispatchRate: Duration.minutes(15),
    captureReservedConcurrency: 5,
    apiThrottle: Object.freeze({ rateLimit: 50, burstLimit: 100 }),
  }),
});

export class StageConfigurationError extends Error {
  override readonly name = 'StageConfigurationError';
}

/** The settings for a `-c stage=...` value; undefined means dev. */
export function stageSettings(stage: unknown = 'dev', overrides: { alarmEmail?: unknown } = {}): StageSettings {
  const name = stage === undefined ? 'dev' : stage;
  if (typeof name !== 'string' || !Object.hasOwn(STAGES, name)) {
    throw new StageConfigurationError(`Unknown stage ${JSON.stringify(name)}; expected one of: ${Object.keys(STAGES).join(', ')}`);
  }
  const settings = STAGES[name as StageName];
  const alarmEmail = overrides.alarmEmail;
  if (alarmEmail === undefined || alarmEmail === '') return settings;
  if (typeof alarmEmail !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new StageConfigurationError(`alarmEmail must be an e-mail address, got ${JSON.stringify(alarmEmail)}`);
  }
  return Object.freeze({ ...settings, alarmEmail });
}
