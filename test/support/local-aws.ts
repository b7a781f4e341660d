import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import {
  localDynamoDbClientConfig,
  localS3ClientConfig,
  startLocalAwsServers,
  type LocalAwsEndpoints,
  type LocalAwsServers,
} from '../../local/runtime/local-aws-servers.js';

export interface LocalAws {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  endpoints: LocalAwsEndpoints;
  region: string;
  tableName: string;
  bucketName: string;
  onS3Event(listener: (event: unknown) => void): () => void;
  /** The servers themselves (their thread, data folder, write-failure events). */
  servers: LocalAwsServers;
  /** Destroys the clients, stops the servers and removes the temporary folder. */
  close(): Promise<void>;
}

/**
 * dynalite + s3rver for a test file, with the redline table and bucket created. Without `dataDir`, DynamoDB stays
 * in memory and S3 lives in a temporary folder removed on close. `thread: true` runs the servers on a worker thread of
 * their own (local/runtime/aws-servers-thread.ts). Call close() in afterAll.
 */
export async function startLocalAws(options: { dataDir?: string; thread?: boolean } = {}): Promise<LocalAws> {
  const temporaryDir = options.dataDir ? undefined : await mkdtemp(join(tmpdir(), 'redline-test-'));
  const dataDir = options.dataDir ?? temporaryDir!;
  let servers;
  try {
    servers = await startLocalAwsServers({
      dataDir,
      dynamodbInMemory: !options.dataDir,
      resetS3OnClose: !options.dataDir,
      ...(options.thread !== undefined ? { thread: options.thread } : {}),
    });
  } catch (error) {
    if (temporaryDir) await rm(temporaryDir, { recursive: true, force: true });
    throw error;
  }
  const dynamodb = new DynamoDBClient(localDynamoDbClientConfig(servers.endpoints.dynamodb, servers.region));
  const s3 = new S3Client(localS3ClientConfig(servers.endpoints.s3, servers.region));
  return {
    dynamodb,
    s3,
    endpoints: servers.endpoints,
    region: servers.region,
    tableName: servers.tableName,
    bucketName: servers.bucketName,
    onS3Event: servers.onS3Event,
    servers,
    async close() {
      dynamodb.destroy();
      s3.destroy();
      try {
        await servers.close();
      } finally {
        if (temporaryDir) await rm(temporaryDir, { recursive: true, force: true });
      }
    },
  };
}
