import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoRevisionStore } from '../../adapters/dynamodb/dynamo-revision-store.js';
import { DynamoSubscriptionStore } from '../../adapters/dynamodb/dynamo-subscription-store.js';
import type { RedlineConfig } from '../../config.js';

/** The revision and subscription stores over one DynamoDB client (created once per cold start). */
export function dynamoStores(config: RedlineConfig) {
  const client = new DynamoDBClient({
    region: config.AWS_REGION,
    ...(config.REDLINE_DYNAMODB_ENDPOINT ? { endpoint: config.REDLINE_DYNAMODB_ENDPOINT } : {}),
  });
  return {
    revisions: new DynamoRevisionStore({ client, tableName: config.REDLINE_TABLE }),
    subscriptions: new DynamoSubscriptionStore({ client, tableName: config.REDLINE_TABLE }),
  };
}
