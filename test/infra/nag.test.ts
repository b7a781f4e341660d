import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { bindBucket } from '../../infra/constructs/bindings.js';
import { acknowledge } from '../../infra/nag/acknowledge.js';
import { PREFIX_GRANT_REASON, PrefixGrantAcknowledgements } from '../../infra/nag/prefix-grant-acknowledgements.js';
import { awsSolutionsFindings, type ValidationReport } from './support/synth-redline.js';

/** Synthesizes an app with the same plugins as infra/redline-app.ts and returns the findings left. */
function findingsOf(build: (app: App) => void): string[] {
  const outdir = mkdtempSync(join(tmpdir(), 'redline-nag-'));
  try {
    const app = new App({ outdir });
    build(app);
    Validations.of(app).addPlugins(new PrefixGrantAcknowledgements(), new AwsSolutionsChecks(app, { verbose: true }));
    try {
      app.synth();
    } catch {
      // Unacknowledged errors fail synthesis; the report is written first.
    }
    return awsSolutionsFindings(JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A bucket in one stack and a function bound to it in another, as with the stateful and stateless stacks. */
function crossStackBinding(app: App, extra?: (policy: iam.Policy, bucket: s3.IBucket) => void) {
  const data = new Stack(app, 'Data');
  const bucket = new s3.Bucket(data, 'Bucket', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' });
  acknowledge(bucket, 'AwsSolutions-S1', 'Test fixture: access logging is not what this test is about.');
  const compute = new Stack(app, 'Compute');
  const fn = new lambda.Function(compute, 'Fn', {
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => {}'),
    role: new iam.Role(compute, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }),
  });
  bindBucket(fn, bucket, { prefixes: ['raw/', 'docs/'], access: ['head', 'put'] });
  bindBucket(fn, bucket, { prefixes: ['sections/'], access: 'write' });
  extra?.(fn.node.findChild('SnapshotBucketAccess') as iam.Policy, bucket);
}

describe('cdk-nag harness', () => {
  it('reports an unacknowledged finding (the zero-findings assertions can fail)', () => {
    const findings = findingsOf((app) => new sqs.Queue(new Stack(app, 'Bad'), 'Queue', { encryption: sqs.QueueEncryption.UNENCRYPTED }));
    expect(findings).toEqual(
      expect.arrayContaining(['error AwsSolutions-SQS2 at Bad/Queue/Resource', 'error AwsSolutions-SQS3 at Bad/Queue/Resource']),
    );
  });

  it('acknowledges the prefix-scoped object ARNs of a cross-stack bindBucket, finding by finding', () => {
    expect(findingsOf((app) => crossStackBinding(app))).toEqual([]);
    expect(PREFIX_GRANT_REASON).toMatch(/prefix/);
  });

  it('still reports any other wildcard added to the same policy', () => {
    const findings = findingsOf((app) =>
      crossStackBinding(app, (policy, bucket) =>
        policy.addStatements(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] })),
      ),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^error AwsSolutions-IAM5\[Resource::Data:ExportsOutput.*\/\*\] at Compute\/Fn\/SnapshotBucketAccess\/Resource$/);
  });

  it('refuses an acknowledgement without a rule id or a reason', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => acknowledge(stack, 'IAM5', 'a long enough reason, but no pack')).toThrow('Not an AwsSolutions rule id');
    expect(() => acknowledge(stack, 'AwsSolutions-IAM5', 'because')).toThrow('needs a real reason');
  });
});
