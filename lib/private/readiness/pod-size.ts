import { fargateWorkloadOf } from './pod-spec';
import { formatGiB, formatVcpu } from './quantity';
import { READINESS_RULE_PREFIX, ReadinessRule } from './types';
import { FargatePodSize } from '../../fargate-pod-size';

/**
 * Pod size: Fargate provisions the smallest vCPU/memory combination that holds the pod's requests plus 256 MiB for
 * kubelet, kube-proxy and containerd (see `FargatePodSize`). A pod beyond the largest combination (16 vCPU,
 * 120 GB) is never scheduled.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html
 */
export const podSizeRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}pod-size`,
  level: 'error',
  summary: 'Pods larger than Fargate\'s largest configuration (16 vCPU, 120 GB) are never scheduled.',
  check(manifest, context) {
    const workload = fargateWorkloadOf(manifest, context);
    if (!workload) {
      return [];
    }
    const size = FargatePodSize.ofPodSpec(workload.spec);
    if (size.fits) {
      return [];
    }
    const memoryBytes = (size.requestedMemoryMib + FargatePodSize.SYSTEM_MEMORY_MIB) * 2 ** 20;
    return [`${workload.reference}: needs ${formatVcpu(size.requestedVcpu)} and ${formatGiB(memoryBytes)} as Fargate sizes it (the larger `
      + 'of the sum of its containers\' requests and its largest init container, plus 256 MiB for kubelet, '
      + 'kube-proxy and containerd); the largest Fargate pod is 16 vCPU and 120 GB. '
      + 'Lower the requests or split the workload, or run it on EC2 nodes.'];
  },
};
