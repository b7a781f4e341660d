import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, type TrackerFunction } from './tracker-function.js';
import type { TrackerApi } from './tracker-api.js';

export interface MonitoredQueue {
  readonly name: string;
  readonly queue: sqs.IQueue;
}

export interface MonitoringProps {
  readonly dashboardName: string;
  readonly functions: readonly TrackerFunction[];
  /** Work queues, shown by depth and age of the oldest message. */
  readonly workQueues: readonly MonitoredQueue[];
  /** Every message here is work that failed for good: alarm at the first one. */
  readonly deadLetterQueues: readonly MonitoredQueue[];
  readonly api?: TrackerApi;
  /** The CMK of the alarm topic (its key policy lets CloudWatch publish). */
  readonly masterKey: kms.IKey;
  readonly alarmEmail?: string;
}

/** Powertools metrics of the capture function (namespace `redline`, default dimension `service`). */
export const CAPTURE_FAILURES_METRIC = 'CaptureFailures';
/** Failed captures (HTTP errors, timeouts, pages without their report body) in an hour before anyone is told. */
export const CAPTURE_FAILURES_PER_HOUR_THRESHOLD = 5;

const PIPELINE_METRICS: readonly { service: string; metric: string }[] = [
  { service: 'dispatch', metric: 'PagesDispatched' },
  { service: 'capture', metric: 'PagesCaptured' },
  { service: 'capture', metric: 'PagesUnchanged' },
  { service: 'capture', metric: 'PagesNotModified' },
  { service: 'capture', metric: CAPTURE_FAILURES_METRIC },
  { service: 'diff', metric: 'RevisionsRecorded' },
  { service: 'notify', metric: 'NotificationsPublished' },
  { service: 'provenance', metric: 'ProvenanceVersionsAdded' },
];

/** Alarms to an encrypted alarm topic, and one dashboard for the whole pipeline. */
export class Monitoring extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'redline alarms',
      masterKey: props.masterKey,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const action = new cloudwatchActions.SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, options: cloudwatch.CreateAlarmOptions & { metric: cloudwatch.IMetric }) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...options,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    for (const { name, queue } of props.deadLetterQueues) {
      alarm(`${name}DeadLetters`, {
        alarmDescription: `Messages in the ${name} dead-letter queue: work that failed for good; inspect, fix, then redrive.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    alarm('CaptureFailures', {
      alarmDescription: `More than ${CAPTURE_FAILURES_PER_HOUR_THRESHOLD} failed captures in an hour (HTTP errors, timeouts, pages without their report body).`,
      metric: captureFailures(Duration.hours(1)),
      threshold: CAPTURE_FAILURES_PER_HOUR_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    for (const fn of props.functions) {
      alarm(`${capitalise(fn.serviceName)}Errors`, {
        alarmDescription: `The ${fn.serviceName} function failed (an invocation error, not a recorded capture failure).`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Pipeline',
        width: 12,
        left: PIPELINE_METRICS.map(({ service, metric }) => pipelineMetric(service, metric, Duration.hours(1))),
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 12, alarms: this.alarms }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Function errors and throttles',
        width: 12,
        left: props.functions.map((fn) => fn.metricErrors({ label: `${fn.serviceName} errors`, statistic: cloudwatch.Stats.SUM })),
        right: props.functions.map((fn) => fn.metricThrottles({ label: `${fn.serviceName} throttles`, statistic: cloudwatch.Stats.SUM })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Function duration (p95)',
        width: 12,
        left: props.functions.map((fn) => fn.metricDuration({ label: fn.serviceName, statistic: cloudwatch.Stats.p(95) })),
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Queues: depth and oldest message (s)',
        width: 12,
        left: [...props.workQueues, ...props.deadLetterQueues].map(({ name, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({ label: name, statistic: cloudwatch.Stats.MAXIMUM }),
        ),
        right: props.workQueues.map(({ name, queue }) =>
          queue.metricApproximateAgeOfOldestMessage({ label: `${name} age`, statistic: cloudwatch.Stats.MAXIMUM }),
        ),
      }),
      ...(props.api ? [apiWidget(props.api)] : []),
    );
  }
}

function captureFailures(period: Duration): cloudwatch.Metric {
  return pipelineMetric('capture', CAPTURE_FAILURES_METRIC, period);
}

function pipelineMetric(service: string, metricName: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service },
    statistic: cloudwatch.Stats.SUM,
    period,
    label: metricName,
  });
}

function apiWidget(api: TrackerApi): cloudwatch.GraphWidget {
  const apiId = api.httpApi.apiId;
  const metric = (metricName: string, statistic: string) =>
    new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap: { ApiId: apiId }, statistic, label: metricName });
  return new cloudwatch.GraphWidget({
    title: 'API',
    width: 12,
    left: [metric('Count', cloudwatch.Stats.SUM), metric('4xx', cloudwatch.Stats.SUM), metric('5xx', cloudwatch.Stats.SUM)],
    right: [metric('Latency', cloudwatch.Stats.p(95))],
  });
}

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
