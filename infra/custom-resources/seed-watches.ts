import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse, Context } from 'aws-lambda';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { parseWatchList } from '../config/watch-list.js';

/**
 * CloudFormation custom resource (Lambda-backed, no provider framework) that seeds the watch list at deploy time
 * through the same use case as POST /watches: pages already watched are left as they are, so the API's and the
 * CLI's changes survive a redeploy, and deleting the stack or a seed entry never deletes a page's history.
 */
export const PHYSICAL_RESOURCE_ID = 'redline-watch-list-seed';

export interface SeedDependencies {
  tableName: string;
  client?: DynamoDBClient;
  now?: () => Date;
  /** Sends the response to CloudFormation; replaced in tests. */
  respond?: (url: string, body: CloudFormationCustomResourceResponse) => Promise<void>;
}

export function createSeedHandler(dependencies: SeedDependencies) {
  const revisions = new DynamoRevisionStore({ client: dependencies.client ?? new DynamoDBClient({}), tableName: dependencies.tableName });
  const respond = dependencies.respond ?? putResponse;
  const now = dependencies.now ?? (() => new Date());
  return async (event: CloudFormationCustomResourceEvent, context: Pick<Context, 'logStreamName'>) => {
    const base = {
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      PhysicalResourceId: PHYSICAL_RESOURCE_ID,
    };
    try {
      let created = 0;
      if (event.RequestType !== 'Delete') {
        const listed: unknown = JSON.parse(String(event.ResourceProperties.Watches));
        // `-c watchList=none` deploys with nothing to seed.
        const watches = Array.isArray(listed) && listed.length === 0 ? [] : parseWatchList({ watches: listed }, 'seeded watch list');
        for (const watch of watches) {
          const result = await addWatch({ revisions, now, settings: DEFAULT_TRACKER_SETTINGS }, watch);
          if (result.created) created += 1;
        }
      }
      await respond(event.ResponseURL, { ...base, Status: 'SUCCESS', Data: { Created: created } });
    } catch (error) {
      // Always answer: an unanswered custom resource blocks the stack for an hour.
      const reason = `${(error as Error).message ?? String(error)} (log stream ${context.logStreamName})`.slice(0, 1000);
      await respond(event.ResponseURL, { ...base, Status: 'FAILED', Reason: reason });
    }
  };
}

async function putResponse(url: string, body: CloudFormationCustomResourceResponse): Promise<void> {
  const text = JSON.stringify(body);
  // The pre-signed URL is signed for an empty content type.
  const response = await fetch(url, {
    method: 'PUT',
    body: text,
    headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(text)) },
  });
  if (!response.ok) throw new Error(`CloudFormation did not take the response: HTTP ${response.status}`);
}

const tableName = process.env.REDLINE_TABLE;
export const handler = tableName
  ? createSeedHandler({ tableName })
  : async () => {
      throw new Error('REDLINE_TABLE is not set: the seed function is not bound to the table');
    };
