import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { DynamoSubscriptionStore } from '../../shared/adapters/dynamodb/dynamo-subscription-store.js';
import { LocalSubscriptionGateway } from '../../local/runtime/subscription-notifier.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import type { Document, Section } from '../../shared/domain/document.js';
import { extract } from '../../shared/domain/extract.js';
import type { Observability } from '../../shared/observability.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { createApiHandler } from '../../functions/api/api-handler.js';
import type { ApiDependencies } from '../../functions/api/api-dependencies.js';
import { startApiServer, type ApiServer } from '../../local/runtime/api-server.js';
import { loadCorpusPage, type CorpusCountry } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

/**
 * The API over real local servers (dynalite, s3rver) and the local api-server, with real corpus Documents recorded
 * through recordRevision, and a page of synthetic revisions for pagination.
 */
export const API_TOKEN = 'test-token-0123456789abcdef';
export const NOW = new Date('2025-03-10T00:00:00.000Z');
export const PAGINATION_PAGE = 'example.org.0123456789ab';
export const PAGINATION_REVISIONS = 45;

export const TORTURE_KEY = 'security-of-the-person/torture-and-cruel-inhuman-or-degrading';
export const TRAFFICKING_KEY = 'liberty/trafficking-in-persons';
export const RENAMED_TRAFFICKING_KEY = 'liberty/trafficking-in-human-beings';
export const ADDED_TORTURE_SENTENCE = 'Observers documented further cases of torture in pretrial detention.';
export const ADDED_TRAFFICKING_SENTENCE = 'The government opened three new shelters for victims.';

export function hrrUrl(country: string, year: number): string {
  return `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/${country}/`;
}

export function corpusDocument(country: CorpusCountry, year: number): Document {
  return extract(loadCorpusPage(country, year), { url: hrrUrl(country, year) });
}

/** A copy of the Document with one section changed. */
export function editSection(document: Document, key: string, edit: (section: Section) => Section): Document {
  let found = false;
  const sections = document.sections.map((section) => {
    if (section.key !== key) return section;
    found = true;
    return edit(structuredClone(section));
  });
  if (!found) throw new Error(`no section ${key}`);
  return { ...document, sections };
}

export function quietObservability(): Observability {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const logger = new Logger({ serviceName: 'api-test', logLevel: 'SILENT' });
  // Concurrent requests share one Metrics instance (one request can flush another's metric): keep its warnings quiet.
  return { logger, metrics: new Metrics({ serviceName: 'api-test', namespace: 'redline-test', logger }) };
}

export interface ApiFixture {
  aws: LocalAws;
  dependencies: ApiDependencies;
  server: ApiServer;
  handler: ReturnType<typeof createApiHandler>;
  /** Revisions of hrr.kazakhstan.2024: 1 baseline, 2 torture sentence, 3 rename, 4 trafficking sentence. */
  kazakhstan2024: Document[];
  close(): Promise<void>;
}

export async function startApiFixture(): Promise<ApiFixture> {
  const aws = await startLocalAws();
  let server: ApiServer | undefined;
  try {
    const dependencies: ApiDependencies = {
      revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName, clock: () => NOW }),
      snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName }),
      subscriptions: new DynamoSubscriptionStore({ client: aws.dynamodb, tableName: aws.tableName }),
      subscriptionGateway: new LocalSubscriptionGateway(),
      now: () => NOW,
      settings: DEFAULT_TRACKER_SETTINGS,
      api: { token: API_TOKEN },
    };
    const kazakhstan2024 = await seed(dependencies);
    const handler = createApiHandler(dependencies, quietObservability());
    server = await startApiServer({ handler });
    const started = server;
    return {
      aws,
      dependencies,
      server,
      handler,
      kazakhstan2024,
      async close() {
        try {
          await started.close();
        } finally {
          await aws.close();
        }
      },
    };
  } catch (error) {
    await server?.close().catch(() => undefined);
    await aws.close();
    throw error;
  }
}

let clock = Date.parse('2025-03-01T00:00:00.000Z');
function nextCaptureTime(): string {
  clock += 3_600_000;
  return new Date(clock).toISOString();
}

async function record(dependencies: ApiDependencies, page: string, document: Document): Promise<void> {
  const stored = await dependencies.snapshots.putDocument(page, document);
  const outcome = await recordRevision(dependencies, { page, documentKey: stored.key, capturedAt: nextCaptureTime() });
  if (outcome.outcome !== 'recorded') throw new Error(`expected a revision of ${page}, got ${outcome.outcome}`);
}

async function seed(dependencies: ApiDependencies): Promise<Document[]> {
  const watch = async (url: string) => (await addWatch(dependencies, { url })).page.page;
  for (const year of [2022, 2023]) await record(dependencies, await watch(hrrUrl('kazakhstan', year)), corpusDocument('kazakhstan', year));
  await record(dependencies, await watch(hrrUrl('nigeria', 2024)), corpusDocument('nigeria', 2024));

  const page = await watch(hrrUrl('kazakhstan', 2024));
  const baseline = corpusDocument('kazakhstan', 2024);
  const withTorture = editSection(baseline, TORTURE_KEY, (section) => {
    section.paragraphs[0]!.text += ` ${ADDED_TORTURE_SENTENCE}`;
    return section;
  });
  const renamed = editSection(withTorture, TRAFFICKING_KEY, (section) => ({
    ...section,
    key: RENAMED_TRAFFICKING_KEY,
    heading: 'Trafficking in Human Beings',
  }));
  const extended = editSection(renamed, RENAMED_TRAFFICKING_KEY, (section) => {
    section.paragraphs[0]!.text += ` ${ADDED_TRAFFICKING_SENTENCE}`;
    return section;
  });
  const versions = [baseline, withTorture, renamed, extended];
  for (const version of versions) await record(dependencies, page, version);

  // Many small synthetic revisions of one page, for pagination (no Documents behind them).
  await dependencies.revisions.putPage({
    page: PAGINATION_PAGE,
    url: 'https://example.org/pagination',
    profile: 'generic',
    createdAt: NOW.toISOString(),
    consecutiveFailures: 0,
  });
  for (let seq = 1; seq <= PAGINATION_REVISIONS; seq++) {
    await dependencies.revisions.putRevision({
      page: PAGINATION_PAGE,
      seq,
      ...(seq > 1 ? { previousSeq: seq - 1 } : {}),
      capturedAt: new Date(Date.parse('2025-01-01T00:00:00.000Z') + seq * 60_000).toISOString(),
      documentHash: seq.toString(16).padStart(64, '0'),
      documentKey: `docs/${PAGINATION_PAGE}/${seq.toString(16).padStart(64, '0')}.json`,
      url: 'https://example.org/pagination',
      title: 'Pagination',
      summary: null,
      sections: [],
      significance: 0,
    });
  }
  return versions;
}
