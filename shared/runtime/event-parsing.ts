import * as z from 'zod/mini';
import { ValidationError } from '../errors.js';
import type { CaptureMessage } from '../ports/capture-queue.js';
import type { ImportMessage } from '../ports/import-queue.js';
import type { ReportJobMessage } from '../ports/report-job-queue.js';

/**
 * Parsing of the queue messages the handlers receive, with zod; anything malformed is a named ValidationError.
 * The formats that belong to one store are parsed by its adapter: the stream image of a revision item in
 * shared/adapters/dynamodb/revision-stream-image.ts, the docs/ key in shared/adapters/s3/s3-snapshot-store.ts.
 */

const captureMessageSchema = z.object({
  page: z.string().check(z.minLength(1), z.maxLength(200)),
  url: z.url(),
  reason: z.enum(['scheduled', 'manual', 'probe']),
  requestedAt: z.iso.datetime(),
  series: z.optional(z.string().check(z.minLength(1))),
  edition: z.optional(z.int()),
});

export function parseCaptureMessage(body: string): CaptureMessage {
  return parseJson(captureMessageSchema, body, 'capture message');
}

const importMessageSchema = z.object({
  page: z.string().check(z.minLength(1), z.maxLength(200)),
  documentHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  stagedKey: z.string().check(z.minLength(1), z.maxLength(1024)),
  capturedAt: z.iso.datetime({ offset: true }),
  source: z.string().check(z.maxLength(4096)),
});

/** One capture of a cloud backfill (the FIFO import queue: cli/import-command.ts -> functions/diff/import-handler.ts). */
export function parseImportMessage(body: string): ImportMessage {
  return parseJson(importMessageSchema, body, 'import message');
}

/** "Object Created" from S3 through EventBridge (the cloud path: EventBridge rule -> SQS -> diff). */
const eventBridgeObjectCreatedSchema = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
  time: z.iso.datetime({ offset: true }),
  detail: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string() }) }),
});

/** A plain S3 event notification (S3 -> SQS directly): keys arrive URL-encoded. */
const s3NotificationSchema = z.object({
  Records: z
    .array(
      z.object({
        eventName: z.string(),
        eventTime: z.string(),
        s3: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string() }) }),
      }),
    )
    .check(z.minLength(1)),
});

export interface StoredObjectEvent {
  bucket: string;
  key: string;
  time: string;
}

export function parseObjectCreated(body: string): StoredObjectEvent[] {
  const json = parseJsonValue(body, 'S3 event');
  const fromEventBridge = eventBridgeObjectCreatedSchema.safeParse(json);
  if (fromEventBridge.success) {
    const { detail, time } = fromEventBridge.data;
    return [{ bucket: detail.bucket.name, key: detail.object.key, time: new Date(time).toISOString() }];
  }
  const fromS3 = s3NotificationSchema.safeParse(json);
  if (fromS3.success) {
    return fromS3.data.Records.filter((record) => record.eventName.startsWith('ObjectCreated')).map((record) => ({
      bucket: record.s3.bucket.name,
      key: decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')),
      time: new Date(record.eventTime).toISOString(),
    }));
  }
  throw new ValidationError(`Not an S3 Object Created event: ${fromEventBridge.error.issues[0]?.message ?? 'unknown shape'}`);
}

const reportJobMessageSchema = z.object({
  report: z.string().check(z.minLength(1), z.maxLength(200)),
  from: z.int(),
  to: z.int(),
  inputsHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  requestedAt: z.iso.datetime(),
});

/** One edition report job (functions/api -> the report job queue -> functions/report). */
export function parseReportJobMessage(body: string): ReportJobMessage {
  return parseJson(reportJobMessageSchema, body, 'report job message');
}

function parseJsonValue(body: string, what: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new ValidationError(`Malformed ${what}: not JSON`, { cause: error });
  }
}

function parseJson<T>(schema: z.ZodMiniType<T>, body: string, what: string): T {
  const result = schema.safeParse(parseJsonValue(body, what));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ValidationError(`Malformed ${what}: ${problems.join('; ')}`);
  }
  return result.data;
}
