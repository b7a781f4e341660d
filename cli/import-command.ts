import { existsSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ArchiveSurvey } from '../shared/adapters/warc/archive-captures.js';
import type { ImportOptions, ImportProgress, ImportReport } from '../shared/use-cases/import-pages.js';
import { RedlineError } from '../shared/errors.js';
import { EXIT_DIFFERENCES_OR_FAILURE, EXIT_USAGE, UsageError, type CliIo } from './cli-io.js';
import { optionsOf, parseNonNegativeInteger, parsePositiveInteger, printJson, printLines, storeTargetOf } from './output.js';
import { bar, megabytes, progressLine, rate } from './progress.js';
import { addStoreOptions, announceLocalStore, openLocalStore, openStore, runningStoreProcess, serversThreadFromEnv } from './store-selection.js';

/** `redline import PATH...`: backfill history from saved pages and WARC files into the local store. */
export function registerImportCommand(program: Command, io: CliIo): void {
  addStoreOptions(
    program
      .command('import')
      .description('Backfill history: import saved pages (.html, .htm, .html.gz) and WARC files (.warc, .warc.gz) as captures.')
      .argument('<paths...>', 'files and folders (folders are walked recursively)')
      .option('--concurrency <n>', 'captures processed at once (default 4)', parsePositiveInteger, 4)
      .option(
        '--threads <n>',
        'worker threads extracting captures (default 0: in this thread; extraction is under a tenth of an import, the store the rest)',
        parseThreads,
        0,
      )
      .addOption(
        new Option(
          '--time-source <source>',
          "capture time: the page's own dates (modified, else published, else the archive's), or the archive's time only (WARC-Date, file mtime)",
        )
          .choices(['page', 'archive'])
          .default('page'),
      )
      .option('--interval-minutes <n>', 'check interval of the pages this import starts watching (default daily)', parsePositiveInteger)
      .option('--stack <name>', 'a deployed stack: its outputs (TableName, BucketName, ImportQueueUrl) by name, with --region and --profile')
      .option('--wait-minutes <n>', 'deployed stack: how long to wait for the stack to record what was sent (default 30)', parsePositiveInteger, 30)
      .option('--no-wait', 'deployed stack: send the captures and stop; their outcomes show in the next run of the same import')
      .option('--json', 'print the report as JSON'),
  )
    .addHelpText(
      'after',
      `
Each capture is read like a live one: the page says which page it is (canonical link, og:url, JSON-LD, its menu
or headline; archive-wrapped URLs and the archive's toolbar are taken off; docs/page-identity.md). Unwatched pages
are watched, origin "import"; each capture's raw body and normalised Document are stored, and revisions are
recorded per page in capture-time order, each diffed against the one before. Edition comparisons and audits of imported series
work at once.

Resumable: a capture whose Document is already a revision of its page is skipped, so running the same import
again stores nothing new. History is append-only: a capture older than its page's latest revision (recorded by
an earlier run or a live capture) is refused as out of order; import older archives first.

The report ends with the pages it could not place: those nothing identifies, and those only the generic profile
reads though their site has a profile. Series renamed between editions are linked as the imported pages show.

A deployed stack (REDLINE_TABLE, REDLINE_BUCKET and REDLINE_IMPORT_QUEUE_URL set): raw bodies go to its bucket, each
Document is staged under imports/, and the captures are sent on the stack's FIFO import queue, one message group per
page, oldest first; the stack records them in that order, as it records live captures (docs/deploy.md, "Backfilling
a deployed stack"). Pages go in parallel. A capture older than a page's latest revision in the stack is stale (out of
order). The import waits for the outcomes (--wait-minutes), or sends and stops (--no-wait).

Exit code 2 when some input is bad (a truncated WARC, corrupt or over-cap compressed data; the rest is imported).
Exit code 1 when some input failed or was out of order, or when the disk filled ("no space left in <dir>", after the
report so far; run the same import again once there is space).

Examples:
  $ redline import ~/archive/state-hrr/
  $ redline import crawl-2024.warc.gz crawl-2025.warc.gz --concurrency 8
  $ redline import saved/*.html --time-source archive --json > import-report.json
  $ redline import ~/archive/state-hrr/ --stack Redline-Prod-Stateless --region eu-west-1 --profile redline-importer`,
    )
    .action(async (paths: string[], _options: unknown, command: Command) => {
      const options = optionsOf<{
        concurrency: number;
        threads: number;
        timeSource: 'page' | 'archive';
        intervalMinutes?: number;
        waitMinutes: number;
        wait: boolean;
        json?: boolean;
        stack?: string;
        dataDir?: string;
        api?: string;
        region?: string;
        profile?: string;
      }>(command);
      if (options.stack !== undefined) {
        if (options.dataDir !== undefined || options.api !== undefined) throw new UsageError('--stack excludes --data-dir and --api');
        const missingPaths = paths.filter((path) => !existsSync(path));
        if (missingPaths.length > 0) throw new UsageError(`No such file or folder: ${missingPaths.join(', ')}`);
        const { stackEnvironment } = await import('./stack-outputs.js');
        const stack = {
          stack: options.stack,
          ...(options.region !== undefined ? { region: options.region } : {}),
          ...(options.profile !== undefined ? { profile: options.profile } : {}),
        };
        const env = await stackEnvironment(stack, io.env);
        return cloudImport(paths, options, { kind: 'aws', table: env.REDLINE_TABLE! }, io, env);
      }
      const target = storeTargetOf(command, io);
      if (target.kind === 'api') {
        throw new UsageError(
          'import writes to the store itself: give a local store (--data-dir) or a deployed stack (--stack, or REDLINE_TABLE, ' +
            'REDLINE_BUCKET and REDLINE_IMPORT_QUEUE_URL), not an HTTP API',
        );
      }
      const missing = paths.filter((path) => !existsSync(path));
      if (missing.length > 0) throw new UsageError(`No such file or folder: ${missing.join(', ')}`);
      if (target.kind === 'aws') return cloudImport(paths, options, target, io, io.env);
      const running = await runningStoreProcess(target.dataDir);
      if (running && running.processesEvents !== false) {
        throw new UsageError(
          `${running.owner ?? 'the local runtime'} (pid ${running.pid}) is running on ${target.dataDir} and records every stored Document itself; stop it before importing`,
        );
      }

      // The WARC reader and the import use case only for this command.
      const { archiveCaptures, surveyArchives } = await import('../shared/adapters/warc/archive-captures.js');
      const { importPages } = await import('../shared/use-cases/import-pages.js');
      const { submittedUrl } = await import('./tracker-backend.js');
      const progress = progressLine(io.stdout, { enabled: !options.json });
      const survey = progress.enabled ? await surveyArchives(paths) : undefined;
      let diskBytes = 0;
      let ignoredRecords = 0;
      // dynalite and s3rver on a thread of their own: about a fifth of an import's CPU time, then on another core.
      const store = await openLocalStore(target, { serversThread: serversThreadFromEnv(io.env) });
      let unannounce: (() => Promise<void>) | undefined;
      let report: ImportReport;
      // Extraction on worker threads when asked for: this thread then stores, records and runs the local servers.
      const reader =
        options.threads === 0
          ? undefined
          : (await import('../shared/adapters/workers/capture-reader-pool.js')).startCaptureReaderPool({ threads: options.threads });
      // A write the store's servers could not make on disk (a full disk) stops the import like Ctrl-C does, and the
      // command ends with the report so far and the reason, rather than failing every capture after it (or crashing).
      const diskStop = new AbortController();
      let writeFailure: NodeJS.ErrnoException | undefined;
      const unlisten = store.servers?.onWriteFailure((error) => {
        // The disk's refusals only: a client that went away mid-upload is not a reason to stop.
        if (!DISK_ERRORS.has(error.code ?? '')) return;
        writeFailure ??= error;
        diskStop.abort();
      });
      // The servers' thread dying (a bug in dynalite or s3rver) stops it the same way: every write after it would fail.
      let serversCrash: Error | undefined;
      const unlistenCrash = store.servers?.onCrash((error) => {
        serversCrash ??= error;
        diskStop.abort();
      });
      const signal = io.signal ? AbortSignal.any([io.signal, diskStop.signal]) : diskStop.signal;
      try {
        unannounce = store.sharedWith ? undefined : await announce(store, target.dataDir);
        // Ctrl-C stops it cleanly (writes under way finish, so no half-written object is left); a second one at once.
        io.stoppable = true;
        report = await importPages(
          store.dependencies,
          archiveCaptures(paths, { onDiskBytes: (bytes) => (diskBytes += bytes), onIgnoredRecord: () => ignoredRecords++ }),
          {
            ...sharedImportOptions(options, submittedUrl([], 'its URL'), (state) => progress.update(() => progressText(state, survey, diskBytes))),
            ...(reader ? { reader } : {}),
            signal,
          },
        );
      } catch (error) {
        if (writeFailure) throw writeFailureError(target.dataDir, writeFailure, error);
        if (serversCrash) throw serversCrashError(serversCrash, error);
        throw error;
      } finally {
        unlisten?.();
        unlistenCrash?.();
        io.stoppable = false;
        progress.clear();
        await unannounce?.();
        await reader?.close();
        await store.close();
      }

      if (report.failed > 0 || report.outOfOrder > 0 || report.interrupted) io.exitCode = EXIT_DIFFERENCES_OR_FAILURE;
      // Bad input (a truncated WARC, a decompression bomb) is the caller's to fix: exit 2, the rest imported all the same.
      if (report.badInput > 0 && !writeFailure) {
        io.exitCode = EXIT_USAGE;
        io.stderr.write(
          `redline: ${report.badInput} bad input(s) (truncated, corrupt or over the size cap; listed as "bad input" in the report): ` +
            'the other captures were imported\n',
        );
      }
      const stoppedBy = writeFailure ? writeFailureError(target.dataDir, writeFailure) : serversCrash ? serversCrashError(serversCrash) : undefined;
      if (options.json)
        printJson(io, { ...report, ignoredRecords, ...(stoppedBy ? { stoppedBy: { code: writeFailure?.code, message: stoppedBy.message } } : {}) });
      else printLines(io, summaryLines(report, ignoredRecords));
      // Last, after the report so far: exit code 1 with the reason.
      if (stoppedBy) throw stoppedBy;
    });
}

