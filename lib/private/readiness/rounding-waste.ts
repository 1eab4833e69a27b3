import { fargateWorkloadOf } from './pod-spec';
import { READINESS_RULE_PREFIX, ReadinessRule } from './types';
import { FargatePodSize } from '../../fargate-pod-size';

/**
 * Rounding waste: Fargate bills the combination a pod is rounded up to, so requests just past a boundary (e.g.
 * 1 vCPU with 300 MiB is billed as 1 vCPU / 2 GB) pay for capacity no container asked for. Warns when more than
 * half of the billed vCPU or memory is unrequested (Fargate's own 256 MiB counts as used); the smallest
 * combination (0.25 vCPU, 0.5 GB) is exempt since nothing smaller exists.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html
 */
export const roundingWasteRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}rounding-waste`,
  level: 'warning',
  summary: 'Pods where more than half of the billed vCPU or memory is not requested by any container.',
  check(manifest, context) {
    const workload = fargateWorkloadOf(manifest, context);
    if (!workload) {
      return [];
    }
    const size = FargatePodSize.ofPodSpec(workload.spec);
    if (!size.fits || size.isSmallest) {
      return [];
    }
    const wasted = [
      size.unrequestedVcpuShare > 0.5 ? `${percent(size.unrequestedVcpuShare)} of the vCPU` : undefined,
      size.unrequestedMemoryShare > 0.5 ? `${percent(size.unrequestedMemoryShare)} of the memory` : undefined,
    ].filter((part): part is string => part !== undefined);
    if (wasted.length === 0) {
      return [];
    }
    return [`${workload.reference}: requests ${size.requestedVcpu} vCPU and ${mib(size.requestedMemoryMib)} MiB a pod, which Fargate `
      + `bills as ${size.billedVcpu} vCPU / ${size.billedMemoryGb} GB; ${wasted.join(' and ')} is requested by no container. `
      + `Requests of up to ${size.billedVcpu} vCPU and ${mib(size.memoryMibAtSamePrice)} MiB in total cost the same, so raise them `
      + 'if the workload can use it, or lower them to reach a smaller size; acknowledge this warning if the headroom is intended.'];
  },
};

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function mib(value: number): number {
  return Math.round(value * 100) / 100;
}
