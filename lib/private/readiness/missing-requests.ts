import { containerRequest } from './pod-resources';
import { containerName, containersOf, fargateWorkloadOf } from './pod-spec';
import { READINESS_RULE_PREFIX, ReadinessRule } from './types';

/**
 * Containers without requests: Fargate sizes a pod from its requests alone, so a pod whose containers request
 * nothing gets the smallest configuration (0.25 vCPU, 0.5 GB) and cannot grow past it.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html
 */
export const missingRequestsRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}missing-requests`,
  level: 'warning',
  summary: 'Containers without CPU or memory requests get no capacity of their own on Fargate.',
  check(manifest, context) {
    const workload = fargateWorkloadOf(manifest, context);
    if (!workload) {
      return [];
    }
    const missing: string[] = [];
    for (const container of containersOf(workload.spec).longRunning) {
      const resources = ['cpu', 'memory'].filter((resource) => containerRequest(container, resource) === undefined);
      if (resources.length > 0) {
        missing.push(`\`${containerName(container)}\` (${resources.join(', ')})`);
      }
    }
    if (missing.length === 0) {
      return [];
    }
    return [`${workload.reference}: container ${missing.join(', ')} requests no resources; Fargate sizes pods from `
      + 'requests only (0.25 vCPU and 0.5 GB when nothing is requested) and never grows them. '
      + 'Set `resources.requests` (and equal limits) for cpu and memory.'];
  },
};
