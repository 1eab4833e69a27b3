import { containerName, containersOf, fargateWorkloadOf, objectOf, objectsOf, stringOf } from './pod-spec';
import { READINESS_RULE_PREFIX, ReadinessRule } from './types';

/**
 * Host namespaces, host ports and host paths: a Fargate pod has no shared host to reach, and EKS rejects
 * `hostNetwork`, `hostPort`, `hostPID`, `hostIPC` and `hostPath` volumes on Fargate.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate.html
 */
export const hostAccessRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}host-access`,
  level: 'error',
  summary: 'hostNetwork, hostPort, hostPID, hostIPC and hostPath volumes are not supported on Fargate.',
  check(manifest, context) {
    const workload = fargateWorkloadOf(manifest, context);
    if (!workload) {
      return [];
    }
    const spec = workload.spec;
    const problems: string[] = [];
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (spec[field] === true) {
        problems.push(`\`${field}: true\``);
      }
    }
    for (const container of containersOf(spec).all) {
      for (const port of objectsOf(container.ports)) {
        if (port.hostPort !== undefined && port.hostPort !== null && port.hostPort !== 0) {
          problems.push(`\`hostPort: ${port.hostPort}\` in container \`${containerName(container)}\``);
        }
      }
    }
    for (const volume of objectsOf(spec.volumes)) {
      if (objectOf(volume.hostPath)) {
        problems.push(`\`hostPath\` volume \`${stringOf(volume.name) ?? '<unnamed>'}\``);
      }
    }
    if (problems.length === 0) {
      return [];
    }
    return [`${workload.reference}: Fargate pods have no host to share; it rejects ${problems.join(', ')}. `
      + 'Use a Service (or an IP-target load balancer) instead of host ports and networking, and emptyDir or EFS '
      + 'volumes instead of hostPath, or run this workload on EC2 nodes.'];
  },
};
