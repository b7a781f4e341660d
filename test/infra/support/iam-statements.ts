import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Names for resources, keyed by logical id, per stack. */
export type ResourceNames = Map<string, string>;

export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return (element.stack as Stack).resolve(element.logicalId) as string;
}

/**
 * Every Allow statement attached to a role, one line per action and resource, with resources named:
 * "dynamodb:Query on table/index/gsi2", "s3:PutObject on bucket/raw/*", "xray:PutTraceSegments on *".
 * Conditions are appended (" if {...}"), so a narrowed ListBucket reads differently from an open one.
 */
export function roleStatements(template: Template, roleLogicalId: string, names: ResourceNames): string[] {
  const lines: string[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const roles = (policy.Properties.Roles as { Ref: string }[]).map((role) => role.Ref);
    if (!roles.includes(roleLogicalId)) continue;
    for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
      if (statement.Effect !== 'Allow') continue;
      const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
      const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      const condition = statement.Condition ? ` if ${JSON.stringify(statement.Condition)}` : '';
      for (const action of actions) for (const resource of resources) lines.push(`${action} on ${nameOf(resource, names)}${condition}`);
    }
  }
  return lines.sort();
}

export function nameOf(value: unknown, names: ResourceNames): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => nameOf(part, names)).join(separator);
    }
    if ('Fn::GetAtt' in object) {
      const [logicalId, attribute] = object['Fn::GetAtt'] as [string, string];
      return named(logicalId, attribute, names);
    }
    if ('Ref' in object) return named(object.Ref as string, 'Ref', names);
    if ('Fn::ImportValue' in object) {
      // Export names embed the exporting resource's logical id and attribute: "...ExportsOutputFnGetAtt<id>Arn<hash>".
      const exportName = object['Fn::ImportValue'] as string;
      for (const [logicalId, name] of names) {
        const match = new RegExp(`ExportsOutput(?:FnGetAtt|Ref)${logicalId}([A-Za-z]*?)[0-9A-F]{8}$`).exec(exportName);
        if (match) return match[1] === 'StreamArn' ? `${name}-stream` : name;
      }
      return `import(${exportName})`;
    }
  }
  return JSON.stringify(value);
}

function named(logicalId: string, attribute: string, names: ResourceNames): string {
  const name = names.get(logicalId) ?? logicalId;
  return attribute === 'StreamArn' ? `${name}-stream` : name;
}
