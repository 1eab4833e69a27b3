import { Annotations, Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IFargateCluster } from './fargate-cluster-interface';
import { PodExecutionRole } from './pod-execution-role';
import { stateOf } from './private/cluster/cluster-state';
import { parseEksctlFargateProfiles } from './private/profiles/eksctl-config';
import { profileName, profileNamePrefixFromPath } from './private/profiles/naming';
import { packSelectors } from './private/profiles/packing';
import { anySelectorMatches } from './private/profiles/selector-matching';
import { profileSubnets } from './private/profiles/subnets';
import { profileNamePrefixProblems, selectorProblems } from './private/profiles/validation';
import { refuseGovCloud } from './private/shared/fargate-regions';
import { NODE_GROUPS, NODE_PROXIER_GROUP } from './private/shared/kubernetes-groups';
import { PROFILE_SET_TAGGED_TYPES, tagProblems } from './private/shared/tag-rules';
import { throwIfProblems } from './private/shared/validation-report';

/** Pods that a Fargate profile runs: a namespace and, optionally, labels the pods must all carry. */
export interface FargateSelector {
  /**
   * Kubernetes namespace of the pods. Wildcards `*` (any characters) and `?` (one character) are allowed.
   */
  readonly namespace: string;

  /**
   * Labels a pod must carry, all of them, to be selected (keys and values may use `*` and `?`). Up to five.
   * @default - every pod of the namespace
   */
  readonly labels?: { [key: string]: string };
}

/** Options of a {@link FargateProfileSet} added through `FargateCluster.addProfileSet`. */
export interface FargateProfileSetOptions {
  /**
   * Pods to run on Fargate. Packed into profiles of up to five selectors each, in the given order; append new
   * selectors at the end so that only the last profile is replaced.
   */
  readonly selectors: FargateSelector[];

  /**
   * Role Fargate uses to pull images and ship logs for the selected pods.
   * @default - the cluster's pod execution role, or a new `PodExecutionRole` when the cluster has none
   */
  readonly podExecutionRole?: iam.IRole;

  /**
   * Private subnets of the cluster's VPC for the pods (Fargate rejects public subnets).
   * @default - the VPC's private subnets (isolated ones when it has no private subnets with egress)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Prefix of the profile names. Each profile is named `<prefix>-<hash of its selectors, subnets and role>`.
   * @default - derived from the construct path
   */
  readonly profileNamePrefix?: string;

  /**
   * Tags for the Fargate profiles (EKS propagates none of them to pods).
   * @default - none beyond those inherited from the scope
   */
  readonly tags?: { [key: string]: string };
}

/** Properties of a {@link FargateProfileSet}. */
export interface FargateProfileSetProps extends FargateProfileSetOptions {
  /** The cluster that gets the profiles. */
  readonly cluster: IFargateCluster;
}

/**
 * Fargate profiles for a list of selectors: validated before deploy, packed five selectors a profile, named
 * deterministically and chained so that EKS sees one profile operation at a time per cluster.
 *
 * Profiles are immutable in EKS: changing one replaces it, and its running pods stop. Packing keeps the user's
 * order so that appending a selector replaces at most the last profile of the set.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html
 */
