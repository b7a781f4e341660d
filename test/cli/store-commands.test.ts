import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildProgram } from '../../cli/main.js';
import { BufferedOutput } from '../../cli/cli-io.js';
import { startLocalAwsServers } from '../../local/runtime/local-aws-servers.js';
import { extract } from '../../shared/domain/extract.js';
import type { EditionMap } from '../../shared/domain/edition-map.js';
import type { EditionReport } from '../../shared/domain/edition-report.js';
import type { AuditTable } from '../../shared/domain/audit.js';
import type { BaselineTable } from '../../shared/domain/term-baseline.js';
import type { KeyPhrasesResult } from '../../shared/use-cases/queries/key-phrases.js';
import type { ImportReport } from '../../shared/use-cases/import-pages.js';
import type { PageView, RevisionView } from '../../shared/use-cases/queries/views.js';
import { cli, json, replaceText, saveCorpusPage, startSharedStore, temporaryFolder, withModifiedDate, type SharedStore } from './cli-fixture.js';

/**
 * The store-backed commands in process, against one local folder (shared, as with a running `redline serve`):
 * corpus pages are imported first, then read back through every command.
 */
const ORIGINAL = 'There were no significant changes in the human rights situation in Tuvalu during the year.';
const ADDED = 'Observers reported one case of torture in police custody.';
const TERMS = ['human rights', 'torture', 'climate change'];

