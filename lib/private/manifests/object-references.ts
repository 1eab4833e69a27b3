import { podTemplateOf } from './pod-bearing';
import { plainObjectOf, plainObjectsOf } from '../shared/plain-objects';

/**
 * The objects a workload's pods refer to by name, in the workload's namespace: its service account, claims,
 * ConfigMaps and Secrets. Pure. A pod whose service account or claim does not exist yet is not started (or stays
 * Pending), so when this app applies both, the workload goes after them.
 */

/** An object a pod refers to: `kind` and name, in the namespace of the workload. */
export interface PodReference {
  readonly kind: 'ServiceAccount' | 'PersistentVolumeClaim' | 'ConfigMap' | 'Secret';
  readonly name: string;
}

/** What the pods of `object` refer to (none for objects without pods, or names that are not plain strings). */
export function podReferencesOf(object: Record<string, any>): PodReference[] {
  const spec = plainObjectOf(podTemplateOf(object)?.spec);
  if (!spec) {
    return [];
  }
  const references: PodReference[] = [];
  const add = (kind: PodReference['kind'], name: unknown) => {
    if (typeof name === 'string' && name !== '') {
      references.push({ kind, name });
    }
  };
  // The `default` service account is made by Kubernetes in every namespace.
  if (spec.serviceAccountName !== 'default') {
    add('ServiceAccount', spec.serviceAccountName);
  }
  for (const volume of plainObjectsOf(spec.volumes)) {
    add('PersistentVolumeClaim', plainObjectOf(volume.persistentVolumeClaim)?.claimName);
    add('ConfigMap', plainObjectOf(volume.configMap)?.name);
    add('Secret', plainObjectOf(volume.secret)?.secretName);
  }
  for (const container of [...plainObjectsOf(spec.containers), ...plainObjectsOf(spec.initContainers)]) {
    for (const source of plainObjectsOf(container.envFrom)) {
      add('ConfigMap', plainObjectOf(source.configMapRef)?.name);
      add('Secret', plainObjectOf(source.secretRef)?.name);
    }
    for (const variable of plainObjectsOf(container.env)) {
      const from = plainObjectOf(variable.valueFrom);
      add('ConfigMap', plainObjectOf(from?.configMapKeyRef)?.name);
      add('Secret', plainObjectOf(from?.secretKeyRef)?.name);
    }
  }
  return references;
}
