import * as cdk from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FargateCluster } from 'cdk-eks-fargate';
import { Construct } from 'constructs';

/** What a new user writes first: a cluster with an admin role and one profile set for their namespace. */
export class ConsumerStack extends cdk.Stack {
  public readonly cluster: FargateCluster;

  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const admins = new iam.Role(this, 'Admins', { assumedBy: new iam.AccountRootPrincipal() });
    this.cluster = new FargateCluster(this, 'Cluster', { version: eks.KubernetesVersion.V1_34, mastersRole: admins });
    const apps = this.cluster.addProfileSet('Apps', { selectors: [{ namespace: 'apps' }] });
    new cdk.CfnOutput(this, 'AppsProfiles', { value: cdk.Fn.join(',', apps.profileNames) });
  }
}
