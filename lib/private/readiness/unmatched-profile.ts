import { podWorkloadOf } from './pod-spec';
import { READINESS_RULE_PREFIX, ReadinessRule } from './types';
import { anySelectorMatches } from '../profiles/selector-matching';

/**
 * Pods no profile selects: on a Fargate-only cluster there is nowhere else to run them, so they stay Pending
 * forever, without an error anywhere. (On a mixed cluster they run on EC2 nodes, which is fine.)
 */
export const unmatchedProfileRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}unmatched-profile`,
  level: 'warning',
  summary: 'Pods that no Fargate profile selects stay Pending on a Fargate-only cluster.',
  check(manifest, context) {
    const workload = podWorkloadOf(manifest);
    // A DaemonSet never runs on Fargate whatever the profiles say; its own rule reports it.
    if (!context.fargateOnly || !workload || workload.kind === 'DaemonSet') {
      return [];
    }
    if (anySelectorMatches(context.profileSelectors, workload.namespace, workload.labels)) {
      return [];
    }
    const labels = Object.entries(workload.labels).map(([key, value]) => `${key}=${value}`).join(', ');
    return [`${workload.reference}: no Fargate profile selects namespace \`${workload.namespace}\``
      + (labels ? ` with pod labels {${labels}}` : ' (its pods have no labels)')
      + '; on a Fargate-only cluster its pods stay Pending forever. '
      + `Add a selector to a FargateProfileSet, e.g. \`{ namespace: '${workload.namespace}' }\`.`];
  },
};
