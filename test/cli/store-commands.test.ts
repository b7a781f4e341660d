import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildProgram } from '../../cli/main.js';
import { BufferedOutput } from '../../cli/cli-io.js';
import { startLocalAwsServers } from '../../local/runtime/local-aws-servers.js';
import { extract } from '../../shared/domain/extract.js';
import type { EditionMap } from '../../shared/domain/edition-map.js';
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
    expect(all.map((page) => page.page)).toEqual(['hrr.andorra.2024', 'hrr.kazakhstan.2022', 'hrr.kazakhstan.2023', 'hrr.kazakhstan.2024', 'hrr.tuvalu.2023']);
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
    const before = json<{ paragraphs: { text: string }[] }>(await cli(inStore('show', 'hrr.tuvalu.2023', '--seq', '1', '--section', 'executive-summary', '--json')));
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

  test('editions map: the sections of 2023 mapped to 2024 as a table, CSV or JSON; bad requests exit 2 and name the problem', async () => {
    // Only Kazakhstan has both editions in this store: the map is its own alignment.
    const map = json<EditionMap>(await cli(inStore('editions', 'map', 'hrr', '--from', '2023', '--to', '2024', '--json')));
    expect(map.series).toEqual(['hrr/kazakhstan']);
    const killings = map.rows.find((row) => row.from.heading === 'Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings');
    expect(killings).toMatchObject({ kind: 'renamed', to: { heading: 'Extrajudicial Killings' }, support: 1, present: 1, confidence: 1 });
    expect(map.rows.find((row) => row.from.heading === 'Women')).toMatchObject({ kind: 'removed', support: 1 });

    const table = await cli(inStore('editions', 'map', 'hrr', '--from', '2023', '--to', '2024', '--changed'));
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('hrr: edition 2023 -> 2024, learned from 1 series (hrr/kazakhstan)');
    expect(lines[2]).toMatch(/^kind\s+from\s+to\s+support\s+present\s+confidence$/);
    expect(lines.slice(4)).toHaveLength(map.rows.filter((row) => row.kind !== 'same').length);
    expect(lines.some((line) => /^renamed\s+Arbitrary Deprivation of Life and Other Unlawful or Politic…\s+Extrajudicial Killings\s+1\s+1\s+1\.00$/.test(line))).toBe(true);
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
        .map(([year, row]) => [year, row.reports, row.words, ...row.counts, ...row.counts.map((count) => ((count * 100_000) / row.words).toFixed(2))].join(',')),
    ];
    expect(result.stdout).toBe(expected.map((line) => `${line}\r\n`).join(''));
    expect(result.stdout.split('\r\n')[3]).toMatch(/^2024,2,/);
    // Each torture count went up by one with the edit (tuvalu 2023).
    expect(byEdition.get(2023)!.counts[1]).toBeGreaterThan(0);
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
      await cli(inStore('subscribe', '--webhook', 'https://hooks.example.org/redline', '--series', 'hrr/kazakhstan', '--kind', 'modified,added', '--term', 'Torture', '--json')),
    );
    expect(created.subscription.filters).toEqual({ series: ['hrr/kazakhstan'], kinds: ['modified', 'added'], terms: ['torture'] });
    expect(created.webhookSecret.length).toBeGreaterThanOrEqual(16);
    const listed = json<{ id: string; delivery: Record<string, unknown> }[]>(await cli(inStore('subscribe', 'list', '--json')));
    expect(listed).toEqual([expect.objectContaining({ id: created.subscription.id, delivery: { type: 'webhook', url: 'https://hooks.example.org/redline' } })]);
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
      await cli(inStore('subscribe', '--webhook', 'https://hooks.example.org/from-stdin', '--secret-file', '-', '--json'), { stdin: 'secret-from-stdin-0123456789\n' }),
    );
    expect(fromStdin.webhookSecret).toBe('secret-from-stdin-0123456789');
    expect((await cli(inStore('subscribe', '--webhook', 'https://hooks.example.org/x', '--secret-file', join(folder.path, 'none')))).code).toBe(2);
    expect((await cli(inStore('subscribe', '--webhook', 'https://hooks.example.org/x', '--secret', 'a'.repeat(20), '--secret-file', secretFile))).code).toBe(2);
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
    expect(await cli(['import', pages], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('out of capture order') });
    expect(await cli(['subscribe', '--email', 'desk@example.org'], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('REDLINE_TOPIC_ARN is not set') });
    expect(await cli(['run'], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('REDLINE_CAPTURE_QUEUE_URL') });
    expect((await cli(['subscribe', 'list'], { env })).stdout).toContain('No subscriptions');
  });

  test('a folder held by a process that did not announce itself is refused with a reason, not a crash', async () => {
    const held = join(folder.path, 'held');
    const servers = await startLocalAwsServers({ dataDir: held, requireListPaging: false });
    try {
      const result = await cli(['watch', 'list', '--data-dir', held]);
      expect(result.code).toBe(1);
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
    await buildProgram(io).parseAsync(['history', 'hrr.kazakhstan.2024', '--data-dir', store.dataDir], { from: 'user' });
    expect(stdout.text).toContain('baseline (first capture)');
  });
});
