import { containerRequest, fargatePodTotal } from './pod-resources';
import { fargateWorkloadOf } from './pod-spec';
import { formatGiB, formatVcpu } from './quantity';
import { READINESS_RULE_PREFIX, ReadinessRule } from './types';

/**
 * Pod size: Fargate provisions the smallest vCPU/memory combination that holds the pod's requests plus 256 MiB for
 * kubelet, kube-proxy and containerd. A pod beyond the largest combination (16 vCPU, 120 GB) is never scheduled.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html
 */

const GIB = 2 ** 30;

/** Memory Fargate adds to every pod for the Kubernetes components it runs beside the containers. */
export const FARGATE_SYSTEM_MEMORY_BYTES = 256 * 2 ** 20;

/** One vCPU size with the memory sizes (in GB, which Fargate means as GiB) it can be combined with. */
interface VcpuOption {
  readonly vcpu: number;
  readonly memoryGiB: number[];
}

function steps(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) {
    values.push(value);
  }
  return values;
}

/** The combinations in Fargate's documented table, smallest first. */
const FARGATE_COMBINATIONS: VcpuOption[] = [
  { vcpu: 0.25, memoryGiB: [0.5, 1, 2] },
  { vcpu: 0.5, memoryGiB: [1, 2, 3, 4] },
  { vcpu: 1, memoryGiB: steps(2, 8, 1) },
  { vcpu: 2, memoryGiB: steps(4, 16, 1) },
  { vcpu: 4, memoryGiB: steps(8, 30, 1) },
  { vcpu: 8, memoryGiB: steps(16, 60, 4) },
  { vcpu: 16, memoryGiB: steps(32, 120, 8) },
];

/** A Fargate compute configuration. */
export interface FargateCombination {
  readonly vcpu: number;
  readonly memoryGiB: number;
}

/**
 * The configuration Fargate provisions for a pod needing `vcpu` cores and `memoryBytes` of memory (the 256 MiB for
 * system components already included): the smallest vCPU size that holds the CPU and offers enough memory,
 * with the smallest such memory size. Undefined when nothing is large enough.
 */
export function fargateCombinationFor(vcpu: number, memoryBytes: number): FargateCombination | undefined {
  for (const option of FARGATE_COMBINATIONS) {
    if (option.vcpu < vcpu) {
      continue;
    }
    const memoryGiB = option.memoryGiB.find((size) => size * GIB >= memoryBytes);
    if (memoryGiB !== undefined) {
      return { vcpu: option.vcpu, memoryGiB };
    }
  }
  return undefined;
}

export const podSizeRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}pod-size`,
  level: 'error',
  summary: 'Pods larger than Fargate\'s largest configuration (16 vCPU, 120 GB) are never scheduled.',
  check(manifest, context) {
    const workload = fargateWorkloadOf(manifest, context);
    if (!workload) {
      return [];
    }
    const cpu = fargatePodTotal(workload.spec, 'cpu', containerRequest);
    const memory = fargatePodTotal(workload.spec, 'memory', containerRequest) + FARGATE_SYSTEM_MEMORY_BYTES;
    if (fargateCombinationFor(cpu, memory)) {
      return [];
    }
    return [`${workload.reference}: needs ${formatVcpu(cpu)} and ${formatGiB(memory)} as Fargate sizes it (the larger `
      + 'of the sum of its containers\' requests and its largest init container, plus 256 MiB for kubelet, '
      + 'kube-proxy and containerd); the largest Fargate pod is 16 vCPU and 120 GB. '
      + 'Lower the requests or split the workload, or run it on EC2 nodes.'];
  },
};