/**
 * The importPages options a local and a cloud import share: pacing, the time source, the progress line, and the
 * check `watch add` and the API make (`assertUrl`: a page that says it lives on a private host is refused).
 */
function sharedImportOptions(
  options: { concurrency: number; timeSource: 'page' | 'archive'; intervalMinutes?: number },
  assertUrl: NonNullable<ImportOptions['assertUrl']>,
  onProgress: NonNullable<ImportOptions['onProgress']>,
): ImportOptions {
  return {
    concurrency: options.concurrency,
    timeSource: options.timeSource,
    assertUrl,
    ...(options.intervalMinutes !== undefined ? { intervalMinutes: options.intervalMinutes } : {}),
    onProgress,
  };
}

/** `redline import` into a deployed stack: the same two passes, the recording done by the stack's import queue. */
async function cloudImport(
  paths: string[],
  options: { concurrency: number; timeSource: 'page' | 'archive'; intervalMinutes?: number; waitMinutes: number; wait: boolean; json?: boolean },
  target: { kind: 'aws'; table: string },
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const { archiveCaptures, surveyArchives } = await import('../shared/adapters/warc/archive-captures.js');
  const { importPages } = await import('../shared/use-cases/import-pages.js');
  const { openCloudImport } = await import('./cloud-import.js');
  const { submittedUrl } = await import('./tracker-backend.js');
  const store = await openStore(target, { env });
  let report: ImportReport;
  let ignoredRecords = 0;
  const progress = progressLine(io.stdout, { enabled: !options.json });
  try {
    const cloud = await openCloudImport(store, env, { waitMs: options.wait ? options.waitMinutes * 60_000 : 0 });
    try {
      const survey = progress.enabled ? await surveyArchives(paths) : undefined;
      let diskBytes = 0;
      io.stoppable = true;
      report = await importPages(
        store.dependencies,
        archiveCaptures(paths, { onDiskBytes: (bytes) => (diskBytes += bytes), onIgnoredRecord: () => ignoredRecords++ }),
        {
          ...sharedImportOptions(options, submittedUrl([], 'its URL'), (state) => progress.update(() => progressText(state, survey, diskBytes))),
          destination: cloud.destination,
          ...(io.signal ? { signal: io.signal } : {}),
        },
      );
    } finally {
      cloud.close();
    }
  } finally {
    io.stoppable = false;
    progress.clear();
    await store.close();
  }
  if (report.failed > 0 || report.outOfOrder > 0 || report.interrupted) io.exitCode = EXIT_DIFFERENCES_OR_FAILURE;
  if (report.badInput > 0) {
    io.exitCode = EXIT_USAGE;
    io.stderr.write(
      `redline: ${report.badInput} bad input(s) (truncated, corrupt or over the size cap; listed as "bad input" in the report): ` +
        'the other captures were imported\n',
    );
  }
  if (options.json) return printJson(io, { ...report, ignoredRecords });
  const nothingNew = report.read > 0 && report.skipped === report.read;
  printLines(io, [
    ...summaryLines(report, ignoredRecords),
    ...(nothingNew ? ['nothing new: every capture is already a revision of the stack or was decided by an earlier run; nothing was sent'] : []),
  ]);
}

