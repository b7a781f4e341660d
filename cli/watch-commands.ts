import type { Command } from 'commander';
import { NotFoundError } from '../shared/errors.js';
import type { PageView } from '../shared/use-cases/queries/views.js';
import type { CliIo } from './cli-io.js';
import {
  collectList,
  formatTable,
  normaliseSeries,
  optionsOf,
  parsePositiveInteger,
  printJson,
  printLines,
  shortTime,
  storeTargetOf,
} from './output.js';
import { addStoreOptions } from './store-selection.js';
import { requireStore, withBackend, type TrackerBackend } from './tracker-backend.js';

/** `redline watch add|list|remove`. */
export function registerWatchCommands(program: Command, io: CliIo): void {
  const watch = program
    .command('watch')
    .description('Start, list and stop watching pages.')
    .addHelpText(
      'after',
      `
Examples:
  $ redline watch add https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/kazakhstan/
  $ redline watch list --series hrr/kazakhstan
  $ redline watch remove hrr.kazakhstan.2024`,
    );

  addStoreOptions(
    watch
      .command('add')
      .description('Watch a page: it is captured on the next `redline run` and then every --interval-minutes.')
      .argument('<url>', 'the page URL (its profile, series and edition come from the URL)')
      .option('--interval-minutes <n>', 'minutes between checks (at least 5; default 1440, daily)', parsePositiveInteger)
      .option('--ignore-robots', 'fetch even where robots.txt disallows it (only for pages whose owner agreed)')
      .option('--allow-origin <origin>', 'a loopback origin the URL may be on, e.g. http://127.0.0.1:4380 (repeatable; local store)', collectList)
      .option('--json', 'print the page as JSON'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ redline watch add https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/kazakhstan/
  $ redline watch add https://example.org/annual-report --interval-minutes 60`,
    )
    .action(async (url: string, _options: unknown, command: Command) => {
      const options = optionsOf<{ intervalMinutes?: number; ignoreRobots?: boolean; allowOrigin?: string[]; json?: boolean }>(command);
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        const result = await backend.addWatch(
          {
            url,
            ...(options.intervalMinutes !== undefined ? { intervalMinutes: options.intervalMinutes } : {}),
            ...(options.ignoreRobots ? { robotsOverride: true } : {}),
          },
          { allowedOrigins: options.allowOrigin ?? [] },
        );
        if (options.json) return printJson(io, result);
        const { page } = result;
        printLines(io, [
          `${result.created ? 'watching' : 'already watched'}: ${page.page}`,
          `  url: ${page.url}`,
          ...(page.series ? [`  series: ${page.series}  edition: ${page.edition ?? '-'}`] : []),
          `  every ${page.intervalMinutes ?? '-'} minutes; next check ${shortTime(page.nextDueAt)}${result.created ? ' (run `redline run` to capture it now)' : ''}`,
        ]);
      });
    });

  addStoreOptions(
    watch
      .command('list')
      .description('List watched pages (every page by id, or one series oldest edition first).')
      .option('--series <series>', 'only this series (e.g. hrr/kazakhstan)')
      .option('--json', 'print the pages as JSON'),
  ).action(async (_options: unknown, command: Command) => {
    const options = optionsOf<{ series?: string; json?: boolean }>(command);
    await withBackend(storeTargetOf(command, io), io, async (backend) => {
      const pages = await allPages(backend, options.series !== undefined ? normaliseSeries(options.series) : undefined);
      if (options.json) return printJson(io, pages);
      if (pages.length === 0)
        return printLines(io, [
          options.series ? `No pages in series ${options.series}.` : 'No watched pages. Add one with `redline watch add <url>`.',
        ]);
      printLines(
        io,
        formatTable(
          ['page', 'series', 'edition', 'origin', 'every', 'last checked', 'next due', 'failures'],
          pages.map((page) => [
            page.page,
            page.series ?? '-',
            page.edition ?? '-',
            page.origin ?? 'watch',
            page.intervalMinutes !== undefined ? `${page.intervalMinutes}m` : '-',
            shortTime(page.lastCheckedAt),
            shortTime(page.nextDueAt),
            page.consecutiveFailures,
          ]),
          [false, false, true, false, true, false, false, true],
        ),
      );
    });
  });

  addStoreOptions(
    watch
      .command('remove')
      .description('Stop watching a page. Its revisions stay in the store; watching its URL again continues its history.')
      .argument('<page>', 'page id (see `redline watch list`)')
      .option('--json', 'print the result as JSON'),
  ).action(async (page: string, _options: unknown, command: Command) => {
    const options = optionsOf<{ json?: boolean }>(command);
    await withBackend(storeTargetOf(command, io), io, async (backend) => {
      const store = requireStore(backend, 'watch remove');
      const record = await store.dependencies.revisions.getPage(page);
      if (!record || !(await store.dependencies.revisions.removePage(page))) throw new NotFoundError(`No page ${page}`);
      if (options.json) return printJson(io, { page, url: record.url, removed: true });
      printLines(io, [`stopped watching ${page} (${record.url}); its revisions stay in the store`]);
    });
  });
}

/** Every page (of a series), following the cursors. */
export async function allPages(backend: TrackerBackend, series?: string): Promise<PageView[]> {
  const pages: PageView[] = [];
  let cursor: string | undefined;
  do {
    const batch = await backend.listPages({ ...(series !== undefined ? { series } : {}), ...(cursor ? { cursor } : {}), limit: 100 });
    pages.push(...batch.items);
    cursor = batch.cursor;
  } while (cursor);
  return pages;
}
