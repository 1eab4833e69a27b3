import { containerCeiling, fargatePodTotal } from './pod-resources';
import { fargateWorkloadOf } from './pod-spec';
import { formatGiB } from './quantity';
import { READINESS_RULE_PREFIX, ReadinessRule } from './types';

/**
 * Ephemeral storage: a Fargate pod gets 20 GiB by default and at most 175 GiB, sized from the containers'
 * `ephemeral-storage` requests. Limits count too: a limit above what Fargate can provision can never be reached.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html
 */

/** The most ephemeral storage a Fargate pod can have. */
export const FARGATE_MAX_EPHEMERAL_STORAGE_BYTES = 175 * 2 ** 30;

export const ephemeralStorageRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}ephemeral-storage`,
  level: 'error',
  summary: 'Pods asking for more than 175 GiB of ephemeral storage cannot run on Fargate.',
  check(manifest, context) {
    const workload = fargateWorkloadOf(manifest, context);
    if (!workload) {
      return [];
    }
    const total = fargatePodTotal(workload.spec, 'ephemeral-storage', containerCeiling);
    if (total <= FARGATE_MAX_EPHEMERAL_STORAGE_BYTES) {
      return [];
    }
    return [`${workload.reference}: its containers ask for ${formatGiB(total)} of \`ephemeral-storage\` (requests or `
      + 'limits); a Fargate pod has at most 175 GiB. Lower the requests, or keep large data on an EFS volume.'];
  },
};
