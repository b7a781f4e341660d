/** The SQS client, loaded only by `redline run` on a deployed stack (see store-clients.ts for why this module exists). */
export { SQSClient } from '@aws-sdk/client-sqs';
