import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SEEDED_WATCHES, WatchListError, loadWatchList, parseWatchList } from '../../infra/config/watch-list.js';
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
