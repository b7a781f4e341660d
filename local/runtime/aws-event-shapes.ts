import { randomBytes, randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, ScheduledEvent } from 'aws-lambda';

/**
 * The event shapes AWS delivers to redline's handlers, built locally: what EventBridge Scheduler sends to dispatch
 * (infra/constructs/dispatch-schedule.ts), what an EventBridge rule puts on the diff queue for an S3 "Object
 * Created", and the DynamoDB stream record of an inserted item.
 */
export const LOCAL_ACCOUNT = '000000000000';

/** EventBridge's `time`: UTC to the second. */
export function eventBridgeTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function scheduledEvent(at: Date, options: { region?: string; scheduleName?: string } = {}): ScheduledEvent<Record<string, never>> {
  const region = options.region ?? 'us-east-1';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: LOCAL_ACCOUNT,
    time: eventBridgeTime(at),
    region,
    resources: [`arn:aws:scheduler:${region}:${LOCAL_ACCOUNT}:schedule/default/${options.scheduleName ?? 'redline-dispatch'}`],
    detail: {},
  };
}

/** EventBridge "Object Created" from S3 (the bucket has EventBridge notifications on; no version id: unversioned). */
export interface ObjectCreatedEvent {
  version: '0';
  id: string;
  'detail-type': 'Object Created';
  source: 'aws.s3';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    version: '0';
    bucket: { name: string };
    object: { key: string; size: number; etag: string; sequencer: string };
    'request-id': string;
    requester: string;
    'source-ip-address': string;
    reason: 'PutObject' | 'CopyObject' | 'POST Object' | 'CompleteMultipartUpload';
  };
}

export function objectCreatedEvent(object: {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  at: Date;
  region?: string;
  reason?: ObjectCreatedEvent['detail']['reason'];
  sequencer?: string;
}): ObjectCreatedEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: LOCAL_ACCOUNT,
    time: eventBridgeTime(object.at),
    region: object.region ?? 'us-east-1',
    resources: [`arn:aws:s3:::${object.bucket}`],
    detail: {
      version: '0',
      bucket: { name: object.bucket },
      object: {
        key: object.key,
        size: object.size,
        etag: object.etag.replace(/"/g, ''),
        sequencer: object.sequencer ?? randomBytes(9).toString('hex').toUpperCase(),
      },
      'request-id': randomBytes(8).toString('hex').toUpperCase(),
      requester: LOCAL_ACCOUNT,
      'source-ip-address': '127.0.0.1',
      reason: object.reason ?? 'PutObject',
    },
  };
}

/**
 * An s3rver `event` record (S3 notification shape, keys NOT URL-encoded) -> the EventBridge event, or undefined for
 * anything that is not an object creation.
 */
export function objectCreatedFromS3rver(event: unknown, at: Date, region?: string): ObjectCreatedEvent[] {
  const records = (event as { Records?: unknown[] } | undefined)?.Records ?? [];
  const created: ObjectCreatedEvent[] = [];
  for (const record of records) {
    const { eventName, s3 } = record as {
      eventName?: string;
      s3?: { bucket?: { name?: string }; object?: { key?: string; size?: number; eTag?: string } };
    };
    if (!eventName?.startsWith('ObjectCreated') || !s3?.bucket?.name || !s3.object?.key) continue;
    const reason = eventName === 'ObjectCreated:Copy' ? 'CopyObject' : eventName === 'ObjectCreated:Post' ? 'POST Object' : 'PutObject';
    created.push(
      objectCreatedEvent({
        bucket: s3.bucket.name,
        key: s3.object.key,
        size: s3.object.size ?? 0,
        etag: s3.object.eTag ?? '',
        at,
        reason,
        ...(region ? { region } : {}),
      }),
    );
  }
  return created;
}

/** A stream record of a NEW_IMAGE stream for an inserted item. */
export function insertStreamRecord(options: {
  newImage: Record<string, AttributeValue>;
  keyNames: readonly string[];
  sequenceNumber: string;
  at: Date;
  streamArn: string;
  region?: string;
}): DynamoDBRecord {
  const keys = Object.fromEntries(options.keyNames.map((name) => [name, options.newImage[name]!]));
  return {
    eventID: randomBytes(16).toString('hex'),
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: options.region ?? 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(options.at.getTime() / 1000),
      // The SDK's AttributeValue and the one in @types/aws-lambda differ only nominally.
      Keys: keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      NewImage: options.newImage as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
      SequenceNumber: options.sequenceNumber,
      SizeBytes: Buffer.byteLength(JSON.stringify(options.newImage)),
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: options.streamArn,
  };
}
