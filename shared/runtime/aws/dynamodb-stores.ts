import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoRevisionStore } from '../../adapters/dynamodb/dynamo-revision-store.js';
import { DynamoSubscriptionStore } from '../../adapters/dynamodb/dynamo-subscription-store.js';
import type { RedlineConfig } from '../../config.js';

/**
 * The revision and subscription stores over one DynamoDB client (created once per cold start). The subscription
 * store (its own DynamoDB document client) is made on first read of `subscriptions`: dispatch, capture, diff,
 * provenance and report never read it, so they never make it.
 */
export function dynamoStores(config: RedlineConfig): { readonly revisions: DynamoRevisionStore; readonly subscriptions: DynamoSubscriptionStore } {
  const client = new DynamoDBClient({
    region: config.AWS_REGION,
    ...(config.REDLINE_DYNAMODB_ENDPOINT ? { endpoint: config.REDLINE_DYNAMODB_ENDPOINT } : {}),
  });
  let subscriptions: DynamoSubscriptionStore | undefined;
  return {
    revisions: new DynamoRevisionStore({ client, tableName: config.REDLINE_TABLE }),
    get subscriptions() {
      return (subscriptions ??= new DynamoSubscriptionStore({ client, tableName: config.REDLINE_TABLE }));
    },
  };
}
