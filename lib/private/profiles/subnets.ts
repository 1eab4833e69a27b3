import { Annotations, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import type { IFargateCluster } from '../../fargate-cluster-interface';
import { privateSubnetsOf } from '../cluster/vpc-subnets';
import { throwIfProblems } from '../shared/validation-report';

/**
 * The subnet ids for a profile set's profiles, after checking that none is known to be public (Fargate only
 * runs pods in private subnets) and warning when the app cannot tell (subnets of an imported VPC).
 */
export function profileSubnets(owner: IConstruct, cluster: IFargateCluster, selection?: ec2.SubnetSelection): string[] {
  const vpc = cluster.vpc;
  if (!vpc) {
    const explicit = selection?.subnets;
    if (!explicit || explicit.length === 0) {
      throwIfProblems(owner, ['`vpcSubnets` must list the subnets (`{ subnets: [...] }`) because the imported cluster has no `vpc`; '
        + 'give `vpc` in `FargateCluster.fromClusterAttributes` or select subnets explicitly.']);
    }
    warnUnverified(owner, explicit!.filter(subnet => !isDefinedHere(subnet)));
    return explicit!.map(subnet => subnet.subnetId);
  }

  const subnets = selection ? vpc.selectSubnets(selection).subnets : privateSubnetsOf(vpc);
  const publicIds = new Set(vpc.publicSubnets.map(subnet => subnet.subnetId));
  throwIfProblems(owner, subnets
    .filter(subnet => subnet instanceof ec2.PublicSubnet || publicIds.has(subnet.subnetId))
    .map(subnet => `\`subnets\` selects public subnet ${describe(subnet)}; Fargate runs pods only in private subnets (no route `
      + 'to an internet gateway), so the pods would stay Pending. Select private subnets, e.g. `{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }`.'));
  if (subnets.length === 0) {
    throwIfProblems(owner, ['`vpcSubnets` selects no subnet of the cluster VPC; a Fargate profile needs at least one private subnet. '
      + 'Add private subnets to the VPC or change the selection.']);
  }
  warnUnverified(owner, subnets.filter(subnet => !isDefinedHere(subnet)));
  return subnets.map(subnet => subnet.subnetId);
}

/** Subnets created by this app (ec2.Subnet) are typed by their route tables; imported ones are only declared. */
function isDefinedHere(subnet: ec2.ISubnet): boolean {
  return subnet instanceof ec2.Subnet;
}

function warnUnverified(owner: IConstruct, subnets: readonly ec2.ISubnet[]): void {
  if (subnets.length === 0) {
    return;
  }
  Annotations.of(owner).addWarningV2('cdk-eks-fargate:subnet-unverified',
    `Subnets ${subnets.map(describe).join(', ')} come from an imported VPC, so this app cannot verify that they are private; `
    + 'Fargate rejects subnets with a route to an internet gateway at deploy time. Check their route tables, then acknowledge '
    + 'this warning.');
}

function describe(subnet: ec2.ISubnet): string {
  return Token.isUnresolved(subnet.subnetId) ? subnet.node.path : `'${subnet.subnetId}'`;
}
