import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { KubernetesHandlerFunction } from './kubernetes-handler-function';
import { STACK_ID_ENVIRONMENT } from './request-guards';
import type { IFargateCluster } from '../../fargate-cluster-interface';
import { needsVpcPlacement } from '../cluster/endpoint-placement';
import { dependOnPrivateEgress, lambdaExecutionRole, privateSubnetsOf } from '../cluster/vpc-subnets';
import { acknowledgeManagedPoliciesUnder } from '../shared/nag-acknowledgements';
import { shortHash } from '../shared/short-hash';
import { throwIfProblems } from '../shared/validation-report';

/**
 * IAM path of every aws-auth handler execution role. A role mapped in aws-auth of a CONFIG_MAP cluster (made outside
 * this app) can trust exactly these roles before they exist: principal the account, condition
 * `ArnLike aws:PrincipalArn arn:<partition>:iam::<account>:role/cdk-eks-fargate/aws-auth-handler/*`.
 */
export const KUBERNETES_HANDLER_ROLE_PATH = '/cdk-eks-fargate/aws-auth-handler/';

/** The handler answers CloudFormation itself and keeps its retries inside this limit (minus a reserve). */
export const KUBERNETES_HANDLER_TIMEOUT = Duration.minutes(5);

/**
 * The aws-auth handler Lambda of a stack for one network placement, made on first use: one function outside
 * any VPC, one per VPC placement (cluster security group) for private or CIDR-restricted endpoints.
 */
export function kubernetesHandlerFor(requester: IConstruct, cluster: IFargateCluster): KubernetesHandlerFunction {
  const stack = Stack.of(requester);
  const inVpc = needsVpcPlacement(cluster.endpointAccess);
  const placementKey = inVpc ? placementKeyOf(stack, cluster) : '';
  const id = inVpc ? `CdkEksFargateKubernetesHandler${placementKey}` : 'CdkEksFargateKubernetesHandler';
  const existing = stack.node.tryFindChild(id) as KubernetesHandlerFunction | undefined;
  if (existing) {
    return existing;
  }
  const network = inVpc ? vpcPlacement(requester, stack, cluster, id) : {};
  const role = lambdaExecutionRole(stack, `${id}Role`, {
    description: 'Execution role of the cdk-eks-fargate Kubernetes handler (aws-auth and objects)',
    path: KUBERNETES_HANDLER_ROLE_PATH,
    inVpc,
  });
  const handler = new KubernetesHandlerFunction(stack, id, {
    role,
    description: 'cdk-eks-fargate: merges identity mappings into kube-system/aws-auth and applies Kubernetes objects (server-side apply)',
    timeout: KUBERNETES_HANDLER_TIMEOUT,
    memorySize: 256,
    // The function acts only on events of this stack (anyone with lambda:InvokeFunction could send it others).
    environment: { [STACK_ID_ENVIRONMENT]: stack.stackId },
    logGroup: new logs.LogGroup(stack, `${id}Logs`, { retention: logs.RetentionDays.THREE_MONTHS }),
    ...network,
  });
  if (inVpc) {
    dependOnPrivateEgress(handler, cluster.vpc!);
  }
  acknowledgeManagedPoliciesUnder(role,
    'The AWS managed Lambda execution policies: log writing (and ENI management in a VPC), nothing else.');
  return handler;
}

function placementKeyOf(stack: Stack, cluster: IFargateCluster): string {
  const placement = stack.resolve({ vpc: cluster.vpc?.vpcId, securityGroup: cluster.clusterSecurityGroupId });
  return shortHash(JSON.stringify(placement), 8);
}

/** Subnets and security group of a function that must run in the cluster VPC (the handler, the reconcile). */
export function vpcPlacement(requester: IConstruct, scope: Construct, cluster: IFargateCluster, id: string) {
  const vpc = cluster.vpc;
  if (!vpc) {
    throwIfProblems(requester, ['the cluster endpoint is private or CIDR-restricted, so the aws-auth handler must run in the cluster VPC, '
      + 'but the imported cluster has no `vpc`. Give `vpc` (and `clusterSecurityGroupId`) in `FargateCluster.fromClusterAttributes`.']);
  }
  // Members of the cluster security group may reach the private API endpoint; a new group could not.
  if (!cluster.clusterSecurityGroupId) {
    Annotations.of(requester).addWarningV2('cdk-eks-fargate:handler-security-group',
      'The aws-auth handler runs in the VPC with a security group of its own because the imported cluster has no '
      + '`clusterSecurityGroupId`; the API endpoint only answers it if the cluster security group allows HTTPS from it. Give '
      + '`clusterSecurityGroupId` in `FargateCluster.fromClusterAttributes`.');
  }
  const securityGroups = cluster.clusterSecurityGroupId
    ? [ec2.SecurityGroup.fromSecurityGroupId(scope, `${id}ClusterSecurityGroup`, cluster.clusterSecurityGroupId)]
    : undefined;
  const subnets = privateSubnetsOf(vpc!);
  return { vpc: vpc!, vpcSubnets: { subnets }, securityGroups };
}
