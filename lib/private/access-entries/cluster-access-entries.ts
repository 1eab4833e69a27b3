import { Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct, IConstruct } from 'constructs';
import { stateOf } from '../cluster/cluster-state';

/** What one access entry grants. */
export interface AccessEntrySpec {
  readonly principalArn: string;
  readonly type: 'STANDARD' | 'EC2_LINUX';
  readonly accessPolicies?: readonly eks.IAccessPolicy[];
  readonly kubernetesGroups?: readonly string[];
  readonly username?: string;
  /**
   * How messages name the principal.
   * @default - the ARN, or "(known only at deploy time)" when the ARN is a token
   */
  readonly display?: string;
}

/** Whether some access entry of this app gives the cluster an administrator. */
export function hasClusterAdminEntry(cluster: IConstruct): boolean {
  return stateOf(cluster).accessEntries.clusterAdmin;
}

/**
 * Creates an `AWS::EKS::AccessEntry`, refusing a second entry for the same principal in one cluster (EKS allows
 * one entry a principal and would fail the deploy minutes in).
 */
export function addAccessEntry(cluster: IConstruct & { readonly clusterName: string }, scope: Construct, id: string,
  spec: AccessEntrySpec): eks.CfnAccessEntry {
  const entries = stateOf(cluster).accessEntries;
  const principals = entries.principals;
  const path = `${scope.node.path}/${id}`;
  const existing = principals.get(spec.principalArn);
  if (existing) {
    const principal = spec.display ?? (Token.isUnresolved(spec.principalArn) ? '(known only at deploy time)' : spec.principalArn);
    throw new Error(`${path}: principal ${principal} already has an access entry in cluster ${cluster.node.path} (${existing}); `
      + 'EKS allows one access entry a principal. Grant all of its policies in one call.');
  }
  principals.set(spec.principalArn, path);
  entries.clusterAdmin = entries.clusterAdmin || grantsClusterAdmin(spec.accessPolicies ?? []);
  return new eks.CfnAccessEntry(scope, id, {
    clusterName: cluster.clusterName,
    principalArn: spec.principalArn,
    type: spec.type,
    username: spec.username,
    kubernetesGroups: spec.kubernetesGroups && spec.kubernetesGroups.length > 0 ? [...spec.kubernetesGroups] : undefined,
    accessPolicies: spec.accessPolicies?.map(policy => ({
      policyArn: policy.policy,
      accessScope: { type: policy.accessScope.type, namespaces: policy.accessScope.namespaces },
    })),
  });
}

/** The cluster-admin access policy, as EKS names it. */
export function clusterAdminPolicy(): eks.IAccessPolicy {
  return eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER });
}

function grantsClusterAdmin(policies: readonly eks.IAccessPolicy[]): boolean {
  return policies.some(policy => /AmazonEKS(Cluster)?AdminPolicy$/.test(policy.policy)
    && policy.accessScope.type === eks.AccessScopeType.CLUSTER);
}
