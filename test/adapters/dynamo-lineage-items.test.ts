import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import type { SeriesLink } from '../../shared/domain/identity/series-lineage.js';
import { ValidationError } from '../../shared/errors.js';
import type { PageRecord } from '../../shared/domain/page-records.js';
import type { StoredLineage } from '../../shared/ports/series-lineage-records.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

/** The lineage items of the revision table against dynalite: aliases resolve in one read and leave the series listing. */
function page(series: string, edition: number): PageRecord {
  const slug = series.split('/')[1]!;
  return {
    page: `hrr.${slug}.${edition}`,
    url: `https://www.state.gov/reports/${edition}-country-reports-on-human-rights-practices/${slug}/`,
    series,
    edition,
    profile: 'state-hrr',
    createdAt: '2025-01-01T00:00:00.000Z',
    consecutiveFailures: 0,
  };
}

const link = (from: string, to: string): SeriesLink => ({ from, to, decidedBy: 'evidence', transitions: [] });
const lineage = (id: string, members: string[], links: SeriesLink[]): StoredLineage => ({
  id,
  profile: 'state-hrr',
  members,
  links,
  decidedAt: '2026-01-01T00:00:00.000Z',
});

describe('lineage items in DynamoDB', () => {
  let aws: LocalAws;
  let store: DynamoRevisionStore;

  beforeAll(async () => {
    aws = await startLocalAws();
    store = new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName });
    for (const year of [2016, 2017]) await store.putPage(page('hrr/old-name', year));
    await store.putPage(page('hrr/middle-name', 2018));
    for (const year of [2019, 2020, 2021]) await store.putPage(page('hrr/new-name', year));
    await store.putPage(page('hrr/other', 2019));
  });

  afterAll(async () => {
    await aws?.close();
  });

  it('resolves every member to its lineage, lists the lineage once with its aliases, and answers for the whole lineage', async () => {
    expect(await store.resolveSeries('hrr/old-name')).toEqual({ id: 'hrr/old-name', members: ['hrr/old-name'] });
    await store.saveLineages([
      lineage(
        'hrr/new-name',
        ['hrr/old-name', 'hrr/middle-name', 'hrr/new-name'],
        [link('hrr/old-name', 'hrr/middle-name'), link('hrr/middle-name', 'hrr/new-name')],
      ),
    ]);
    for (const name of ['hrr/old-name', 'hrr/middle-name', 'hrr/new-name']) {
      expect(await store.resolveSeries(name)).toEqual({ id: 'hrr/new-name', members: ['hrr/old-name', 'hrr/middle-name', 'hrr/new-name'] });
    }
    expect((await store.listSeries()).items.map((record) => [record.series, record.aliases])).toEqual([
      ['hrr/new-name', ['hrr/old-name', 'hrr/middle-name']],
      ['hrr/other', undefined],
    ]);
    const editions = await store.listEditions('hrr/old-name');
    expect(editions.map((entry) => [entry.series, entry.pageSeries ?? null, entry.edition])).toEqual([
      ['hrr/new-name', 'hrr/old-name', 2016],
      ['hrr/new-name', 'hrr/old-name', 2017],
      ['hrr/new-name', 'hrr/middle-name', 2018],
      ['hrr/new-name', null, 2019],
      ['hrr/new-name', null, 2020],
      ['hrr/new-name', null, 2021],
    ]);
    // Paged by the lineage's own cursors; a cursor of another listing is refused.
    const first = await store.listPages({ series: 'hrr/middle-name', limit: 4 });
    expect(first.items.map((record) => record.edition)).toEqual([2016, 2017, 2018, 2019]);
    const second = await store.listPages({ series: 'hrr/middle-name', limit: 4, cursor: first.cursor });
    expect([second.items.map((record) => record.edition), second.cursor]).toEqual([[2020, 2021], undefined]);
    await expect(store.listPages({ series: 'hrr/other', cursor: first.cursor })).rejects.toBeInstanceOf(ValidationError);
    // A new page of an alias stays out of the listing.
    await store.putPage(page('hrr/old-name', 2015));
    expect((await store.listSeries()).items.map((record) => record.series)).toEqual(['hrr/new-name', 'hrr/other']);
  });

  it('saving a smaller decision releases the series it no longer links, and removes lineages no longer decided', async () => {
    await store.saveLineages([lineage('hrr/new-name', ['hrr/middle-name', 'hrr/new-name'], [link('hrr/middle-name', 'hrr/new-name')])]);
    expect(await store.resolveSeries('hrr/old-name')).toEqual({ id: 'hrr/old-name', members: ['hrr/old-name'] });
    expect((await store.listSeries()).items.map((record) => record.series)).toEqual(['hrr/new-name', 'hrr/old-name', 'hrr/other']);
    expect((await store.listLineages()).map((stored) => stored.members)).toEqual([['hrr/middle-name', 'hrr/new-name']]);
    await store.saveLineages([]);
    expect(await store.listLineages()).toEqual([]);
    expect((await store.listSeries()).items.map((record) => record.series)).toEqual(['hrr/middle-name', 'hrr/new-name', 'hrr/old-name', 'hrr/other']);
    expect((await store.listEditions('hrr/new-name')).map((entry) => entry.edition)).toEqual([2019, 2020, 2021]);
  });

  it('keeps page signals and overrides, and counts every change of them', async () => {
    const before = await store.lineageFactsVersion();
    await store.putPageSignals({
      page: 'hrr.other.2019',
      series: 'hrr/other',
      edition: 2019,
      profile: 'state-hrr',
      signals: { name: 'Other', taxonomy: ['other'] },
      recordedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(await store.getPageSignals('hrr.other.2019')).toEqual({
      page: 'hrr.other.2019',
      series: 'hrr/other',
      edition: 2019,
      profile: 'state-hrr',
      signals: { name: 'Other', taxonomy: ['other'] },
      recordedAt: '2026-01-01T00:00:00.000Z',
    });
    expect((await store.listPageSignals()).items.map((record) => record.page)).toEqual(['hrr.other.2019']);
    await store.putLineageOverride({ a: 'hrr/new-name', b: 'hrr/old-name', action: 'unlink', decidedAt: '2026-01-02T00:00:00.000Z' });
    await store.putLineageOverride({ a: 'hrr/new-name', b: 'hrr/old-name', action: 'link', decidedAt: '2026-01-03T00:00:00.000Z' });
    expect(await store.listLineageOverrides()).toEqual([
      { a: 'hrr/new-name', b: 'hrr/old-name', action: 'link', decidedAt: '2026-01-03T00:00:00.000Z' },
    ]);
    await expect(store.putLineageOverride({ a: 'hrr/z', b: 'hrr/a', action: 'link', decidedAt: '2026-01-03T00:00:00.000Z' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(await store.deleteLineageOverride('hrr/new-name', 'hrr/old-name')).toBe(true);
    expect(await store.deleteLineageOverride('hrr/new-name', 'hrr/old-name')).toBe(false);
    expect(await store.lineageFactsVersion()).toBe(before + 4);
    // None of these items is a page or a revision.
    expect((await store.listPages({ limit: 100 })).items.every((record) => record.url.startsWith('https://'))).toBe(true);
    expect((await store.listRevisions('hrr.other.2019')).items).toEqual([]);
  });
});
