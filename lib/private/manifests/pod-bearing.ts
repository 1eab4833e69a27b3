import { plainObjectOf } from '../shared/plain-objects';
import { IsUnresolved } from '../shared/tokens';

/**
 * Which objects create pods, and where those pods land. Pure. A pod created before a Fargate profile selects it
 * is never scheduled on Fargate, so such objects wait for profiles; everything else need not.
 */

/** Kinds that create no pods themselves (built-in configuration, access, networking and storage objects). */
const PODLESS_KINDS = new Set([
  'Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'Service', 'Endpoints', 'EndpointSlice', 'Ingress', 'IngressClass', 'NetworkPolicy',
  'ResourceQuota', 'LimitRange', 'PodDisruptionBudget', 'PriorityClass', 'StorageClass', 'PersistentVolume',
  'PersistentVolumeClaim', 'HorizontalPodAutoscaler', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService', 'TargetGroupBinding', 'IngressClassParams',
]);

/** Where an object's pods go: none, known namespace and labels, or unknown (a custom kind, tokens). */
export type PodPlacement =
  | { readonly kind: 'none' }
  | { readonly kind: 'known'; readonly namespace: string; readonly labels: { [key: string]: string } }
  | { readonly kind: 'unknown' };

/** An object with where its pods go, decided once when the object is added. */
export interface PlacedObject {
  readonly object: Record<string, any>;
  readonly placement: PodPlacement;
}

/** The pod template of the built-in workload kinds, by kind. */
const TEMPLATE_PATHS: { [kind: string]: string[] } = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Where the pod template of a built-in workload kind sits (`[]` for a Pod), or undefined for other kinds. */
export function podTemplatePathOf(kind: unknown): readonly string[] | undefined {
  // Own keys only: a kind such as `constructor` must not find Object.prototype's members.
  return typeof kind === 'string' && Object.hasOwn(TEMPLATE_PATHS, kind) ? TEMPLATE_PATHS[kind] : undefined;
}

/** The pod template of a built-in workload kind (the object itself for a Pod), or undefined. */
export function podTemplateOf(object: Record<string, any>): Record<string, any> | undefined {
  const path = podTemplatePathOf(object.kind);
  return path?.reduce<Record<string, any> | undefined>((current, key) => plainObjectOf(current?.[key]), object);
}

/** Where the pods of `object` would be scheduled, as far as synth can know. */
export function podPlacementOf(object: Record<string, any>, isUnresolved: IsUnresolved): PodPlacement {
  const kind = object.kind;
  if (PODLESS_KINDS.has(kind)) {
    return { kind: 'none' };
  }
  if (!podTemplatePathOf(kind)) {
    return { kind: 'unknown' };
  }
  const template = podTemplateOf(object);
  const namespace = object.metadata?.namespace ?? 'default';
  const labels = plainObjectOf(template?.metadata?.labels) ?? {};
  if (isUnresolved(namespace) || isUnresolved(labels) || Object.entries(labels).some(([key, value]) => isUnresolved(key) || isUnresolved(value))) {
    return { kind: 'unknown' };
  }
  return { kind: 'known', namespace: String(namespace), labels: Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, String(value)])) };
}
