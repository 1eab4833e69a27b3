import * as eks from 'aws-cdk-lib/aws-eks';
import { IConstruct } from 'constructs';
import { anySelectorMatches } from './selector-matching';
import { stateOf } from '../cluster/cluster-state';

/**
 * Makes a managed add-on wait for every Fargate profile of `cluster` that selects its pods (an add-on created first
 * would have Pending pods and fail its health check). Returns how many profiles select them.
 */
export function dependOnProfilesSelecting(addon: eks.CfnAddon, cluster: IConstruct, namespace: string, labels: { [key: string]: string }): number {
  const profiles = stateOf(cluster).profiles.profiles.filter(profile => anySelectorMatches(profile.selectors, namespace, labels));
  for (const profile of profiles) {
    addon.addResourceDependency(profile.resource);
  }
  return profiles.length;
}
