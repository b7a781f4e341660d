import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeBenchResults, readBenchResults, writeBenchResults, type RecordedSuite } from '../../bench/results-file.js';

function suite(name: string, measuredAt: string, figure: number): RecordedSuite {
  return {
    suite: name,
    rows: [{ suite: name, case: 'a case', ratio: figure }],
    summary: { ratio: figure },
    measuredAt,
    node: 'v22.0.0',
    loadAverageAtStart: [0.5, 0.4, 0.3],
  };
}

describe('bench-results.json keeps every suite', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redline-bench-results-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces the suites measured now and keeps the others, in name order', async () => {
    const path = join(dir, 'bench-results.json');
    writeBenchResults(
      path,
      mergeBenchResults(
        undefined,
        [suite('import', '2026-12-01T00:00:00.000Z', 0.13), suite('cli-startup', '2026-12-01T00:00:00.000Z', 1.5)],
        new Date('2026-12-01T00:10:00.000Z'),
      ),
    );
    const previous = readBenchResults(path, () => {
      throw new Error('a file just written must read back');
    });
    const merged = mergeBenchResults(previous, [suite('import', '2026-12-02T00:00:00.000Z', 0.26)], new Date('2026-12-02T00:10:00.000Z'));
    writeBenchResults(path, merged);
    const written = JSON.parse(await readFile(path, 'utf8'));
    expect(written.date).toBe('2026-12-02T00:10:00.000Z');
    expect(written.results.map((result: RecordedSuite) => [result.suite, result.measuredAt, result.summary.ratio])).toEqual([
      ['cli-startup', '2026-12-01T00:00:00.000Z', 1.5],
      ['import', '2026-12-02T00:00:00.000Z', 0.26],
    ]);
    expect(written.results[1].loadAverageAtStart).toEqual([0.5, 0.4, 0.3]);
  });

  it('reads a file of the older one-run shape, and replaces an unreadable one with a warning', async () => {
    const older = join(dir, 'older.json');
    await writeFile(
      older,
      JSON.stringify({ date: '2026-11-30T00:00:00.000Z', node: 'v22.1.0', results: [{ suite: 'diff-speed', rows: [], summary: {} }] }),
    );
    const kept = mergeBenchResults(
      readBenchResults(older, () => undefined),
      [suite('import', '2026-12-02T00:00:00.000Z', 0.2)],
      new Date(),
    );
    expect(kept.results.map((result) => result.suite)).toEqual(['diff-speed', 'import']);

    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"results": [');
    const warnings: string[] = [];
    expect(readBenchResults(broken, (message) => warnings.push(message))).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('could not be read');
    expect(readBenchResults(join(dir, 'absent.json'), () => warnings.push('unexpected'))).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});
