import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageSettings, type StageSettings } from './config/stages.js';
import { resolve } from 'node:path';
import { WatchListError, loadWatchList, type WatchList } from './config/watch-list.js';
import { PrefixGrantAcknowledgements } from './nag/prefix-grant-acknowledgements.js';
import { StatefulStack } from './stacks/stateful-stack.js';
import { FUNCTION_ENTRIES, StatelessStack, missingFunctionEntries, type FunctionName } from './stacks/stateless-stack.js';

const CROSS_STACK_REFERENCES_FLAG = '@aws-cdk/core:defaultCrossStackReferences';

export interface RedlineAppOptions {
  /** Default: `-c stage=...`, then dev. */
  readonly stage?: StageSettings;
  /**
   * Default: `-c watchList=none` (seed nothing) or `-c watchList=<file>` (another list), else
   * infra/config/watches.json, whose pages the deployed stack starts fetching on its own.
   */
  readonly watchList?: WatchList;
  /**
   * Build the stateless stack (functions, queues, API). Default: `-c stateless=false` skips it; otherwise it is
   * built when every handler entry exists, so the stateful stack synthesizes on its own while they are written.
   */
  readonly includeStateless?: boolean;
  /** Handler entry overrides (tests). */
  readonly entries?: Partial<Record<FunctionName, string>>;
}

export interface RedlineStacks {
  readonly stage: StageSettings;
  readonly watchList: WatchList;
  readonly stateful: StatefulStack;
  /** Absent while handler entries are missing, or with `-c stateless=false`. */
  readonly stateless?: StatelessStack;
}

export const WATCH_LIST_CONTEXT = 'watchList';

/** `-c watchList=none`: an empty seed; `-c watchList=<file>`: that file; absent: infra/config/watches.json. */
export function watchListFromContext(value: unknown): WatchList {
  if (value === undefined || value === null) return loadWatchList();
  if (value === 'none') return Object.freeze([]);
  if (typeof value === 'string' && value.trim() !== '') return loadWatchList(resolve(value));
  throw new WatchListError(`-c ${WATCH_LIST_CONTEXT}: give "none" or the path of a watch-list file, not ${JSON.stringify(value)}`);
}

/**
 * Builds the redline stacks into an app, with cdk-nag's AwsSolutions pack registered as a validation plugin
 * (`cdk synth` fails on an unacknowledged error). Shared by infra/app.ts and the infra tests.
 */
export function buildRedlineApp(app: App, options: RedlineAppOptions = {}): RedlineStacks {
  const stage = options.stage ?? stageSettings(app.node.tryGetContext('stage'), { alarmEmail: app.node.tryGetContext('alarmEmail') });
  const watchList = options.watchList ?? watchListFromContext(app.node.tryGetContext(WATCH_LIST_CONTEXT));

  // Strong cross-stack references (CloudFormation exports): the stateful stack cannot drop a resource the stateless
  // stack still uses. Said explicitly (cdk.json may override) so CDK does not warn on every synth.
  if (app.node.tryGetContext(CROSS_STACK_REFERENCES_FLAG) === undefined) app.node.setContext(CROSS_STACK_REFERENCES_FLAG, 'strong');

  Tags.of(app).add('project', 'redline');
  Tags.of(app).add('stage', stage.name);

  const stateful = new StatefulStack(app, `${stage.stackPrefix}-Stateful`, {
    stage,
    description: `redline (${stage.name}): table, snapshot bucket, notification topic, keys`,
  });

  let stateless: StatelessStack | undefined;
  const missing = missingFunctionEntries({ ...FUNCTION_ENTRIES, ...options.entries });
  const include = options.includeStateless ?? (String(app.node.tryGetContext('stateless') ?? 'true') !== 'false' && missing.length === 0);
  if (include) {
    stateless = new StatelessStack(app, `${stage.stackPrefix}-Stateless`, {
      stage,
      watchList,
      table: stateful.table,
      bucket: stateful.bucket,
      topic: stateful.topic,
      keys: stateful.keys,
      entries: options.entries,
      description: `redline (${stage.name}): functions, queues, schedule, triggers, API, alarms`,
    });
  } else if (missing.length > 0 && options.includeStateless === undefined) {
    process.stderr.write(`redline: stateless stack skipped, handler entries missing: ${missing.join(', ')}\n`);
  }

  // The acknowledger must run before the checks it acknowledges for.
  Validations.of(app).addPlugins(new PrefixGrantAcknowledgements(), new AwsSolutionsChecks(app, { verbose: true }));
  return { stage, watchList, stateful, stateless };
}
