import { Annotations, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FargateCluster, FargateProfileSet, IFargateCluster } from '../../lib';

/**
 * A cluster created elsewhere (Terraform, eksctl or the console) that already uses access entries, and its VPC.
 * Replace these values with your cluster's.
 */
export const DATA_CLUSTER = {
  clusterName: 'data-platform',
  /** The cluster's VPC as `ec2.Vpc.fromVpcAttributes` takes it. */
  network: {
    vpcId: 'vpc-0e8d7c6b5a4f3e2d1',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-01f2e3d4c5b6a7980', 'subnet-02e3d4c5b6a798011'],
    /** One route table a private subnet, each with its AZ's NAT gateway as the default route. */
    privateSubnetRouteTableIds: ['rtb-01a2b3c4d5e6f7081', 'rtb-02b3c4d5e6f708192'],
    publicSubnetIds: ['subnet-03d4c5b6a79801122', 'subnet-04c5b6a7980112233'],
    publicSubnetRouteTableIds: ['rtb-03c4d5e6f70819203', 'rtb-03c4d5e6f70819203'],
  } satisfies ec2.VpcAttributes,
};

/**
 * Fargate profiles and identity mappings added to a cluster this app does not own. The cluster runs in
 * API_AND_CONFIG_MAP mode, so every mapping becomes a native access entry and nothing touches aws-auth: the stack
 * has no Lambda function and no custom resource. EKS creates the pod execution role's access entry itself.
 */
export class ImportedClusterStack extends Stack {
  public readonly cluster: IFargateCluster;
  public readonly analytics: FargateProfileSet;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'DataVpc', DATA_CLUSTER.network);
    this.cluster = FargateCluster.fromClusterAttributes(this, 'DataCluster', {
      clusterName: DATA_CLUSTER.clusterName,
      vpc,
      authenticationMode: eks.AuthenticationMode.API_AND_CONFIG_MAP,
    });

    this.analytics = this.cluster.addProfileSet('Analytics', {
      selectors: [
        { namespace: 'analytics' },
        { namespace: 'analytics-jobs', labels: { compute: 'fargate' } },
      ],
    });
    // This app cannot read the route tables of an imported VPC; the team checked them once, here is the record.
    Annotations.of(this.analytics).acknowledgeWarning('cdk-eks-fargate:subnet-unverified',
      `${DATA_CLUSTER.network.privateSubnetIds.join(', ')} route to NAT gateways only (route tables ${DATA_CLUSTER.network.privateSubnetRouteTableIds.join(', ')}), `
      + 'checked against the network stack that owns them');

    // Access entries: developers get a Kubernetes group that RBAC in the cluster binds; admins get cluster-admin.
    const account = `arn:${this.partition}:iam::${this.account}`;
    this.cluster.awsAuth.addRoleMapping(
      iam.Role.fromRoleArn(this, 'AnalyticsDevelopers', `${account}:role/analytics-developers`, { mutable: false }),
      { groups: ['analytics-developers'] });
    this.cluster.awsAuth.addMastersRole(
      iam.Role.fromRoleArn(this, 'DataPlatformAdmins', `${account}:role/data-platform-admins`, { mutable: false }));
  }
}
