import { Construct } from 'constructs';
import { clusterObjectsOf } from './cluster-objects';
import { IFargateCluster } from '../../fargate-cluster-interface';
import { KubernetesObjects, NamespaceOptions } from '../../kubernetes-objects';
import { throwIfProblems } from '../shared/validation-report';

/**
 * Applies a Namespace as its own `KubernetesObjects` (id `Namespace-<name>` under `scope`) and records it on the
 * cluster, so every object, service account and chart of this app in that namespace depends on it: created after
 * it, deleted before it.
 */
export function addNamespaceTo(cluster: IFargateCluster, scope: Construct, name: string, options: NamespaceOptions = {}): KubernetesObjects {
  const existing = clusterObjectsOf(cluster).namespaceConstruct(name);
  if (existing) {
    throwIfProblems(scope, [`namespace '${name}' is already added by ${existing.node.path}; add it once and depend on what that returns.`]);
  }
  const metadata: { [key: string]: unknown } = { name };
  if (options.labels) {
    metadata.labels = { ...options.labels };
  }
  if (options.annotations) {
    metadata.annotations = { ...options.annotations };
  }
  const namespace = new KubernetesObjects(scope, `Namespace-${name}`, {
    cluster,
    manifests: [{ apiVersion: 'v1', kind: 'Namespace', metadata }],
  });
  clusterObjectsOf(cluster).registerNamespace(name, namespace);
  return namespace;
}
