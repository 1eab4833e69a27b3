import { Annotations, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { throwIfProblems } from './validation-report';

/** EKS does not offer Fargate in AWS GovCloud (US). */
function isGovCloudRegion(region: string): boolean {
  return region.startsWith('us-gov-');
}

/** Refuses Fargate profiles in a GovCloud (US) stack (SafeAwsAuth alone, on an EC2 cluster there, stays allowed). */
export function refuseGovCloud(construct: IConstruct): void {
  const region = Stack.of(construct).region;
  if (!Token.isUnresolved(region) && isGovCloudRegion(region)) {
    throwIfProblems(construct, [`the stack's region is ${region}; EKS does not offer Fargate in AWS GovCloud (US), so Fargate profiles `
      + 'cannot be created there. Deploy to a commercial or China region, or use EC2 nodes (SafeAwsAuth works on an imported EC2 cluster).']);
  }
}

/** {@link refuseGovCloud}, and a warning for stacks whose region is only known at deploy time. */
export function checkFargateRegion(construct: IConstruct): void {
  refuseGovCloud(construct);
  if (Token.isUnresolved(Stack.of(construct).region)) {
    Annotations.of(construct).addWarningV2('cdk-eks-fargate:region-unverified',
      'The stack has no explicit region, so whether EKS offers Fargate there cannot be checked at synth: it does not in AWS GovCloud '
      + '(US) (us-gov-east-1, us-gov-west-1), where Fargate profiles fail to deploy. Give the stack an `env` with its region.');
  }
}
