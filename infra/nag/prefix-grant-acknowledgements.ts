import { Validations, type IPolicyValidationContext, type IPolicyValidationPlugin, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { rules } from 'cdk-nag';
import type { IConstruct } from 'constructs';

const prefixScopedPolicies = new WeakSet<iam.Policy>();

/** Marks a policy that only bindBucket writes (explicit S3 actions on `<bucket>/<prefix>*` and the bucket). */
export function markPrefixScopedPolicy(policy: iam.Policy): void {
  prefixScopedPolicies.add(policy);
}

/** A wildcard finding that is exactly "objects under one data-model prefix". */
const PREFIX_RESOURCE_FINDING = /^Resource::[^*]+\/(?:raw|docs|diffs|sections|provenance|maps|reports|imports|terms)\/\*$/;

export const PREFIX_GRANT_REASON =
  'Object ARNs scoped to one data-model key prefix (raw/, docs/, diffs/, sections/, provenance/, maps/, reports/, imports/ or terms/) ' +
  'by bindBucket or the importer role, with explicit actions; the trailing * is the object key under the prefix.';

/**
 * cdk-nag's IAM5 reports each wildcard resource as its own finding, named after the resolved ARN; across stacks
 * that name embeds a generated export name, known only once references are resolved. This plugin runs first, at
 * validation time, asks cdk-nag's own IAM5 rule for the findings of each bindBucket policy, and acknowledges
 * exactly those that are a prefix-scoped object ARN. Any other wildcard in the same policy stays reported.
 */
export class PrefixGrantAcknowledgements implements IPolicyValidationPlugin {
  readonly name = 'redline-prefix-grant-acknowledgements';

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    for (const construct of context.appConstruct.node.findAll()) {
      if (!(construct instanceof iam.Policy) || !prefixScopedPolicies.has(construct)) continue;
      const cfnPolicy = construct.node.defaultChild as iam.CfnPolicy;
      for (const finding of wildcardFindings(cfnPolicy)) {
        if (PREFIX_RESOURCE_FINDING.test(finding)) {
          Validations.of(construct).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: PREFIX_GRANT_REASON });
        }
      }
    }
    return { success: true, violations: [] };
  }
}

function wildcardFindings(node: IConstruct): string[] {
  const result = rules.iam.IAMNoWildcardPermissions(node as iam.CfnPolicy);
  return Array.isArray(result) ? result : [];
}
