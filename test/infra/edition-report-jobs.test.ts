import { Match, Template } from 'aws-cdk-lib/assertions';
import { REPORT_JOB_MAX_RECEIVES } from '../../infra/constructs/edition-report-jobs.js';
import { REPORT_TIMEOUT } from '../../infra/stacks/stateless-stack.js';
import { DEFAULT_REPORT_JOB_DEADLINE_MS, DEFAULT_SYNC_REPORT_SERIES } from '../../shared/use-cases/queries/edition-report-jobs.js';
import { logicalIdOf } from './support/iam-statements.js';
import { synthRedline, type SynthesizedRedline } from './support/synth-redline.js';

/**
 * The edition report job queue (infra/constructs/edition-report-jobs.ts) in the synthesized app: an SSE, SSL-only
 * queue with a DLQ after three receives and an alarm on it, the report function as its only consumer (one job per
 * invocation, partial batch responses), and the api function told the queue, the bound and the jobs' deadline. The
 * grants are checked statement by statement with every function's in stateless-stack.test.ts.
 */
describe('edition report jobs (CDK)', () => {
  let synthesized: SynthesizedRedline;
  let template: Template;
  let resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;

  beforeAll(() => {
    synthesized = synthRedline('dev', { bundle: false });
    template = Template.fromStack(synthesized.stateless!);
    resources = template.toJSON().Resources;
  });
  afterAll(() => synthesized.cleanup());

  it('puts jobs on an encrypted, SSL-only queue whose DLQ takes a job after three receives', () => {
    const { queue, deadLetterQueue } = synthesized.stateless!.reportJobs;
    expect(resources[logicalIdOf(queue)]!.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      // Six times the report function's 15 minutes, as AWS advises for a Lambda event source.
      VisibilityTimeout: REPORT_TIMEOUT.toSeconds() * 6,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(deadLetterQueue), 'Arn'] }, maxReceiveCount: REPORT_JOB_MAX_RECEIVES },
    });
    expect(resources[logicalIdOf(deadLetterQueue)]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    for (const target of [queue, deadLetterQueue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalIdOf(target) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(deadLetterQueue), 'QueueName'] } }],
      Threshold: 0,
    });
    // On the dashboard with the other queues.
    const dashboard = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    expect(dashboard).toContain(logicalIdOf(deadLetterQueue));
    expect(dashboard).toContain(logicalIdOf(queue));
  });

  it('has the report function consume it one job at a time, and tells it the receives', () => {
    const { functions, reportJobs } = synthesized.stateless!;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(reportJobs.queue), 'Arn'] },
      FunctionName: { Ref: logicalIdOf(functions.report) },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
      (mapping) => JSON.stringify(mapping.Properties.EventSourceArn) === JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(reportJobs.queue), 'Arn'] }),
    );
    expect(mappings).toHaveLength(1);
    const report = resources[logicalIdOf(functions.report)]!.Properties as {
      Timeout: number;
      MemorySize: number;
      Environment: { Variables: object };
    };
    expect([report.Timeout, report.MemorySize]).toEqual([900, 1769]);
    expect(report.Environment.Variables).toMatchObject({ REDLINE_REPORT_JOB_MAX_RECEIVES: String(REPORT_JOB_MAX_RECEIVES) });
  });

  it('gives the api function the queue, the bound and a deadline that matches the code default', () => {
    const { functions, reportJobs } = synthesized.stateless!;
    const api = resources[logicalIdOf(functions.api)]!.Properties as { Environment: { Variables: object } };
    expect(api.Environment.Variables).toMatchObject({
      REDLINE_REPORT_JOB_QUEUE_URL: { Ref: logicalIdOf(reportJobs.queue) },
      REDLINE_SYNC_REPORT_SERIES: String(DEFAULT_SYNC_REPORT_SERIES),
      REDLINE_REPORT_JOB_DEADLINE_SECONDS: String(DEFAULT_REPORT_JOB_DEADLINE_MS / 1000),
    });
    expect(reportJobs.jobDeadline.toSeconds()).toBe(REPORT_TIMEOUT.toSeconds() * 6 * REPORT_JOB_MAX_RECEIVES);
  });
});
