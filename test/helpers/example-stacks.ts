import { App } from 'aws-cdk-lib';
import { EtlOnFargateStack } from '../../examples/etl-on-fargate/etl-on-fargate-stack';
import { EXAMPLE_ENV } from '../../examples/shared/example-app';

/** Every example app's stacks, built into a given app, for checks that must cover all examples. */
export const EXAMPLE_STACKS: { [name: string]: (app: App) => void } = {
  'etl-on-fargate': app => new EtlOnFargateStack(app, 'EtlOnFargate', { env: EXAMPLE_ENV }),
};
