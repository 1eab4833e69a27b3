import { ClusterTarget, parseClusterTarget } from '../../handler/cluster-target';
import { flattenLists, KubernetesObject, objectProblems } from '../kubernetes-object-identity';

/** Validated properties of a `KubernetesObjects` resource. */
export interface ObjectsProperties extends ClusterTarget {
  /** The objects, `kind: List` flattened. */
  readonly objects: KubernetesObject[];
  readonly prune: boolean;
  readonly force: boolean;
  readonly retain: boolean;
}

/** Reads the properties, naming the property or object that is wrong (the construct checks the same at synth). */
export function parseObjectsProperties(raw: unknown): ObjectsProperties {
  const properties = (raw && typeof raw === 'object' ? raw : {}) as { [key: string]: unknown };
  const text = properties.Manifests;
  let parsed: unknown;
  try {
    parsed = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch (error) {
    throw new Error(`Property \`Manifests\` is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) {
    throw new Error('Property `Manifests` must be the JSON text of an array of Kubernetes objects');
  }
  const objects = flattenLists(parsed);
  objects.forEach((object, index) => {
    const problems = objectProblems(object);
    if (problems.length > 0) {
      throw new Error(`Property \`Manifests\`: object ${index} ${problems.join('; ')}`);
    }
  });
  return {
    ...parseClusterTarget(properties),
    objects,
    prune: properties.Prune !== 'false',
    force: properties.Force === 'true',
    retain: properties.Retain === 'true',
  };
}
