/** Manifests the KubernetesObjects handler tests apply: a namespace and objects of several kinds in it. */
export const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jobs' } };
export const CONFIG = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'jobs' }, data: { mode: 'nightly' } };
export const ACCOUNT = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'exporter', namespace: 'jobs', labels: { team: 'data' } } };
export const ROLE = {
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
};
export const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'jobs' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
};
