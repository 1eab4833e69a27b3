import { fargateWorkloadOf, objectAt } from './pod-spec';
import { READINESS_RULE_PREFIX, ReadinessRule } from './types';

/**
 * Finished Jobs: their pods remain after completion, and on Fargate each one keeps its own billed node until
 * the Job is deleted. `ttlSecondsAfterFinished` lets Kubernetes delete it.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate.html
 */
export const jobTtlRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}job-ttl`,
  level: 'warning',
  summary: 'Jobs without ttlSecondsAfterFinished keep billed Fargate pods after they finish.',
  check(manifest, context) {
    const workload = fargateWorkloadOf(manifest, context);
    if (!workload || (workload.kind !== 'Job' && workload.kind !== 'CronJob')) {
      return [];
    }
    const jobSpec = workload.kind === 'Job' ? objectAt(manifest, 'spec') : objectAt(manifest, 'spec', 'jobTemplate', 'spec');
    if (typeof jobSpec?.ttlSecondsAfterFinished === 'number') {
      return [];
    }
    if (workload.kind === 'CronJob') {
      // A CronJob that keeps no finished Jobs deletes them (and their pods) itself.
      const spec = objectAt(manifest, 'spec');
      if (spec?.successfulJobsHistoryLimit === 0 && spec?.failedJobsHistoryLimit === 0) {
        return [];
      }
    }
    const field = workload.kind === 'Job' ? '`spec.ttlSecondsAfterFinished`' : '`spec.jobTemplate.spec.ttlSecondsAfterFinished`';
    return [`${workload.reference}: sets no ${field}; its finished pods remain, and Fargate bills each one until the `
      + `Job is deleted. Set ${field} (e.g. 3600).`];
  },
};
