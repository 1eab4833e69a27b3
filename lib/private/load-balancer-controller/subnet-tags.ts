import { Annotations, AspectPriority, Aspects, CfnResource, IAspect, ITaggable, TagManager } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { privateSubnetsOf } from '../cluster/vpc-subnets';

/** Tag the AWS Load Balancer Controller looks for on subnets of internet-facing load balancers. */
export const PUBLIC_ELB_TAG = 'kubernetes.io/role/elb';
/** Tag the AWS Load Balancer Controller looks for on subnets of internal load balancers. */
export const INTERNAL_ELB_TAG = 'kubernetes.io/role/internal-elb';
/** Warning id; acknowledge it on the controller construct or a scope above it. */
export const SUBNET_ELB_TAGS_WARNING = 'cdk-eks-fargate:subnet-elb-tags';

/** Values the controller accepts for its role tags. */
const ACCEPTED_VALUES = ['1', ''];

/**
 * Warns on `owner` about each subnet of `vpc` made in this app that lacks the controller's role tag: `kubernetes.io/role/elb`
 * on public subnets, `kubernetes.io/role/internal-elb` on private ones (on isolated ones when the VPC has no private
 * subnets with egress, as in a private cluster). Imported subnets are skipped: their tags are not known at synth.
 *
 * Tags are applied by aspects during synthesis, so each check is a read-only aspect on the subnet's `AWS::EC2::Subnet`
 * that runs after every tag aspect has visited it, whichever scope the tags were added on and whenever.
 */
export function warnAboutUntaggedSubnets(owner: IConstruct, vpc: ec2.IVpc): void {
  const privateSubnets = privateSubnetsOf(vpc);
  const checks: Array<[ec2.ISubnet, string, string]> = [
    ...vpc.publicSubnets.map((subnet): [ec2.ISubnet, string, string] => [subnet, PUBLIC_ELB_TAG, 'public']),
    ...privateSubnets.map((subnet): [ec2.ISubnet, string, string] => [subnet, INTERNAL_ELB_TAG, 'private']),
  ];
  for (const [subnet, tag, kind] of checks) {
    const resource = subnet.node.defaultChild;
    if (!ec2.Subnet.isVpcSubnet(subnet) || !isTaggableSubnetResource(resource)) {
      continue;
    }
    Aspects.of(resource).add(new SubnetRoleTagCheck(owner, resource, subnet, tag, kind), { priority: AspectPriority.READONLY });
  }
}

function isTaggableSubnetResource(construct: IConstruct | undefined): construct is CfnResource & ITaggable {
  return construct !== undefined && CfnResource.isCfnResource(construct) && construct.cfnResourceType === 'AWS::EC2::Subnet'
    && TagManager.isTaggable(construct);
}

class SubnetRoleTagCheck implements IAspect {
  constructor(
    private readonly owner: IConstruct,
    private readonly resource: CfnResource & ITaggable,
    private readonly subnet: ec2.ISubnet,
    private readonly tag: string,
    private readonly kind: string,
  ) {}

  public visit(node: IConstruct): void {
    if (node !== this.resource) {
      return;
    }
    const value = this.resource.tags.tagValues()[this.tag];
    if (value !== undefined && ACCEPTED_VALUES.includes(value)) {
      return;
    }
    const found = value === undefined ? 'has no' : `has '${value}' as its`;
    const scheme = this.kind === 'public' ? 'internet-facing' : 'internal';
    Annotations.of(this.owner).addWarningV2(SUBNET_ELB_TAGS_WARNING,
      `${this.kind === 'public' ? 'Public' : 'Private'} subnet ${this.subnet.node.path} ${found} \`${this.tag}\` tag. The AWS Load `
      + `Balancer Controller puts ${scheme} load balancers in the ${this.kind} subnets tagged \`${this.tag}: 1\`: when some subnets of `
      + 'the VPC carry the tag, untagged ones are never used, and when none does, it falls back to every subnet whose route table '
      + `makes it ${this.kind}, whatever else that subnet is for. Tag it: \`Tags.of(subnet).add('${this.tag}', '1')\`.`);
  }
}
