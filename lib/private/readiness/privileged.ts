import { containerName, containersOf, fargateWorkloadOf, objectAt } from './pod-spec';
import { READINESS_RULE_PREFIX, ReadinessRule } from './types';

/**
 * Privileged containers: Fargate isolates each pod in its own VM and rejects `securityContext.privileged`.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate.html
 */
export const privilegedRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}privileged`,
  level: 'error',
  summary: 'Privileged containers are not supported on Fargate.',
  check(manifest, context) {
    const workload = fargateWorkloadOf(manifest, context);
    if (!workload) {
      return [];
    }
    const privileged = containersOf(workload.spec).all
      .filter((container) => objectAt(container, 'securityContext')?.privileged === true)
      .map((container) => `\`${containerName(container)}\``);
    if (privileged.length === 0) {
      return [];
    }
    return [`${workload.reference}: container ${privileged.join(', ')} sets \`securityContext.privileged: true\`; `
      + 'Fargate does not run privileged containers. Remove `privileged`, or run this workload on EC2 nodes.'];
  },
};
