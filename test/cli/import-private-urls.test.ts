import { join } from 'node:path';
import type { ImportReport } from '../../shared/use-cases/import-pages.js';
import type { PageView } from '../../shared/use-cases/queries/views.js';
import { cli, json, saveCorpusPage, startSharedStore, temporaryFolder, type SharedStore } from './cli-fixture.js';

/**
 * Issue 12, item 2: `import` checks the URL each page says it has as `watch add` and the API check a submitted one.
 * A saved page whose canonical link, og:url and JSON-LD name a private, loopback or link-local host is refused with
 * the reason, nothing of it is stored, and the rest of the import goes on.
 */
describe('import: pages that say they live on a private host are refused', () => {
  let folder: { path: string; remove(): Promise<void> };
  let store: SharedStore;
  const real = 'https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/tuvalu/';

  beforeAll(async () => {
    folder = await temporaryFolder('redline-import-private-');
    store = await startSharedStore(folder.path);
  });

  afterAll(async () => {
    await store?.close();
    await folder?.remove();
  });

  test('loopback, private and link-local canonical URLs: failed with the reason; the public page is imported', async () => {
    const pages = join(folder.path, 'pages');
    await saveCorpusPage(pages, 'a-public.html', 'tuvalu', 2023);
    const hosts = ['http://127.0.0.1', 'http://10.20.30.40', 'http://169.254.169.254', 'http://[::1]'];
    for (const [index, host] of hosts.entries()) {
      await saveCorpusPage(pages, `b-private-${index}.html`, 'andorra', 2023, {
        edit: (html) => html.replaceAll('https://www.state.gov/', `${host}/`),
      });
    }
    const result = await cli(['import', pages, '--data-dir', store.dataDir, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as ImportReport;
    expect(report).toMatchObject({ read: 5, imported: 1, failed: hosts.length, watched: 1 });
    for (const [index, host] of hosts.entries()) {
      const item = report.notImported.find((entry) => entry.source.endsWith(`b-private-${index}.html`));
      expect(item).toMatchObject({ outcome: 'failed', message: expect.stringContaining(`refused: the page says it is ${host}/`) });
      expect(item!.message).toMatch(/its URL: Refused URL http:\/\/\S+: .+/);
    }
    const watched = json<PageView[]>(await cli(['watch', 'list', '--data-dir', store.dataDir, '--json']));
    expect(watched.map((page) => page.url)).toEqual([real]);
  });
});
