import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { stageSettings, type StageName } from '../../../infra/config/stages.js';
import { buildRedlineApp, type RedlineAppOptions, type RedlineStacks } from '../../../infra/redline-app.js';

export interface ValidationViolation {
  ruleName: string;
  severity: string;
  description: string;
  violatingConstructs: { constructPath: string }[];
}

export interface ValidationReport {
  pluginReports: { pluginName: string; conclusion: string; violations: ValidationViolation[] }[];
}

export interface SynthesizedRedline extends RedlineStacks {
  app: App;
  /** cdk-nag findings left after acknowledgements (validation-report.json of the cloud assembly). */
  report: ValidationReport;
  /** The synth error when validation failed (it fails on unacknowledged errors). */
  synthError?: Error;
  cleanup(): void;
}

/** Builds and synthesizes the app into a temporary folder, exactly as `cdk synth` would (cdk-nag included). */
export function synthRedline(stage: StageName = 'dev', options: Omit<RedlineAppOptions, 'stage'> = {}): SynthesizedRedline {
  const outdir = mkdtempSync(join(tmpdir(), 'redline-cdk-'));
  const app = new App({ outdir });
  const stacks = buildRedlineApp(app, { ...options, stage: stageSettings(stage) });
  let synthError: Error | undefined;
  try {
    app.synth();
  } catch (error) {
    synthError = error as Error;
  }
  let report: ValidationReport = { pluginReports: [] };
  try {
    report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  } catch {
    // No report file: no plugin produced anything.
  }
  return { ...stacks, app, report, synthError, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** Unacknowledged AwsSolutions findings (errors and warnings), as "rule at construct path" lines. */
export function awsSolutionsFindings(report: ValidationReport): string[] {
  return report.pluginReports
    .flatMap((plugin) => plugin.violations)
    .filter((violation) => /^AwsSolutions-/.test(violation.ruleName))
    .flatMap((violation) => violation.violatingConstructs.map((construct) => `${violation.severity} ${violation.ruleName} at ${construct.constructPath}`));
}
