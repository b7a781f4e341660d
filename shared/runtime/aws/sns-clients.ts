import { SNSClient } from '@aws-sdk/client-sns';
import type { RedlineConfig } from '../../config.js';
import { snsClientConfig } from './lazy-sns.js';

/** An SNS client made at start, for a function that publishes on every invocation (notify). */
export function snsClient(config: RedlineConfig): SNSClient {
  return new SNSClient(snsClientConfig(config));
}
