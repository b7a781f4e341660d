import { Stack, type Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { acknowledge } from '../nag/acknowledge.js';

export interface DispatchScheduleProps {
  readonly dispatchFunction: lambda.Function;
  readonly rate: Duration;
  readonly description: string;
}

/**
 * EventBridge Scheduler invoking the dispatch function at a fixed rate. The payload has the shape of an EventBridge
 * ScheduledEvent (`aws-lambda` types), filled from Scheduler's context attributes, so the handler reads the same
 * fields as with an EventBridge rule. A missed run is harmless: the next one dispatches whatever is due.
 */
export class DispatchSchedule extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: DispatchScheduleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Our own role (not the stack-wide singleton) so that its one grant is visible and acknowledged here.
    this.role = new iam.Role(this, 'InvokeRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'EventBridge Scheduler: invoke the redline dispatch function',
    });
    const functionLogicalId = stack.resolve((props.dispatchFunction.node.defaultChild as lambda.CfnFunction).logicalId) as string;
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
      'lambda.grantInvoke allows the function ARN and its qualified form (<arn>:*, versions and aliases) of this one function; nothing else.',
    );
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: props.description,
      schedule: scheduler.ScheduleExpression.rate(props.rate),
      target: new targets.LambdaInvoke(props.dispatchFunction, {
        role: this.role,
        input: scheduler.ScheduleTargetInput.fromObject({
          version: '0',
          id: scheduler.ContextAttribute.executionId,
          'detail-type': 'Scheduled Event',
          source: 'aws.scheduler',
          account: stack.account,
          time: scheduler.ContextAttribute.scheduledTime,
          region: stack.region,
          resources: [scheduler.ContextAttribute.scheduleArn],
          detail: {},
        }),
        // A run older than the interval is superseded by the next one.
        maxEventAge: props.rate,
        retryAttempts: 2,
      }),
    });
  }
}
