import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsAuthBackend, FargateCluster, SafeAwsAuth } from '../../lib';

/** The account and region of the every-feature stacks. */
export const EVERY_FEATURE_ENV = { account: '111122223333', region: 'eu-west-1' };

/**
 * Every feature of the library in one stack (the aws-auth merge inside the cluster, so the cluster's `tags` reach it),
 * so checks see every resource, role and policy it can create.
 */
export function everyFeature(scope: App, endpointAccess: eks.EndpointAccess, tags?: { [key: string]: string }): Stack {
  const stack = new Stack(scope, `EveryFeature${endpointAccess._config.publicAccess ? 'Public' : 'Private'}`, { env: EVERY_FEATURE_ENV });
  const cluster = new FargateCluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_34,
    endpointAccess,
    vpcEndpoints: !endpointAccess._config.publicAccess,
    kubectlLayer: new KubectlV34Layer(stack, 'Kubectl'),
    fargateLogging: {},
    mastersRole: new iam.Role(stack, 'Admins', { assumedBy: new iam.AccountRootPrincipal() }),
    tags,
  });
  if (endpointAccess._config.publicAccess) {
    // The library never acknowledges an endpoint open to the internet: the app does, with its reason.
    Validations.of(cluster.resource).acknowledge({ id: 'AwsSolutions-EKS1', reason: 'Test app: public endpoint on purpose.' });
  }
  cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow' }] });
  cluster.addServiceAccount('Jobs', { namespace: 'flow' });
  cluster.addManifest('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flow' } });
  cluster.addAwsLoadBalancerController();
  cluster.addEfsVolume('Exports', { namespace: 'flow' });
  cluster.addMetricsServer();
  new SafeAwsAuth(cluster, 'MergedAwsAuth', { cluster, backend: AwsAuthBackend.CONFIG_MAP })
    .addRoleMapping(iam.Role.fromRoleArn(stack, 'Nodes', 'arn:aws:iam::111122223333:role/nodes'), {
      username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'],
    });
  return stack;
}
