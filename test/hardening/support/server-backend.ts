import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { objectCreatedFromS3rver } from '../../../local/runtime/aws-event-shapes.js';
import { RevisionStream } from '../../../local/runtime/revision-stream.js';
import { DynamoRevisionStore } from '../../../shared/adapters/dynamodb/dynamo-revision-store.js';
import {
  localDynamoDbClientConfig,
  localS3ClientConfig,
  startLocalAwsServers,
  type LocalAwsServers,
} from '../../../local/runtime/local-aws-servers.js';
import { S3SnapshotStore } from '../../../shared/adapters/s3/s3-snapshot-store.js';
import { revisionFromStreamImage } from '../../../shared/adapters/dynamodb/revision-stream-image.js';
import type { Backend, EventSink, Ports } from './fault-simulation.js';

/**
 * The real backend of the fault property: dynalite persisting to `<dataDir>/dynamodb` and s3rver to `<dataDir>/s3`,
 * with the production adapters (DynamoRevisionStore, S3SnapshotStore), s3rver's own ObjectCreated events turned
 * into the EventBridge shape as the local runtime does, and the local runtime's RevisionStream for the DynamoDB
 * stream (dynalite has none). stop() closes both servers (in-flight calls fail on the network); start() starts them
 * again on the same folder, on new ports, with new SDK clients and stores: whatever survives is what was on disk.
 */
export interface ServerBackend extends Backend {
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
  readonly starts: number;
  readonly restartMs: number[];
  /** Stream records whose item could not be read back (the local stream's failure, never expected). */
  readonly lostStreamRecords: string[];
}

interface Running {
  servers: LocalAwsServers;
  dynamodb: DynamoDBClient;
  s3: S3Client;
  stream: RevisionStream;
  ports: Ports;
  unsubscribe: () => void;
}

export async function serverBackend(dataDir: string): Promise<ServerBackend> {
  let sink: EventSink | undefined;
  let clock: () => Date = () => new Date();
  let running: Running | undefined;
  let starts = 0;
  const restartMs: number[] = [];
  const lostStreamRecords: string[] = [];
  let stoppedAt: number | undefined;

  const start = async () => {
    if (running) return;
    const servers = await startLocalAwsServers({ dataDir, requireListPaging: false });
    const dynamodb = new DynamoDBClient({ ...localDynamoDbClientConfig(servers.endpoints.dynamodb, servers.region), maxAttempts: 2 });
    const s3 = new S3Client({ ...localS3ClientConfig(servers.endpoints.s3, servers.region), maxAttempts: 2 });
    const stream = new RevisionStream({
      client: dynamodb,
      tableName: servers.tableName,
      region: servers.region,
      clock: () => clock(),
      emit: (record) => {
        const revision = revisionFromStreamImage(record.dynamodb?.NewImage);
        if (revision) sink?.revision(revision);
      },
      onError: (error, revision) => {
        lostStreamRecords.push(`${revision.page}#${revision.seq}: ${String(error)}`);
      },
    });
    const unsubscribe = servers.onS3Event((event) => {
      for (const created of objectCreatedFromS3rver(event, clock(), servers.region)) {
        if (created.detail.bucket.name === servers.bucketName && created.detail.object.key.startsWith('docs/'))
          sink?.objectCreated(JSON.stringify(created));
      }
    });
    running = {
      servers,
      dynamodb,
      s3,
      stream,
      unsubscribe,
      ports: {
        revisions: stream.wrap(new DynamoRevisionStore({ client: dynamodb, tableName: servers.tableName, clock: () => clock() })),
        snapshots: new S3SnapshotStore({ client: s3, bucket: servers.bucketName }),
      },
    };
    starts += 1;
    if (stoppedAt !== undefined) restartMs.push(performance.now() - stoppedAt);
    stoppedAt = undefined;
  };

  const stop = async () => {
    if (!running) return;
    const current = running;
    running = undefined;
    stoppedAt = performance.now();
    // A stream record exists once its write succeeded: let the read-backs finish before the table goes away.
    await current.stream.settled();
    current.unsubscribe();
    await current.servers.close();
    // The old clients stay usable objects (a worker may still hold them): they now fail to connect. Destroyed later.
    setTimeout(() => {
      current.dynamodb.destroy();
      current.s3.destroy();
    }, 5_000).unref();
  };

  const live = () => {
    if (!running) throw new Error('the local servers are stopped');
    return running;
  };

  await start();
  return {
    name: 'dynalite+s3rver',
    ports: () => live().ports,
    connect(events, eventClock) {
      sink = events;
      clock = eventClock;
    },
    settle: async () => {
      await running?.stream.settled();
    },
    async listKeys(prefix) {
      const { s3, servers } = live();
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: servers.bucketName, Prefix: prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async readText(key) {
      const { s3, servers } = live();
      const response = await s3.send(new GetObjectCommand({ Bucket: servers.bucketName, Key: key }));
      return response.Body!.transformToString();
    },
    stop,
    start,
    close: stop,
    get starts() {
      return starts;
    },
    restartMs,
    lostStreamRecords,
  };
}
