import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import type { Document } from '../../shared/domain/document.js';
import type { RevisionRecord } from '../../shared/domain/revision-records.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { DEFAULT_TRACKER_SETTINGS, type TrackerDependencies } from '../../shared/use-cases/tracker-dependencies.js';
import type { CorpusCountry } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { hrrDocument, hrrUrl } from './provenance-fixture.js';

/** dynalite + s3rver with the real adapters, and corpus editions recorded through recordRevision. */
export type StoreDependencies = Pick<TrackerDependencies, 'revisions' | 'snapshots' | 'now' | 'settings'>;

export interface ProvenanceStoreFixture {
  aws: LocalAws;
  dependencies: StoreDependencies;
  /** Watches the edition's page and records the Document (the edition as published by default) as its next revision. */
  record(country: CorpusCountry, year: number, document?: Document): Promise<RevisionRecord>;
  close(): Promise<void>;
}

export async function startProvenanceStore(): Promise<ProvenanceStoreFixture> {
  const aws = await startLocalAws();
  const dependencies: StoreDependencies = {
    revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName }),
    snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName }),
    now: () => new Date('2025-03-01T00:00:00.000Z'),
    settings: DEFAULT_TRACKER_SETTINGS,
  };
  let clock = Date.parse('2025-03-01T00:00:00.000Z');
  return {
    aws,
    dependencies,
    async record(country, year, document = hrrDocument(country, year)) {
      const { page } = await addWatch(dependencies, { url: hrrUrl(country, year) });
      const stored = await dependencies.snapshots.putDocument(page.page, document);
      clock += 3_600_000;
      const outcome = await recordRevision(dependencies, { page: page.page, documentKey: stored.key, capturedAt: new Date(clock).toISOString() });
      if (outcome.outcome !== 'recorded') throw new Error(`expected a revision of ${page.page}, got ${outcome.outcome}`);
      return outcome.revision;
    },
    close: () => aws.close(),
  };
}
