import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { atSynth } from '../shared/at-synth';

/**
 * The subnets of a VPC where pods, endpoints and Lambda functions of the cluster go: the private subnets with
 * egress, or the isolated ones in a VPC that has none (a private cluster reaching AWS through endpoints).
 */
export function privateSubnetsOf(vpc: ec2.IVpc): ec2.ISubnet[] {
  return vpc.privateSubnets.length > 0 ? vpc.privateSubnets : vpc.isolatedSubnets;
}

/**
 * Makes something that runs in the VPC's private subnets (a Lambda function, a nested stack of them) wait for their
 * way out: the default routes (NAT) and the VPC endpoints. CloudFormation then deletes it before them, so a stack
 * delete never removes the routes while a function still needs them (e.g. a custom resource's Delete).
 */
export function dependOnPrivateEgress(dependent: IConstruct, vpc: ec2.IVpc): void {
  dependent.node.addDependency(...privateSubnetsOf(vpc).map(subnet => subnet.internetConnectivityEstablished));
  // Endpoints may be added to the VPC after the dependent exists.
  atSynth(dependent, () => {
    const endpoints = vpc.node.children.filter(child => child instanceof ec2.InterfaceVpcEndpoint || child instanceof ec2.GatewayVpcEndpoint);
    dependent.node.addDependency(...endpoints);
  });
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
