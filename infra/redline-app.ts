import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageSettings, type StageSettings } from './config/stages.js';
import { loadWatchList, type WatchList } from './config/watch-list.js';
import { PrefixGrantAcknowledgements } from './nag/prefix-grant-acknowledgements.js';
import { StatefulStack } from './stacks/stateful-stack.js';

export interface RedlineAppOptions {
  /** Default: `-c stage=...`, then dev. */
  readonly stage?: StageSettings;
  /** Default: infra/config/watches.json. */
  readonly watchList?: WatchList;
  /**
   * Build the stateless stack (functions, queues, API). Default: `-c stateless=false` skips it; otherwise it is
   * built when every handler entry exists, so the stateful stack synthesizes on its own while they are written.
   */
  readonly includeStateless?: boolean;
}

export interface RedlineStacks {
  readonly stage: StageSettings;
  readonly watchList: WatchList;
  readonly stateful: StatefulStack;
}

/**
 * Builds the redline stacks into an app, with cdk-nag's AwsSolutions pack registered as a validation plugin
 * (`cdk synth` fails on an unacknowledged error). Shared by infra/app.ts and the infra tests.
 */
export function buildRedlineApp(app: App, options: RedlineAppOptions = {}): RedlineStacks {
  const stage =
    options.stage ?? stageSettings(app.node.tryGetContext('stage'), { alarmEmail: app.node.tryGetContext('alarmEmail') });
  const watchList = options.watchList ?? loadWatchList();

  Tags.of(app).add('project', 'redline');
  Tags.of(app).add('stage', stage.name);

  const stateful = new StatefulStack(app, `${stage.stackPrefix}-Stateful`, {
    stage,
    description: `redline (${stage.name}): table, snapshot bucket, notification topic, keys`,
  });

  // The acknowledger must run before the checks it acknowledges for.
  Validations.of(app).addPlugins(new PrefixGrantAcknowledgements(), new AwsSolutionsChecks(app, { verbose: true }));
  return { stage, watchList, stateful };
}
