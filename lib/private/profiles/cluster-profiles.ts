import { Annotations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { SelectorLike, selectorsOverlap } from './selector-matching';

/** EKS default quota of Fargate profiles a cluster. */
export const MAX_PROFILES_PER_CLUSTER = 10;

/** A Fargate profile as the cluster's bookkeeping sees it. */
export interface RegisteredProfile {
  readonly resource: eks.CfnFargateProfile;
  readonly name: string;
  readonly selectors: readonly SelectorLike[];
  /** The role the profile's pods run with (logging permissions go on it). */
  readonly podExecutionRole: iam.IRole;
  /** The construct that warnings about this profile are attached to. */
  readonly owner: IConstruct;
}

/**
 * Every Fargate profile of one cluster in this app, in creation order.
 *
 * EKS runs one profile operation at a time per cluster, so the profiles form a single CloudFormation
 * `DependsOn` chain in that order; appending a profile never changes the dependencies of existing ones.
 */
export class ClusterProfiles {
  private readonly registered: RegisteredProfile[] = [];

  /** The profiles registered so far, in chain order. */
  public get profiles(): readonly RegisteredProfile[] {
    return this.registered;
  }

  /** Adds a profile at the end of the chain and warns about quota and overlapping selectors. */
  public register(profile: RegisteredProfile): void {
    const duplicate = this.registered.find(existing => existing.name === profile.name);
    if (duplicate) {
      throw new Error(`${profile.owner.node.path}: Fargate profile name '${profile.name}' is already used by ${duplicate.owner.node.path}; `
        + 'profile names must be unique in a cluster. Give one of the sets another `profileNamePrefix` or different selectors.');
    }
    const previous = this.registered[this.registered.length - 1];
    if (previous) {
      profile.resource.addResourceDependency(previous.resource, 'EKS runs one Fargate profile operation at a time per cluster');
    }
    this.warnAboutOverlaps(profile);
    this.registered.push(profile);
    if (this.registered.length === MAX_PROFILES_PER_CLUSTER + 1) {
      Annotations.of(profile.owner).addWarningV2('cdk-eks-fargate:profile-quota',
        `The cluster now has ${this.registered.length} Fargate profiles; EKS allows ${MAX_PROFILES_PER_CLUSTER} a cluster by default `
        + '(Service Quotas: "Fargate profiles per cluster"). Request a quota increase before deploying, or combine selectors '
        + '(up to 5 a profile).');
    }
  }

  private warnAboutOverlaps(profile: RegisteredProfile): void {
    for (const existing of this.registered) {
      for (const selector of profile.selectors) {
        const other = existing.selectors.find(candidate => selectorsOverlap(selector, candidate));
        if (other) {
          const [first] = [existing.name, profile.name].sort();
          Annotations.of(profile.owner).addWarningV2('cdk-eks-fargate:selector-overlap',
            `Selector ${describeSelector(selector)} of profile '${profile.name}' overlaps selector ${describeSelector(other)} of profile `
            + `'${existing.name}' (${existing.owner.node.path}); EKS schedules a pod matching both with the first profile by name ('${first}'). `
            + 'Make the selectors disjoint (other namespaces or labels) unless that is intended.');
          break;
        }
      }
    }
  }
}

function describeSelector(selector: SelectorLike): string {
  const labels = Object.entries(selector.labels ?? {}).map(([key, value]) => `${key}=${value}`);
  return labels.length > 0 ? `'${selector.namespace}' {${labels.join(', ')}}` : `'${selector.namespace}'`;
}
