import { Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IFargateCluster } from './fargate-cluster-ref';
import { PodExecutionRole } from './pod-execution-role';
import { profilesOf } from './private/cluster-profiles';
import { profileName, profileNamePrefixFromPath } from './private/profile-naming';
import { packSelectors } from './private/profile-packing';
import { profileSubnets } from './private/profile-subnets';
import { anySelectorMatches } from './private/selector-matching';
import { profileNamePrefixProblems, selectorProblems } from './private/validation/profile-validation';
import { throwIfProblems } from './private/validation/report';

/** Pods that a Fargate profile runs: a namespace and, optionally, labels the pods must all carry. */
export interface FargateSelector {
  /**
   * Kubernetes namespace of the pods; wildcards `*` (any characters) and `?` (one character) are allowed.
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
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Prefix of the profile names; each profile is named `<prefix>-<hash of its selectors, subnets and role>`.
   * @default - derived from the construct path
   */
  readonly profileName?: string;

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
  /** The `AWS::EKS::FargateProfile` resources, in chain order. */
  public readonly profiles: eks.CfnFargateProfile[];

  /** Names of the profiles, in the order of `profiles`. */
  public readonly profileNames: string[];

  /** The role the profiles' pods run with. */
  public readonly podExecutionRole: iam.IRole;

  private readonly selectors: FargateSelector[];

  constructor(scope: Construct, id: string, props: FargateProfileSetProps) {
    super(scope, id);
    throwIfProblems(this, [
      ...(props.profileName !== undefined ? profileNamePrefixProblems(props.profileName) : []),
      ...selectorProblems(props.selectors),
    ]);
    this.selectors = props.selectors.map(selector => ({ namespace: selector.namespace, labels: selector.labels }));

    const cluster = props.cluster;
    const subnets = profileSubnets(this, cluster, props.subnets);
    this.podExecutionRole = props.podExecutionRole ?? cluster.podExecutionRole
      ?? new PodExecutionRole(this, 'PodExecutionRole', { clusterName: cluster.clusterName });

    const stack = Stack.of(this);
    const prefix = props.profileName ?? profileNamePrefixFromPath(this.node.scopes.slice(1).map(scope_ => scope_.node.id));
    const registry = profilesOf(cluster);
    this.profiles = [];
    this.profileNames = [];
    packSelectors(this.selectors).forEach((chunk, index) => {
      const cfnSelectors = chunk.map(selector => ({
        namespace: selector.namespace,
        labels: selector.labels ? Object.entries(selector.labels).map(([key, value]) => ({ key, value })) : undefined,
      }));
      const immutableFields = stack.resolve({ selectors: cfnSelectors, subnets, role: this.podExecutionRole.roleArn });
      const name = profileName(prefix, immutableFields);
      const resource = new eks.CfnFargateProfile(this, index === 0 ? 'Resource' : `Profile${index + 1}`, {
        clusterName: cluster.clusterName,
        fargateProfileName: name,
        podExecutionRoleArn: this.podExecutionRole.roleArn,
        selectors: cfnSelectors,
        subnets,
      });
      registry.register({ resource, name, selectors: chunk, podExecutionRole: this.podExecutionRole, owner: this });
      this.profiles.push(resource);
      this.profileNames.push(name);
    });

    if ((cluster.authenticationMode ?? eks.AuthenticationMode.CONFIG_MAP) === eks.AuthenticationMode.CONFIG_MAP) {
      mapPodExecutionRoleInAwsAuth(this, cluster, this.podExecutionRole);
    }
    for (const [key, value] of Object.entries(props.tags ?? {})) {
      Tags.of(this).add(key, value);
    }
  }

  /**
   * Whether a pod in `podNamespace` with `labels` would be scheduled by one of this set's profiles (EKS
   * semantics: any selector; its namespace and every one of its labels must match; `*` and `?` wildcards).
   */
  public matches(podNamespace: string, labels?: { [key: string]: string }): boolean {
    return anySelectorMatches(this.selectors, podNamespace, labels ?? {});
  }
}

/**
 * On a CONFIG_MAP cluster EKS writes the pod execution role into aws-auth itself; mapping the identical entry
 * through the merge adopts it, so a redeploy restores it if anything overwrote aws-auth, and it is never removed.
 */
function mapPodExecutionRoleInAwsAuth(set: FargateProfileSet, cluster: IFargateCluster, role: iam.IRole): void {
  cluster.awsAuth.addRoleMapping(role, {
    username: 'system:node:{{SessionName}}',
    groups: ['system:bootstrappers', 'system:nodes', 'system:node-proxier'],
  });
  // After the profiles: EKS writes its entry when it creates a profile, and the merge then adopts it.
  cluster.awsAuth.node.addDependency(set);
}
