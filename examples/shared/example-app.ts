import { App, Environment } from 'aws-cdk-lib';

/** Account and region of the examples and their snapshots: explicit, so nothing is looked up and no credentials are needed. */
export const EXAMPLE_ENV: Environment = { account: '111122223333', region: 'eu-west-1' };

/** Where an example app deploys: `EXAMPLE_ACCOUNT` / `EXAMPLE_REGION` when set (a real deploy), else {@link EXAMPLE_ENV}. */
export function exampleEnv(): Environment {
  return {
    account: process.env.EXAMPLE_ACCOUNT ?? EXAMPLE_ENV.account,
    region: process.env.EXAMPLE_REGION ?? EXAMPLE_ENV.region,
  };
}

/**
 * An app as the examples and their snapshot tests use it: CloudFormation's default rules fail the synth instead of
 * printing warnings, and the output goes where the CDK CLI asks (`CDK_OUTDIR`), else to `cdk.out/`.
 */
export function newExampleApp(outdir?: string): App {
  return new App({
    outdir: outdir ?? process.env.CDK_OUTDIR ?? 'cdk.out',
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true },
  });
}
