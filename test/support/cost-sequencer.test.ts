import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The suite's test sequencer (test/support/cost-sequencer.js): on a machine that has never run the suite (no
 * durations in Jest's cache), the files that cost most in a measured run start first; Jest's own cache wins when
 * it has a duration, and a file in neither is placed by its size.
 */
interface FakeTest {
  path: string;
  duration?: number;
  context: {
    config: { rootDir: string; cacheDirectory: string; id: string; cache: boolean; haste: object };
    hasteFS: { getSize(path: string): number | null };
  };
}
interface Sequencer {
  sort(tests: FakeTest[]): FakeTest[];
  cacheResults(tests: FakeTest[], results: { testResults: object[] }): void;
}
type SequencerClass = new (options: object) => Sequencer;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Plain JavaScript without declarations: loaded through string specifiers.
const sequencerPath: string = './cost-sequencer.js';
const costsWriterPath: string = './test-costs.js';
const configPath: string = '../../jest.config.js';

let cacheDirectory = '';
let CostSequencer: SequencerClass;

beforeAll(async () => {
  CostSequencer = ((await import(sequencerPath)) as { default: SequencerClass }).default;
});
beforeEach(() => {
  cacheDirectory = mkdtempSync(join(tmpdir(), 'redline-sequencer-'));
});
afterEach(() => rmSync(cacheDirectory, { recursive: true, force: true }));

function tests(sizes: Record<string, number>): FakeTest[] {
  const context = {
    config: { rootDir: ROOT, cacheDirectory, id: 'sequencer-test', cache: true, haste: {} },
    hasteFS: { getSize: (path: string) => sizes[path] ?? null },
  };
  return Object.keys(sizes).map((path) => ({ path, context }));
}

const relative = (test: FakeTest) => test.path.slice(ROOT.length);
const committed = JSON.parse(readFileSync(new URL('./test-costs.json', import.meta.url), 'utf8')) as { seconds: Record<string, number> };

describe('the cost sequencer', () => {
  it("is the suite's sequencer", async () => {
    const { default: config } = (await import(configPath)) as { default: { testSequencer?: string } };
    expect(config.testSequencer).toBe('<rootDir>/test/support/cost-sequencer.js');
  });

  it('starts the two group files first on a fresh machine, though they are the smallest files', () => {
    // Real files and sizes: what Jest's own fallback (largest file first) would have run last.
    const paths = ['test/ui/ui-demo.test.ts', 'test/infra/infra.test.ts', 'test/domain/word-diff.test.ts', 'test/api/api-routes.test.ts'];
    const sizes = Object.fromEntries(paths.map((path) => [join(ROOT, path), readFileSync(join(ROOT, path)).length]));
    expect(sizes[join(ROOT, 'test/ui/ui-demo.test.ts')]).toBeLessThan(sizes[join(ROOT, 'test/domain/word-diff.test.ts')]!);
    const order = new CostSequencer({}).sort(tests(sizes)).map(relative);
    expect(order.slice(0, 2).sort()).toEqual(['test/infra/infra.test.ts', 'test/ui/ui-demo.test.ts']);
    const expected = [...paths].sort((a, b) => committed.seconds[b]! - committed.seconds[a]!);
    expect(order).toEqual(expected);
  });

  it("takes Jest's cached durations over the committed ones, and puts the last run's failures first", () => {
    const files = ['test/ui/ui-demo.test.ts', 'test/infra/infra.test.ts', 'test/domain/word-diff.test.ts', 'test/api/api-routes.test.ts'];
    const run = tests(Object.fromEntries(files.map((path) => [join(ROOT, path), 100])));
    const runtimes: Record<string, number> = {
      'test/ui/ui-demo.test.ts': 5_000,
      'test/infra/infra.test.ts': 90_000,
      'test/domain/word-diff.test.ts': 60_000,
      'test/api/api-routes.test.ts': 1_000,
    };
    const failing = 'test/api/api-routes.test.ts';
    new CostSequencer({}).cacheResults(run, {
      testResults: run.map((test) => ({
        testFilePath: test.path,
        numFailingTests: relative(test) === failing ? 1 : 0,
        perfStats: { runtime: runtimes[relative(test)] },
      })),
    });
    const order = new CostSequencer({}).sort(tests(Object.fromEntries(files.map((path) => [join(ROOT, path), 100])))).map(relative);
    expect(order).toEqual([failing, 'test/infra/infra.test.ts', 'test/domain/word-diff.test.ts', 'test/ui/ui-demo.test.ts']);
  });

  it('places a file with no recorded duration by its size, among the measured ones', () => {
    const unknownBig = join(ROOT, 'test/new-big.test.ts');
    const unknownSmall = join(ROOT, 'test/new-small.test.ts');
    const slowest = Math.max(...Object.values(committed.seconds));
    const order = new CostSequencer({})
      .sort(
        tests({
          [join(ROOT, 'test/ui/ui-demo.test.ts')]: 1_000,
          [unknownSmall]: 100,
          // 8 KB a second: bigger than the slowest measured file.
          [unknownBig]: (slowest + 1) * 8192,
        }),
      )
      .map(relative);
    expect(order).toEqual(['test/new-big.test.ts', 'test/ui/ui-demo.test.ts', 'test/new-small.test.ts']);
  });
});

describe('the committed costs (test/support/test-costs.json)', () => {
  it('name files that exist, with positive durations', () => {
    const entries = Object.entries(committed.seconds);
    expect(entries.length).toBeGreaterThan(50);
    for (const [path, seconds] of entries) {
      expect({ path, exists: existsSync(join(ROOT, path)) }).toEqual({ path, exists: true });
      expect(seconds).toBeGreaterThanOrEqual(0);
    }
  });

  it('are written from a jest --json report, by path relative to the repository', async () => {
    const { costsFromReport } = (await import(costsWriterPath)) as {
      costsFromReport(report: object, root: string): Record<string, number>;
    };
    const report = {
      testResults: [
        { name: join(ROOT, 'test/b.test.ts'), startTime: 0, endTime: 2_000, perfStats: { runtime: 1_234 } },
        { name: join(ROOT, 'test/a.test.ts'), startTime: 1_000, endTime: 3_560 },
      ],
    };
    const costs = costsFromReport(report, ROOT);
    expect(Object.entries(costs)).toEqual([
      ['test/a.test.ts', 2.6],
      ['test/b.test.ts', 1.2],
    ]);
  });
});
