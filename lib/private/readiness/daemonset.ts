import { isKind, podWorkloadOf, referenceOf } from './pod-spec';
import { READINESS_RULE_PREFIX, ReadinessRule } from './types';
import { anySelectorMatches } from '../profiles/selector-matching';

/**
 * DaemonSets: Fargate gives every pod its own node and schedules nothing else onto it, so a DaemonSet has no
 * node to run on. On a mixed cluster its pods still run on the EC2 nodes, but pods on Fargate go without it.
 */
export const daemonSetRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}daemonset`,
  level: 'error',
  summary: 'DaemonSets never run on Fargate nodes.',
  check(manifest, context) {
    if (!isKind(manifest, 'DaemonSet', ['apps', 'extensions'])) {
      return [];
    }
    if (!context.fargateOnly) {
      const workload = podWorkloadOf(manifest);
      if (!workload || !anySelectorMatches(context.profileSelectors, workload.namespace, workload.labels)) {
        return [];
      }
    }
    return [`${referenceOf(manifest)}: Fargate runs no DaemonSets (no nodes to schedule on). `
      + 'Use a sidecar container, or Fargate\'s built-in log router (`fargateLogging`) for logs.'];
  },
};
