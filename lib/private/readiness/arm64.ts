import { ARCHITECTURE_KEYS, nodeSelectionProblems } from './ec2-node-selection';
import { fargateWorkloadOf } from './pod-spec';
import { READINESS_RULE_PREFIX, ReadinessRule } from './types';

/**
 * CPU architecture: EKS runs Fargate pods on x86_64 only (nodes labelled `kubernetes.io/arch: amd64`), so a pod
 * that selects `arm64` (or any other architecture) stays Pending forever.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate.html
 */
export const arm64Rule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}arm64`,
  level: 'error',
  summary: 'Pods that select a CPU architecture other than amd64 (e.g. arm64); EKS on Fargate is x86_64 only.',
  check(manifest, context) {
    const workload = fargateWorkloadOf(manifest, context);
    if (!workload) {
      return [];
    }
    const problems = nodeSelectionProblems(workload.spec, (key) => ARCHITECTURE_KEYS.includes(key));
    if (problems.length === 0) {
      return [];
    }
    return [`${workload.reference}: ${problems.join('; ')} selects a CPU architecture Fargate does not run: EKS on Fargate `
      + 'runs x86_64 pods only (`kubernetes.io/arch: amd64`), so its pods stay Pending. Build the image for amd64 '
      + '(or multi-arch) and select `kubernetes.io/arch: amd64` or nothing, or run this workload on arm64 EC2 nodes.'];
  },
};