function parseThreads(value: string): number {
  const threads = parseNonNegativeInteger(value);
  if (threads > 64) throw new InvalidArgumentError('expected a whole number from 0 to 64');
  return threads;
}

/** Errors with which a disk refuses writes. */
const DISK_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO']);

/** Why the import stopped when the store could not write: "no space left in <dir>" for a full disk. */
export function writeFailureError(dataDir: string, failure: NodeJS.ErrnoException, cause: unknown = failure): RedlineError {
  const code = failure.code ?? 'EIO';
  const where = failure.path ? `, writing ${failure.path}` : '';
  const reason =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? `no space left in ${dataDir} (${code}${where})`
      : `cannot write in ${dataDir} (${code}${where}: ${failure.message})`;
  return new RedlineError(`${reason}: the import stopped. What it stored is kept; free some space and run the same import again to complete it.`, {
    cause,
  });
}

/** Why the import stopped when the local store's servers (on their own thread) died under it. */
export function serversCrashError(crash: Error, cause: unknown = crash): RedlineError {
  return new RedlineError(
    `the local store's servers stopped (${crash.message}): the import stopped. What it stored is kept; run the same import again to complete it.`,
    {
      cause,
    },
  );
}

/**
 * Tells other commands that this import holds the folder: they are refused at once (exit 2) rather than connecting
 * to servers that end with the import.
 */
