import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { captureReaderWorkerFile, startCaptureReaderPool, type CaptureReaderPool } from '../../shared/adapters/workers/capture-reader-pool.js';
import { importPages, type CaptureSourceItem, type ImportDependencies } from '../../shared/use-cases/import-pages.js';
import type { CaptureReader } from '../../shared/use-cases/capture-reading.js';
import { DEFAULT_TRACKER_SETTINGS } from '../../shared/use-cases/tracker-dependencies.js';
import { cli, replaceText, temporaryFolder, withModifiedDate } from '../cli/cli-fixture.js';
import { CORPUS_YEARS, loadCorpusPage } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { archivedItem, fromList } from './capture-items.js';

/**
 * An import whose extraction runs on worker threads (the CLI's default) stores and reports exactly what the
 * single-thread import does, on real pages: the same report, revisions, diffs' summaries and term indexes, the same
 * failures for pages that cannot be read.
 */
const NOW = new Date('2026-01-01T00:00:00.000Z');
const SENTENCE = 'There were no significant changes in the human rights situation in Tuvalu during the year.';
/** Tuvalu 2023 with an added sentence `n` and its own modified date: later captures of one page, diffed. */
const tuvaluVersion = (n: number) =>
  withModifiedDate(replaceText(loadCorpusPage('tuvalu', 2023), SENTENCE, `${SENTENCE} Addendum number ${n}.`), `2025-0${n}-01T00:00:00.000Z`);

function hrrUrl(country: string, year: number): string {
  return `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/${country}/`;
}

function captures(): CaptureSourceItem[] {
  return [
    // With the archive's URL, newest first (the import sorts each page's captures by time).
    ...[...CORPUS_YEARS].reverse().map((year) => archivedItem(`warc#${year}`, loadCorpusPage('kazakhstan', year), hrrUrl('kazakhstan', year))),
    // Saved files: the page alone says which it is.
    ...CORPUS_YEARS.slice(-3).map((year) => archivedItem(`saved/tuvalu-${year}.html`, loadCorpusPage('tuvalu', year))),
    ...[3, 1, 2].map((n) => archivedItem(`saved/tuvalu-2023-v${n}.html`, tuvaluVersion(n))),
    // A second copy of one Document, an empty page, a page nothing identifies, a malformed archive URL.
    archivedItem('copy/tuvalu-2024.html', loadCorpusPage('tuvalu', 2024)),
    archivedItem('empty.html', '   '),
    archivedItem('note.html', '<html><body><p>Just a note.</p></body></html>'),
    archivedItem('bad-url#1', loadCorpusPage('tuvalu', 2022), 'https://web.archive.org/web/notatime/https://www.state.gov/x/'),
  ];
}

async function importInto(aws: LocalAws, reader?: CaptureReader) {
  const dependencies: ImportDependencies = {
    revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName }),
    snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName }),
    now: () => NOW,
    settings: DEFAULT_TRACKER_SETTINGS,
  };
  const { durationMs: _durationMs, ...report } = await importPages(dependencies, fromList(captures()), {
    concurrency: 4,
    ...(reader ? { reader } : {}),
  });
  // Listed as they finish, in either import (captures are read several at once): compared in source order.
  report.notImported.sort((a, b) => a.source.localeCompare(b.source));
  const revisions = [];
  for (const page of report.pages) {
    const listed = await dependencies.revisions.listRevisions(page.page, { limit: 100, newestFirst: false });
    revisions.push(
      ...listed.items.map(({ page: id, seq, documentHash, documentKey, capturedAt, summary, sections }) => ({
        id,
        seq,
        documentHash,
        documentKey,
        capturedAt,
        summary,
        sections,
      })),
    );
  }
  const objects = ((await aws.s3.send(new ListObjectsV2Command({ Bucket: aws.bucketName }))).Contents ?? []).map((object) => object.Key!).sort();
  const termIndexes = await Promise.all(revisions.map((revision) => dependencies.snapshots.getTermIndex(revision.documentKey)));
  return { report, revisions, objects, termIndexes };
}

describe('import on worker threads', () => {
  let single: LocalAws;
  let threaded: LocalAws;
  let pool: CaptureReaderPool;

  beforeAll(async () => {
    [single, threaded] = await Promise.all([startLocalAws(), startLocalAws()]);
    pool = startCaptureReaderPool({ threads: 2 });
  });
  afterAll(async () => {
    await pool?.close();
    await single?.close();
    await threaded?.close();
  });

  it('finds its worker script beside it, from the sources and in the bundle', () => {
    expect(captureReaderWorkerFile().filename).toMatch(/shared\/adapters\/workers\/capture-reader-worker-sources\.mjs$/);
    expect(captureReaderWorkerFile('file:///opt/redline/dist/cli/chunk-ABC.js')).toEqual({
      filename: '/opt/redline/dist/cli/capture-reader-worker.js',
      fromSources: false,
    });
  });

  it('stores and reports exactly what the single-thread import does', async () => {
    const expected = await importInto(single);
    const actual = await importInto(threaded, pool);
    expect(actual).toEqual(expected);
    // What there is to compare: every Kazakhstan edition, three Tuvalu ones and three later captures of one of them
    // recorded (three diffs); the failures.
    expect(expected.report.imported).toBe(CORPUS_YEARS.length + 3 + 3);
    expect(expected.revisions.filter((revision) => revision.summary !== null)).toHaveLength(3);
    expect(expected.termIndexes.every((index) => index !== undefined)).toBe(true);
    expect(expected.objects.filter((key) => key.startsWith('terms/'))).toHaveLength(expected.revisions.length);
    expect(expected.report.notImported.map((item) => [item.source, item.outcome]).sort()).toEqual([
      ['bad-url#1', 'failed'],
      ['copy/tuvalu-2024.html', 'skipped'],
      ['empty.html', 'failed'],
      ['note.html', 'failed'],
    ]);
  });

  it.each(['-1', 'two', '65'])('refuses --threads %s as bad usage (exit code 2), before reading anything', async (threads) => {
    const folder = await temporaryFolder();
    try {
      const result = await cli(['import', folder.path, '--data-dir', folder.path, '--threads', threads]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--threads');
    } finally {
      await folder.remove();
    }
  });
});
