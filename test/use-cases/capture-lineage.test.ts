import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { S3SnapshotStore } from '../../shared/adapters/s3/s3-snapshot-store.js';
import { CaptureError } from '../../shared/errors.js';
import type { Fetcher, FetchRequest, FetchResult } from '../../shared/ports/fetcher.js';
import { addWatch } from '../../shared/use-cases/add-watch.js';
import { capturePage } from '../../shared/use-cases/capture-page.js';
import { notificationsFor } from '../../shared/use-cases/notify-revision.js';
import { recordRevision } from '../../shared/use-cases/record-revision.js';
import { unlinkSeries } from '../../shared/use-cases/series-lineage.js';
import { DEFAULT_TRACKER_SETTINGS, type TrackerDependencies } from '../../shared/use-cases/tracker-dependencies.js';
import { CORPUS_COUNTRIES, CORPUS_YEARS, loadCorpusPage, type CorpusCountry } from '../support/corpus.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

/** Live captures keep lineage in step: a page whose signals are new or changed decides lineage again. */
const CHINA_2018 = 'hrr/china-includes-tibet-hong-kong-and-macau-china';
const urlOf = (slug: string, year: number) => `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/${slug}/`;

/** Serves corpus pages by their state.gov URL; `edit` changes what one URL serves from then on. */
class CorpusFetcher implements Fetcher {
  readonly edits = new Map<string, (html: string) => string>();
  async fetchPage(request: FetchRequest): Promise<FetchResult> {
    for (const country of CORPUS_COUNTRIES) {
      for (const year of CORPUS_YEARS) {
        const html = loadCorpusPage(country as CorpusCountry, year);
        if (!html.includes(`<link rel="canonical" href="${request.url}`)) continue;
        const text = (this.edits.get(request.url) ?? ((page: string) => page))(html);
        return {
          status: 'ok',
          finalUrl: request.url,
          body: new TextEncoder().encode(text),
          text,
          contentType: 'text/html',
          charset: 'utf-8',
          httpStatus: 200,
          fetchedAt: '2026-01-01T00:00:00.000Z',
        };
      }
    }
    throw new CaptureError('HTTP 404', 'http-status', { httpStatus: 404 });
  }
}

describe('captures and series lineage', () => {
  let aws: LocalAws;
  let deps: TrackerDependencies;
  const fetcher = new CorpusFetcher();

  beforeAll(async () => {
    aws = await startLocalAws();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    deps = {
      revisions: new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName }),
      snapshots: new S3SnapshotStore({ client: aws.s3, bucket: aws.bucketName }),
      fetcher,
      captureQueue: { enqueue: async () => undefined },
      notifier: { name: 'none', publish: async () => undefined },
      now: () => new Date((clock += 60_000)),
      settings: DEFAULT_TRACKER_SETTINGS,
    };
  });

  afterAll(async () => {
    await aws?.close();
  });

  /** A capture, with its revision recorded as the diff function would. */
  async function capture(url: string) {
    const { page } = await addWatch(deps, { url });
    const outcome = await capturePage(deps, { page: page.page, url, reason: 'scheduled', requestedAt: deps.now().toISOString() });
    if (outcome.outcome === 'captured' && outcome.created) {
      await recordRevision(deps, { page: page.page, documentKey: outcome.documentKey, capturedAt: deps.now().toISOString() });
    }
    return { page: page.page, outcome };
  }

  it('links a renamed slug when the second edition is first captured, and notifies under the lineage', async () => {
    const first = await capture(urlOf('china-includes-tibet-hong-kong-and-macau-china', 2018));
    expect(first.outcome).toMatchObject({ outcome: 'captured', lineage: 'refreshed' });
    expect((await deps.revisions.resolveSeries(CHINA_2018)).id).toBe(CHINA_2018);

    const second = await capture(urlOf('china', 2019));
    expect(second.outcome).toMatchObject({ outcome: 'captured', lineage: 'refreshed' });
    expect(await deps.revisions.resolveSeries(CHINA_2018)).toEqual({ id: 'hrr/china', members: [CHINA_2018, 'hrr/china'] });

    // The same text again: nothing to store, nothing to decide.
    expect((await capture(urlOf('china', 2019))).outcome).toMatchObject({ outcome: 'unchanged' });
    // A new text with the same signals: stored, lineage left alone.
    fetcher.edits.set(urlOf('china', 2019), (html) =>
      html.replace(
        '<div id="report_content" class="report__content">',
        '<div id="report_content" class="report__content"><p>An added paragraph of the report.</p>',
      ),
    );
    const edited = await capture(urlOf('china', 2019));
    expect(edited.outcome).toMatchObject({ outcome: 'captured' });
    expect(edited.outcome).not.toHaveProperty('lineage');

    // Notifications about the older slug's page carry the series users see.
    const revision = (await deps.revisions.latestRevision(first.page))!;
    const [notification] = await notificationsFor(deps, {
      ...revision,
      seq: 2,
      summary: { added: 0, removed: 0, modified: 1, renamed: 0, moved: 0, unchanged: 0, wordsAdded: 1, wordsRemoved: 0, significance: 0.1 } as never,
    });
    expect(notification).toMatchObject({ type: 'revision', series: 'hrr/china' });
  });

  it('an unlink by hand holds when later captures change the signals', async () => {
    await unlinkSeries(deps, CHINA_2018, 'hrr/china');
    // The 2018 page now names itself differently: its signals change and lineage is decided again, still apart.
    fetcher.edits.set(urlOf('china-includes-tibet-hong-kong-and-macau-china', 2018), (html) =>
      html.replaceAll('China (includes Tibet, Hong Kong, and Macau) &#8211; China', 'China (includes Tibet, Hong Kong, and Macau)'),
    );
    const recaptured = await capture(urlOf('china-includes-tibet-hong-kong-and-macau-china', 2018));
    expect(recaptured.outcome).toMatchObject({ outcome: 'captured', lineage: 'refreshed' });
    expect((await deps.revisions.getPageSignals(recaptured.page))?.signals.name).toBe('China (includes Tibet, Hong Kong, and Macau)');
    expect((await deps.revisions.resolveSeries(CHINA_2018)).id).toBe(CHINA_2018);
  });
});
