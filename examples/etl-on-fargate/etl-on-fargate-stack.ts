import { Stack, StackProps } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FargateCluster } from '../../lib';

/**
 * ETL on Fargate: a cluster whose batch jobs run in namespace `flow` on pods labelled `infrastructure=fargate`,
 * administered through an access entry for a platform-admin role.
 */
export class EtlOnFargateStack extends Stack {
  public readonly cluster: FargateCluster;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const admins = new iam.Role(this, 'PlatformAdmins', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Platform team: cluster-admin on the ETL cluster',
    });
    this.cluster = new FargateCluster(this, 'Cluster', {
      version: eks.KubernetesVersion.V1_34,
      mastersRole: admins,
    });
    this.cluster.addProfileSet('Etl', {
      selectors: [{ namespace: 'flow', labels: { infrastructure: 'fargate' } }],
    });
  }
}
