import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { RevisionRecord } from '../../domain/revision-records.js';
import { ValidationError } from '../../errors.js';
import { itemTypes, withoutKeyAttributes } from './item-keys.js';

/** A DynamoDB stream record's NewImage of a revision item -> the RevisionRecord, or undefined for other items. */
export function revisionFromStreamImage(image: Record<string, unknown> | undefined): RevisionRecord | undefined {
  if (!image) return undefined;
  // The stream image is in AttributeValue form; the types of @types/aws-lambda and the SDK differ only nominally.
  const item = unmarshall(image as Parameters<typeof unmarshall>[0]) as Record<string, unknown>;
  if (item.type !== itemTypes.revision) return undefined;
  const record = withoutKeyAttributes(item);
  if (typeof record.page !== 'string' || typeof record.seq !== 'number') {
    throw new ValidationError('A revision stream record without page and seq');
  }
  return record as unknown as RevisionRecord;
}
