import type { Command } from 'commander';
import type { CycleReport, RuntimeActivity } from '../local/runtime/local-runtime.js';
import type { CaptureOutcome } from '../shared/use-cases/capture-page.js';
import type { DispatchResult } from '../shared/use-cases/dispatch-due.js';
import { EXIT_DIFFERENCES_OR_FAILURE, UsageError, type CliIo } from './cli-io.js';
import { collectList, optionsOf, parsePositiveInteger, printJson, printLines, storeTargetOf } from './output.js';
import { bar, progressLine } from './progress.js';
import {
  addStoreOptions,
  assertDatabaseFree,
  claimLocalStore,
  loadLocalModule,
  openStore,
  runningStoreProcess,
  serversThreadFromEnv,
} from './store-selection.js';

/**
 * `redline run`: one capture cycle. Locally, the whole event flow on the data folder (the local runtime): dispatch
 * what is due, capture, diff, record revisions and deliver notifications to the stored subscriptions, until
 * everything is idle. Against a deployed stack, only the dispatch: the stack's functions do the rest.
 */
export function registerRunCommand(program: Command, io: CliIo): void {
  addStoreOptions(
    program
      .command('run')
      .description('Run one capture cycle now: check every page that is due, record revisions, send notifications.')
      .option('--allow-origin <origin>', 'a loopback origin the fetcher may reach, e.g. http://127.0.0.1:4380 (repeatable)', collectList)
      .option('--timeout-seconds <n>', 'give up waiting for the cycle after this long (default 300)', parsePositiveInteger, 300)
      .option('--json', 'print the cycle report as JSON'),
  )
    .addHelpText(
      'after',
      `
Locally this runs the same handlers as the cloud (dispatch, capture, diff, notify) over the data folder, and
delivers to the subscriptions in the store: webhooks are POSTed (signed), e-mail and SQS deliveries are printed.
Fetches go only to public addresses, except the origins given with --allow-origin. Handler logs go to
<data dir>/logs/functions.jsonl. With REDLINE_TABLE and REDLINE_CAPTURE_QUEUE_URL set, it dispatches the due
pages to the deployed stack's capture queue instead.

Exit code 1 when a capture failed or a message ended on a dead-letter queue.

Examples:
  $ redline run
  $ redline run --json | jq '.revisions[] | {page, seq}'
  $ redline run --allow-origin http://127.0.0.1:4380   # the local report site of npm start`,
    )
    .action(async (_options: unknown, command: Command) => {
      const options = optionsOf<{ allowOrigin?: string[]; timeoutSeconds: number; json?: boolean }>(command);
      const target = storeTargetOf(command, io);
      if (target.kind === 'api')
        throw new UsageError(
          'run drives the capture pipeline: it needs a local store (--data-dir) or a deployed stack (REDLINE_TABLE), not an HTTP API',
        );
      if (target.kind === 'aws') return runDispatchOnly(io, target, options.json === true);

      const running = await runningStoreProcess(target.dataDir);
      if (running) {
        throw new UsageError(
          `${running.owner ?? 'the local runtime'} (pid ${running.pid}) has ${target.dataDir} open${running.processesEvents === false ? '' : ' and runs cycles itself'}; stop it first`,
        );
      }
      // The folder's one owner for the cycle: a second command started meanwhile is refused at once (exit 2).
      const release = await claimLocalStore(target.dataDir, 'redline run');
      const progress = progressLine(io.stdout, { enabled: !options.json });
      const out = options.json ? io.stderr : io.stdout;
      const deliveries: string[] = [];
      // The local runtime (every handler, the fetcher, the one subscription notifier) is loaded only for this command.
      let runtime;
      try {
        await assertDatabaseFree(target.dataDir);
        const { startLocalRuntime } = await loadLocalModule(() => import('../local/runtime/local-runtime.js'));
        runtime = await loadLocalModule(() =>
          startLocalRuntime({
            dataDir: target.dataDir,
            allowedOrigins: options.allowOrigin ?? [],
            subscriptionOutput: { write: (line: string) => deliveries.push(line.trimEnd()) },
            requireListPaging: false,
            serversThread: serversThreadFromEnv(io.env),
          }),
        );
      } catch (error) {
        await release();
        throw error;
      }
      let report: CycleReport;
      try {
        let dispatched = 0;
        let captured = 0;
        let revisions = 0;
        const stop = runtime.onActivity((activity: RuntimeActivity) => {
          if (activity.type === 'dispatch') dispatched = activity.result.dispatched.length + activity.result.probes.length;
          else if (activity.type === 'capture') captured++;
          else if (activity.type === 'revision') revisions++;
          progress.update(() => `run: ${bar(captured, dispatched)} ${captured}/${dispatched} captures, ${revisions} revision(s)`);
        });
        try {
          report = await runtime.runCycle({ timeoutMs: options.timeoutSeconds * 1000 });
        } finally {
          stop();
          progress.clear();
        }
      } finally {
        await runtime.close();
        await release();
      }

      const failed = report.captures.filter((capture) => capture.outcome === 'failed').length + notRecorded(report).length;
      if (failed > 0 || report.deadLetters > 0 || report.errors.length > 0) io.exitCode = EXIT_DIFFERENCES_OR_FAILURE;
      for (const line of deliveries) out.write(`${line}\n`);
      if (options.json) {
        return printJson(io, {
          scheduledAt: report.scheduledAt,
          dispatch: report.dispatch,
          captures: report.captures,
          revisions: report.revisions.map(({ page, seq, capturedAt, significance, summary, url, title }) => ({
            page,
            seq,
            capturedAt,
            significance,
            summary,
            url,
            title,
          })),
          noRevisions: report.noRevisions,
          notifications: report.notifications.map(({ id, type, page }) => ({ id, type, page })),
          retries: report.retries,
          deadLetters: report.deadLetters,
          errors: report.errors,
          durationMs: Math.round(report.durationMs),
        });
      }
      printLines(io, cycleLines(report));
    });
}

