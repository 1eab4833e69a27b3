import { Fn, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { privateSubnetsOf } from './vpc-subnets';
import { acknowledgeNag } from '../shared/nag-acknowledgements';
import { throwIfProblems } from '../shared/validation-report';

/** How the default VPC of a cluster is shaped. */
export interface ClusterVpcOptions {
  readonly maxAzs: number;
  readonly natGateways?: number;
  readonly vpcEndpoints: boolean;
}

/**
 * A VPC made for EKS on Fargate: public subnets for load balancers and NAT, private subnets for pods, DNS on (the
 * private endpoint needs it), flow logs, the ELB discovery tags, and an S3 gateway endpoint (ECR image layers).
 *
 * Availability zones are `Fn::GetAZs` picks, not a context lookup, so the stack synthesizes without credentials.
 */
export function createClusterVpc(scope: Construct, options: ClusterVpcOptions): ec2.Vpc {
  const availabilityZones = Array.from({ length: options.maxAzs }, (_, index) => Fn.select(index, Fn.getAzs()));
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    availabilityZones,
    natGateways: options.natGateways ?? options.maxAzs,
    enableDnsHostnames: true,
    enableDnsSupport: true,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      // Without NAT the private subnets reach AWS through the endpoints only (natGateways 0 requires vpcEndpoints).
      { name: 'Private', subnetType: options.natGateways === 0 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 19 },
    ],
    gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    flowLogs: { FlowLogs: { trafficType: ec2.FlowLogTrafficType.ALL, destination: flowLogDestination(scope) } },
  });
  for (const subnet of vpc.publicSubnets) {
    Tags.of(subnet).add('kubernetes.io/role/elb', '1');
  }
  for (const subnet of privateSubnetsOf(vpc)) {
    Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');
  }
  if (options.vpcEndpoints) {
    addPrivateClusterEndpoints(vpc);
  }
  return vpc;
}

/** Flow logs into a log group with retention, through a role only this account's flow logs can assume. */
function flowLogDestination(scope: Construct): ec2.FlowLogDestination {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'FlowLogsRole', {
    description: 'Delivers the VPC flow logs to CloudWatch Logs',
    // AWS recommends both keys against the confused deputy problem.
    assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' }) },
    }),
  });
  const logGroup = new logs.LogGroup(scope, 'FlowLogsLogGroup', { retention: logs.RetentionDays.THREE_MONTHS });
  return ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role);
}

/** The interface endpoints Fargate pods and the control plane's clients need when nothing leaves the VPC. */
export const PRIVATE_CLUSTER_ENDPOINTS: ReadonlyArray<[string, ec2.InterfaceVpcEndpointAwsService]> = [
  ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
  ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
  ['Sts', ec2.InterfaceVpcEndpointAwsService.STS],
  ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
  ['Eks', ec2.InterfaceVpcEndpointAwsService.EKS],
];

/** Options of {@link addPrivateClusterEndpoints}. */
export interface PrivateClusterEndpointOptions {
  /** Also the S3 gateway endpoint (ECR image layers), for a VPC that may not have one. */
  readonly s3Gateway: boolean;
}

/** Adds the private-cluster interface endpoints to a VPC, in its private (or isolated) subnets. */
export function addPrivateClusterEndpoints(vpc: ec2.IVpc, options: PrivateClusterEndpointOptions = { s3Gateway: false }): void {
  const subnets = privateSubnetsOf(vpc);
  if (options.s3Gateway) {
    vpc.addGatewayEndpoint('S3GatewayEndpoint', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnets }] });
  }
  for (const [id, service] of PRIVATE_CLUSTER_ENDPOINTS) {
    const endpoint = vpc.addInterfaceEndpoint(`${id}Endpoint`, { service, subnets: { subnets }, privateDnsEnabled: true });
    acknowledgeNag(endpoint, 'AwsSolutions-EC23', 'The endpoint security group admits HTTPS from the VPC CIDR only; cdk-nag cannot '
      + 'evaluate the CIDR because it is a reference to the VPC.');
  }
}

/** Refuses a VPC of this app whose DNS settings would leave pods unable to resolve the private API endpoint. */
export function checkVpcDns(owner: Construct, vpc: ec2.IVpc): void {
  if (!(vpc instanceof ec2.Vpc)) {
    return;
  }
  const problems: string[] = [];
  if (!vpc.dnsSupportEnabled) {
    problems.push(`\`vpc\` ${vpc.node.path} has enableDnsSupport false; EKS needs DNS resolution in the VPC for the private API `
      + 'endpoint and Fargate pods cannot register without it. Set `enableDnsSupport: true`.');
  }
  if (!vpc.dnsHostnamesEnabled) {
    problems.push(`\`vpc\` ${vpc.node.path} has enableDnsHostnames false; the private API endpoint only resolves with DNS hostnames on, `
      + 'so Fargate pods would stay Pending. Set `enableDnsHostnames: true`.');
  }
  throwIfProblems(owner, problems);
}
