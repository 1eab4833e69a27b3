import { App } from 'aws-cdk-lib';
import { EtlOnFargateStack } from '../../examples/etl-on-fargate/etl-on-fargate-stack';
import { ImportedClusterStack } from '../../examples/imported-cluster/imported-cluster-stack';
import { MixedClusterStack } from '../../examples/mixed-cluster/mixed-cluster-stack';
import { PrivateClusterStack } from '../../examples/private-cluster/private-cluster-stack';
import { EXAMPLE_ENV } from '../../examples/shared/example-app';
import { WebOnFargateStack } from '../../examples/web-on-fargate/web-on-fargate-stack';

/** Every example app's stacks, built into a given app, for checks that must cover all examples. */
export const EXAMPLE_STACKS: { [name: string]: (app: App) => void } = {
  'etl-on-fargate': app => new EtlOnFargateStack(app, 'EtlOnFargate', { env: EXAMPLE_ENV }),
  'mixed-cluster': app => new MixedClusterStack(app, 'MixedCluster', { env: EXAMPLE_ENV }),
  'private-cluster': app => new PrivateClusterStack(app, 'PrivateCluster', { env: EXAMPLE_ENV }),
  'imported-cluster': app => new ImportedClusterStack(app, 'ImportedCluster', { env: EXAMPLE_ENV }),
  'web-on-fargate': app => new WebOnFargateStack(app, 'WebOnFargate', { env: EXAMPLE_ENV }),
};
