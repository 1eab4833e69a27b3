import { Annotations, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { FargateCluster, FargateProfileSet, IFargateCluster } from '../../lib';

/**
 * The cluster as the platform team runs it: created with eksctl years ago, still in CONFIG_MAP mode, with an EC2
 * node group whose instance role the platform mapped in aws-auth. Replace these values with your cluster's.
 */
export const PLATFORM_CLUSTER = {
  clusterName: 'platform-prod',
  /** The cluster's VPC as `ec2.Vpc.fromVpcAttributes` takes it. */
  network: {
    vpcId: 'vpc-0c3f9a1d2e4b5a678',
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    privateSubnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0b2c3d4e5f6071829', 'subnet-0c3d4e5f60718293a'],
    /** One route table a private subnet, each with its AZ's NAT gateway as the default route. */
    privateSubnetRouteTableIds: ['rtb-0a1b2c3d4e5f60711', 'rtb-0b2c3d4e5f6071822', 'rtb-0c3d4e5f60718293b'],
    publicSubnetIds: ['subnet-0d4e5f60718293a4b', 'subnet-0e5f60718293a4b5c', 'subnet-0f60718293a4b5c6d'],
    publicSubnetRouteTableIds: ['rtb-0f1e2d3c4b5a69788', 'rtb-0f1e2d3c4b5a69788', 'rtb-0f1e2d3c4b5a69788'],
  } satisfies ec2.VpcAttributes,
  /**
   * Mapped in aws-auth by the platform team to a group allowed to edit ConfigMaps in kube-system. Its trust policy
   * trusts this account under `ArnLike aws:PrincipalArn arn:aws:iam::<account>:role/cdk-eks-fargate/aws-auth-handler/*`,
   * the IAM path of every aws-auth handler's execution role, so the handler this stack creates can assume it.
   */
  awsAuthEditorRoleName: 'platform-aws-auth-editor',
};

/** Properties of {@link MixedClusterStack}. */
export interface MixedClusterStackProps extends StackProps {
  /**
   * A pod execution role the platform team manages, for the `reports` profiles.
   * @default - the reports profiles get a `PodExecutionRole` of their own
   */
  readonly reportsPodExecutionRoleArn?: string;
}

/**
 * The incident's cluster, done safely: an existing CONFIG_MAP cluster that runs EC2 nodes gets Fargate profiles for
 * namespaces `batch` and `reports`. EKS writes each pod execution role into aws-auth when it creates a profile; this
 * app maps the same entries through the aws-auth merge, so a redeploy restores them if anything overwrote aws-auth,
 * and it never changes or removes an entry it does not own: the node role mapping stays where the platform put it,
 * whatever happens to the profiles.
 */
export class MixedClusterStack extends Stack {
  public readonly cluster: IFargateCluster;
  public readonly batch: FargateProfileSet;
  public readonly reports: FargateProfileSet;

  constructor(scope: Construct, id: string, props: MixedClusterStackProps = {}) {
    super(scope, id, props);
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'PlatformVpc', PLATFORM_CLUSTER.network);
    this.cluster = FargateCluster.fromClusterAttributes(this, 'PlatformCluster', {
      clusterName: PLATFORM_CLUSTER.clusterName,
      vpc,
      authenticationMode: eks.AuthenticationMode.CONFIG_MAP,
      // EC2 nodes run next to the Fargate pods.
      fargateOnly: false,
      // Only an existing aws-auth mapping can let the handler into a CONFIG_MAP cluster. No endpoint is given, so
      // the handler finds it with DescribeCluster (granted to this role on this cluster only).
      awsAuthHandlerRole: iam.Role.fromRoleArn(this, 'AwsAuthEditor',
        `arn:${this.partition}:iam::${this.account}:role/${PLATFORM_CLUSTER.awsAuthEditorRoleName}`),
    });

    this.batch = this.cluster.addProfileSet('Batch', {
      selectors: [{ namespace: 'batch' }],
    });
    this.reports = this.cluster.addProfileSet('Reports', {
      selectors: [{ namespace: 'reports' }],
      podExecutionRole: props.reportsPodExecutionRoleArn
        ? iam.Role.fromRoleArn(this, 'ReportsPodExecutionRole', props.reportsPodExecutionRoleArn, { mutable: false })
        : undefined,
    });
    for (const set of [this.batch, this.reports]) {
      acknowledgePlatformSubnets(set);
    }
  }
}

/** The platform team's network stack routes these subnets through NAT gateways only; Fargate accepts them. */
function acknowledgePlatformSubnets(set: IConstruct): void {
  Annotations.of(set).acknowledgeWarning('cdk-eks-fargate:subnet-unverified',
    `${PLATFORM_CLUSTER.network.privateSubnetIds.join(', ')} are the private subnets of the platform VPC (default route to a NAT gateway, `
    + 'none to an internet gateway), as the platform network stack defines them');
}
