/**
 * The one app the comparison builds two ways: a Fargate-only EKS cluster with an admin role and 15 namespaces,
 * once with this library and once with aws-cdk-lib's `aws-eks` (v1) `FargateCluster`.
 */
import { KubectlV29Layer } from '@aws-cdk/lambda-layer-kubectl-v29';
import { App, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FargateCluster } from '../lib';

/** Which implementation builds the app. */
export type ComparisonVariant = 'ours' | 'aws-cdk-lib';

/** Both variants, in the order the report shows them. */
export const COMPARISON_VARIANTS: readonly ComparisonVariant[] = ['ours', 'aws-cdk-lib'];

/** Namespaces that each get their own Fargate profile, besides the default profile. */
export const NAMESPACE_COUNT = 15;

/**
 * A fresh app with an explicit environment (so no lookups or environment-agnostic tokens differ between the
 * variants), writing its cloud assembly to `outdir`.
 */
export function newComparisonApp(variant: ComparisonVariant, outdir: string, validation: boolean): App {
  const app = new App({ outdir, builtinCloudFormationValidation: validation });
  const stack = new Stack(app, 'Bench', { env: { account: '111122223333', region: 'eu-west-1' } });
  // The same admin role in both variants, so IAM role counts compare like with like.
  const mastersRole = new iam.Role(stack, 'MastersRole', { assumedBy: new iam.AccountRootPrincipal() });
  if (variant === 'ours') {
    const cluster = new FargateCluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_34, mastersRole });
    for (let index = 0; index < NAMESPACE_COUNT; index++) {
      cluster.addProfileSet(`Ns${index}`, { selectors: [{ namespace: `ns-${index}` }] });
    }
  } else {
    const cluster = new eks.FargateCluster(stack, 'Cluster', {
      version: eks.KubernetesVersion.V1_34,
      kubectlLayer: new KubectlV29Layer(stack, 'Kubectl'),
      mastersRole,
    });
    for (let index = 0; index < NAMESPACE_COUNT; index++) {
      cluster.addFargateProfile(`Ns${index}`, { selectors: [{ namespace: `ns-${index}` }] });
    }
  }
  return app;
}
