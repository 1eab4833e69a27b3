import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * The subnets of a VPC where pods, endpoints and Lambda functions of the cluster go: the private subnets with
 * egress, or the isolated ones in a VPC that has none (a private cluster reaching AWS through endpoints).
 */
export function privateSubnetsOf(vpc: ec2.IVpc): ec2.ISubnet[] {
  return vpc.privateSubnets.length > 0 ? vpc.privateSubnets : vpc.isolatedSubnets;
}

/** Options of {@link lambdaExecutionRole}. */
export interface LambdaExecutionRoleOptions {
  readonly description: string;
  /** A function in a VPC also needs to manage its network interfaces. */
  readonly inVpc: boolean;
  /** IAM path, when other accounts' or teams' policies must be able to name the role before it exists. */
  readonly path?: string;
}

/** An execution role for a Lambda function of this library, with only the AWS managed execution policy it needs. */
export function lambdaExecutionRole(scope: Construct, id: string, options: LambdaExecutionRoleOptions): iam.Role {
  return new iam.Role(scope, id, {
    description: options.description,
    path: options.path,
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(options.inVpc
      ? 'service-role/AWSLambdaVPCAccessExecutionRole'
      : 'service-role/AWSLambdaBasicExecutionRole')],
  });
}
