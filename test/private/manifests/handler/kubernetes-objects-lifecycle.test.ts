import { ACCOUNT, CONFIG, DEPLOYMENT, NAMESPACE, ROLE } from './objects-fixtures';
import { ownershipAnnotation } from '../../../../lib/private/manifests/handler/server-side-apply';
import { HandlerHarness } from '../../aws-auth/handler/handler-harness';

describe('KubernetesObjects handler', () => {
  let harness: HandlerHarness;
  beforeEach(async () => {
    harness = await HandlerHarness.start();
  });
  afterEach(() => harness.close());

  test('Create applies Namespaces first with server-side apply under a field manager named after the physical id', async () => {
    const response = await harness.createObjects([DEPLOYMENT, CONFIG, NAMESPACE]);
    expect(response.Status).toBe('SUCCESS');
    const manager = response.PhysicalResourceId;
    expect(manager).toMatch(/^cdk-eks-fargate-objects-[0-9a-f]{24}$/);
    const patches = harness.api.requests.filter((request) => request.method === 'PATCH').map((request) => request.path);
    expect(patches).toEqual([
      `/api/v1/namespaces/jobs?fieldManager=${manager}`,
      `/api/v1/namespaces/jobs/configmaps/settings?fieldManager=${manager}`,
      `/apis/apps/v1/namespaces/jobs/deployments/web?fieldManager=${manager}`,
    ]);
    expect(harness.api.requests.filter((request) => request.method === 'PATCH').every((request) => request.contentType === 'application/apply-patch+yaml')).toBe(true);
    expect(harness.api.objects.object('apps/v1', 'Deployment', 'web', 'jobs')?.spec.replicas).toBe(2);
  });

  test('a Namespace of identity fields only stays this resource\'s: the apply sets an annotation only its field manager owns', async () => {
    const response = await harness.createObjects([NAMESPACE]);
    const stored = harness.api.objects.object('v1', 'Namespace', 'jobs');
    expect(stored?.metadata.managedFields.map((entry: any) => [entry.manager, entry.operation])).toEqual([[response.PhysicalResourceId, 'Apply']]);
    expect(stored?.metadata.annotations).toEqual({ [ownershipAnnotation(response.PhysicalResourceId)]: response.PhysicalResourceId });
    expect(ownershipAnnotation(response.PhysicalResourceId)).toMatch(/^cdk-eks-fargate\.io\/objects\.[0-9a-f]{16}$/);
  });

  test('20 objects across 5 kinds are applied, and a namespaced object without namespace lands in default', async () => {
    const objects = Array.from({ length: 4 }, (_, index) => [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${index}` }, data: { index: String(index) } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: `secret-${index}`, namespace: 'default' }, stringData: { key: 'value' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `account-${index}` } },
      { ...ROLE, metadata: { name: `reader-${index}` } },
      { ...DEPLOYMENT, metadata: { name: `web-${index}`, namespace: 'default' } },
    ]).flat();
    const response = await harness.createObjects(objects);
    expect(response.Status).toBe('SUCCESS');
    expect(response.Data).toEqual({ Applied: '20' });
    expect(harness.api.objects.labels().filter((label) => !label.startsWith('Namespace'))).toHaveLength(20);
    expect(harness.api.objects.object('v1', 'ConfigMap', 'config-0', 'default')?.data).toEqual({ index: '0' });
    expect(harness.api.objects.object('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader-0')).toBeDefined();
  });

  test('a data key named __proto__, which JSON parsers give as a field, is applied as a key', async () => {
    const config = JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"odd","namespace":"default"},"data":{"__proto__":"kept"}}');
    const response = await harness.createObjects([config]);
    expect(response.Status).toBe('SUCCESS');
    const stored = harness.api.objects.object('v1', 'ConfigMap', 'odd', 'default');
    expect(Object.keys(stored?.data)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(stored?.data)).toBe(Object.prototype);
  });

  test('a kind: List is applied item by item', async () => {
    const response = await harness.createObjects([{ apiVersion: 'v1', kind: 'List', items: [NAMESPACE, CONFIG] }]);
    expect(response.Status).toBe('SUCCESS');
    expect(harness.api.objects.object('v1', 'ConfigMap', 'settings', 'jobs')).toBeDefined();
  });

  test('Update with prune deletes objects gone from the list and keeps the physical id', async () => {
    const created = await harness.createObjects([NAMESPACE, CONFIG, ACCOUNT]);
    const updated = await harness.updateObjects(created.PhysicalResourceId, [NAMESPACE, { ...CONFIG, data: { mode: 'hourly' } }], [NAMESPACE, CONFIG, ACCOUNT]);
    expect(updated).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId, Data: { Applied: '2', Removed: '1' } });
    expect(harness.api.objects.object('v1', 'ServiceAccount', 'exporter', 'jobs')).toBeUndefined();
    expect(harness.api.objects.object('v1', 'ConfigMap', 'settings', 'jobs')?.data).toEqual({ mode: 'hourly' });
  });

  test('Update without prune leaves objects gone from the list in the cluster', async () => {
    const created = await harness.createObjects([NAMESPACE, ACCOUNT]);
    const updated = await harness.updateObjects(created.PhysicalResourceId, [NAMESPACE], [NAMESPACE, ACCOUNT], { Prune: 'false' });
    expect(updated.Status).toBe('SUCCESS');
    expect(harness.api.objects.object('v1', 'ServiceAccount', 'exporter', 'jobs')).toBeDefined();
  });

  test('an object moved to another resource in the same deploy survives the prune of the first', async () => {
    const first = await harness.createObjects([NAMESPACE, ACCOUNT], 'First');
    const second = await harness.createObjects([ACCOUNT], 'Second');
    const pruned = await harness.updateObjects(first.PhysicalResourceId, [NAMESPACE], [NAMESPACE, ACCOUNT], {}, 'First');
    expect(pruned.Status).toBe('SUCCESS');
    const account = harness.api.objects.object('v1', 'ServiceAccount', 'exporter', 'jobs');
    expect(account?.metadata.managedFields.map((entry: any) => entry.manager)).toEqual([second.PhysicalResourceId]);
    expect(harness.logs).toContain('released ServiceAccount jobs/exporter: other resources also apply it');
  });

  test('Delete removes the objects in reverse order and waits for the Ingress finalizer', async () => {
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'jobs' }, spec: { ingressClassName: 'alb' } };
    const created = await harness.createObjects([NAMESPACE, CONFIG, ingress]);
    harness.api.resetFaults();
    const deleted = await harness.deleteObjects(created.PhysicalResourceId, [NAMESPACE, CONFIG, ingress]);
    expect(deleted).toMatchObject({ Status: 'SUCCESS', Data: { Removed: '3' } });
    const deletes = harness.api.requests.filter((request) => request.method === 'DELETE').map((request) => request.path);
    expect(deletes).toEqual([
      '/apis/networking.k8s.io/v1/namespaces/jobs/ingresses/web',
      '/api/v1/namespaces/jobs/configmaps/settings',
      '/api/v1/namespaces/jobs',
    ]);
    const ingressGets = harness.api.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/ingresses/web'));
    expect(ingressGets.length).toBeGreaterThan(1);
    expect(harness.api.objects.labels()).toEqual(['Namespace default', 'Namespace kube-system']);
  });

  test('Delete with Retain leaves every object', async () => {
    const created = await harness.createObjects([NAMESPACE, CONFIG]);
    const deleted = await harness.deleteObjects(created.PhysicalResourceId, [NAMESPACE, CONFIG], { Retain: 'true' });
    expect(deleted.Status).toBe('SUCCESS');
    expect(harness.api.objects.object('v1', 'ConfigMap', 'settings', 'jobs')).toBeDefined();
  });

  test('Delete of an object already gone (404) succeeds, and objects it never applied are left alone', async () => {
    harness.api.objects.createAsUpdate({ ...ACCOUNT, metadata: { ...ACCOUNT.metadata, namespace: 'default' } }, 'someone-else');
    const deleted = await harness.deleteObjects('cdk-eks-fargate-objects-000000000000000000000000', [CONFIG, { ...ACCOUNT, metadata: { name: 'exporter' } }]);
    expect(deleted.Status).toBe('SUCCESS');
    expect(harness.api.objects.object('v1', 'ServiceAccount', 'exporter', 'default')).toBeDefined();
    expect(harness.api.count('DELETE')).toBe(0);
  });

  test('a field-manager conflict fails at once, naming the object, the field and the other manager, and force takes the field', async () => {
    harness.api.objects.createAsUpdate({ ...CONFIG, metadata: { name: 'settings', namespace: 'default' }, data: { mode: 'manual' } }, 'kubectl-edit');
    const conflict = { ...CONFIG, metadata: { name: 'settings' } };
    const failed = await harness.createObjects([conflict]);
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason).toMatch(/ConfigMap default\/settings was not applied: another field manager owns fields it sets: \.data\.mode \(conflict with "kubectl-edit"\).*force: true/);
    expect(harness.api.count('PATCH')).toBe(1);
    const forced = await harness.createObjects([conflict], 'Forced', { Force: 'true' });
    expect(forced.Status).toBe('SUCCESS');
    expect(harness.api.requests.some((request) => request.path.endsWith('&force=true'))).toBe(true);
    expect(harness.api.objects.object('v1', 'ConfigMap', 'settings', 'default')?.data).toEqual({ mode: 'nightly' });
  });

  test('a custom resource is applied once its CRD, created in the same resource, is Established', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true, storage: true }] },
    };
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'first', namespace: 'default' }, spec: { size: 3 } };
    const response = await harness.createObjects([widget, crd]);
    expect(response.Status).toBe('SUCCESS');
    expect(harness.api.objects.object('example.com/v1', 'Widget', 'first', 'default')?.spec).toEqual({ size: 3 });
  });

  test('an admission webhook that is not serving yet is retried, and 429 waits for Retry-After', async () => {
    harness.api.inject({ kind: 'status', status: 500, times: 3, methods: ['PATCH'], message: 'Internal error occurred: failed calling webhook "mservice.elbv2.k8s.aws": no endpoints available for service "aws-load-balancer-webhook-service"' });
    harness.api.inject({ kind: 'status', status: 429, times: 1, methods: ['PATCH'], retryAfterSeconds: 7 });
    const response = await harness.createObjects([CONFIG, NAMESPACE]);
    expect(response.Status).toBe('SUCCESS');
    expect(harness.timing.sleeps.some((ms) => ms >= 7_000)).toBe(true);
  });

  test('an unknown kind fails naming the object, what discovery serves and the fix', async () => {
    const response = await harness.createObjects([{ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } }]);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/Gadget g: the API server does not serve kind Gadget in example.com\/v1.*CustomResourceDefinition applied first/);
  });

  test('an AssumeRole answer that arrives after the handler answered leads to no Kubernetes request', async () => {
    let release!: () => void;
    harness.roleAssumer.gate = new Promise<void>((resolve) => { release = resolve; });
    const response = await harness.send(harness.objectsEvent('Create', harness.objectsProperties([NAMESPACE])), 20_001);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/ran out of time/);
    release();
    await harness.untilLogged(/abandoned work ended/);
    expect(harness.api.requests).toHaveLength(0);
    expect(harness.responder.responses).toHaveLength(1);
  });
});
