import type { Command } from 'commander';
import type { ApiDependencies } from '../functions/api/api-dependencies.js';
import type { ApiServer } from '../local/runtime/api-server.js';
import type { LocalReportJobs } from '../local/runtime/local-report-jobs.js';
import { UsageError, type CliIo } from './cli-io.js';
import { optionsOf, parseNonNegativeInteger, printJson, printLines, storeTargetOf } from './output.js';
import { addStoreOptions, announceLocalStore, describeTarget, openStore, serversThreadFromEnv, type OpenStore } from './store-selection.js';

export const DEFAULT_API_PORT = 4381;

/** `redline serve`: the HTTP API (the api function's handler) over the store, on 127.0.0.1, until stopped. */
export function registerServeCommand(program: Command, io: CliIo): void {
  addStoreOptions(
    program
      .command('serve')
      .description('Serve the HTTP API over the store on 127.0.0.1 (the same handler as the deployed api function).')
      .option('--port <n>', `port (default ${DEFAULT_API_PORT}; 0 picks a free one)`, parseNonNegativeInteger, DEFAULT_API_PORT)
      .option('--json', 'print the URL as JSON once listening'),
  )
    .addHelpText(
      'after',
      `
An edition report with more series than REDLINE_SYNC_REPORT_SERIES (default 30) and not cached answers 202
and is computed in this process; its status URL (Location) gives it once done.
Read routes are open; write routes (POST /watches, /subscriptions) need
"Authorization: Bearer $REDLINE_API_TOKEN" (set REDLINE_API_TOKEN, 16+ characters, before starting).
Other redline commands can use the same folder meanwhile (they connect to this server's store), or the API
itself: redline history <page> --api http://127.0.0.1:${DEFAULT_API_PORT}

Examples:
  $ REDLINE_API_TOKEN=$(openssl rand -hex 16) redline serve
  $ curl http://127.0.0.1:${DEFAULT_API_PORT}/pages
  $ curl "http://127.0.0.1:${DEFAULT_API_PORT}/audit?terms=torture&format=csv"`,
    )
    .action(async (_options: unknown, command: Command) => {
      const options = optionsOf<{ port: number; json?: boolean }>(command);
      const target = storeTargetOf(command, io);
      if (target.kind === 'api') throw new UsageError('serve serves a store: give --data-dir (or REDLINE_TABLE for a deployed stack), not --api');
      const token = io.env.REDLINE_API_TOKEN || undefined;
      if (token !== undefined && token.length < 16) throw new UsageError('REDLINE_API_TOKEN must be at least 16 characters');

      // The api function's handler (middy, Powertools, every route) is loaded only for this command.
      // One after the other: jest's ESM loader fails on two dynamic imports that share modules in flight.
      const { createApiHandler } = await import('../functions/api/api-handler.js');
      const { startApiServer } = await import('../local/runtime/api-server.js');
      const { startLocalReportJobs } = await import('../local/runtime/local-report-jobs.js');
      const syncReportSeries = io.env.REDLINE_SYNC_REPORT_SERIES ? Number(io.env.REDLINE_SYNC_REPORT_SERIES) : undefined;
      if (syncReportSeries !== undefined && !(Number.isInteger(syncReportSeries) && syncReportSeries >= 0)) {
        throw new UsageError('REDLINE_SYNC_REPORT_SERIES must be a whole number of series (0 or more)');
      }
      // The servers on a thread of their own: the API handler and the store's servers each get a core.
      const store = await openStore(target, io, { serversThread: serversThreadFromEnv(io.env) });
      let server: ApiServer | undefined;
      let unannounce: (() => Promise<void>) | undefined;
      let reportJobs: LocalReportJobs | undefined;
      try {
        const observability = await quietObservability(io.env);
        // Edition reports over the bound: the report job queue and the report function, in this process.
        reportJobs = startLocalReportJobs({ dependencies: store.dependencies, observability, syncSeriesLimit: syncReportSeries });
        const handler = createApiHandler(apiDependencies(store, token, io.env.REDLINE_API_BASE_URL, reportJobs), observability);
        server = await startApiServer({ handler, port: options.port });
        if (store.servers) {
          const { endpoints, region, tableName, bucketName } = store.servers;
          unannounce = await announceLocalStore(store.servers.dataDir, { endpoints, region, table: tableName, bucket: bucketName }, 'redline serve');
        }
        if (options.json) {
          printJson(io, { url: server.url, ui: `${server.url}/ui`, store: describeTarget(target), writeRoutes: token ? 'bearer token' : 'disabled' });
        } else {
          printLines(io, [
            `redline API on ${server.url}  (${describeTarget(target)})`,
            `  web UI: ${server.url}/ui`,
            token ? '  write routes: Authorization: Bearer $REDLINE_API_TOKEN' : '  write routes answer 401: set REDLINE_API_TOKEN to enable them',
            '  Ctrl-C stops',
          ]);
        }
        io.stoppable = true;
        await stopped(io.signal);
      } finally {
        await server?.close();
        await reportJobs?.stop();
        await unannounce?.();
        await store.close();
      }
    });
}

function apiDependencies(store: OpenStore, token: string | undefined, baseUrl: string | undefined, reportJobs: LocalReportJobs): ApiDependencies {
  return {
    ...store.dependencies,
    reportJobs: reportJobs.enqueuer,
    api: { ...(token ? { token } : {}), ...(baseUrl ? { baseUrl } : {}), reportJobs: reportJobs.settings },
  };
}

/** Errors only (the local server prints nothing per request); no EMF metrics. */
async function quietObservability(env: NodeJS.ProcessEnv) {
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  // Powertools only for this command.
  const { Logger } = await import('@aws-lambda-powertools/logger');
  const { Metrics } = await import('@aws-lambda-powertools/metrics');
  const level = (env.POWERTOOLS_LOG_LEVEL ?? 'ERROR') as 'ERROR';
  const logger = new Logger({ serviceName: 'redline-api', logLevel: level });
  const silent = new Logger({ serviceName: 'redline-api', logLevel: 'SILENT' });
  return { logger, metrics: new Metrics({ serviceName: 'redline-api', namespace: 'redline', logger: silent }) };
}

function stopped(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => undefined);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
