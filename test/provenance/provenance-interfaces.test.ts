import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { BufferedOutput, type CliIo } from '../../cli/cli-io.js';
import { editionRuns, registerProvenanceCommands } from '../../cli/provenance-commands.js';
import { announceLocalStore } from '../../cli/store-selection.js';
import { createApiHandler } from '../../functions/api/api-handler.js';
import type { ApiDependencies } from '../../functions/api/api-dependencies.js';
import { startApiServer, type ApiServer } from '../../local/runtime/api-server.js';
import { applyEdits, deleteParagraph } from '../../local/demo/known-edits.js';
import { LocalSubscriptionGateway } from '../../local/runtime/subscription-notifier.js';
import { DynamoSubscriptionStore } from '../../shared/adapters/dynamodb/dynamo-subscription-store.js';
import { extract } from '../../shared/domain/extract.js';
import { LEDGER_CSV_COLUMNS } from '../../shared/domain/provenance/removal-ledger.js';
import { quietObservability } from '../api/api-fixture.js';
import { loadCorpusPage } from '../support/corpus.js';
import { hrrUrl } from './provenance-fixture.js';
import { startProvenanceStore, type ProvenanceStoreFixture } from './provenance-store-fixture.js';

/**
 * Where provenance shows: the API routes (through the local API server, over dynalite and s3rver) and the CLI
 * commands (in process, on the same store through its announced runtime.json, and through the API).
 */
let store: ProvenanceStoreFixture;
let server: ApiServer;
let dataDir: string;
let unannounce: () => Promise<void>;
const EXPRESSION = 'Freedom of Expression, Including for Members of the Press and Other Media';

beforeAll(async () => {
  store = await startProvenanceStore();
  for (const year of [2022, 2023, 2024]) await store.record('kazakhstan', year);
  // A second revision of the 2022 page: a paragraph deleted.
  await store.record(
    'kazakhstan',
    2022,
    extract(applyEdits(loadCorpusPage('kazakhstan', 2022), [deleteParagraph(EXPRESSION, 1)]), { url: hrrUrl('kazakhstan', 2022) }),
  );
  const dependencies: ApiDependencies = {
    ...store.dependencies,
    subscriptions: new DynamoSubscriptionStore({ client: store.aws.dynamodb, tableName: store.aws.tableName }),
    subscriptionGateway: new LocalSubscriptionGateway(),
    api: {},
  };
  server = await startApiServer({ handler: createApiHandler(dependencies, quietObservability()) });
  dataDir = await mkdtemp(join(tmpdir(), 'redline-provenance-cli-'));
  unannounce = await announceLocalStore(
    dataDir,
    { endpoints: store.aws.endpoints, region: store.aws.region, table: store.aws.tableName, bucket: store.aws.bucketName },
    'provenance-test',
  );
}, 120_000);

