import type { Notification } from '../../domain/notification.js';
import { notificationAttributes, type NotificationAttribute } from './notification-attributes.js';

/**
 * SNS subscription filter policies (message-attribute scope), evaluated in process so that local subscribers get
 * what SNS would deliver to them (the one evaluator: the local runtime and subscription-policy.ts use it): the same attributes as the SNS notifier sends (notificationAttributes), and the
 * same operators: exact strings and numbers, prefix, suffix, equals-ignore-case, anything-but, numeric ranges and
 * exists. Every key of the policy must match; within a key any condition may; a String.Array attribute matches
 * when any of its elements does.
 */
export type FilterCondition =
  | string
  | number
  | { prefix: string }
  | { suffix: string }
  | { 'equals-ignore-case': string }
  | { 'anything-but': string | number | readonly (string | number)[] | { prefix: string } }
  | { numeric: readonly (string | number)[] }
  | { exists: boolean };

export type FilterPolicy = Readonly<Record<string, readonly FilterCondition[]>>;

export function notificationMatches(policy: FilterPolicy | undefined, notification: Notification): boolean {
  return policy === undefined || attributesMatch(policy, notificationAttributes(notification));
}

export function attributesMatch(policy: FilterPolicy, attributes: Record<string, NotificationAttribute>): boolean {
  return Object.entries(policy).every(([name, conditions]) => {
    const attribute = attributes[name];
    if (attribute === undefined) return conditions.some((condition) => isObject(condition) && 'exists' in condition && !condition.exists);
    const values: (string | number)[] = attribute.type === 'String.Array' ? attribute.value : [attribute.value];
    return conditions.some((condition) => values.some((value) => conditionMatches(condition, value)));
  });
}

function conditionMatches(condition: FilterCondition, value: string | number): boolean {
  if (typeof condition === 'string') return value === condition;
  if (typeof condition === 'number') return typeof value === 'number' && value === condition;
  if ('exists' in condition) return condition.exists;
  if ('prefix' in condition) return typeof value === 'string' && value.startsWith(condition.prefix);
  if ('suffix' in condition) return typeof value === 'string' && value.endsWith(condition.suffix);
  if ('equals-ignore-case' in condition) return typeof value === 'string' && value.toLowerCase() === condition['equals-ignore-case'].toLowerCase();
  if ('anything-but' in condition) {
    const excluded = condition['anything-but'];
    if (isObject(excluded) && 'prefix' in excluded) return typeof value === 'string' && !value.startsWith(excluded.prefix);
    const list = Array.isArray(excluded) ? excluded : [excluded];
    return !list.includes(value);
  }
  if ('numeric' in condition) return typeof value === 'number' && numericMatches(condition.numeric, value);
  return false;
}

function numericMatches(expression: readonly (string | number)[], value: number): boolean {
  for (let index = 0; index + 1 < expression.length; index += 2) {
    const operator = expression[index];
    const operand = Number(expression[index + 1]);
    const holds =
      operator === '='
        ? value === operand
        : operator === '<'
          ? value < operand
          : operator === '<='
            ? value <= operand
            : operator === '>'
              ? value > operand
              : operator === '>='
                ? value >= operand
                : false;
    if (!holds) return false;
  }
  return expression.length >= 2;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