async function runDispatchOnly(io: CliIo, target: { kind: 'aws'; table: string }, json: boolean): Promise<void> {
  const queueUrl = io.env.REDLINE_CAPTURE_QUEUE_URL;
  if (!queueUrl)
    throw new UsageError('REDLINE_CAPTURE_QUEUE_URL is not set: export the stack outputs (docs/deploy.md, "Pointing the CLI at a deployed stack")');
  const store = await openStore(target, io);
  // The SQS client and the dispatch use case only for this command (lazy, like every SDK client of the CLI).
  const { SQSClient } = await import('./sdk/sqs-client.js');
  const { SqsCaptureQueue } = await import('../shared/adapters/sqs/sqs-capture-queue.js');
  const { dispatchDue } = await import('../shared/use-cases/dispatch-due.js');
  const sqs = new SQSClient({
    region: io.env.AWS_REGION || 'us-east-1',
    ...(io.env.AWS_ACCESS_KEY_ID && io.env.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: io.env.AWS_ACCESS_KEY_ID,
            secretAccessKey: io.env.AWS_SECRET_ACCESS_KEY,
            ...(io.env.AWS_SESSION_TOKEN ? { sessionToken: io.env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
  });
  let result: DispatchResult;
  try {
    result = await dispatchDue({ ...store.dependencies, captureQueue: new SqsCaptureQueue({ client: sqs, queueUrl }) });
  } finally {
    sqs.destroy();
    await store.close();
  }
  if (json) return printJson(io, result);
  printLines(io, [
    `dispatched ${result.dispatched.length} page(s) and ${result.probes.length} probe(s) to the capture queue; ${result.notDue} not due`,
    ...result.dispatched.map((page) => `  ${page}`),
    "the stack's capture, diff and notify functions do the rest (follow with `redline history <page>`)",
  ]);
}

/** The lines of a cycle's report (exported for tests). */
export function cycleLines(report: CycleReport): string[] {
  const { dispatch } = report;
  const lines = [
    `run: ${dispatch.dispatched.length} page(s) due${dispatch.probes.length > 0 ? `, ${dispatch.probes.length} next-edition probe(s)` : ''}, ${dispatch.notDue} not due`,
  ];
  const revisions = new Map(report.revisions.map((revision) => [revision.page, revision]));
  const unrecorded = new Map(report.noRevisions.map((entry) => [entry.page, entry]));
  for (const capture of report.captures) lines.push(`  ${describeCapture(capture, revisions.get(capture.page), unrecorded.get(capture.page))}`);
  for (const revision of report.revisions) {
    if (!report.captures.some((capture) => capture.page === revision.page)) lines.push(`  ${revision.page}: revision ${revision.seq} recorded`);
  }
  for (const error of report.errors) lines.push(`  error: ${error}`);
  lines.push(
    `${report.revisions.length} revision(s), ${report.notifications.length} notification(s)` +
      `${report.retries > 0 ? `, ${report.retries} retried message(s)` : ''}${report.deadLetters > 0 ? `, ${report.deadLetters} dead letter(s)` : ''}` +
      ` in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return lines;
}

/** Captures whose Document was stored but not recorded (older than the page's latest revision). */
function notRecorded(report: CycleReport): string[] {
  const stale = new Set(report.noRevisions.filter((entry) => entry.outcome === 'stale').map((entry) => entry.page));
  for (const capture of report.captures) if (capture.outcome === 'captured' && capture.recording === 'stale') stale.add(capture.page);
  return [...stale];
}

function describeCapture(
  capture: CaptureOutcome,
  revision: { seq: number; summary: unknown; sections: unknown[] } | undefined,
  noRevision: { outcome: string; detail: Record<string, unknown> } | undefined,
): string {
  switch (capture.outcome) {
    case 'captured': {
      if (revision) {
        return `${capture.page}: captured, revision ${revision.seq}${revision.summary ? ` (${revision.sections.length} section(s) changed)` : ' (baseline)'}`;
      }
      // Only a recording that compared it and found no section changed may say so; anything else is said as it is.
      const outcome = capture.recording ?? noRevision?.outcome;
      const seq = typeof noRevision?.detail.seq === 'number' ? ` ${noRevision.detail.seq}` : '';
      switch (outcome) {
        case 'no-change':
          return `${capture.page}: captured (stored; no section changed)`;
        case 'duplicate':
          return `${capture.page}: captured (already recorded as revision${seq})`;
        case 'stale':
          return `${capture.page}: captured but NOT RECORDED: the latest revision${seq} was captured later (out of order)`;
        case undefined:
          return `${capture.page}: captured (stored; NOT RECORDED yet: its recording did not finish in this cycle)`;
        default:
          return `${capture.page}: captured but NOT RECORDED (${outcome})`;
      }
    }
    case 'unchanged':
      return `${capture.page}: unchanged`;
    case 'not-modified':
      return `${capture.page}: not modified (304)`;
    case 'failed':
      return `${capture.page}: FAILED ${capture.kind}: ${capture.message} (${capture.consecutiveFailures} in a row${capture.alerted ? ', alert sent' : ''}; next try ${capture.nextDueAt})`;
    case 'skipped':
      return `${capture.page}: skipped (${capture.reason})`;
  }
}
