import { Annotations, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { newVpcProblems, publicAccessCidrProblems, versionProblems } from './cluster-input-rules';
import { supportStatus, TABLE_AS_OF } from './kubernetes-versions';
import { availabilityZoneCount, REGION_ZONES_AS_OF } from './region-zones';
import { FargateClusterProps, SupportType } from '../../fargate-cluster-props';
import { atSynth } from '../shared/at-synth';
import { enumProblems } from '../shared/enum-rules';
import { checkFargateRegion } from '../shared/fargate-regions';
import { CLUSTER_TAGGED_TYPES, tagProblems } from '../shared/tag-rules';
import { throwIfProblems } from '../shared/validation-report';

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;

/** Every synth-time rule on the props of an owned cluster, reported together. */
export function validateClusterProps(cluster: IConstruct, name: string, props: FargateClusterProps): void {
  const mode = props.authenticationMode ?? eks.AuthenticationMode.API_AND_CONFIG_MAP;
  const problems: string[] = [
    ...versionProblems(props.version?.version),
    ...enumProblems('authenticationMode', props.authenticationMode, eks.AuthenticationMode),
    ...enumProblems('supportType', props.supportType, SupportType),
    ...(props.clusterLogging ?? []).flatMap((type, index) => enumProblems(`clusterLogging[${index}]`, type, eks.ClusterLoggingTypes)),
    ...enumProblems('clusterLogRetention', props.clusterLogRetention, logs.RetentionDays),
    ...enumProblems('clusterLogRemovalPolicy', props.clusterLogRemovalPolicy, RemovalPolicy),
    ...publicAccessCidrProblems(props.endpointAccess?._config.publicCidrs),
    ...tagProblems(props.tags, CLUSTER_TAGGED_TYPES),
    ...(props.vpc ? [] : newVpcProblems({
      maxAzs: props.maxAzs ?? 2,
      natGateways: props.natGateways,
      vpcEndpoints: props.vpcEndpoints ?? false,
      knownAzs: knownAvailabilityZones(cluster),
      region: Token.isUnresolved(Stack.of(cluster).region) ? undefined : Stack.of(cluster).region,
    })),
    ...clusterLogGroupProblems(name, props.clusterLogGroup),
  ];
  if (mode === eks.AuthenticationMode.CONFIG_MAP) {
    problems.push('`authenticationMode` is CONFIG_MAP; a cluster made by this library uses access entries (API_AND_CONFIG_MAP or API), '
      + 'because in CONFIG_MAP mode a single bad aws-auth write locks out every node and principal. Use '
      + '`eks.AuthenticationMode.API_AND_CONFIG_MAP` (the default); SafeAwsAuth still merges aws-auth on request.');
  }
  if (!name.startsWith('${Token') && (name.length > 100 || !CLUSTER_NAME.test(name))) {
    problems.push(`\`clusterName\` '${name}' is not a valid EKS cluster name: 1 to 100 letters, digits, '-' and '_', starting with a `
      + 'letter or digit. Choose another name, or leave it out for a generated one.');
  }
  throwIfProblems(cluster, problems);
  checkFargateRegion(cluster);
  if (!props.vpc) {
    warnIfZonesUnverified(cluster, props.maxAzs ?? 2);
  }
}

/**
 * Every Region has at least two zones an account can use, so `maxAzs` above 2 needs the region's zones: from context,
 * or the shipped table. An environment-agnostic stack gets two zones whatever `maxAzs` says (Fn::GetAZs).
 */
function warnIfZonesUnverified(cluster: IConstruct, maxAzs: number): void {
  const region = Stack.of(cluster).region;
  if (maxAzs <= 2 || knownAvailabilityZones(cluster)) {
    return;
  }
  if (Token.isUnresolved(region)) {
    Annotations.of(cluster).addWarningV2('cdk-eks-fargate:max-azs-unverified', `\`maxAzs\` is ${maxAzs}, but the stack has no explicit `
      + 'region, so the VPC gets the first two zones of Fn::GetAZs whatever `maxAzs` says, and whether the region has that many zones '
      + 'cannot be checked. Give the stack an `env` with account and region.');
  } else if (availabilityZoneCount(region) === undefined) {
    Annotations.of(cluster).addWarningV2('cdk-eks-fargate:max-azs-unverified', `\`maxAzs\` is ${maxAzs}, but ${region} is not in this `
      + `library's table of Availability Zones (as of ${REGION_ZONES_AS_OF}), so whether it has that many cannot be checked at synth. `
      + `Put its zones into the \`availability-zones:account=${Stack.of(cluster).account}:region=${region}\` context (what \`cdk synth\` `
      + 'looks up with credentials), or use 2.');
  }
}

/** The region's zones when the app's context has them (never a lookup). */
function knownAvailabilityZones(scope: IConstruct): string[] | undefined {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.region) || Token.isUnresolved(stack.account)) {
    return undefined;
  }
  const zones: unknown = scope.node.tryGetContext(`availability-zones:account=${stack.account}:region=${stack.region}`);
  return Array.isArray(zones) ? zones.map(String) : undefined;
}

function clusterLogGroupProblems(name: string, logGroup: logs.ILogGroup | undefined): string[] {
  if (!logGroup || Token.isUnresolved(logGroup.logGroupName) || name.startsWith('${Token')) {
    return [];
  }
  const expected = `/aws/eks/${name}/cluster`;
  return logGroup.logGroupName === expected ? [] : [`\`clusterLogGroup\` is '${logGroup.logGroupName}', but EKS writes the control-plane `
    + `logs of this cluster to '${expected}'. Pass the group of that name, or leave \`clusterLogGroup\` out.`];
}

/** Support warnings come from a table shipped with the library (never the clock), so snapshots never drift. */
export function warnAboutSupport(cluster: IConstruct, version: string, supportType: SupportType): void {
  const status = supportStatus(version, TABLE_AS_OF);
  if (status === 'ended') {
    Annotations.of(cluster).addWarningV2('cdk-eks-fargate:version-unsupported',
      `Kubernetes ${version} is past the end of EKS extended support (per this library's version table of ${TABLE_AS_OF}); EKS `
      + 'upgrades such clusters itself and new clusters of it cannot be created. Choose a version in standard support.');
  } else if (status === 'extended' && supportType === SupportType.STANDARD) {
    Annotations.of(cluster).addWarningV2('cdk-eks-fargate:version-extended',
      `Kubernetes ${version} is in EKS extended support (per this library's version table of ${TABLE_AS_OF}) but \`supportType\` is `
      + 'STANDARD, so EKS will upgrade the control plane on its own schedule. Upgrade the version, or set `supportType: '
      + 'SupportType.EXTENDED` (six times the cluster price).');
  }
}


/** Warns, once every grant is known, when nobody could administer the cluster. */
export function warnIfNoAdminAtSynth(cluster: IConstruct, hasAdmin: () => boolean): void {
  atSynth(cluster, () => {
    if (hasAdmin()) {
      return;
    }
    Annotations.of(cluster).addWarningV2('cdk-eks-fargate:no-cluster-admin',
      'The cluster has no administrator: `bootstrapClusterCreatorAdminPermissions` is off (the default) and neither `mastersRole` '
      + 'nor `grantAccess` with AmazonEKSClusterAdminPolicy gives anyone cluster-admin rights, so nobody can run kubectl against it. '
      + 'Set `mastersRole`, or call `grantAccess(id, principalArn, [clusterAdminPolicy])`.');
  });
}
