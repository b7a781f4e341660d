import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ReportJobMessage, ReportJobQueue } from '../../ports/report-job-queue.js';

export interface SqsReportJobQueueOptions {
  client: SQSClient;
  queueUrl: string;
}

/** The edition report job queue on SQS: one message per job. */
export class SqsReportJobQueue implements ReportJobQueue {
  constructor(private readonly options: SqsReportJobQueueOptions) {}

  async enqueue(message: ReportJobMessage): Promise<void> {
    // The SDK inside the method (see lazy-sns.ts): the api function's bundle does not load it at cold start.
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    await this.options.client.send(new SendMessageCommand({ QueueUrl: this.options.queueUrl, MessageBody: JSON.stringify(message) }));
  }
}
