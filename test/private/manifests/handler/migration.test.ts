import { HandlerHarness } from '../../aws-auth/handler/handler-harness';

const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flow' } };
const CONFIG = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'flow' }, data: { mode: 'nightly' } };
const PATHS = ['/api/v1/namespaces/flow/configmaps/settings', '/api/v1/namespaces/flow'];

/** What aws-cdk-lib's kubectl provider does on Delete of a `KubernetesManifest`: `kubectl delete` of each object. */
async function kubectlDelete(harness: HandlerHarness): Promise<void> {
  for (const path of PATHS) {
    await fetch(`${harness.api.endpoint}${path}`, { method: 'DELETE' });
  }
}

describe('moving objects from eks.KubernetesManifest to KubernetesObjects', () => {
  let harness: HandlerHarness;
  beforeEach(async () => {
    harness = await HandlerHarness.start();
    // GIVEN objects that aws-cdk-lib's kubectl provider applied (client-side apply)
    harness.api.objects.createAsUpdate(NAMESPACE);
    harness.api.objects.createAsUpdate(CONFIG);
  });
  afterEach(() => harness.close());

  test('in one deploy, the new Create and then the old resource\'s cleanup Delete lose the objects', async () => {
    // WHEN CloudFormation creates the new resource, then deletes the old one in its cleanup phase
    const created = await harness.createObjects([NAMESPACE, CONFIG]);
    await kubectlDelete(harness);

    // THEN the takeover succeeded, but kubectl delete removed what it had just taken over
    expect(created.Status).toBe('SUCCESS');
    expect(harness.api.objects.object('v1', 'ConfigMap', 'settings', 'flow')).toBeUndefined();
    expect(harness.api.objects.object('v1', 'Namespace', 'flow')).toBeUndefined();
  });

  test('retained first, the new Create takes the objects over without a conflict and nothing deletes them', async () => {
    // WHEN deploy 1 retains the old resource (no Delete is ever sent) and deploy 2 creates the new one
    const created = await harness.createObjects([NAMESPACE, CONFIG]);

    // THEN the objects stay, with the new field manager beside kubectl's
    expect(created.Status).toBe('SUCCESS');
    const config = harness.api.objects.object('v1', 'ConfigMap', 'settings', 'flow');
    expect(config?.data).toEqual({ mode: 'nightly' });
    expect(config?.metadata.managedFields.map((entry: any) => entry.manager)).toEqual(['kubectl-client-side-apply', created.PhysicalResourceId]);
    expect(harness.api.count('DELETE')).toBe(0);
  });
});