afterAll(async () => {
  await unannounce?.();
  await server?.close();
  await store?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
async function get(path: string): Promise<{ status: number; headers: Headers; body: string; json: () => any }> {
  const response = await fetch(`${server.url}${path}`);
  const body = await response.text();
  return { status: response.status, headers: response.headers, body, json: () => JSON.parse(body) };
}

describe('the provenance API routes', () => {
  test('GET /pages/{page}/blame: the UI shape, a page of sentences at a time', async () => {
    const first = await get('/pages/hrr.kazakhstan.2023/blame?limit=5');
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBeTruthy();
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    const body = first.json();
    expect(body).toMatchObject({
      page: 'hrr.kazakhstan.2023',
      series: 'hrr/kazakhstan',
      scope: 'series:hrr/kazakhstan',
      version: { page: 'hrr.kazakhstan.2023', seq: 1, edition: 2023, documentHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      editions: [2022, 2023, 2024],
      summary: { sentences: expect.any(Number), reworded: expect.any(Number) },
      index: { caughtUp: 4, storedIndex: 'absent', generation: 0 },
      nextCursor: expect.any(String),
    });
    expect(body.timeline.map((version: { page: string; seq: number }) => `${version.page}#${version.seq}`)).toEqual([
      'hrr.kazakhstan.2022#1',
      'hrr.kazakhstan.2022#2',
      'hrr.kazakhstan.2023#1',
      'hrr.kazakhstan.2024#1',
    ]);
    expect(body.items).toHaveLength(5);
    expect(Object.keys(body.items[0]).sort()).toEqual(
      [
        'editions',
        'hash',
        'heading',
        'lastSeen',
        'origin',
        'paragraph',
        'position',
        'sectionKey',
        'text',
        'versions',
        ...(body.items[0].rewordedFrom ? ['firstWordingOrigin', 'rewordedFrom'] : []),
      ].sort(),
    );
    const next = (await get(`/pages/hrr.kazakhstan.2023/blame?limit=5&cursor=${body.nextCursor}`)).json();
    expect(next.items.map((sentence: { position: number }) => sentence.position)).toEqual([5, 6, 7, 8, 9]);
    const reworded = (await get('/pages/hrr.kazakhstan.2023/blame?limit=1000'))
      .json()
      .items.find((sentence: { rewordedFrom?: unknown }) => sentence.rewordedFrom);
    expect(reworded.rewordedFrom).toEqual({
      text: expect.any(String),
      hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      similarity: expect.any(Number),
      origin: expect.objectContaining({ edition: 2022 }),
      lastSeen: expect.objectContaining({ edition: 2022 }),
    });
  });

  test('blame filters by section, takes a revision or another edition, and refuses bad input', async () => {
    const section = (await get('/pages/hrr.kazakhstan.2023/blame?section=respect-for-the-integrity-of-the-person~disappearance')).json();
    expect(section.items.length).toBeGreaterThan(0);
    expect(
      section.items.every((sentence: { sectionKey: string }) =>
        sentence.sectionKey.startsWith('respect-for-the-integrity-of-the-person/disappearance'),
      ),
    ).toBe(true);
    expect((await get('/pages/hrr.kazakhstan.2022/blame?seq=1&limit=1')).json().version).toMatchObject({ seq: 1 });
    expect((await get('/pages/hrr.kazakhstan.2022/blame?limit=1')).json().version).toMatchObject({ seq: 2 });
    expect((await get('/pages/hrr.kazakhstan.2022/blame?edition=2024&limit=1')).json()).toMatchObject({ page: 'hrr.kazakhstan.2024' });
    const badCursor = await get('/pages/hrr.kazakhstan.2023/blame?cursor=abc');
    expect([badCursor.status, badCursor.json().detail]).toEqual([400, expect.stringMatching(/^cursor: /)]);
    expect((await get('/pages/hrr.kazakhstan.2023/blame?limit=1001')).status).toBe(400);
    expect((await get('/pages/hrr.atlantis.2023/blame')).status).toBe(404);
    expect((await get('/pages/hrr.kazakhstan.2023/blame?seq=7')).status).toBe(404);
  });

  test("GET /series/{series}/removed: pairs, filters, fates, CSV; and a page's revisions", async () => {
    const ledger = (await get('/series/hrr~kazakhstan/removed?from=2023&to=2024&limit=1000')).json();
    expect(ledger).toMatchObject({ series: 'hrr/kazakhstan', transitions: [{ from: { edition: 2023 }, to: { edition: 2024 }, moved: 0 }] });
    expect(ledger.items.length).toBe(ledger.transitions[0].removed + ledger.transitions[0].reworded);
    expect(new Set(ledger.items.map((item: { fate: string }) => item.fate))).toEqual(new Set(['removed', 'reworded']));

    const torture = (await get('/series/hrr~kazakhstan/removed?from=2023&to=2024&term=torture&limit=1000')).json();
    expect(torture.items.length).toBeGreaterThan(0);
    expect(torture.items.every((item: { text: string }) => item.text.toLowerCase().includes('torture'))).toBe(true);
    const moved = (await get('/series/hrr~kazakhstan/removed?from=2023&to=2024&fate=moved&limit=1000')).json();
    expect(moved.items.length).toBeGreaterThan(0);
    expect(moved.items.every((item: { fate: string; movedTo?: unknown }) => item.fate === 'moved' && item.movedTo)).toBe(true);

    const csv = await get('/series/hrr~kazakhstan/removed?from=2023&to=2024&term=torture&format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const lines = csv.body.split('\r\n').filter((line) => line !== '');
    expect(lines[0]).toBe(LEDGER_CSV_COLUMNS.join(','));
    expect(lines.length - 1).toBe(torture.items.length);

    const all = (await get('/series/hrr~kazakhstan/removed?limit=1000')).json();
    expect(
      all.transitions.map((transition: { from: { edition: number }; to: { edition: number } }) => [transition.from.edition, transition.to.edition]),
    ).toEqual([
      [2022, 2023],
      [2023, 2024],
    ]);
    const page = (await get('/pages/hrr.kazakhstan.2022/removed?from=1&to=2')).json();
    expect(page.items.map((item: { fate: string; removedIn: { seq: number } }) => [item.fate, item.removedIn.seq])).toEqual([
      ['removed', 2],
      ['removed', 2],
    ]);
    expect((await get('/series/hrr~kazakhstan/removed?from=2023')).json().detail).toBe('to: missing');
    expect((await get('/series/hrr~kazakhstan/removed?from=2023&to=2024&fate=lost')).status).toBe(400);
    expect((await get('/series/hrr~atlantis/removed')).status).toBe(404);
  });

  test('GET /series/{series}/provenance: the API reads, never writes, the index', async () => {
    expect((await get('/series/hrr~kazakhstan/provenance')).json()).toMatchObject({
      scope: 'series:hrr/kazakhstan',
      generation: 0,
      storedIndex: 'absent',
      listedVersions: 4,
      missing: expect.arrayContaining([{ page: 'hrr.kazakhstan.2023', seq: 1, edition: 2023 }]),
    });
  });
});

async function redline(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const stdout = new BufferedOutput();
  const stderr = new BufferedOutput();
  const io: CliIo = { stdout, stderr, env: { PATH: process.env.PATH }, exitCode: 0 };
  const program = new Command('redline')
    .exitOverride()
    .configureOutput({ writeOut: (text) => stdout.write(text), writeErr: (text) => stderr.write(text) });
  registerProvenanceCommands(program, io);
  await program.parseAsync(args, { from: 'user' });
  return { stdout: stdout.text, stderr: stderr.text };
}

describe('the provenance CLI commands', () => {
  test('provenance status, sync and rebuild (on the store)', async () => {
    expect((await redline(['provenance', 'status', 'hrr/kazakhstan', '--data-dir', dataDir])).stdout).toContain('missing 4 of 4 versions');
    expect((await redline(['provenance', 'sync', 'hrr~kazakhstan', '--data-dir', dataDir])).stdout).toBe(
      'series:hrr/kazakhstan: 4 versions added, generation 1\n',
    );
    expect((await redline(['provenance', 'status', 'hrr/kazakhstan', '--data-dir', dataDir])).stdout).toContain(
      'up to date with the store (4 versions)',
    );
    const rebuilt = JSON.parse((await redline(['provenance', 'rebuild', 'hrr/kazakhstan', '--data-dir', dataDir, '--json'])).stdout);
    expect(rebuilt).toMatchObject({ scope: 'series:hrr/kazakhstan', generation: 2, versions: 4 });
    await expect(redline(['provenance', 'rebuild', 'hrr/kazakhstan', '--api', server.url])).rejects.toThrow(/needs the store itself/);
  });

  test('redline blame: the text view and JSON, on the store and through the API alike', async () => {
    const text = (
      await redline(['blame', 'hrr.kazakhstan.2023', '--section', 'respect-for-the-integrity-of-the-person/disappearance', '--data-dir', dataDir])
    ).stdout;
    const lines = text.split('\n');
    expect(lines[0]).toBe('hrr.kazakhstan.2023 (2023): 1 sentence by origin 2022: 1; 0 came in reworded');
    expect(lines).toContain('== Disappearance  [respect-for-the-integrity-of-the-person/disappearance]');
    expect(lines.find((line) => line.endsWith('There were no reports of disappearances by or on behalf of government authorities.'))).toMatch(
      /^2022 +2022-2023 +There/,
    );

    const fromStore = JSON.parse((await redline(['blame', 'hrr/kazakhstan', '--edition', '2023', '--json', '--data-dir', dataDir])).stdout);
    const fromApi = JSON.parse((await redline(['blame', 'hrr.kazakhstan.2023', '--json', '--api', server.url])).stdout);
    expect(fromStore.items.length).toBe(fromStore.summary.sentences);
    const { index: _storeIndex, ...storeView } = fromStore;
    const { index: _apiIndex, ...apiView } = fromApi;
    expect(apiView).toEqual(storeView);
    await expect(redline(['blame', 'hrr/kazakhstan', '--data-dir', dataDir])).rejects.toThrow('give --edition');
  });

  test('redline removed: table, CSV and JSON', async () => {
    const table = (await redline(['removed', 'hrr/kazakhstan', '--from', '2023', '--to', '2024', '--term', 'torture', '--data-dir', dataDir])).stdout;
    expect(table.split('\n')[0]).toMatch(/^2023 -> 2024: \d+ removed, \d+ reworded, 0 moved$/);
    expect(table).toContain('REMOVED 2023->2024 [');
    const csv = (
      await redline(['removed', 'hrr/kazakhstan', '--from', '2023', '--to', '2024', '--term', 'torture', '--format', 'csv', '--api', server.url])
    ).stdout;
    expect(csv.startsWith(`${LEDGER_CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    const json = JSON.parse(
      (await redline(['removed', 'hrr/kazakhstan', '--from', '2023', '--to', '2024', '--include-moved', '--json', '--data-dir', dataDir])).stdout,
    );
    expect(new Set(json.sentences.map((sentence: { fate: string }) => sentence.fate))).toEqual(new Set(['removed', 'reworded', 'moved']));
    const page = JSON.parse((await redline(['removed', 'hrr.kazakhstan.2022', '--json', '--data-dir', dataDir])).stdout);
    expect(page.transitions.map((transition: { from: { seq: number }; to: { seq: number } }) => [transition.from.seq, transition.to.seq])).toEqual([
      [1, 2],
    ]);
    await expect(redline(['removed', 'hrr/kazakhstan', '--from', '2023', '--data-dir', dataDir])).rejects.toThrow('give both --from and --to');
    await expect(redline(['removed', 'hrr/kazakhstan', '--fate', 'lost', '--data-dir', dataDir])).rejects.toThrow('unknown fate lost');
  });

  test('edition runs', () => {
    expect(editionRuns([2016, 2017, 2018, 2020, 2022, 2023])).toBe('2016-2018,2020,2022-2023');
    expect(editionRuns([])).toBe('');
  });
});
