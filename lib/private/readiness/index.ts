import { arm64Rule } from './arm64';
import { daemonSetRule } from './daemonset';
import { dynamicEfsClaimsRule } from './dynamic-efs-claims';
import { ebsVolumeClaimsRule } from './ebs-volume-claims';
import { ec2NodeSelectionRule } from './ec2-node-selection';
import { ephemeralStorageRule } from './ephemeral-storage';
import { gpuRule } from './gpu';
import { hostAccessRule } from './host-access';
import { hpaMetricsServerRule } from './hpa-metrics-server';
import { hpaReplicasRule } from './hpa-replicas';
import { jobTtlRule } from './job-ttl';
import { loadBalancersRule } from './load-balancers';
import { missingRequestsRule } from './missing-requests';
import { podSizeRule } from './pod-size';
import { objectOf, objectsOf } from './pod-spec';
import { privilegedRule } from './privileged';
import { roundingWasteRule } from './rounding-waste';
import { KubernetesManifest, ReadinessContext, ReadinessFinding, ReadinessRule } from './types';
import { unmatchedProfileRule } from './unmatched-profile';

export type { KubernetesManifest, ReadinessContext, ReadinessFinding, ReadinessLevel, ReadinessRule } from './types';
export { READINESS_RULE_PREFIX } from './types';
export { collectStorageClasses } from './ebs-volume-claims';
export { collectDynamicEfsClasses } from './dynamic-efs-claims';
export { declaresMetricsApi } from './hpa-metrics-server';
export { collectAutoscaledTargets } from './hpa-replicas';

/** Every readiness rule, errors first, in the order their findings are reported. */
export const ALL_RULES: readonly ReadinessRule[] = [
  daemonSetRule,
  privilegedRule,
  hostAccessRule,
  gpuRule,
  podSizeRule,
  arm64Rule,
  ephemeralStorageRule,
  ebsVolumeClaimsRule,
  dynamicEfsClaimsRule,
  loadBalancersRule,
  unmatchedProfileRule,
  jobTtlRule,
  missingRequestsRule,
  ec2NodeSelectionRule,
  roundingWasteRule,
  hpaMetricsServerRule,
  hpaReplicasRule,
];

/**
 * Runs every rule over one manifest as added with `cluster.addManifest` (a `kind: List` is checked item by item).
 * Errors become warnings on mixed clusters (`fargateOnly: false`), where the workload may still run on EC2.
 * Never throws: shapes a rule does not expect are skipped.
 */
export function evaluateManifest(manifest: KubernetesManifest, context: ReadinessContext): ReadinessFinding[] {
  const object = objectOf(manifest);
  if (!object) {
    return [];
  }
  if (object.kind === 'List') {
    return objectsOf(object.items).flatMap((item) => evaluateManifest(item, context));
  }
  return ALL_RULES.flatMap((rule) => rule.check(object, context).map((message) => ({
    ruleId: rule.id,
    level: context.fargateOnly ? rule.level : 'warning',
    message,
  })));
}
