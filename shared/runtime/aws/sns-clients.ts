import { SNSClient } from '@aws-sdk/client-sns';
import type { RedlineConfig } from '../../config.js';

export function snsClient(config: RedlineConfig): SNSClient {
  return new SNSClient({
    region: config.AWS_REGION,
    ...(config.REDLINE_SNS_ENDPOINT ? { endpoint: config.REDLINE_SNS_ENDPOINT } : {}),
  });
}
