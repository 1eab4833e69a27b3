import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { IFargateCluster } from '../../fargate-cluster-interface';
import { addAccessEntry, clusterAdminPolicy } from '../access-entries/cluster-access-entries';
import { KubernetesHandlerFunction } from '../handler/kubernetes-handler-function';

/** The role the handler assumes to apply objects, and the access entry that makes it cluster-admin. */
export interface ObjectsAccess {
  readonly role: iam.Role;
  readonly accessEntry: eks.CfnAccessEntry;
}

const accessByCluster = new WeakMap<IConstruct, ObjectsAccess>();
const trusted = new WeakMap<iam.Role, Set<KubernetesHandlerFunction>>();

/**
 * The cluster's objects role, made on first use (one a cluster, what aws-cdk-lib's kubectl role was): an access entry
 * with AmazonEKSClusterAdminPolicy, since manifests may hold any kind in any namespace. It trusts exactly the
 * handler functions that apply objects to this cluster; the aws-auth role stays separate, scoped to kube-system.
 */
export function objectsAccessFor(cluster: IFargateCluster & Construct, handler: KubernetesHandlerFunction): ObjectsAccess {
  let access = accessByCluster.get(cluster);
  if (!access) {
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
    access = { role, accessEntry };
    accessByCluster.set(cluster, access);
    trusted.set(role, new Set([handler]));
    handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [role.roleArn] }));
  }
  const handlers = trusted.get(access.role)!;
  if (!handlers.has(handler)) {
    handlers.add(handler);
    access.role.assumeRolePolicy?.addStatements(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      principals: [new iam.ArnPrincipal(handler.role!.roleArn)],
    }));
    handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [access.role.roleArn] }));
  }
  return access;
}