describe('redline store commands', () => {
  let folder: { path: string; remove(): Promise<void> };
  let store: SharedStore;
  let pages: string;
  let savedFiles: string[];
  let firstImport: ImportReport;
  const inStore = (...args: string[]) => [...args, '--data-dir', store.dataDir];

  beforeAll(async () => {
    folder = await temporaryFolder();
    store = await startSharedStore(folder.path);
    pages = join(folder.path, 'pages');
    savedFiles = [
      await saveCorpusPage(join(pages, 'kazakhstan'), '2022.html.gz', 'kazakhstan', 2022),
      await saveCorpusPage(join(pages, 'kazakhstan'), '2023.html', 'kazakhstan', 2023),
      await saveCorpusPage(join(pages, 'kazakhstan'), '2024.htm', 'kazakhstan', 2024),
      await saveCorpusPage(pages, 'andorra-2024.html.gz', 'andorra', 2024),
      // Walked first by name, captured later by its modified date: recorded second.
      await saveCorpusPage(join(pages, 'tuvalu'), 'a-edited.html', 'tuvalu', 2023, {
        edit: (html) => withModifiedDate(replaceText(html, ORIGINAL, `${ORIGINAL} ${ADDED}`), '2025-02-01T00:00:00+00:00'),
      }),
      await saveCorpusPage(join(pages, 'tuvalu'), 'b-original.html', 'tuvalu', 2023),
    ];
    firstImport = json<ImportReport>(await cli(inStore('import', pages, '--json')));
  });

  afterAll(async () => {
    await store?.close();
    await folder?.remove();
  });

  test('import records every page, and the two captures of one page in capture-time order', async () => {
    expect(firstImport).toMatchObject({ read: 6, imported: 6, skipped: 0, failed: 0, outOfOrder: 0, watched: 5 });
    const history = json<RevisionView[]>(await cli(inStore('history', 'hrr.tuvalu.2023', '--json')));
    expect(history.map((revision) => [revision.seq, revision.capturedAt])).toEqual([
      [2, '2025-02-01T00:00:00.000Z'],
      [1, '2025-01-03T21:45:56.000Z'],
    ]);
    expect(history[0]!.summary).toMatchObject({ modified: 1 });
  });

  test('a second import of the same files stores nothing and counts them as skipped', async () => {
    const again = json<ImportReport>(await cli(inStore('import', pages, '--json')));
    expect(again).toMatchObject({ read: 6, imported: 0, skipped: 6, failed: 0 });
  });

  test('progress is drawn on a terminal only, and erased before the summary', async () => {
    const terminal = new BufferedOutput(true, 100);
    const result = await cli(inStore('import', pages), { stdout: terminal });
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('\r\u001b[2Kimport: read ')).toBe(true);
    expect(result.stdout).toMatch(/import: read \d+\/6 pages \[/);
    expect(result.stdout).toContain('\r\x1b[2Kimported 0 revision(s) of 5 page(s) from 6 capture(s)');
    expect((await cli(inStore('import', pages))).stdout).toMatch(/^imported 0 revision/);
    expect((await cli(inStore('import', pages, '--json'), { stdout: new BufferedOutput(true) })).stdout).toMatch(/^\{/);
  });

  test('watch list shows the imported pages; --series filters, oldest edition first', async () => {
    const all = json<PageView[]>(await cli(inStore('watch', 'list', '--json')));
    expect(all.map((page) => page.page)).toEqual([
      'hrr.andorra.2024',
      'hrr.kazakhstan.2022',
      'hrr.kazakhstan.2023',
      'hrr.kazakhstan.2024',
      'hrr.tuvalu.2023',
    ]);
    expect(new Set(all.map((page) => page.origin))).toEqual(new Set(['import']));
    const series = json<PageView[]>(await cli(inStore('watch', 'list', '--series', 'hrr~kazakhstan', '--json')));
    expect(series.map((page) => page.edition)).toEqual([2022, 2023, 2024]);
    const table = await cli(inStore('watch', 'list'));
    expect(table.stdout.split('\n')[0]).toMatch(/^page\s+series\s+edition\s+origin/);
  });

  test('show: the revision summary, the outline, one section', async () => {
    const summary = await cli(inStore('show', 'hrr.tuvalu.2023'));
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain('hrr.tuvalu.2023 revision 2');
    expect(summary.stdout).toMatch(/modified\s+executive-summary\s+\+9 -0/);
    const outline = await cli(inStore('show', 'hrr.tuvalu.2023', '--seq', '1', '--outline'));
    expect(outline.stdout).toContain('executive-summary');
    const section = await cli(inStore('show', 'hrr.tuvalu.2023', '--section', 'executive-summary'));
    expect(section.stdout).toContain(ADDED);
    const before = json<{ paragraphs: { text: string }[] }>(
      await cli(inStore('show', 'hrr.tuvalu.2023', '--seq', '1', '--section', 'executive-summary', '--json')),
    );
    expect(before.paragraphs[0]!.text).toBe(ORIGINAL);
    const missing = await cli(inStore('show', 'hrr.tuvalu.2023', '--section', 'no-such-section'));
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('No section no-such-section');
  });

  test('diff of a stored page: the latest revision against the one before, in every format, with --exit-code', async () => {
    const text = await cli(inStore('diff', 'hrr.tuvalu.2023'));
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`{+ ${ADDED}+}`);
    const data = json<{ page: string; source: string; from: { seq: number }; diff: { summary: { wordsAdded: number } } }>(
      await cli(inStore('diff', 'hrr.tuvalu.2023', '--from', '1', '--to', '2', '--format', 'json')),
    );
    expect(data).toMatchObject({ page: 'hrr.tuvalu.2023', source: 'stored', from: { seq: 1 }, diff: { summary: { wordsAdded: 9 } } });
    const reversed = json<{ source: string }>(await cli(inStore('diff', 'hrr.tuvalu.2023', '--from', '2', '--to', '1', '--json')));
    expect(reversed.source).toBe('computed');
    const html = await cli(inStore('diff', 'hrr.tuvalu.2023', '--format', 'html'));
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).toContain('<ins>');
    expect((await cli(inStore('diff', 'hrr.tuvalu.2023', '--exit-code'))).code).toBe(1);
    expect(await cli(inStore('diff', 'hrr.kazakhstan.2022'))).toMatchObject({ code: 2, stderr: expect.stringContaining('only revision 1') });
  });

  test('compare: two editions aligned, with the newest two by default', async () => {
    const comparison = json<{ series: string; from: { edition: number }; to: { edition: number }; diff: { summary: Record<string, number> } }>(
      await cli(inStore('compare', 'hrr/kazakhstan', '--from', '2022', '--to', '2023', '--json')),
    );
    expect(comparison).toMatchObject({ series: 'hrr/kazakhstan', from: { edition: 2022 }, to: { edition: 2023 } });
    expect(comparison.diff.summary.modified).toBeGreaterThan(0);
    const latest = await cli(inStore('compare', 'hrr/kazakhstan'));
    expect(latest.stdout.split('\n')[0]).toContain('2023 Country Reports');
    expect(latest.stdout.split('\n')[1]).toContain('2024 Country Reports');
    expect(await cli(inStore('compare', 'hrr/atlantis', '--from', '2022', '--to', '2023'))).toMatchObject({ code: 2 });
  });

  test('compare-file: a saved draft against a published edition, aligned as compare aligns; bad input exits 2', async () => {
    const STEPS = 'The government took some credible steps to identify and punish officials who committed human rights abuses.';
    const VERDICT = 'There were no credible reports of significant human rights abuses.';
    const drafts = join(folder.path, 'drafts');
    const draft = await saveCorpusPage(drafts, 'kazakhstan-draft.html', 'kazakhstan', 2024, { edit: (html) => replaceText(html, STEPS, VERDICT) });
    const copy = await saveCorpusPage(drafts, 'kazakhstan-copy.html.gz', 'kazakhstan', 2024);
    interface Compared {
      draftSide: string;
      published: { edition: number };
      diff: {
        summary: Record<string, number>;
        sections: Array<{ key: string; kind: string; paragraphs: Array<{ before?: string; after?: string }> }>;
      };
    }

    const against2024 = json<Compared>(await cli(inStore('compare-file', draft, '--with', 'hrr/kazakhstan', '--edition', '2024', '--json')));
    expect(against2024).toMatchObject({ draftSide: 'after', published: { edition: 2024 } });
    expect(against2024.diff.summary).toMatchObject({ modified: 1, added: 0, removed: 0, renamed: 0 });
    const summary = against2024.diff.sections.find((section) => section.kind !== 'unchanged')!;
    expect(summary.key).toBe('executive-summary');
    // A whole paragraph rewritten: removed and added.
    expect(summary.paragraphs).toEqual([
      expect.objectContaining({ kind: 'removed', before: STEPS }),
      expect.objectContaining({ kind: 'added', after: VERDICT }),
    ]);
    const reversed = json<Compared>(
      await cli(inStore('compare-file', draft, '--with', 'hrr/kazakhstan', '--edition', '2024', '--draft-before', '--json')),
    );
    expect(reversed.diff.sections.find((section) => section.kind !== 'unchanged')!.paragraphs).toEqual([
      expect.objectContaining({ kind: 'removed', before: VERDICT }),
      expect.objectContaining({ kind: 'added', after: STEPS }),
    ]);

    // A copy of the 2024 page against 2023 is the comparison of the two editions, section for section.
    const against2023 = json<Compared>(await cli(inStore('compare-file', copy, '--with', 'hrr/kazakhstan', '--edition', '2023', '--json')));
    const compared = json<Compared>(await cli(inStore('compare', 'hrr/kazakhstan', '--from', '2023', '--to', '2024', '--json')));
    expect(against2023.diff.summary).toEqual(compared.diff.summary);
    const text = await cli(inStore('compare-file', draft, '--with', 'hrr~kazakhstan', '--edition', '2024', '--exit-code'));
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`+${VERDICT}`);

    const refused = async (...args: string[]) => {
      const result = await cli(inStore('compare-file', ...args));
      expect(result.code).toBe(2);
      return result.stderr;
    };
    expect(await refused(draft, '--with', 'hrr/kazakhstan', '--edition', '2019')).toContain('No edition 2019 of series hrr/kazakhstan');
    expect(await refused(join(drafts, 'missing.html'), '--with', 'hrr/kazakhstan', '--edition', '2024')).toContain('No such file');
    expect(await refused(draft, '--with', 'hrr/atlantis', '--edition', '2024')).toContain('No series hrr/atlantis');
    expect(await refused(draft, '--edition', '2024')).toContain("required option '--with <series>' not specified");
    // The draft stays on this machine: no API route takes one (refused before any request).
    const overApi = await cli(['compare-file', draft, '--with', 'hrr/kazakhstan', '--edition', '2024', '--api', 'http://127.0.0.1:9']);
    expect(overApi).toMatchObject({
      code: 2,
      stderr: 'redline: compare-file reads the published edition from a store: use --data-dir or a deployed stack, not --api\n',
    });
  });

  test('editions map: the sections of 2023 mapped to 2024 as a table, CSV or JSON; bad requests exit 2 and name the problem', async () => {
    // Only Kazakhstan has both editions in this store: the map is its own alignment.
    const map = json<EditionMap>(await cli(inStore('editions', 'map', 'hrr', '--from', '2023', '--to', '2024', '--json')));
    expect(map.series).toEqual(['hrr/kazakhstan']);
    const killings = map.rows.find(
      (row) => row.from.heading === 'Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings',
    );
    expect(killings).toMatchObject({ kind: 'renamed', to: { heading: 'Extrajudicial Killings' }, support: 1, present: 1, confidence: 1 });
    expect(map.rows.find((row) => row.from.heading === 'Women')).toMatchObject({ kind: 'removed', support: 1 });

    const table = await cli(inStore('editions', 'map', 'hrr', '--from', '2023', '--to', '2024', '--changed'));
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('hrr: edition 2023 -> 2024, learned from 1 series (hrr/kazakhstan)');
    expect(lines[2]).toMatch(/^kind\s+from\s+to\s+support\s+present\s+confidence$/);
    expect(lines.slice(4)).toHaveLength(map.rows.filter((row) => row.kind !== 'same').length);
    expect(
      lines.some((line) =>
        /^renamed\s+Arbitrary Deprivation of Life and Other Unlawful or Politic…\s+Extrajudicial Killings\s+1\s+1\s+1\.00$/.test(line),
      ),
    ).toBe(true);
    const csv = await cli(inStore('editions', 'map', 'hrr', '--from', '2023', '--to', '2024', '--format', 'csv'));
    expect(csv.stdout.split('\r\n')).toHaveLength(map.rows.length + 2);

    const refused = async (...args: string[]) => {
      const result = await cli(inStore('editions', 'map', ...args));
      expect(result.code).toBe(2);
      return result.stderr;
    };
    expect(await refused('hrr/andorra', '--from', '2023', '--to', '2024')).toBe(
      'redline: Series hrr/andorra has only edition 2024 captured: an edition map needs both 2023 and 2024\n',
    );
    expect(await refused('hrr', '--from', '2024', '--to', '2023')).toContain('from: must be an earlier edition than to');
    expect(await refused('hrr', '--from', '2016', '--to', '2023')).toBe('redline: No series of report hrr has edition 2016 captured\n');
    expect(await refused('atlantis', '--from', '2023', '--to', '2024')).toContain('No series of report atlantis');
    expect(await refused('hrr', '--from', '2023')).toContain("required option '--to <year>' not specified");
  });

  test('editions report: ratio summary and both tables, CSV per series or section, JSON; bad requests exit 2', async () => {
    // Only Kazakhstan has both editions in this store.
    const report = json<EditionReport>(await cli(inStore('editions', 'report', 'hrr', '--from', '2023', '--to', '2024', '--json')));
    expect(report.series.map((row) => [row.series, row.wordsFrom, row.wordsTo, row.ratio])).toEqual([['hrr/kazakhstan', 12535, 4492, 0.358]]);
    expect(report.summary).toMatchObject({ series: 1, median: 0.358, q1: 0.358, q3: 0.358, lowest: [{ series: 'hrr/kazakhstan', ratio: 0.358 }] });

    const table = await cli(inStore('editions', 'report', 'hrr', '--from', '2023', '--to', '2024'));
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('hrr: edition 2023 -> 2024, 1 series, 12535 -> 4492 words (ratio 0.358)');
    expect(lines[1]).toBe('ratios: min 0.358, q1 0.358, median 0.358, q3 0.358, max 0.358');
    expect(lines[2]).toBe('lowest: hrr/kazakhstan 0.358');
    expect(lines[4]).toMatch(/^series\s+words 2023\s+words 2024\s+ratio\s+removed\s+added\s+renamed\s+sentences kept\s+moved$/);
    expect(lines[6]).toMatch(/^hrr\/kazakhstan\s+12535\s+4492\s+0\.358\s+26\s+14\s+13\s+16\.7%\s+54$/);
    expect(lines.some((line) => /^Women\s+1\s+0\s+1\s+0\s+0\s+\d+\s+0$/.test(line))).toBe(true);

    const csv = await cli(inStore('editions', 'report', 'hrr', '--from', '2023', '--to', '2024', '--format', 'csv'));
    expect(csv.stdout.split('\r\n')[1]).toMatch(/^hrr\/kazakhstan,12535,4492,0\.358,43,31,26,14,13,527,88,54,0\.167,/);
    const sections = await cli(inStore('editions', 'report', 'hrr', '--from', '2023', '--to', '2024', '--by', 'section', '--format', 'csv'));
    expect(sections.stdout.split('\r\n')).toHaveLength(report.sections.length + 2);

    const refused = async (...args: string[]) => {
      const result = await cli(inStore('editions', 'report', ...args));
      expect(result.code).toBe(2);
      return result.stderr;
    };
    expect(await refused('hrr', '--from', '2016', '--to', '2023')).toBe('redline: No series of report hrr has edition 2016 captured\n');
    expect(await refused('hrr', '--from', '2024', '--to', '2023')).toContain('from: must be an earlier edition than to');
    expect(await refused('atlantis', '--from', '2023', '--to', '2024')).toContain('No series of report atlantis');
    expect(await refused('hrr', '--from', '2023', '--to', '2024', '--by', 'country')).toContain("argument 'country' is invalid");
  });

  test('editions phrases: the profile’s phrases and the user’s, per series and edition; the changes side by side; an empty phrase exits 2', async () => {
    const result = json<KeyPhrasesResult>(await cli(inStore('editions', 'phrases', 'hrr', '--phrase', 'Indigenous People of Biafra', '--json')));
    expect(result.phrases).toEqual([
      'no credible reports of significant human rights abuses',
      'significant human rights issues included credible reports of',
      'Indigenous People of Biafra',
    ]);
    const seen = (series: string, phrase: string) =>
      result.tracks.find((track) => track.series === series && track.phrase === phrase)!.appearances.map((entry) => entry.edition);
    expect(seen('hrr/kazakhstan', 'significant human rights issues included credible reports of')).toEqual([2022, 2023, 2024]);
    expect(seen('hrr/andorra', 'no credible reports of significant human rights abuses')).toEqual([2024]);
    expect(seen('hrr/tuvalu', 'no credible reports of significant human rights abuses')).toEqual([]);
    expect(seen('hrr/kazakhstan', 'Indigenous People of Biafra')).toEqual([]);

    const table = await cli(
      inStore(
        'editions',
        'phrases',
        'hrr/kazakhstan',
        '--no-profile-phrases',
        '--phrase',
        'significant human rights issues included credible reports of',
        '--changes',
      ),
    );
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('"significant human rights issues included credible reports of"');
    expect(lines[1]).toBe('  hrr/kazakhstan: 2022 2023 2024');
    expect(lines[2]).toBe('    2022 -> 2023 reworded');
    expect(lines[3]).toMatch(/^ {6}- Significant human rights issues included credible reports of: /);
    const csv = await cli(inStore('editions', 'phrases', 'hrr', '--changes', '--format', 'csv'));
    expect(csv.stdout.split('\r\n')[0]).toBe('series,phrase,previous_edition,edition,change,before,after');

    const refused = async (...args: string[]) => {
      const refusal = await cli(inStore('editions', 'phrases', ...args));
      expect(refusal.code).toBe(2);
      return refusal.stderr;
    };
    expect(await refused('hrr', '--phrase', ' ')).toBe('redline: A key phrase cannot be empty.\n');
    expect(await refused('hrr', '--no-profile-phrases')).toContain('No phrases to track');
    expect(await refused('atlantis')).toContain('No series of report atlantis');
  });

  test('audit --by edition --format csv: one row per edition year, checked against an independent count', async () => {
    const result = await cli(inStore('audit', '--by', 'edition', '--terms', TERMS.join(','), '--format', 'csv'));
    expect(result.code).toBe(0);

    // The latest capture of each page: for tuvalu 2023 the edited copy.
    const latestFiles = savedFiles.filter((file) => !file.endsWith('b-original.html'));
    const byEdition = new Map<number, { reports: number; words: number; counts: number[] }>();
    for (const file of latestFiles) {
      const bytes = await readFile(file);
      const html = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
      const document = extract(html);
      const row = byEdition.get(document.edition!) ?? { reports: 0, words: 0, counts: TERMS.map(() => 0) };
      row.reports++;
      for (const section of document.sections) {
        for (const paragraph of section.paragraphs) {
          row.words += paragraph.text.split(/\s+/).filter((word) => word.length > 0).length;
          const text = paragraph.text.replace(/\s+/g, ' ').toLowerCase();
          TERMS.forEach((term, index) => {
            for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + term.length)) row.counts[index]!++;
          });
        }
      }
      byEdition.set(document.edition!, row);
    }
    const expected = [
      'year,reports,word_count,count_human_rights,count_torture,count_climate_change,rate_human_rights,rate_torture,rate_climate_change',
      ...[...byEdition.entries()]
        .sort(([a], [b]) => a - b)
        .map(([year, row]) =>
          [year, row.reports, row.words, ...row.counts, ...row.counts.map((count) => ((count * 100_000) / row.words).toFixed(2))].join(','),
        ),
    ];
    expect(result.stdout).toBe(expected.map((line) => `${line}\r\n`).join(''));
    expect(result.stdout.split('\r\n')[3]).toMatch(/^2024,2,/);
    // Each torture count went up by one with the edit (tuvalu 2023).
    expect(byEdition.get(2023)!.counts[1]).toBeGreaterThan(0);
  });

  test('audit --baseline: each edition against the mean rate of the editions before, per edition or series; too long a history exits 2', async () => {
    const terms = ['human rights', 'torture', 'women'];
    const plain = json<AuditTable>(await cli(inStore('audit', '--by', 'edition', '--terms', terms.join(','), '--json')));
    const rate = (edition: number, term: string) => plain.rows.find((row) => row.edition === edition)!.rates[term]!;
    const table = json<BaselineTable>(await cli(inStore('audit', '--terms', terms.join(','), '--baseline', '2', '--json')));
    expect(table.rows.map((row) => [row.edition, row.baselineEditions])).toEqual([[2024, [2022, 2023]]]);
    for (const term of terms) {
      const baseline = (rate(2022, term) + rate(2023, term)) / 2;
      expect(table.rows[0]!.baselines[term]).toBeCloseTo(baseline, 9);
      expect(table.rows[0]!.changes[term]).toBeCloseTo(((rate(2024, term) - baseline) / baseline) * 100, 9);
    }
    const csv = await cli(inStore('audit', '--terms', terms.join(','), '--baseline', '1', '--by', 'series', '--format', 'csv'));
    const lines = csv.stdout.split('\r\n');
    expect(lines[0]).toMatch(/^year,series,reports,word_count,baseline_editions,count_human_rights,/);
    expect(lines.slice(1, -1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['2023,hrr/kazakhstan', '2024,hrr/kazakhstan']);
    const sentences = await cli(inStore('audit', '--terms', 'women', '--baseline', '1', '--by', 'series', '--sentences', '--format', 'csv'));
    expect(sentences.stdout.split('\r\n')[0]).toBe('term,series,from_edition,to_edition,section_key,heading,sentence');
    expect(sentences.stdout).toContain('women,hrr/kazakhstan,2023,2024,discrimination-and-societal-abuses/women,Women,');
    const shown = await cli(inStore('audit', '--terms', 'torture', '--baseline', '2'));
    expect(shown.stdout.split('\n')[0]).toMatch(
      /^year\s+word_count\s+baseline\s+rate_torture\s+baseline_torture\s+change_%_torture\s+removed_torture$/,
    );

    const refused = async (...args: string[]) => {
      const result = await cli(inStore('audit', ...args));
      expect(result.code).toBe(2);
      return result.stderr;
    };
    expect(await refused('--terms', 'torture', '--baseline', '3')).toBe(
      'redline: baseline: 3 editions is longer than the history (at most 3 editions captured; a baseline needs 4)\n',
    );
    expect(await refused('--term', ' ', '--baseline', '1')).toBe('redline: An audit term cannot be empty.\n');
    expect(await refused('--terms', 'torture', '--baseline', '0')).toContain('--baseline');
    expect(await refused('--terms', 'torture', '--baseline', '1', '--by', 'section')).toContain('--by edition or --by series');
    expect(await refused('--terms', 'torture', '--by', 'series')).toContain('--by series needs --baseline N');
  });

  test('audit: --series, --by section, table and JSON', async () => {
    const sections = await cli(inStore('audit', '--terms', 'torture', '--series', 'hrr/tuvalu', '--by', 'section', '--format', 'csv'));
    const lines = sections.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe('year,section_key,heading,reports,word_count,count_torture,rate_torture');
    expect(lines).toContainEqual(expect.stringMatching(/^2023,executive-summary,EXECUTIVE SUMMARY,1,\d+,1,/));
    const table = await cli(inStore('audit', '--terms', 'torture', '--series', 'hrr/tuvalu'));
    expect(table.stdout.split('\n')[0]).toMatch(/^year\s+reports\s+word_count\s+count_torture\s+rate_torture$/);
    const data = json<{ terms: string[]; rows: { edition: number; counts: Record<string, number> }[] }>(
      await cli(inStore('audit', '--terms', 'torture', '--term', 'Human Rights', '--whole-word', '--json')),
    );
    expect(data.terms).toEqual(['torture', 'Human Rights']);
    expect(data.rows.map((row) => row.edition)).toEqual([2022, 2023, 2024]);
    expect(await cli(inStore('audit'))).toMatchObject({ code: 2, stderr: expect.stringContaining('--terms') });
  });

  test('watch add, remove (history kept) and add again (history continues)', async () => {
    const url = 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/nigeria/';
    const added = json<{ page: PageView; created: boolean }>(await cli(inStore('watch', 'add', url, '--interval-minutes', '60', '--json')));
    expect(added).toMatchObject({ created: true, page: { page: 'hrr.nigeria.2024', intervalMinutes: 60, origin: 'watch' } });
    expect(json<{ created: boolean }>(await cli(inStore('watch', 'add', url, '--json'))).created).toBe(false);
    expect((await cli(inStore('watch', 'add', 'ftp://example.org/x'))).code).toBe(2);

    expect((await cli(inStore('watch', 'remove', 'hrr.tuvalu.2023'))).stdout).toContain('stopped watching hrr.tuvalu.2023');
    expect(await cli(inStore('history', 'hrr.tuvalu.2023'))).toMatchObject({ code: 2, stderr: expect.stringContaining('No page hrr.tuvalu.2023') });
    expect((await cli(inStore('watch', 'remove', 'hrr.tuvalu.2023'))).code).toBe(2);
    await cli(inStore('watch', 'add', 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/tuvalu/'));
    expect(json<RevisionView[]>(await cli(inStore('history', 'hrr.tuvalu.2023', '--json'))).map((revision) => revision.seq)).toEqual([2, 1]);
  });

  test('subscribe, subscribe list, subscribe remove', async () => {
    const created = json<{ subscription: { id: string; filters: Record<string, unknown> }; webhookSecret: string }>(
      await cli(
        inStore(
          'subscribe',
          '--webhook',
          'https://hooks.example.org/redline',
          '--series',
          'hrr/kazakhstan',
          '--kind',
          'modified,added',
          '--term',
          'Torture',
          '--json',
        ),
      ),
    );
    expect(created.subscription.filters).toEqual({ series: ['hrr/kazakhstan'], kinds: ['modified', 'added'], terms: ['torture'] });
    expect(created.webhookSecret.length).toBeGreaterThanOrEqual(16);
    const listed = json<{ id: string; delivery: Record<string, unknown> }[]>(await cli(inStore('subscribe', 'list', '--json')));
    expect(listed).toEqual([
      expect.objectContaining({ id: created.subscription.id, delivery: { type: 'webhook', url: 'https://hooks.example.org/redline' } }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.webhookSecret);
    expect((await cli(inStore('subscribe', '--webhook', 'https://hooks.example.org/redline'))).code).toBe(2);
    expect((await cli(inStore('subscribe', '--webhook', 'http://10.0.0.1/hook'))).stderr).toContain('delivery.url');
    expect((await cli(inStore('subscribe', '--series', 'hrr/kazakhstan'))).code).toBe(2);
    expect((await cli(inStore('subscribe', 'remove', created.subscription.id))).stdout).toContain('removed subscription');
    expect((await cli(inStore('subscribe', 'remove', created.subscription.id))).code).toBe(2);
    expect((await cli(inStore('subscribe', 'list'))).stdout).toContain('No subscriptions');
  });

  test('a webhook secret can be kept off the command line (ps shows it): --secret-file, or - for standard input', async () => {
    const secretFile = join(folder.path, 'hook-secret');
    await writeFile(secretFile, 'secret-from-a-file-0123456789\n', { mode: 0o600 });
    const fromFile = json<{ subscription: { id: string }; webhookSecret: string }>(
      await cli(inStore('subscribe', '--webhook', 'https://hooks.example.org/from-file', '--secret-file', secretFile, '--json')),
    );
    expect(fromFile.webhookSecret).toBe('secret-from-a-file-0123456789');
    const fromStdin = json<{ subscription: { id: string }; webhookSecret: string }>(
      await cli(inStore('subscribe', '--webhook', 'https://hooks.example.org/from-stdin', '--secret-file', '-', '--json'), {
        stdin: 'secret-from-stdin-0123456789\n',
      }),
    );
    expect(fromStdin.webhookSecret).toBe('secret-from-stdin-0123456789');
    expect((await cli(inStore('subscribe', '--webhook', 'https://hooks.example.org/x', '--secret-file', join(folder.path, 'none')))).code).toBe(2);
    expect(
      (await cli(inStore('subscribe', '--webhook', 'https://hooks.example.org/x', '--secret', 'a'.repeat(20), '--secret-file', secretFile))).code,
    ).toBe(2);
    for (const id of [fromFile.subscription.id, fromStdin.subscription.id]) await cli(inStore('subscribe', 'remove', id));
  });

  test('file commands still work: diff of two saved files, extract', async () => {
    const [old, , latest] = savedFiles;
    const files = await cli(['diff', old!, latest!, '--exit-code']);
    expect(files.code).toBe(1);
    expect(files.stdout).toMatch(/^--- 2022 Country Reports/);
    expect((await cli(['diff', old!, old!, '--exit-code'])).code).toBe(0);
    expect(await cli(['diff', old!])).toMatchObject({ code: 2, stderr: expect.stringContaining('is a file') });
    expect(await cli(['diff', old!, join(folder.path, 'missing.html')])).toMatchObject({ code: 2, stderr: expect.stringContaining('No such file') });
    expect((await cli(['extract', old!])).stdout).toContain('series: hrr/kazakhstan');
  });

  test('a deployed stack (REDLINE_TABLE...) is reached through the SDK: here the same servers behind endpoint overrides', async () => {
    const env = {
      REDLINE_TABLE: store.servers.tableName,
      REDLINE_BUCKET: store.servers.bucketName,
      REDLINE_DYNAMODB_ENDPOINT: store.servers.endpoints.dynamodb,
      REDLINE_S3_ENDPOINT: store.servers.endpoints.s3,
      AWS_REGION: store.servers.region,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    };
    const history = json<RevisionView[]>(await cli(['history', 'hrr.kazakhstan.2023', '--json'], { env }));
    expect(history.map((revision) => revision.seq)).toEqual([1]);
    expect((await cli(['show', 'hrr.kazakhstan.2023', '--outline'], { env })).stdout).toContain('executive-summary');
    // A cloud import needs the stack's FIFO import queue (test/import/cloud-import.test.ts): refused before any write.
    expect(await cli(['import', pages], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('REDLINE_IMPORT_QUEUE_URL is not set') });
    expect(await cli(['subscribe', '--email', 'desk@example.org'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('REDLINE_TOPIC_ARN is not set'),
    });
    expect(await cli(['run'], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('REDLINE_CAPTURE_QUEUE_URL') });
    expect((await cli(['subscribe', 'list'], { env })).stdout).toContain('No subscriptions');
  });

  test('a folder held by a process that did not announce itself is refused with a reason, not a crash', async () => {
    const held = join(folder.path, 'held');
    const servers = await startLocalAwsServers({ dataDir: held, requireListPaging: false });
    try {
      const result = await cli(['watch', 'list', '--data-dir', held]);
      expect(result.code).toBe(2); // refused at once, as any other store in use (issue 12, item 6)
      expect(result.stderr).toContain(`The local store ${held} is in use by another process`);
    } finally {
      await servers.close();
    }
    expect((await cli(['watch', 'list', '--data-dir', held])).code).toBe(0);
  });

  test('usage errors exit 2; --help shows examples; buildProgram parses in process', async () => {
    const unknown = await cli(['history', 'hrr.kazakhstan.2024', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    expect((await cli(['nonsense'])).code).toBe(2);
    expect((await cli(['history', 'x', '--limit', '0'])).code).toBe(2);
    const help = await cli(['audit', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('--format csv');
    expect(await cli(['import', pages, '--api', 'http://127.0.0.1:9'])).toMatchObject({ code: 2, stderr: expect.stringContaining('local store') });
    expect(await cli(['import', join(folder.path, 'nowhere')])).toMatchObject({ code: 2, stderr: expect.stringContaining('No such file') });

    const stdout = new BufferedOutput();
    const io = { stdout, stderr: new BufferedOutput(), env: {}, exitCode: 0 };
    await (await buildProgram(io)).parseAsync(['history', 'hrr.kazakhstan.2024', '--data-dir', store.dataDir], { from: 'user' });
    expect(stdout.text).toContain('baseline (first capture)');
  });
});
