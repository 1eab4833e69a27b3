import { isKind, namespaceOf, nameOf, objectAt, objectOf, referenceOf, stringOf } from './pod-spec';
import { KubernetesManifest, READINESS_RULE_PREFIX, ReadinessRule } from './types';

/**
 * A HorizontalPodAutoscaler owns `spec.replicas` of its target: the controller writes it through the scale
 * subresource, which server-side apply records as the controller's field. A manifest that sets it too either
 * conflicts with the controller on the next deploy (apply without force) or, with force, resets the scale the
 * autoscaler chose. Kubernetes recommends leaving `spec.replicas` out of autoscaled workloads.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling
 */

/** Kinds an autoscaler commonly targets whose manifests may set `spec.replicas`, with their API groups. */
const SCALABLE_KINDS: { readonly [kind: string]: string[] } = {
  Deployment: ['apps'],
  StatefulSet: ['apps'],
  ReplicaSet: ['apps'],
  ReplicationController: [''],
};

/** How the autoscaled-target set names a workload: `Kind namespace/name`. */
function targetKey(kind: string, namespace: string, name: string): string {
  return `${kind} ${namespace}/${name}`;
}

/**
 * The workloads that HorizontalPodAutoscalers among `manifests` scale, as `Kind namespace/name` (an autoscaler
 * targets a workload of its own namespace).
 */
export function collectAutoscaledTargets(manifests: KubernetesManifest[]): string[] {
  const targets = new Set<string>();
  for (const manifest of manifests) {
    const object = objectOf(manifest);
    if (!object || !isKind(object, 'HorizontalPodAutoscaler', ['autoscaling'])) {
      continue;
    }
    const target = objectAt(object, 'spec', 'scaleTargetRef');
    const kind = stringOf(target?.kind);
    const name = stringOf(target?.name);
    if (kind && name) {
      targets.add(targetKey(kind, namespaceOf(object), name));
    }
  }
  return [...targets];
}

export const hpaReplicasRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}hpa-target-replicas`,
  level: 'warning',
  summary: 'Workloads that an autoscaler of the app scales and that still set spec.replicas.',
  check(manifest, context) {
    const kind = stringOf(manifest.kind);
    if (!kind || !Object.hasOwn(SCALABLE_KINDS, kind) || !isKind(manifest, kind, SCALABLE_KINDS[kind])) {
      return [];
    }
    const replicas = objectAt(manifest, 'spec')?.replicas;
    if (replicas === undefined || replicas === null) {
      return [];
    }
    if (!(context.autoscaledWorkloads ?? []).includes(targetKey(kind, namespaceOf(manifest), nameOf(manifest)))) {
      return [];
    }
    return [`${referenceOf(manifest)}: sets \`spec.replicas: ${JSON.stringify(replicas)}\` while a HorizontalPodAutoscaler of this app `
      + 'scales it. The autoscaler owns that field, so the next deploy either fails with a server-side apply conflict on '
      + '`.spec.replicas` or, applied with force, scales the workload back to the manifest\'s count. Remove `spec.replicas` '
      + 'from the manifest (the autoscaler\'s `minReplicas` sets the floor).'];
  },
};
