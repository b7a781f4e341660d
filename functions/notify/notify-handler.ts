import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { revisionFromStreamImage } from '../../shared/adapters/dynamodb/revision-stream-image.js';
import { MetricUnit, withPageKeys, type Observability } from '../../shared/observability.js';
import { trackerHandler } from '../../shared/runtime/lambda-handler.js';
import { notifyRevision, type NotifyDependencies } from '../../shared/use-cases/notify-revision.js';

/**
 * DynamoDB stream (new revision items only: the event source filter passes INSERTs of type=revision, and this
 * handler checks again) -> notifications on SNS. A failed publish fails that record; the stream retries it.
 */
export function createNotifyHandler(dependencies: NotifyDependencies, observability: Observability) {
  const { logger, metrics } = observability;
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const notifyRecord = async (record: DynamoDBRecord) => {
    if (record.eventName !== 'INSERT') return [];
    const revision = revisionFromStreamImage(record.dynamodb?.NewImage);
    if (!revision) return [];
    return withPageKeys(logger, { page: revision.page, revision: revision.seq }, async () => {
      const notifications = await notifyRevision(dependencies, revision);
      metrics.addMetric('NotificationsPublished', MetricUnit.Count, notifications.length);
      logger.info('notified', { notifications: notifications.map((notification) => notification.id) });
      return notifications;
    });
  };
  return trackerHandler(observability, (event: DynamoDBStreamEvent, context: Context) =>
    // One record at a time: withPageKeys sets the page keys on the shared logger, so parallel records would log
    // under each other's keys.
    processPartialResponse(event, notifyRecord, processor, { context, processInParallel: false }),
  );
}