export class FargateProfileSet extends Construct {
  /**
   * Fargate profiles for the `fargateProfiles` of an eksctl `ClusterConfig`, to move an eksctl-managed Fargate setup
   * into CDK: each eksctl profile keeps its selectors, subnets (by id), pod execution role and tags, and its name
   * becomes the prefix of the new profile names (so they never collide with the eksctl ones during the move).
   * Fields this library does not carry over, and other sections of the file, are reported as warnings
   * (`cdk-eks-fargate:eksctl-ignored`).
   * @param scope the scope of the profile set
   * @param id construct id of the profile set
   * @param cluster the cluster the profiles are added to
   * @param yamlText the eksctl ClusterConfig, as YAML
   */
  public static fromEksctlConfig(scope: Construct, id: string, cluster: IFargateCluster, yamlText: string): FargateProfileSet {
    let parsed;
    try {
      parsed = parseEksctlFargateProfiles(yamlText);
    } catch (error) {
      throw new Error(`${scope.node.path}/${id}: eksctl ClusterConfig: ${(error as Error).message}`);
    }
    const groups: ProfileGroup[] = parsed.profiles.map(profile => ({
      selectors: profile.selectors.map(selector => ({ namespace: selector.namespace, labels: selector.labels })),
      profileNamePrefix: profile.name,
      podExecutionRoleArn: profile.podExecutionRoleArn,
      subnetIds: profile.subnets,
      tags: profile.tags,
    }));
    // The eksctl profiles keep their own subnets, roles and names: a set made for them builds one group each.
    const EksctlProfileSet = class extends FargateProfileSet {
      /** @internal */
      protected _profileGroups(): ProfileGroup[] {
        return groups;
      }
    };
    const set = new EksctlProfileSet(scope, id, { cluster, selectors: groups.flatMap(group => group.selectors) });
    for (const note of parsed.notes) {
      Annotations.of(set).addWarningV2('cdk-eks-fargate:eksctl-ignored', `eksctl ClusterConfig: ${note}`);
    }
    return set;
  }

  /** The `AWS::EKS::FargateProfile` resources, in chain order. */
  public readonly profiles: eks.CfnFargateProfile[] = [];

  /** Names of the profiles, in the order of `profiles`. */
  public readonly profileNames: string[] = [];

  /** The role the profiles' pods run with (of the first profile, for sets read from an eksctl config). */
  public readonly podExecutionRole: iam.IRole;

  private readonly selectors: FargateSelector[];

  constructor(scope: Construct, id: string, props: FargateProfileSetProps) {
    super(scope, id);
    const groups = this._profileGroups(props);
    throwIfProblems(this, groups.flatMap(group => [
      ...(group.profileNamePrefix !== undefined ? profileNamePrefixProblems(group.profileNamePrefix) : []),
      ...selectorProblems(group.selectors),
      ...tagProblems(group.tags, PROFILE_SET_TAGGED_TYPES),
    ]));
    refuseGovCloud(this);
    this.selectors = props.selectors.map(selector => ({ namespace: selector.namespace, labels: selector.labels }));

    const cluster = props.cluster;
    const roles = groups.map((group, index) => this.roleOf(group, cluster, index));
    this.podExecutionRole = roles[0];
    warnAboutForeignRoles(this, cluster, roles);
    const defaultPrefix = profileNamePrefixFromPath(this.node.scopes.slice(1).map(scope_ => scope_.node.id));
    groups.forEach((group, index) => this.addProfiles(cluster, group, roles[index], group.profileNamePrefix ?? defaultPrefix));

    if ((cluster.authenticationMode ?? eks.AuthenticationMode.CONFIG_MAP) === eks.AuthenticationMode.CONFIG_MAP) {
      for (const role of new Set(roles)) {
        mapPodExecutionRoleInAwsAuth(this, cluster, role);
      }
    }
  }

  /**
   * Whether a pod in `podNamespace` with `labels` would be scheduled by one of this set's profiles.
   *
   * EKS semantics: any selector matches when its namespace and every one of its labels match (`*` and `?` wildcards).
   * @param podNamespace the pod's namespace
   * @param labels the pod's labels
   */
  public matches(podNamespace: string, labels?: { [key: string]: string }): boolean {
    return anySelectorMatches(this.selectors, podNamespace, labels ?? {});
  }

  /**
   * The groups of profiles the set builds, each with its own subnets, role and name prefix: one for props given
   * directly, one per eksctl profile for `fromEksctlConfig`.
   * @internal
   */
  protected _profileGroups(props: FargateProfileSetProps): ProfileGroup[] {
    return [props];
  }

  private roleOf(group: ProfileGroup, cluster: IFargateCluster, index: number): iam.IRole {
    if (group.podExecutionRole) {
      return group.podExecutionRole;
    }
    if (group.podExecutionRoleArn) {
      return iam.Role.fromRoleArn(this, `PodExecutionRole${index + 1}`, group.podExecutionRoleArn);
    }
    return cluster.podExecutionRole ?? this.ownPodExecutionRole(cluster);
  }

