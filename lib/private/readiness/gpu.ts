import { containerName, containersOf, fargateWorkloadOf, objectAt } from './pod-spec';
import { READINESS_RULE_PREFIX, ReadinessRule } from './types';

/**
 * Accelerators: Fargate has no GPUs, Inferentia or Trainium (Neuron) devices.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate.html
 */
export const gpuRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}gpu`,
  level: 'error',
  summary: 'GPU and Neuron resources are not available on Fargate.',
  check(manifest, context) {
    const workload = fargateWorkloadOf(manifest, context);
    if (!workload) {
      return [];
    }
    const found: string[] = [];
    for (const container of containersOf(workload.spec).all) {
      const resources = objectAt(container, 'resources');
      const names = new Set([
        ...Object.keys(objectAt(resources, 'requests') ?? {}),
        ...Object.keys(objectAt(resources, 'limits') ?? {}),
      ]);
      for (const name of [...names].filter(isAcceleratorResource).sort()) {
        found.push(`\`${name}\` in container \`${containerName(container)}\``);
      }
    }
    if (found.length === 0) {
      return [];
    }
    return [`${workload.reference}: asks for ${found.join(', ')}, but Fargate has no GPUs or Neuron devices. `
      + 'Run this workload on an EC2 node group with accelerators.'];
  },
};

/** Device-plugin resources of GPUs and AWS Neuron (Inferentia, Trainium) devices. */
export function isAcceleratorResource(name: string): boolean {
  // nvidia.com/ also covers MIG slices (nvidia.com/mig-1g.5gb) and time-sliced GPUs (nvidia.com/gpu.shared).
  return name.startsWith('nvidia.com/')
    || name === 'amd.com/gpu'
    || name.startsWith('gpu.intel.com/')
    || name.startsWith('aws.amazon.com/neuron')
    || name.startsWith('habana.ai/');
}
