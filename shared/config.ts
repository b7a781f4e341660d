import { z } from 'zod';

/**
 * Runtime configuration, parsed once from the environment at cold start into a frozen, typed object.
 * Missing or malformed variables fail fast with every problem named.
 */
const environmentSchema = z.object({
  REDLINE_TABLE: z.string().min(1),
  REDLINE_BUCKET: z.string().min(1),
  REDLINE_TOPIC_ARN: z.string().min(1).optional(),
  REDLINE_CAPTURE_QUEUE_URL: z.string().min(1).optional(),
  /** Endpoint overrides for the local runtime (dynalite, s3rver). */
  REDLINE_DYNAMODB_ENDPOINT: z.url().optional(),
  REDLINE_S3_ENDPOINT: z.url().optional(),
  REDLINE_SNS_ENDPOINT: z.url().optional(),
  /** Bearer token for the API's write routes when no IAM authorizer is in front (the local server only). */
  REDLINE_API_TOKEN: z.string().min(16).optional(),
  /** Public base URL of the API for links in feeds (default: derived from the request). */
  REDLINE_API_BASE_URL: z.url().optional(),
  REDLINE_USER_AGENT: z.string().min(1).default('redline/0.1 (+https://github.com/redline-watch/redline; change tracker)'),
  REDLINE_FAILURE_ALERT_THRESHOLD: z.coerce.number().int().min(1).default(3),
  REDLINE_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  REDLINE_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  AWS_REGION: z.string().min(1).default('us-east-1'),
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
