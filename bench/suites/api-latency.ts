import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import autocannon from 'autocannon';
import { createApiHandler } from '../../functions/api/api-handler.js';
import type { ApiDependencies } from '../../functions/api/api-dependencies.js';
import { startApiServer } from '../../local/runtime/api-server.js';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { DynamoSubscriptionStore } from '../../shared/adapters/dynamodb/dynamo-subscription-store.js';
import { localDynamoDbClientConfig, localS3ClientConfig, startLocalAwsServers } from '../../local/runtime/local-aws-servers.js';
import { LocalSubscriptionGateway } from '../../local/runtime/subscription-notifier.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import type { Document } from '../../shared/domain/document.js';
import { extract } from '../../shared/domain/extract.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { loadCorpusPage } from '../../test/support/corpus.js';
import { round, type BenchRow, type SuiteResult } from '../bench-kit.js';

/**
 * API latency under load: autocannon against local/runtime/api-server.ts (the same api handler as the Lambda, over
 * dynalite and s3rver on 127.0.0.1) for the section-history, diff and edition-compare routes, each for a few
 * seconds, against GET /series measured in the same run (a route that is one small DynamoDB query). The ratios of
 * p50 to the reference p50 are the figures that count; absolute times on a shared machine are noise.
 */
const REVISIONS = 20;
const TORTURE_KEY = 'security-of-the-person/torture-and-cruel-inhuman-or-degrading';

export interface ApiLatencyOptions {
  /** Seconds per route (default 3). */
  durationSeconds?: number;
  connections?: number;
}

export async function apiLatencySuite(options: ApiLatencyOptions = {}): Promise<SuiteResult> {
  const durationSeconds = options.durationSeconds ?? 3;
  const connections = options.connections ?? 10;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'redline-bench-api-'));
  const servers = await startLocalAwsServers({ dataDir, dynamodbInMemory: true, resetS3OnClose: true, requireListPaging: false });
  const dynamodb = new DynamoDBClient(localDynamoDbClientConfig(servers.endpoints.dynamodb, servers.region));
  const s3 = new S3Client(localS3ClientConfig(servers.endpoints.s3, servers.region));
  try {
    const now = new Date();
    const dependencies: ApiDependencies = {
      revisions: new DynamoRevisionStore({ client: dynamodb, tableName: servers.tableName }),
      snapshots: new S3SnapshotStore({ client: s3, bucket: servers.bucketName }),
      subscriptions: new DynamoSubscriptionStore({ client: dynamodb, tableName: servers.tableName }),
      subscriptionGateway: new LocalSubscriptionGateway(),
      now: () => now,
      settings: DEFAULT_TRACKER_SETTINGS,
      api: {},
    };
    const page = await seed(dependencies);

    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const logger = new Logger({ serviceName: 'api-bench', logLevel: 'SILENT' });
    const handler = createApiHandler(dependencies, {
      logger,
      metrics: new Metrics({ serviceName: 'api-bench', namespace: 'redline-bench', logger }),
    });
    const server = await startApiServer({ handler });
    try {
      const routes: [string, string][] = [
        ['reference: GET /series', '/series'],
        ['section history', `/pages/${page}/sections/${TORTURE_KEY.replaceAll('/', '~')}/history`],
        ['diff stored (consecutive)', `/pages/${page}/diff?from=${REVISIONS - 1}&to=${REVISIONS}`],
        ['diff computed (1..20)', `/pages/${page}/diff?from=1&to=${REVISIONS}`],
        ['diff computed, html', `/pages/${page}/diff?from=1&to=${REVISIONS}&format=html`],
        ['compare editions 2023..2024', '/series/hrr~kazakhstan/compare?from=2023&to=2024'],
      ];
      const rows: BenchRow[] = [];
      let referenceP50 = 0;
      for (const [name, route] of routes) {
        const url = `${server.url}${route}`;
        const check = await fetch(url);
        if (check.status !== 200) throw new Error(`${route} answered ${check.status}: ${await check.text()}`);
        const result = await autocannon({ url, connections, duration: durationSeconds, timeout: 30 });
        if (referenceP50 === 0) referenceP50 = Math.max(result.latency.p50, 0.5);
        rows.push({
          suite: 'api-latency',
          case: name,
          p50_ms: round(result.latency.p50),
          p99_ms: round(result.latency.p99),
          req_per_s: round(result.requests.average, 1),
          requests: result.requests.total,
          errors: result.errors + result.timeouts + result.non2xx,
          p50_ratio: round(result.latency.p50 / referenceP50, 2),
        });
      }
      const byCase = (text: string) => rows.find((row) => String(row.case).startsWith(text))!;
      return {
        suite: 'api-latency',
        rows,
        summary: {
          connections,
          seconds_per_route: durationSeconds,
          reference_p50_ms: round(referenceP50),
          history_p50_ratio: byCase('section history').p50_ratio as number,
          diff_stored_p50_ratio: byCase('diff stored').p50_ratio as number,
          diff_computed_p50_ratio: byCase('diff computed (1').p50_ratio as number,
          compare_p50_ratio: byCase('compare').p50_ratio as number,
          errors: rows.reduce((sum, row) => sum + Number(row.errors), 0),
        },
      };
    } finally {
      await server.close();
    }
  } finally {
    dynamodb.destroy();
    s3.destroy();
    await servers.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function hrrUrl(year: number): string {
  return `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/kazakhstan/`;
}

/** Three editions of Kazakhstan; the 2024 page with REVISIONS revisions, each adding a sentence to the torture section. */
async function seed(dependencies: ApiDependencies): Promise<string> {
  let clock = Date.parse('2025-03-01T00:00:00.000Z');
  const record = async (page: string, document: Document) => {
    const stored = await dependencies.snapshots.putDocument(page, document);
    clock += 3_600_000;
    const outcome = await recordRevision(dependencies, { page, documentKey: stored.key, capturedAt: new Date(clock).toISOString() });
    if (outcome.outcome !== 'recorded') throw new Error(`seeding ${page}: ${outcome.outcome}`);
  };
  let page = '';
  for (const year of [2022, 2023, 2024]) {
    page = (await addWatch(dependencies, { url: hrrUrl(year) })).page.page;
    let document = extract(loadCorpusPage('kazakhstan', year), { url: hrrUrl(year) });
    await record(page, document);
    if (year !== 2024) continue;
    for (let seq = 2; seq <= REVISIONS; seq++) {
      document = {
        ...document,
        sections: document.sections.map((section) =>
          section.key === TORTURE_KEY
            ? { ...section, paragraphs: [...section.paragraphs, { text: `Observers reported case ${seq} of torture in detention.` }] }
            : section,
        ),
      };
      await record(page, document);
    }
  }
  return page;
}
