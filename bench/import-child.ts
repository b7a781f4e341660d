import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoRevisionStore } from '../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3SnapshotStore } from '../shared/adapters/s3/s3-snapshot-store.js';
import { archiveCaptures } from '../shared/adapters/warc/archive-captures.js';
import { startCaptureReaderPool } from '../shared/adapters/workers/capture-reader-pool.js';
import { localDynamoDbClientConfig, localS3ClientConfig, startLocalAwsServers } from '../local/runtime/local-aws-servers.js';
import { importPages } from '../shared/use-cases/import-pages.js';
import { DEFAULT_TRACKER_SETTINGS } from '../shared/use-cases/tracker-dependencies.js';
import { CORPUS_DIRECTORY } from '../test/support/corpus.js';

/**
 * One import of the sample pages into a fresh local store, alone in its process, so that its peak RSS is its own
 * (the import suite runs it with no worker thread and with one). Arguments: extraction threads (0: none), concurrency,
 * and where the local servers run: `thread` (their own worker thread, as `redline import` runs them) or `caller`
 * (this thread, as before issue 13 §3). Prints
 * `{ ms, cpuMs, maxRssMiB, imported, threads }`: ms is the import itself, as in the suite's in-process rows; cpuMs the
 * CPU time the process spent in it (every thread's, user + system), which other processes' load hardly changes.
 */
const threadsArgument = process.argv[2] ?? 'default';
const concurrency = Number(process.argv[3] ?? 4);
const serversThread = (process.argv[4] ?? 'thread') === 'thread';
const dataDir = await mkdtemp(join(tmpdir(), 'redline-bench-import-child-'));
const servers = await startLocalAwsServers({
  dataDir,
  dynamodbInMemory: true,
  resetS3OnClose: true,
  requireListPaging: false,
  thread: serversThread,
});
const dynamodb = new DynamoDBClient(localDynamoDbClientConfig(servers.endpoints.dynamodb, servers.region));
const s3 = new S3Client(localS3ClientConfig(servers.endpoints.s3, servers.region));
const reader =
  threadsArgument === '0' ? undefined : startCaptureReaderPool(threadsArgument === 'default' ? {} : { threads: Number(threadsArgument) });
try {
  const dependencies = {
    revisions: new DynamoRevisionStore({ client: dynamodb, tableName: servers.tableName }),
    snapshots: new S3SnapshotStore({ client: s3, bucket: servers.bucketName }),
    now: () => new Date(),
    settings: DEFAULT_TRACKER_SETTINGS,
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const report = await importPages(dependencies, archiveCaptures([CORPUS_DIRECTORY]), { concurrency, ...(reader ? { reader } : {}) });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  // ru_maxrss counts every thread of the process: the workers' heaps are in it.
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ms, cpuMs, maxRssMiB, imported: report.imported, threads: reader?.threads ?? 0 })}\n`);
} finally {
  await reader?.close();
  dynamodb.destroy();
  s3.destroy();
  await servers.close();
  await rm(dataDir, { recursive: true, force: true });
}
