import { KubectlV29Layer } from '@aws-cdk/lambda-layer-kubectl-v29';
import { Annotations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { stateOf } from './cluster-state';
import { needsVpcPlacement } from './endpoint-placement';
import { parseMinor } from './kubernetes-versions';
import { lambdaExecutionRole, privateSubnetsOf } from './vpc-subnets';
import type { IFargateCluster } from '../../fargate-cluster-interface';
import { addAccessEntry, clusterAdminPolicy } from '../access-entries/cluster-access-entries';
import { acknowledgeManagedPoliciesUnder, acknowledgeWildcardsUnder } from '../shared/nag-acknowledgements';
import { trustIfOwned } from '../shared/role-trust';

/** Minor version of the kubectl in the default layer. */
const DEFAULT_LAYER_MINOR = 29;

/** What {@link createKubectlAccess} needs to know about the cluster. */
export interface KubectlAccessOptions {
  readonly cluster: IFargateCluster;
  /** The cluster's Kubernetes version (`1.NN`), when known; the layer is checked against it. */
  readonly kubernetesVersion?: string;
  readonly kubectlLayer?: lambda.ILayerVersion;
  /** A role that can already administer the cluster (imported clusters); no role or access entry is made then. */
  readonly kubectlRole?: iam.IRole;
}

/** aws-cdk-lib's kubectl machinery pointed at a native cluster, and what manifests must wait for. */
export interface KubectlAccess {
  readonly handle: eks.ICluster;
  /** The cluster-admin access entry of the kubectl role, when the library made it; charts must not run before it exists. */
  readonly accessEntry?: eks.CfnAccessEntry;
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
  // aws-cdk-lib's kubectl provider adds the ECR pull policies to this role for Helm charts from ECR.
  acknowledgeWildcardsUnder(lambdaRole, 'Read grants aws-cdk-lib adds for Helm chart and manifest assets in the CDK assets bucket '
    + '(s3:GetObject*, s3:List* on its objects).');
  acknowledgeManagedPoliciesUnder(lambdaRole, 'AWS managed Lambda execution policies (logs, VPC ENIs) and the ECR pull-only '
    + 'policies aws-cdk-lib\'s kubectl provider attaches for Helm charts from ECR.');
  let kubectlRole: iam.IRole;
  let accessEntry: eks.CfnAccessEntry | undefined;
  if (options.kubectlRole) {
    kubectlRole = options.kubectlRole;
    // A role of this app is made to trust the kubectl Lambda role; one made elsewhere must already (README).
    trustIfOwned(kubectlRole, lambdaRole);
  } else {
    const noAccessEntries = stateOf(cluster).noAccessEntries;
    if (noAccessEntries) {
      throw new Error(`${cluster.node.path}: cannot install Helm charts: ${noAccessEntries}`);
    }
    const role = new iam.Role(scope, 'KubectlRole', {
      description: 'Cluster-admin role the kubectl Lambda of cdk-eks-fargate assumes',
      assumedBy: new iam.ArnPrincipal(lambdaRole.roleArn),
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['eks:DescribeCluster'], resources: [cluster.clusterArn] }));
    kubectlRole = role;
    accessEntry = addAccessEntry(cluster, scope, 'KubectlAccess', {
      principalArn: role.roleArn,
      type: 'STANDARD',
      accessPolicies: [clusterAdminPolicy()],
    });
  }

  const layer = options.kubectlLayer ?? new KubectlV29Layer(scope, 'KubectlLayer');
  if (options.kubernetesVersion) {
    warnAboutLayerSkew(scope, layer, options.kubernetesVersion, options.kubectlLayer === undefined);
  }
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

/**
 * Warns when the kubectl of the layer is more than one minor version away from the cluster (outside kubectl's
 * supported skew). The version is known for the default layer and for layers of the `@aws-cdk/lambda-layer-kubectl-vNN`
 * packages (class `KubectlVNNLayer`); other layers are not judged.
 */
function warnAboutLayerSkew(scope: Construct, layer: lambda.ILayerVersion, kubernetesVersion: string, isDefault: boolean): void {
  const layerMinor = isDefault ? DEFAULT_LAYER_MINOR : kubectlMinorOf(layer);
  const minor = parseMinor(kubernetesVersion);
  if (layerMinor === undefined || Math.abs(minor - layerMinor) <= 1) {
    return;
  }
  const which = isDefault ? 'The default kubectl layer' : `The kubectl layer passed as \`kubectlLayer\` (${layer.constructor.name})`;
  Annotations.of(scope).addWarningV2('cdk-eks-fargate:kubectl-layer-version',
    `${which} is kubectl 1.${layerMinor}, more than one minor version away from the cluster's Kubernetes ${kubernetesVersion}, `
    + 'outside kubectl\'s supported skew. Only Helm charts use the layer (manifests are applied without kubectl). Install '
    + `@aws-cdk/lambda-layer-kubectl-v${minor} and pass \`kubectlLayer: new KubectlV${minor}Layer(this, 'Kubectl')\`.`);
}

/** The kubectl minor version of a `KubectlVNNLayer` from the `@aws-cdk/lambda-layer-kubectl-vNN` packages. */
function kubectlMinorOf(layer: lambda.ILayerVersion): number | undefined {
  const match = /^KubectlV(\d+)Layer$/.exec(layer.constructor.name);
  return match ? Number(match[1]) : undefined;
}
