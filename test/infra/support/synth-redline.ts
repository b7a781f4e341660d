import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  outdir: string;
  /** cdk-nag findings left after acknowledgements (validation-report.json of the cloud assembly). */
  report: ValidationReport;
  /** The synth error when validation failed (it fails on unacknowledged errors). */
  synthError?: Error;
  cleanup(): void;
}

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The context of cdk.json (feature flags), which `cdk synth` passes to the app and a bare `new App()` lacks. */
export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
}

/** The api handler may not exist yet (another issue writes it): stand in with a fixture until it does. */
export function entriesForTests(): RedlineAppOptions['entries'] {
  return existsSync(join(PROJECT_ROOT, 'functions/api/handler.ts')) ? {} : { api: 'test/infra/fixtures/echo-handler.ts' };
}

/**
 * Builds and synthesizes the app as `cdk synth` would (cdk.json context, cdk-nag included). `outdir` defaults to
 * a temporary folder; pass one inside the repository to run bundles that import the external AWS SDK.
 */
export function synthRedline(
  stage: StageName = 'dev',
  options: Omit<RedlineAppOptions, 'stage'> & { outdir?: string; bundle?: boolean; context?: Record<string, unknown> } = {},
): SynthesizedRedline {
  const { outdir: requestedOutdir, bundle = true, context = {}, ...appOptions } = options;
  const outdir = requestedOutdir ?? mkdtempSync(join(tmpdir(), 'redline-cdk-'));
  // `aws:cdk:bundling-stacks: []` is how `cdk synth --exclusively` skips bundling: the templates are the same.
  const app = new App({ outdir, context: { ...cdkJsonContext(), ...context, ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) } });
  const stacks = buildRedlineApp(app, { entries: entriesForTests(), ...appOptions, stage: stageSettings(stage) });
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
  return { ...stacks, app, outdir, report, synthError, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** Unacknowledged AwsSolutions findings (errors and warnings), as "rule at construct path" lines. */
export function awsSolutionsFindings(report: ValidationReport): string[] {
  return report.pluginReports
    .flatMap((plugin) => plugin.violations)
    .filter((violation) => /^AwsSolutions-/.test(violation.ruleName))
    .flatMap((violation) =>
      violation.violatingConstructs.map((construct) => `${violation.severity} ${violation.ruleName} at ${construct.constructPath}`),
    );
}