async function announce(store: Awaited<ReturnType<typeof openLocalStore>>, dataDir: string): Promise<(() => Promise<void>) | undefined> {
  const servers = store.servers;
  if (!servers) return undefined;
  return announceLocalStore(
    dataDir,
    { endpoints: servers.endpoints, region: servers.region, table: servers.tableName, bucket: servers.bucketName },
    'redline import',
    { shareable: false },
  );
}

function progressText(state: ImportProgress, survey: ArchiveSurvey | undefined, diskBytes: number): string {
  const seconds = state.elapsedMs;
  if (state.phase === 'record') {
    return `import: recording revisions ${bar(state.recorded, state.toRecord)} ${state.recorded}/${state.toRecord}`;
  }
  const total = survey && survey.warcFiles === 0 ? `/${survey.htmlFiles}` : '';
  const size = survey ? ` ${bar(diskBytes, survey.bytes)} ${megabytes(diskBytes)}/${megabytes(survey.bytes)} on disk` : '';
  return `import: read ${state.read}${total} pages${size}  ${rate(state.read, seconds)} pages/s  ${(state.bytes / 1_000_000 / Math.max(seconds / 1000, 0.001)).toFixed(1)} MB/s`;
}

/** The text report of an import (exported for its test). */
export function summaryLines(report: ImportReport, ignoredRecords: number): string[] {
  const seconds = report.durationMs / 1000;
  const lines = [
    ...(report.interrupted ? [`interrupted ${report.interrupted}: run the same import again to complete it (what is stored is kept)`] : []),
    `imported ${report.imported} revision(s) of ${report.pages.length} page(s) from ${report.read} capture(s), ${megabytes(report.bytes)} in ${seconds.toFixed(1)} s ` +
      `(${rate(report.read, report.durationMs)} pages/s, ${(report.bytes / 1_000_000 / Math.max(seconds, 0.001)).toFixed(1)} MB/s)`,
    `  newly watched: ${report.watched}; skipped (already stored): ${report.skipped}; unchanged: ${report.unchanged}; out of order: ${report.outOfOrder}; failed: ${report.failed}` +
      (report.queued > 0 ? `; queued (not decided yet): ${report.queued}` : '') +
      (ignoredRecords > 0 ? `; WARC records that are not HTML pages: ${ignoredRecords}` : ''),
  ];
  if (report.queued > 0) {
    lines.push(
      `  ${report.queued} capture(s) are on the import queue: run the same import again later to see their outcome (it sends nothing twice)`,
    );
  }
  const problems = report.notImported.filter((item) => item.outcome === 'failed' || item.outcome === 'out-of-order');
  for (const item of problems.slice(0, 20)) lines.push(`  ${item.badInput ? 'bad input' : item.outcome}: ${item.source}: ${item.message}`);
  if (problems.length > 20) lines.push(`  ... and ${problems.length - 20} more (--json lists them all)`);
  // A link's `from` is an alias now: name each series once, by the lineage it ended in.
  const linkedTo = new Map((report.lineage?.linked ?? []).map((link) => [link.from, link.to]));
  const lineageOf = (name: string): string => {
    const seen = new Set<string>();
    let current = name;
    while (linkedTo.has(current) && !seen.has(current)) {
      seen.add(current);
      current = linkedTo.get(current)!;
    }
    return current;
  };
  const series = [
    ...new Set(
      report.pages
        .map((page) => page.series)
        .filter((value): value is string => value !== undefined)
        .map(lineageOf),
    ),
  ];
  if (series.length > 0 && report.imported > 0) {
    lines.push(
      `  series: ${series.slice(0, 8).join(', ')}${series.length > 8 ? `, ... (${series.length})` : ''}  (try: redline compare ${series[0]})`,
    );
  }
  for (const link of report.lineage?.linked ?? []) {
    lines.push(`  series linked: ${link.from} -> ${link.to} (${link.decidedBy}; see redline series show ${lineageOf(link.to)})`);
  }
  for (const link of report.lineage?.unlinked ?? []) lines.push(`  series no longer linked: ${link.from} -> ${link.to}`);
  // Last, so it is what the user sees: the pages that are not (or not fully) placed as reports.
  if (report.unplaced.length > 0) {
    lines.push(`could not place ${report.unplaced.length} page(s) (--json lists them with what was tried):`);
    for (const page of report.unplaced) lines.push(`  ${page.source}${page.url ? ` (${page.url})` : ''}: ${page.reason}`);
  }
  return lines;
}
