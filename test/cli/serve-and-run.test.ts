import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BufferedOutput } from '../../cli/cli-io.js';
import { appendToFirstParagraph } from '../../local/demo/known-edits.js';
import { startReportSite, type ReportSite } from '../../local/demo/report-site.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../local/demo/webhook-receiver.js';
import type { PageView, RevisionView } from '../../shared/use-cases/queries/views.js';
import { cli, json, saveCorpusPage, temporaryFolder, type CliResult } from './cli-fixture.js';

/**
 * `redline serve` in process, the other commands over its HTTP API (--api) and, meanwhile, on its folder; and
 * `redline run` driving the local runtime against the local report site.
 */
const TOKEN = 'cli-test-token-0123456789';
const ADDED_SENTENCE = 'Observers reported a new case of torture.';
const WEBHOOK_SECRET = 'run-test-webhook-secret-0123456789';

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('redline serve, and the commands over its API', () => {
  let folder: { path: string; remove(): Promise<void> };
  let dataDir: string;
  let stop: AbortController;
  let served: Promise<CliResult>;
  let url: string;

  beforeAll(async () => {
    folder = await temporaryFolder();
    dataDir = join(folder.path, 'store');
    const pages = join(folder.path, 'pages');
    await saveCorpusPage(pages, 'k2023.html.gz', 'kazakhstan', 2023);
    await saveCorpusPage(pages, 'k2024.html.gz', 'kazakhstan', 2024);
    await saveCorpusPage(pages, 'n2024.html.gz', 'nigeria', 2024);
    // A folder nobody has open: the command starts the embedded servers on it itself.
    expect((await cli(['import', pages, '--data-dir', dataDir])).code).toBe(0);

    stop = new AbortController();
    const output = new BufferedOutput();
    served = cli(['serve', '--port', '0', '--json', '--data-dir', dataDir], {
      // Every edition report not cached is a job (202), computed by serve's in-process report function.
      env: { REDLINE_API_TOKEN: TOKEN, REDLINE_SYNC_REPORT_SERIES: '0' },
      signal: stop.signal,
      stdout: output,
    });
    let ended: CliResult | undefined;
    void served.then((result) => (ended = result));
    const started = await until(() => {
      if (ended) throw new Error(`serve ended with ${ended.code}: ${ended.stderr}`);
      return output.text.includes('"url"') ? (JSON.parse(output.text) as { url: string }) : undefined;
    }, 'serve to listen');
    url = started.url;
  });

  afterAll(async () => {
    stop?.abort();
    await served;
    await folder?.remove();
  });

  const api = (...args: string[]) => [...args, '--api', url];

  test('read commands work the same over the API as on the store', async () => {
    const pages = json<PageView[]>(await cli(api('watch', 'list', '--json')));
    expect(pages.map((page) => page.page)).toEqual(['hrr.kazakhstan.2023', 'hrr.kazakhstan.2024', 'hrr.nigeria.2024']);
    expect(json<RevisionView[]>(await cli(api('history', 'hrr.nigeria.2024', '--json'))).map((revision) => revision.seq)).toEqual([1]);
    expect((await cli(api('show', 'hrr.nigeria.2024'))).stdout).toContain('baseline');

    for (const args of [
      ['audit', '--terms', 'human rights,torture', '--format', 'csv'],
      ['audit', '--terms', 'torture', '--by', 'section', '--series', 'hrr/kazakhstan', '--json'],
      ['compare', 'hrr/kazakhstan', '--format', 'text'],
      ['compare', 'hrr/kazakhstan', '--from', '2023', '--to', '2024', '--json', '--hide-trivial'],
      ['compare', 'hrr/kazakhstan', '--format', 'html', '--include-unchanged'],
    ]) {
      const [remote, local] = await Promise.all([cli(api(...args)), cli([...args, '--data-dir', dataDir])]);
      expect(remote.code).toBe(0);
      expect(remote.stdout).toBe(local.stdout);
    }
    expect((await cli(api('compare', 'hrr/kazakhstan', '--exit-code'))).code).toBe(1);
  });

  test('serve computes a report over its bound in its own process; editions report --api follows the 202 to it', async () => {
    const reportUrl = `${url}/editions/hrr~kazakhstan/report?from=2023&to=2024`;
    const waits: number[] = [];
    // The CLI's clock: each wait lasts until serve has finished the job (the report URL stops answering 202).
    const sleep = async (ms: number) => {
      waits.push(ms);
      const deadline = Date.now() + 120_000;
      while ((await fetch(reportUrl)).status === 202) {
        if (Date.now() > deadline) throw new Error('serve did not finish the report job');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const remote = await cli(api('editions', 'report', 'hrr/kazakhstan', '--from', '2023', '--to', '2024', '--json'), { sleep });
    expect(remote.code).toBe(0);
    expect(waits).toEqual([10_000]);
    expect(remote.stderr).toMatch(/^Computing the edition report off the request path \(1 series, job [0-9a-f]{12}\); waiting/);
    const local = await cli(['editions', 'report', 'hrr/kazakhstan', '--from', '2023', '--to', '2024', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(remote.stdout)).toEqual(JSON.parse(local.stdout));
  });

  test('the folder stays usable by local commands while serve holds it', async () => {
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(true);
    const history = await cli(['history', 'hrr.kazakhstan.2024', '--data-dir', dataDir]);
    expect(history).toMatchObject({ code: 0, stdout: expect.stringContaining('baseline') });
    // The same run through commands that need the store itself.
    expect((await cli(['show', 'hrr.kazakhstan.2024', '--outline', '--data-dir', dataDir])).stdout).toContain('executive-summary');
  });

  test('write commands need the token; store-only commands say why they cannot run over the API', async () => {
    const withoutToken = await cli(api('watch', 'add', 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/russia/'));
    expect(withoutToken).toMatchObject({ code: 2, stderr: expect.stringContaining('REDLINE_API_TOKEN') });
    const env = { REDLINE_API_TOKEN: TOKEN };
    const added = json<{ created: boolean; page: PageView }>(
      await cli(api('watch', 'add', 'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/russia/', '--json'), { env }),
    );
    expect(added).toMatchObject({ created: true, page: { page: 'hrr.russia.2024' } });
    // The API's own URL policy applies (the SSRF guard).
    expect(await cli(api('watch', 'add', 'http://127.0.0.1/x'), { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('url:') });
    const wrongToken = await cli(api('subscribe', 'list'), { env: { REDLINE_API_TOKEN: 'wrong-token-0123456789' } });
    expect(wrongToken.code).toBe(2);

    const created = json<{ subscription: { id: string } }>(
      await cli(api('subscribe', '--email', 'desk@example.org', '--series', 'hrr/kazakhstan', '--json'), { env }),
    );
    expect(json<{ id: string }[]>(await cli(api('subscribe', 'list', '--json'), { env })).map((item) => item.id)).toEqual([created.subscription.id]);
    expect((await cli(api('subscribe', 'remove', created.subscription.id), { env })).code).toBe(0);
    expect((await cli(api('subscribe', 'remove', created.subscription.id), { env })).code).toBe(2);

    for (const args of [['watch', 'remove', 'hrr.russia.2024'], ['show', 'hrr.nigeria.2024', '--outline'], ['run'], ['serve']]) {
      const result = await cli(api(...args), { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/store|--data-dir/);
    }
    expect((await cli(api('history', 'hrr.atlantis.2024'))).stderr).toContain('No page hrr.atlantis.2024');
  });

  test('an API that is not there is a failure (exit 1), not a usage error', async () => {
    const result = await cli(['watch', 'list', '--api', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot reach the API at http://127.0.0.1:9');
  });

  test('stopping serve closes it and removes runtime.json', async () => {
    stop.abort();
    expect((await served).code).toBe(0);
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
  });
});

describe('redline run', () => {
  let folder: { path: string; remove(): Promise<void> };
  let site: ReportSite;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    folder = await temporaryFolder();
    receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
    // The page gains a sentence at the site's cycle 1.
    site = await startReportSite({
      validators: 'none',
      schedule: [{ cycle: 1, page: { country: 'tuvalu', year: 2024 }, type: 'edit', edits: [appendToFirstParagraph(ADDED_SENTENCE)] }],
    });
  });

  afterAll(async () => {
    await site?.close();
    await receiver?.close();
    await folder?.remove();
  });

  test('one cycle: the due pages are captured and recorded; a later change reaches the subscriptions', async () => {
    const dataDir = join(folder.path, 'store');
    const inStore = (...args: string[]) => [...args, '--data-dir', dataDir];
    // A loopback URL is refused as the API refuses it, unless its origin is allowed explicitly.
    expect(await cli(inStore('watch', 'add', site.url('tuvalu', 2024)))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--allow-origin'),
    });
    expect((await cli(inStore('watch', 'add', site.url('tuvalu', 2024), '--allow-origin', site.origin))).code).toBe(0);
    expect((await cli(inStore('subscribe', '--email', 'desk@example.org'))).code).toBe(0);
    expect((await cli(inStore('subscribe', '--webhook', receiver.url('/hooks/all'), '--secret', WEBHOOK_SECRET))).code).toBe(2);
    const hook = ['subscribe', '--webhook', receiver.url('/hooks/all'), '--secret', WEBHOOK_SECRET, '--allow-origin', receiver.origin];
    expect((await cli(inStore(...hook))).code).toBe(0);

    // Without --allow-origin the fetcher refuses the loopback site: a failed capture, exit 1.
    const blockedRun = await cli(inStore('run', '--json'));
    expect(blockedRun.code).toBe(1);
    const blocked = JSON.parse(blockedRun.stdout) as { captures: { page: string; outcome: string; kind?: string }[] };
    expect(blocked.captures.find((capture) => capture.page === 'hrr.tuvalu.2024')).toMatchObject({ outcome: 'failed', kind: 'blocked' });

    // Not due again before its backoff: make it due by watching it anew.
    await cli(inStore('watch', 'remove', 'hrr.tuvalu.2024'));
    await cli(inStore('watch', 'add', site.url('tuvalu', 2024), '--allow-origin', site.origin));
    const result = await cli(inStore('run', '--allow-origin', site.origin, '--allow-origin', receiver.origin));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('hrr.tuvalu.2024: captured, revision 1 (baseline)');
    expect(result.stdout).toMatch(/1 revision\(s\), \d+ notification\(s\)/);
    const history = json<RevisionView[]>(await cli(inStore('history', 'hrr.tuvalu.2024', '--json')));
    expect(history.map((revision) => revision.seq)).toEqual([1]);

    const idle = await cli(inStore('run', '--allow-origin', site.origin, '--json'));
    expect(json<{ dispatch: { dispatched: string[] } }>(idle).dispatch.dispatched).toEqual([]);

    // The site edits the page; once it is due again, the next cycle records revision 2 and delivers it.
    site.advance();
    await cli(inStore('watch', 'remove', 'hrr.tuvalu.2024'));
    await cli(inStore('watch', 'add', site.url('tuvalu', 2024), '--allow-origin', site.origin));
    const editStarted = new Date();
    const edited = await cli(inStore('run', '--allow-origin', site.origin, '--allow-origin', receiver.origin));
    expect(edited.stdout).toContain('hrr.tuvalu.2024: captured, revision 2 (1 section(s) changed)');
    expect(edited.stdout).toMatch(/hrr\.tuvalu\.2024.* -> email:desk@example\.org/);
    // Exactly one delivery per subscription and notification: one POST and one e-mail line for each notification.
    const posts = receiver.receipts.filter((receipt) => receipt.path === '/hooks/all');
    const ids = posts.map((receipt) => receipt.id);
    expect(ids).toContain('hrr.tuvalu.2024#2');
    expect(new Set(ids).size).toBe(posts.length);
    expect(posts.every((receipt) => receipt.verified && !receipt.duplicate)).toBe(true);
    const postsOfEdit = posts.filter((receipt) => receipt.receivedAt >= editStarted).length;
    expect(edited.stdout.split('\n').filter((line) => line.includes('-> email:desk@example.org'))).toHaveLength(postsOfEdit);
    expect((await cli(inStore('diff', 'hrr.tuvalu.2024'))).stdout).toContain(`{+ ${ADDED_SENTENCE}+}`);
    expect(existsSync(join(dataDir, 'logs', 'functions.jsonl'))).toBe(true);
  });
});
