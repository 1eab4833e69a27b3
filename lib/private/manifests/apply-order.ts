/**
 * The order objects are applied in: Helm's install order (Namespaces, then policies, accounts and configuration,
 * CRDs, RBAC, Services, workloads, Ingresses, webhooks), kinds Helm does not list after them, the user's order
 * kept within a kind. Deletes run in the reverse order. Pure.
 */
const INSTALL_ORDER: readonly string[] = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role',
  'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet',
  'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

const RANK = new Map(INSTALL_ORDER.map((kind, index) => [kind, index]));

/** The items in install order; stable, so objects of one kind keep the order they were given in. */
export function inInstallOrder<T>(items: readonly T[], kindOf: (item: T) => string): T[] {
  return items
    .map((item, index) => ({ item, index, rank: RANK.get(kindOf(item)) ?? INSTALL_ORDER.length }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.item);
}

/** The items in delete order: install order reversed. */
export function inDeleteOrder<T>(items: readonly T[], kindOf: (item: T) => string): T[] {
  return inInstallOrder(items, kindOf).reverse();
}
