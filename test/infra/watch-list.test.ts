import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_WATCH_LIST_PATH, MAX_SEEDED_WATCHES, WatchListError, loadWatchList, parseWatchList } from '../../infra/config/watch-list.js';
import { createSeedHandler } from '../../infra/custom-resources/seed-watches.js';
import { watchListFromContext } from '../../infra/redline-app.js';
import { synthRedline } from './support/synth-redline.js';
import { DynamoRevisionStore } from '../../shared/adapters/dynamodb/dynamo-revision-store.js';
import { startLocalAws } from '../support/local-aws.js';
import { selectProfile } from '../../shared/domain/profiles/index.js';

describe('the watch-list seed (infra/config/watches.json)', () => {
  it('loads and validates the checked-in file', () => {
    const watches = loadWatchList();
    expect(watches.length).toBeGreaterThanOrEqual(6);
    expect(Object.isFrozen(watches)).toBe(true);
  });

  it('holds the 2023 and 2024 editions of the Kazakhstan, China and Russia reports, each read by the state-hrr profile', () => {
    const identities = loadWatchList().map((watch) => {
      const url = new URL(watch.url);
      const profile = selectProfile(url);
      const { series, edition } = profile.identify(url);
      return { profile: profile.name, series, edition };
    });
    for (const country of ['kazakhstan', 'china', 'russia']) {
      for (const edition of [2023, 2024]) {
        expect(identities).toContainEqual({ profile: 'state-hrr', series: `hrr/${country}`, edition });
      }
    }
  });

  it('rejects plain http, credentials, unknown fields, too-short intervals and duplicates, naming each problem', () => {
    const problems = () =>
      parseWatchList({
        watches: [
          { url: 'http://www.state.gov/a' },
          { url: 'https://user:secret@www.state.gov/b' },
          { url: 'https://www.state.gov/c', intervalMinutes: 5 },
          { url: 'https://www.state.gov/d', colour: 'red' },
          { url: 'https://www.state.gov/e/' },
          { url: 'https://www.state.gov/e' },
        ],
      });
    expect(problems).toThrow(WatchListError);
    expect(problems).toThrow(/watches\.0\.url: must be an https URL/);
    expect(problems).toThrow(/watches\.1\.url: must not carry credentials/);
    expect(problems).toThrow(/watches\.2\.intervalMinutes/);
    expect(problems).toThrow(/watches\.3: Unrecognized key/);
    expect(problems).toThrow(/watches\.5\.url: duplicate watch https:\/\/www\.state\.gov\/e/);
  });

  it('rejects an empty list and one too long to seed through CloudFormation', () => {
    expect(() => parseWatchList({ watches: [] })).toThrow(/watches/);
    const many = Array.from({ length: MAX_SEEDED_WATCHES + 1 }, (_, index) => ({ url: `https://example.org/${index}` }));
    expect(() => parseWatchList({ watches: many })).toThrow(/watches/);
  });

  it('names the file when it is missing or not JSON', () => {
    const folder = mkdtempSync(join(tmpdir(), 'redline-watches-'));
    try {
      const broken = join(folder, 'watches.json');
      writeFileSync(broken, '{ "watches": [');
      expect(() => loadWatchList(broken)).toThrow(`The watch list ${broken} is not JSON`);
      expect(() => loadWatchList(join(folder, 'absent.json'))).toThrow('Cannot read the watch list');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('deploying with an empty watch list (-c watchList=none)', () => {
  it('seeds nothing: the seed resource carries an empty list, and its handler accepts it and watches nothing', async () => {
    const synthesized = synthRedline('dev', { bundle: false, context: { watchList: 'none' } });
    try {
      expect(synthesized.synthError).toBeUndefined();
      expect(synthesized.watchList).toEqual([]);
      const template = Template.fromStack(synthesized.stateless!);
      template.hasResourceProperties('Custom::RedlineWatchListSeed', { Watches: '[]' });
    } finally {
      synthesized.cleanup();
    }
    // The seed handler against a real (local) table: it answers SUCCESS and watches nothing.
    const aws = await startLocalAws();
    try {
      const responses: { Status: string; Data?: unknown }[] = [];
      const handler = createSeedHandler({
        tableName: aws.tableName,
        client: aws.dynamodb,
        respond: async (_url, body) => void responses.push(body),
      });
      const event = {
        RequestType: 'Create',
        ResourceProperties: { ServiceToken: 'x', Watches: '[]' },
        StackId: 's',
        RequestId: 'r',
        LogicalResourceId: 'l',
        ResponseURL: 'https://x',
      };
      await handler(event as never, { logStreamName: 'log' });
      expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', Data: { Created: 0 } })]);
      const pages = await new DynamoRevisionStore({ client: aws.dynamodb, tableName: aws.tableName }).listPages({ limit: 10 });
      expect(pages.items).toEqual([]);
    } finally {
      await aws.close();
    }
  }, 600_000);

  it('takes another list from a file, and refuses anything else', () => {
    expect(watchListFromContext(undefined)).toEqual(loadWatchList());
    expect(watchListFromContext(DEFAULT_WATCH_LIST_PATH)).toEqual(loadWatchList());
    expect(() => watchListFromContext(true)).toThrow(/-c watchList: give "none" or the path of a watch-list file/);
    expect(() => watchListFromContext('/nonexistent/watches.json')).toThrow('Cannot read the watch list');
  });
});
