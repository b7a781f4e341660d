import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';

/**
 * Counts the requests the SDK clients are asked to send, by operation (`GetItem`, `PutObject`...): a middleware on each
 * client's stack, at the initialize step, before the retry middleware, so a request the SDK retries (a dropped
 * connection on a loaded machine) counts once and the counts do not depend on the machine's speed. The bench reports
 * requests per page from it, and the tests that prove a round trip was cut read it.
 */
export interface RequestCounter {
  /** Requests sent since the last reset, by service and operation: `{ dynamodb: { GetItem: 3 }, s3: { PutObject: 2 } }`. */
  counts(): { dynamodb: Record<string, number>; s3: Record<string, number> };
  total(service?: 'dynamodb' | 's3'): number;
  reset(): void;
  /** Removes the middleware from both clients. */
  detach(): void;
}

const MIDDLEWARE_NAME = 'redlineRequestCounter';

export function countRequests(clients: { dynamodb?: DynamoDBClient; s3?: S3Client }): RequestCounter {
  let tally = { dynamodb: {} as Record<string, number>, s3: {} as Record<string, number> };
  const attach = (service: 'dynamodb' | 's3', client: DynamoDBClient | S3Client | undefined) => {
    if (!client) return;
    // The two clients' stacks differ in their type parameters only; the middleware reads nothing service-specific.
    const stack = client.middlewareStack as DynamoDBClient['middlewareStack'];
    stack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
        tally[service][operation] = (tally[service][operation] ?? 0) + 1;
        return next(args);
      },
      { step: 'initialize', name: MIDDLEWARE_NAME },
    );
  };
  attach('dynamodb', clients.dynamodb);
  attach('s3', clients.s3);
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, count) => total + count, 0);
  return {
    counts: () => ({ dynamodb: { ...tally.dynamodb }, s3: { ...tally.s3 } }),
    total: (service) => (service ? sum(tally[service]) : sum(tally.dynamodb) + sum(tally.s3)),
    reset: () => {
      tally = { dynamodb: {}, s3: {} };
    },
    detach: () => {
      clients.dynamodb?.middlewareStack.remove(MIDDLEWARE_NAME);
      clients.s3?.middlewareStack.remove(MIDDLEWARE_NAME);
    },
  };
}
