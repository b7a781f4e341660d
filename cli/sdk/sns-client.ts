/** The SNS client, loaded only where a topic is configured (see store-clients.ts for why this module exists). */
export { SNSClient } from '@aws-sdk/client-sns';