  /** One role for every profile of the set that names none, when the cluster offers none either. */
  private ownPodExecutionRole(cluster: IFargateCluster): iam.IRole {
    const existing = this.node.tryFindChild('PodExecutionRole') as iam.IRole | undefined;
    return existing ?? new PodExecutionRole(this, 'PodExecutionRole', { clusterName: cluster.clusterName });
  }

  private addProfiles(cluster: IFargateCluster, group: ProfileGroup, role: iam.IRole, prefix: string): void {
    const stack = Stack.of(this);
    // eksctl profiles usually share subnets: one imported subnet construct per id.
    const importedSubnet = (subnetId: string) => this.node.tryFindChild(`Subnet-${subnetId}`) as ec2.ISubnet | undefined
      ?? ec2.Subnet.fromSubnetId(this, `Subnet-${subnetId}`, subnetId);
    const selection = group.subnetIds ? { subnets: group.subnetIds.map(importedSubnet) } : group.vpcSubnets;
    const subnets = profileSubnets(this, cluster, selection);
    for (const chunk of packSelectors(group.selectors)) {
      const cfnSelectors = chunk.map(selector => ({
        namespace: selector.namespace,
        labels: selector.labels ? Object.entries(selector.labels).map(([key, value]) => ({ key, value })) : undefined,
      }));
      const name = profileName(prefix, stack.resolve({ selectors: cfnSelectors, subnets, role: role.roleArn }));
      const resource = new eks.CfnFargateProfile(this, this.profiles.length === 0 ? 'Resource' : `Profile${this.profiles.length + 1}`, {
        clusterName: cluster.clusterName,
        fargateProfileName: name,
        podExecutionRoleArn: role.roleArn,
        selectors: cfnSelectors,
        subnets,
      });
      for (const [key, value] of Object.entries(group.tags ?? {})) {
        Tags.of(resource).add(key, value);
      }
      stateOf(cluster).profiles.register({ resource, name, selectors: chunk, podExecutionRole: role, owner: this });
      this.profiles.push(resource);
      this.profileNames.push(name);
    }
  }
}

/** A PodExecutionRole made for another cluster is trusted only by that cluster's profiles: pods would never start. */
function warnAboutForeignRoles(set: FargateProfileSet, cluster: IFargateCluster, roles: iam.IRole[]): void {
  // An owned cluster's clusterName is a reference; its L1 holds the name the role was made with.
  const child = cluster.node.defaultChild;
  const clusterName = child instanceof eks.CfnCluster ? child.name : cluster.clusterName;
  for (const role of new Set(roles)) {
    if (role instanceof PodExecutionRole && clusterName !== undefined && !Token.isUnresolved(clusterName)
      && !Token.isUnresolved(role.clusterName) && role.clusterName !== clusterName) {
      Annotations.of(set).addWarningV2('cdk-eks-fargate:pod-execution-role-cluster',
        `\`podExecutionRole\` ${role.node.path} is trusted only by the Fargate profiles of cluster ${role.clusterName}, not of this `
        + 'cluster: its pods would never start (Fargate cannot assume the role). Use a PodExecutionRole made for this cluster.');
    }
  }
}

/** One kind of profile within a set: its own selectors, role, subnets, name prefix and tags. */
interface ProfileGroup {
  readonly selectors: FargateSelector[];
  readonly podExecutionRole?: iam.IRole;
  readonly podExecutionRoleArn?: string;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly subnetIds?: string[];
  readonly profileNamePrefix?: string;
  readonly tags?: { [key: string]: string };
}

/**
 * On a CONFIG_MAP cluster EKS writes the pod execution role into aws-auth itself. Mapping the identical entry
 * through the merge adopts it: it is never removed, and any deployment that changes the cluster's mappings writes
 * it back if something overwrote aws-auth (CloudFormation calls the handler only when its properties change).
 */
function mapPodExecutionRoleInAwsAuth(set: FargateProfileSet, cluster: IFargateCluster, role: iam.IRole): void {
  cluster.awsAuth.addRoleMapping(role, {
    username: 'system:node:{{SessionName}}',
    groups: [...NODE_GROUPS, NODE_PROXIER_GROUP],
  });
  // After the profiles: EKS writes its entry when it creates a profile, and the merge then adopts it.
  cluster.awsAuth.node.addDependency(set);
}
