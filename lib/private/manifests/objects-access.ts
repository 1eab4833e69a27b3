import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { IFargateCluster } from '../../fargate-cluster-interface';
import { addAccessEntry, clusterAdminPolicy } from '../access-entries/cluster-access-entries';
import { ClusterState, stateOf } from '../cluster/cluster-state';
import { KubernetesHandlerFunction } from '../handler/kubernetes-handler-function';
import { trustIfOwned } from '../shared/role-trust';

/** The role the handler assumes to apply objects, and the access entry that makes it cluster-admin. */
export interface ObjectsAccess {
  readonly role: iam.IRole;
  /** The role's cluster-admin access entry, when the library made the role. */
  readonly accessEntry?: eks.CfnAccessEntry;
  /** The handler functions the role trusts. */
  readonly trustedHandlers: Set<KubernetesHandlerFunction>;
}

/**
 * The role the handler assumes to apply objects to the cluster, set up on first use. An imported cluster's
 * `kubectlRole` is used as it is (a role of this app is made to trust the handler; one made elsewhere must trust
 * it already). Otherwise the cluster gets its objects role (one a cluster, what aws-cdk-lib's kubectl role was): an
 * access entry with AmazonEKSClusterAdminPolicy, since manifests may hold any kind in any namespace. The aws-auth
 * role stays separate, scoped to kube-system.
 */
export function objectsAccessFor(cluster: IFargateCluster & Construct, handler: KubernetesHandlerFunction): ObjectsAccess {
  const state = stateOf(cluster);
  let access = state.objectsAccess;
  if (!access) {
    access = state.adminRole
      ? { role: state.adminRole, trustedHandlers: new Set() }
      : newObjectsRole(cluster, state, handler);
    state.objectsAccess = access;
  }
  if (!access.trustedHandlers.has(handler)) {
    access.trustedHandlers.add(handler);
    trustIfOwned(access.role, handler.role!);
    handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [access.role.roleArn] }));
  }
  return access;
}

function newObjectsRole(cluster: IFargateCluster & Construct, state: ClusterState, handler: KubernetesHandlerFunction): ObjectsAccess {
  if (state.noAccessEntries) {
    throw new Error(`${cluster.node.path}: cannot apply Kubernetes objects: ${state.noAccessEntries}`);
  }
  const role = new iam.Role(cluster, 'KubernetesObjectsRole', {
    description: 'Cluster-admin role the cdk-eks-fargate handler assumes to apply Kubernetes objects',
    assumedBy: new iam.ArnPrincipal(handler.role!.roleArn),
  });
  // Every Delete asks whether the cluster still exists; imported clusters need the endpoint and CA from it.
  role.addToPolicy(new iam.PolicyStatement({ actions: ['eks:DescribeCluster'], resources: [cluster.clusterArn] }));
  const accessEntry = addAccessEntry(cluster, cluster, 'KubernetesObjectsAccess', {
    principalArn: role.roleArn,
    type: 'STANDARD',
    accessPolicies: [clusterAdminPolicy()],
  });
  // Objects resources depend on the access entry alone; through it they also wait for, and outlive, the role's policies.
  accessEntry.node.addDependency(role);
  handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [role.roleArn] }));
  return { role, accessEntry, trustedHandlers: new Set([handler]) };
}
