import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges (suppresses) one cdk-nag finding on a construct and everything under it, with its reason.
 * Every suppression in the infra goes through here, so each one has a reason a reviewer can judge.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (!/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/.test(id)) throw new Error(`Not an AwsSolutions rule id: ${id}`);
  if (reason.trim().length < 20) throw new Error(`The suppression of ${id} needs a real reason`);
  Validations.of(scope).acknowledge({ id, reason });
}
