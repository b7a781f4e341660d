import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsCaptureQueue } from '../../adapters/sqs/sqs-capture-queue.js';
import type { RedlineConfig } from '../../config.js';
import { required } from '../compose-dependencies.js';

export function sqsCaptureQueue(config: RedlineConfig): SqsCaptureQueue {
  return new SqsCaptureQueue({
    client: new SQSClient({ region: config.AWS_REGION }),
    queueUrl: required(config, 'REDLINE_CAPTURE_QUEUE_URL'),
  });
}
