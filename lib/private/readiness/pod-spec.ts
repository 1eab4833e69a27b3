import { KubernetesManifest, ReadinessContext } from './types';
import { anySelectorMatches } from '../profiles/selector-matching';
import { plainObjectOf as objectOf, plainObjectsOf as objectsOf } from '../shared/plain-objects';

/**
 * Finds the pod spec, namespace and pod labels inside workload manifests, defensively: manifests come from users
 * and may be partial or malformed, so every accessor returns an empty value instead of throwing.
 */

/** A manifest that creates pods, with what the rules need to judge them. */
export interface PodWorkload {
  /** The manifest's `kind`, e.g. `Deployment`. */
  readonly kind: string;
  /** `metadata.name` (or `generateName`), `<unnamed>` when absent. */
  readonly name: string;
  /** `metadata.namespace`, `default` when absent (where kubectl puts it). */
  readonly namespace: string;
  /** Labels of the pods it creates (the template's labels; the Pod's own for a Pod), as strings. */
  readonly labels: { [key: string]: string };
  /** The pod spec (`spec` of a Pod, `spec.template.spec` of a controller, deeper for a CronJob). */
  readonly spec: Record<string, any>;
  /** `Kind namespace/name`, how messages name the workload. */
  readonly reference: string;
}

/** API groups each workload kind may come from; other groups are custom resources that merely share the name. */
const WORKLOAD_GROUPS: { [kind: string]: string[] } = {
  Pod: [''],
  ReplicationController: [''],
  Deployment: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  ReplicaSet: ['apps', 'extensions'],
  DaemonSet: ['apps', 'extensions'],
  Job: ['batch'],
  CronJob: ['batch'],
};

/** The shared plain-object guards, under the names the rules use. */
export { objectOf, objectsOf };

/** `value` when it is a string, else undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The object at `path` below `value`, or undefined as soon as a step is not an object. */
export function objectAt(value: unknown, ...path: string[]): Record<string, any> | undefined {
  let current = objectOf(value);
  for (const key of path) {
    current = objectOf(current?.[key]);
  }
  return current;
}

/** A string map from an object of primitives (label values written as YAML numbers or booleans become strings). */
export function stringMapOf(value: unknown): { [key: string]: string } {
  // fromEntries defines own properties, so even a `__proto__` key stays an ordinary entry.
  return Object.fromEntries(Object.entries(objectOf(value) ?? {})
    .filter(([, item]) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
    .map(([key, item]) => [key, String(item)]));
}

function apiGroupOf(manifest: KubernetesManifest): string | undefined {
  const apiVersion = stringOf(manifest.apiVersion);
  if (apiVersion === undefined) {
    return undefined;
  }
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** The namespace of a namespaced manifest: `metadata.namespace`, or `default`. */
export function namespaceOf(manifest: KubernetesManifest): string {
  return stringOf(objectAt(manifest, 'metadata')?.namespace) || 'default';
}

/** `metadata.name`, then `generateName`, then `<unnamed>`. */
export function nameOf(manifest: KubernetesManifest): string {
  const metadata = objectAt(manifest, 'metadata');
  return stringOf(metadata?.name) || stringOf(metadata?.generateName) || '<unnamed>';
}

/** How messages name a namespaced manifest: `Kind namespace/name`. */
export function referenceOf(manifest: KubernetesManifest): string {
  return `${stringOf(manifest.kind) ?? '<no kind>'} ${namespaceOf(manifest)}/${nameOf(manifest)}`;
}

/** True when `manifest` is `kind` from one of `groups` (a manifest without `apiVersion` is given the benefit). */
export function isKind(manifest: KubernetesManifest, kind: string, groups: string[]): boolean {
  if (manifest.kind !== kind) {
    return false;
  }
  const group = apiGroupOf(manifest);
  return group === undefined || groups.includes(group);
}

/** The pod template of a workload manifest (`{ metadata, spec }`), or undefined for other kinds. */
function podTemplateOf(manifest: KubernetesManifest): Record<string, any> | undefined {
  const kind = stringOf(manifest.kind);
  if (kind === undefined || !Object.hasOwn(WORKLOAD_GROUPS, kind) || !isKind(manifest, kind, WORKLOAD_GROUPS[kind])) {
    return undefined;
  }
  if (kind === 'Pod') {
    return manifest;
  }
  if (kind === 'CronJob') {
    return objectAt(manifest, 'spec', 'jobTemplate', 'spec', 'template');
  }
  return objectAt(manifest, 'spec', 'template');
}

/** The workload a manifest describes, or undefined when it creates no pods (or has no pod spec to read). */
export function podWorkloadOf(manifest: KubernetesManifest): PodWorkload | undefined {
  const template = podTemplateOf(manifest);
  const spec = objectAt(template, 'spec');
  if (!spec) {
    return undefined;
  }
  return {
    kind: manifest.kind,
    name: nameOf(manifest),
    namespace: namespaceOf(manifest),
    labels: stringMapOf(objectAt(template, 'metadata')?.labels),
    spec,
    reference: referenceOf(manifest),
  };
}

/**
 * The workload whose pods will run on Fargate, or undefined. On a Fargate-only cluster that is every workload
 * (a pod no profile selects is reported by its own rule). On a mixed cluster only pods that a profile selects
 * land on Fargate; the others run on EC2 nodes, where Fargate's limits do not apply.
 */
export function fargateWorkloadOf(manifest: KubernetesManifest, context: ReadinessContext): PodWorkload | undefined {
  const workload = podWorkloadOf(manifest);
  if (!workload) {
    return undefined;
  }
  if (context.fargateOnly || anySelectorMatches(context.profileSelectors, workload.namespace, workload.labels)) {
    return workload;
  }
  return undefined;
}

/** The containers of a pod spec, by the role Fargate's sizing gives them. */
export interface PodContainers {
  /** `containers` plus sidecar init containers (`restartPolicy: Always`), which run for the pod's lifetime. */
  readonly longRunning: Record<string, any>[];
  /** Init containers that run to completion before the app starts. */
  readonly init: Record<string, any>[];
  /** Every container of the spec, including ephemeral (debug) containers. */
  readonly all: Record<string, any>[];
}

/** Sorts a pod spec's containers by role; non-object entries are skipped. */
export function containersOf(spec: Record<string, any>): PodContainers {
  const regular = objectsOf(spec.containers);
  const initContainers = objectsOf(spec.initContainers);
  const sidecars = initContainers.filter((container) => container.restartPolicy === 'Always');
  return {
    longRunning: [...regular, ...sidecars],
    init: initContainers.filter((container) => container.restartPolicy !== 'Always'),
    all: [...regular, ...initContainers, ...objectsOf(spec.ephemeralContainers)],
  };
}

/** A container's name for messages. */
export function containerName(container: Record<string, any>): string {
  return stringOf(container.name) || '<unnamed>';
}

/** Manifests with `kind: List` replaced by their items, recursively (the way kubectl applies them). */
export function flattenLists(manifests: ReadonlyArray<KubernetesManifest>): KubernetesManifest[] {
  return manifests.flatMap((manifest) => (manifest?.kind === 'List' && Array.isArray(manifest.items) ? flattenLists(manifest.items) : [manifest]));
}
