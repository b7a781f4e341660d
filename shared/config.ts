// zod/mini: the same schemas with tree-shakable checks, so every Lambda bundle stays small (zod classic is ~440 KB).
import * as z from 'zod/mini';

/**
 * Runtime configuration, parsed once from the environment at cold start into a frozen, typed object.
 * Missing or malformed variables fail fast with every problem named.
 */
const text = () => z.string().check(z.minLength(1));
const integer = (minimum: number, fallback: number) => z._default(z.coerce.number().check(z.int(), z.gte(minimum)), fallback);

const environmentSchema = z.object({
  REDLINE_TABLE: text(),
  /** Every function but dispatch works with the bucket. */
  REDLINE_BUCKET: z.optional(text()),
  REDLINE_TOPIC_ARN: z.optional(text()),
  REDLINE_CAPTURE_QUEUE_URL: z.optional(text()),
  /** The FIFO import queue of a deployed stack (a cloud backfill: `redline import` with REDLINE_TABLE). */
  REDLINE_IMPORT_QUEUE_URL: z.optional(z.url()),
  /** The edition report job queue (the api function enqueues, the report function consumes). */
  REDLINE_REPORT_JOB_QUEUE_URL: z.optional(z.url()),
  /** Series an uncached edition report may diff within a request; more answers 202 (DEFAULT_SYNC_REPORT_SERIES). */
  REDLINE_SYNC_REPORT_SERIES: integer(0, 30),
  /** A report job still pending this long is failed (the queue's visibility timeout x receives). */
  REDLINE_REPORT_JOB_DEADLINE_SECONDS: integer(60, 3 * 6 * 15 * 60),
  /** Deliveries of a report job before it goes to the dead-letter queue (the last one marks the job failed). */
  REDLINE_REPORT_JOB_MAX_RECEIVES: integer(1, 3),
  /** Endpoint overrides for the local runtime (dynalite, s3rver). */
  REDLINE_DYNAMODB_ENDPOINT: z.optional(z.url()),
  REDLINE_S3_ENDPOINT: z.optional(z.url()),
  REDLINE_SNS_ENDPOINT: z.optional(z.url()),
  REDLINE_SQS_ENDPOINT: z.optional(z.url()),
  /** Bearer token for the API's write routes when no IAM authorizer is in front (the local server only). */
  REDLINE_API_TOKEN: z.optional(z.string().check(z.minLength(16))),
  /** Public base URL of the API for links in feeds (default: derived from the request). */
  REDLINE_API_BASE_URL: z.optional(z.url()),
  /** Prefix of the Atom feeds' permanent ids (RFC 4287 atom:id), the same through every host name (default urn:redline:feed). */
  REDLINE_FEED_ID_PREFIX: z.optional(z.string().check(z.regex(/^(?:urn|tag|https?):[^\s<>"]+$/))),
  REDLINE_USER_AGENT: z._default(text(), 'redline/0.1 (+https://github.com/redline-watch/redline; change tracker)'),
  REDLINE_FAILURE_ALERT_THRESHOLD: integer(1, 3),
  REDLINE_MAX_BODY_BYTES: integer(1024, 10 * 1024 * 1024),
  REDLINE_FETCH_TIMEOUT_MS: integer(100, 30_000),
  AWS_REGION: z._default(text(), 'us-east-1'),
});

export type RedlineConfig = Readonly<z.infer<typeof environmentSchema>>;

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): RedlineConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigurationError(`Invalid redline configuration: ${problems}`);
  }
  return Object.freeze(parsed.data);
}
