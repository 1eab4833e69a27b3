import { KubectlV29Layer } from '@aws-cdk/lambda-layer-kubectl-v29';
import { Annotations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { needsVpcPlacement } from './endpoint-placement';
import { parseMinor } from './kubernetes-versions';
import { lambdaExecutionRole, privateSubnetsOf } from './vpc-subnets';
import { IFargateCluster } from '../../fargate-cluster-interface';
import { addAccessEntry, clusterAdminPolicy } from '../access-entries/cluster-access-entries';
import { acknowledgeManagedPoliciesUnder, acknowledgeWildcardsUnder } from '../shared/nag-acknowledgements';

/** Minor version of the kubectl in the default layer. */
const DEFAULT_LAYER_MINOR = 29;

/** What {@link createKubectlAccess} needs to know about the cluster. */
export interface KubectlAccessOptions {
  readonly cluster: IFargateCluster;
  readonly kubernetesVersion: string;
  readonly kubectlLayer?: lambda.ILayerVersion;
}

/** aws-cdk-lib's kubectl machinery pointed at a native cluster, and what manifests must wait for. */
export interface KubectlAccess {
  readonly handle: eks.ICluster;
  /** The cluster-admin access entry of the kubectl role; manifests must not run before it exists. */
  readonly accessEntry: eks.CfnAccessEntry;
}

/**
 * An aws-eks (v1) imported-cluster handle for `HelmChart` (manifests go through `KubernetesObjects`): a kubectl role with a
 * cluster-admin access entry, assumed by a dedicated Lambda role (least privilege: only that role may assume it),
 * the kubectl layer, and VPC placement when the endpoint is private or CIDR-restricted.
 */
export function createKubectlAccess(scope: Construct, options: KubectlAccessOptions): KubectlAccess {
  const cluster = options.cluster;
  const inVpc = needsVpcPlacement(cluster.endpointAccess);
  const lambdaRole = lambdaExecutionRole(scope, 'KubectlHandlerRole', {
    description: 'Execution role of the kubectl Lambda of cdk-eks-fargate',
    inVpc,
  });
  const kubectlRole = new iam.Role(scope, 'KubectlRole', {
    description: 'Cluster-admin role the kubectl Lambda of cdk-eks-fargate assumes',
    assumedBy: new iam.ArnPrincipal(lambdaRole.roleArn),
  });
  // aws-cdk-lib's kubectl provider adds the ECR pull policies to this role for Helm charts from ECR.
  acknowledgeWildcardsUnder(lambdaRole, 'Read grants aws-cdk-lib adds for Helm chart and manifest assets in the CDK assets bucket '
    + '(s3:GetObject*, s3:List* on its objects).');
  acknowledgeManagedPoliciesUnder(lambdaRole, 'AWS managed Lambda execution policies (logs, VPC ENIs) and the ECR pull-only '
    + 'policies aws-cdk-lib\'s kubectl provider attaches for Helm charts from ECR.');
  kubectlRole.addToPolicy(new iam.PolicyStatement({ actions: ['eks:DescribeCluster'], resources: [cluster.clusterArn] }));
  const accessEntry = addAccessEntry(cluster, scope, 'KubectlAccess', {
    principalArn: kubectlRole.roleArn,
    type: 'STANDARD',
    accessPolicies: [clusterAdminPolicy()],
  });

  const layer = options.kubectlLayer ?? defaultLayer(scope, options.kubernetesVersion);
  const privateSubnets = cluster.vpc ? privateSubnetsOf(cluster.vpc) : [];
  const handle = eks.Cluster.fromClusterAttributes(scope, 'KubectlCluster', {
    clusterName: cluster.clusterName,
    clusterEndpoint: cluster.clusterEndpoint,
    clusterCertificateAuthorityData: cluster.clusterCertificateAuthorityData,
    clusterSecurityGroupId: cluster.clusterSecurityGroupId,
    kubectlRoleArn: kubectlRole.roleArn,
    kubectlLambdaRole: lambdaRole,
    kubectlLayer: layer,
    vpc: inVpc ? cluster.vpc : undefined,
    kubectlPrivateSubnetIds: inVpc ? privateSubnets.map(subnet => subnet.subnetId) : undefined,
    kubectlSecurityGroupId: inVpc ? cluster.clusterSecurityGroupId : undefined,
  });
  // The subnets are passed by id only; aws-cdk-lib never needs their route tables here.
  Annotations.of(handle).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId',
    'kubectl subnets are used by id only; no route table is read');
  return { handle, accessEntry };
}

function defaultLayer(scope: Construct, kubernetesVersion: string): lambda.ILayerVersion {
  const minor = parseMinor(kubernetesVersion);
  if (Math.abs(minor - DEFAULT_LAYER_MINOR) > 1) {
    Annotations.of(scope).addWarningV2('cdk-eks-fargate:kubectl-layer-version',
      `The default kubectl layer is kubectl 1.${DEFAULT_LAYER_MINOR}, more than one minor version away from the cluster's Kubernetes `
      + `${kubernetesVersion}, outside kubectl's supported skew. Only Helm charts use the layer (manifests are applied without kubectl). Install @aws-cdk/lambda-layer-kubectl-v${minor} and pass `
      + `\`kubectlLayer: new KubectlV${minor}Layer(this, 'Kubectl')\`.`);
  }
  return new KubectlV29Layer(scope, 'KubectlLayer');
}
