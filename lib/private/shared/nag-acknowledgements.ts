import { Aspects, IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * Acknowledges an AwsSolutions finding (cdk-nag) on a construct with the reason a reviewer needs. Only findings
 * that cannot be fixed in the construct are acknowledged; everything else is fixed. Acknowledgements are construct
 * metadata: they change no template.
 */
export function acknowledgeNag(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}

/**
 * Acknowledges, at synth, every AWS managed policy on the roles under `scope` (AwsSolutions-IAM4 names each
 * policy in its finding id, and some are attached by aws-cdk-lib after the role is made).
 */
export function acknowledgeManagedPoliciesUnder(scope: IConstruct, reason: string): void {
  Aspects.of(scope).add(new AcknowledgeFindings(reason, node => node instanceof iam.CfnRole
    ? asArray(Stack.of(node).resolve(node.managedPolicyArns)).map(arn => `AwsSolutions-IAM4[Policy::${flatten(arn)}]`)
    : []));
}

/**
 * Acknowledges, at synth, the wildcard resource `resource` (and nothing else) in the IAM policies under `scope`, so
 * wildcards a user adds to the same policy still show.
 */
export function acknowledgeWildcardResourceUnder(scope: IConstruct, resource: string, reason: string): void {
  Aspects.of(scope).add(new AcknowledgeFindings(reason, node => node instanceof iam.CfnPolicy
    ? [`AwsSolutions-IAM5[Resource::${flatten(Stack.of(node).resolve(resource))}]`]
    : []));
}

/** Acknowledges, at synth, every wildcard action and resource in the IAM policies under `scope` (AwsSolutions-IAM5). */
export function acknowledgeWildcardsUnder(scope: IConstruct, reason: string): void {
  Aspects.of(scope).add(new AcknowledgeFindings(reason, node => {
    if (!(node instanceof iam.CfnPolicy)) {
      return [];
    }
    const statements = asArray(Stack.of(node).resolve(node.policyDocument)?.Statement);
    const actions = statements.flatMap((statement: any) => asArray(statement.Action))
      .filter((action: string) => action.includes('*'))
      .map(action => `AwsSolutions-IAM5[Action::${action}]`);
    const resources = statements.flatMap((statement: any) => asArray(statement.Resource))
      .map(flatten)
      .filter(resource => resource.includes('*'))
      .map(resource => `AwsSolutions-IAM5[Resource::${resource}]`);
    return [...actions, ...resources];
  }));
}

class AcknowledgeFindings implements IAspect {
  constructor(private readonly reason: string, private readonly findingIds: (node: IConstruct) => string[]) {}

  public visit(node: IConstruct): void {
    for (const id of new Set(this.findingIds(node))) {
      acknowledgeNag(node, id, this.reason);
    }
  }
}

function asArray(value: unknown): any[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/** How cdk-nag writes a resolved CloudFormation value into a finding id: `<Resource.Attribute>`, `<Ref>`, joins flattened. */
function flatten(value: any): string {
  if (typeof value === 'string') {
    return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  if (value?.['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'];
    return (parts as any[]).map(flatten).join(separator);
  }
  if (value?.['Fn::GetAtt']) {
    const [resource, attribute] = value['Fn::GetAtt'];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (value?.Ref) {
    return `<${flatten(value.Ref)}>`;
  }
  return JSON.stringify(value);
}
