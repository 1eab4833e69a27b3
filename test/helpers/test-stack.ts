import { App, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct } from 'constructs';
import { FargateCluster, FargateClusterProps } from '../../lib';

/** The Kubernetes version the tests use unless a test is about versions. */
export const TEST_VERSION = eks.KubernetesVersion.V1_34;

/**
 * A stack in an app whose templates are checked against CloudFormation's default rules as errors, so a malformed
 * template fails the test that made it. Account and region are explicit: nothing is looked up.
 */
export function newTestStack(id: string = 'Test'): Stack {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  return new Stack(app, id, { env: { account: '111122223333', region: 'eu-west-1' } });
}

/** A FargateCluster with the test version and the given overrides. */
export function newTestCluster(scope: Construct, props: Partial<FargateClusterProps> = {}, id: string = 'Cluster'): FargateCluster {
  return new FargateCluster(scope, id, { version: TEST_VERSION, ...props });
}
