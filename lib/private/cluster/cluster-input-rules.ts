/** Synth-time rules on FargateCluster props that JavaScript callers and typos can break (pure: no aws-cdk-lib). */

import { availabilityZoneCount, MAX_REGION_AZS, REGION_ZONES_AS_OF } from './region-zones';

const KUBERNETES_VERSION = /^1\.\d{1,3}$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** EKS quota: CIDR blocks of the public endpoint's allow list. */
export const MAX_PUBLIC_ACCESS_CIDRS = 40;

export function versionProblems(version: unknown): string[] {
  if (typeof version !== 'string' || !KUBERNETES_VERSION.test(version)) {
    return [`\`version\` is ${JSON.stringify(version)}; EKS takes a Kubernetes version of the form 1.NN. Use e.g. `
      + '`eks.KubernetesVersion.V1_34` (or `KubernetesVersion.of(\'1.34\')`).'];
  }
  return [];
}

export function publicAccessCidrProblems(cidrs: readonly string[] | undefined): string[] {
  if (!cidrs) {
    return [];
  }
  const problems = cidrs.filter(cidr => !isIpv4Cidr(cidr)).map(cidr =>
    `\`endpointAccess\` allows ${JSON.stringify(cidr)}, which is not an IPv4 CIDR block (a.b.c.d/n, each part 0-255, n 0-32). `
    + 'Fix it in `EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...)`.');
  if (cidrs.length > MAX_PUBLIC_ACCESS_CIDRS) {
    problems.push(`\`endpointAccess\` allows ${cidrs.length} CIDR blocks; EKS takes at most ${MAX_PUBLIC_ACCESS_CIDRS} for the public `
      + 'endpoint (quota). Merge blocks, or use a private endpoint.');
  }
  return problems;
}

function isIpv4Cidr(cidr: string): boolean {
  const match = IPV4_CIDR.exec(cidr);
  return !!match && match.slice(1, 5).every(part => Number(part) <= 255 && String(Number(part)) === part) && Number(match[5]) <= 32;
}

/** What the default VPC is asked to be. */
export interface NewVpcInput {
  readonly maxAzs: number;
  readonly natGateways?: number;
  readonly vpcEndpoints: boolean;
  /** The region's zones when known at synth (from context). */
  readonly knownAzs?: readonly string[];
  /** The stack's region when known at synth. */
  readonly region?: string;
}

export function newVpcProblems(input: NewVpcInput): string[] {
  const problems: string[] = [];
  const tableCount = input.region === undefined ? undefined : availabilityZoneCount(input.region);
  const limit = input.knownAzs ? Math.min(input.knownAzs.length, MAX_REGION_AZS) : tableCount ?? MAX_REGION_AZS;
  if (!Number.isInteger(input.maxAzs) || input.maxAzs < 2 || input.maxAzs > limit) {
    let zones: string;
    if (input.knownAzs) {
      zones = `the region has ${input.knownAzs.length} (${input.knownAzs.join(', ')})`;
    } else if (tableCount !== undefined) {
      zones = `${input.region} has ${tableCount} (AWS documentation, as of ${REGION_ZONES_AS_OF}; if it has more now, put the zones `
        + 'into the `availability-zones:account=...:region=...` context)';
    } else {
      zones = `no region has more than ${MAX_REGION_AZS}`;
    }
    problems.push(`\`maxAzs\` is ${input.maxAzs}; EKS needs subnets in at least two availability zones and ${zones}. Use 2 to ${limit}.`);
  }
  if (input.natGateways !== undefined && (!Number.isInteger(input.natGateways) || input.natGateways < 0)) {
    problems.push(`\`natGateways\` is ${input.natGateways}; it counts NAT gateways (0 or more). Use 0 with \`vpcEndpoints: true\`, `
      + 'or leave it out for one a zone.');
  } else if (input.natGateways === 0 && !input.vpcEndpoints) {
    problems.push('`natGateways` is 0 without `vpcEndpoints`: the private subnets would have no way out, so Fargate pods could not pull '
      + 'images and in-VPC Lambdas could not reach AWS. Set `vpcEndpoints: true` (ECR, STS, Logs and EKS interface endpoints), or '
      + 'keep at least one NAT gateway.');
  }
  return problems;
}
