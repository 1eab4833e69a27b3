import { ACCOUNT, CONFIG, DEPLOYMENT, NAMESPACE } from './objects-fixtures';
import { objectsPhysicalId } from '../../../../lib/private/manifests/handler/kubernetes-objects-lifecycle';
import { HANDLER_ROLE } from '../../aws-auth/handler/aws-auth-fixtures';
import { HandlerHarness } from '../../aws-auth/handler/handler-harness';
import { FakeKubernetesApi } from '../../handler/fake-kubernetes-api';
import { awsError, lateAnswer } from '../../handler/handler-fakes';

const UNREACHABLE = 'http://127.0.0.1:9';

/** Lifecycle guarantees the aws-auth handler is tested for, met by the KubernetesObjects handler. */
describe('KubernetesObjects handler: AWS answers, unreachable clusters and rollbacks', () => {
  let harness: HandlerHarness;
  beforeEach(async () => {
    harness = await HandlerHarness.start();
  });
  afterEach(() => harness.close());

  test('a DescribeCluster answer (imported cluster) that arrives after the time budget leads to no Kubernetes request', async () => {
    // GIVEN
    const eks = lateAnswer();
    const properties = harness.importedObjectsProperties([NAMESPACE]);
    harness.describer.gate = eks.gate;

    // WHEN 20.05 s are left, 20 s of them kept for the response
    const response = await harness.send(harness.objectsEvent('Create', properties), 20_050);
    eks.arrive();
    await harness.untilLogged(/abandoned work ended: stopped because the handler already answered CloudFormation \(DescribeCluster answered\)/);

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/ran out of time/);
    expect(harness.describer.calls.map((call) => call.clusterName)).toEqual(['legacy']);
    expect(harness.api.requests).toHaveLength(0);
    expect(harness.responder.responses).toHaveLength(1);
  });

  test('work that hangs is cut off so CloudFormation still gets one FAILED response before the Lambda times out', async () => {
    // GIVEN STS never answers
    harness.roleAssumer.assumeRole = () => new Promise(() => undefined);

    // WHEN
    const response = await harness.send(harness.objectsEvent('Create', harness.objectsProperties([NAMESPACE])), 20_200);

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/ran out of time after 0 s/);
    expect(harness.responder.responses).toHaveLength(1);
    expect(harness.api.requests).toHaveLength(0);
  });

  test('an apply whose answer comes after the handler answered is the last request: the next object is never sent', async () => {
    // GIVEN the Namespace's apply is held until CloudFormation has its answer
    const held = lateAnswer();
    harness.api.inject({ kind: 'hold', times: 1, methods: ['PATCH'], release: () => held.gate });

    // WHEN 0.3 s of work time
    const response = await harness.send(harness.objectsEvent('Create', harness.objectsProperties([NAMESPACE, CONFIG])), 20_300);
    held.arrive();
    await harness.untilLogged(/abandoned work ended/);

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(harness.responder.responses).toHaveLength(1);
    expect(harness.api.trail()).toEqual(['GET /api/v1', 'PATCH /api/v1/namespaces/jobs']);
    expect(harness.api.objects.object('v1', 'ConfigMap', 'settings', 'jobs')).toBeUndefined();
  });

  test('Delete on an owned cluster whose endpoint is unreachable succeeds once DescribeCluster says the cluster is gone', async () => {
    // GIVEN an endpoint nobody listens on, and EKS answering ResourceNotFoundException
    const properties = { ...harness.objectsProperties([NAMESPACE, CONFIG]), Endpoint: UNREACHABLE };

    // WHEN
    const response = await harness.send(harness.objectsEvent('Delete', properties, { PhysicalResourceId: 'cdk-eks-fargate-objects-000000000000000000000000' }));

    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Removed: '0' } });
    expect(harness.describer.calls.map((call) => call.clusterName)).toEqual(['prod']);
    expect(harness.logs).toContain('cluster "prod" does not exist: nothing to delete');
  });

  test('Delete on an owned cluster that exists but cannot be reached fails after the budget, naming the object and the network', async () => {
    // GIVEN
    const properties = { ...harness.objectsProperties([NAMESPACE, CONFIG]), Endpoint: UNREACHABLE };
    harness.describer.clusters.set('prod', { endpoint: UNREACHABLE });

    // WHEN
    const response = await harness.send(harness.objectsEvent('Delete', properties, { PhysicalResourceId: 'cdk-eks-fargate-objects-000000000000000000000000' }), 45_000);

    // THEN
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'cdk-eks-fargate-objects-000000000000000000000000' });
    expect(response.Reason).toMatch(/^ConfigMap jobs\/settings was not deleted: the API server could not be reached \(GET \/api\/v1 still got no answer \(ECONNREFUSED .*\)\)\. If the cluster endpoint is private or CIDR-restricted, the handler must run in the cluster VPC/);
    expect(harness.describer.calls.length).toBeGreaterThan(1);
  });

  test('Delete for an imported cluster that no longer exists succeeds without reaching any API server', async () => {
    // GIVEN
    const properties = harness.importedObjectsProperties([NAMESPACE, CONFIG]);
    harness.describer.clusters.clear();

    // WHEN
    const response = await harness.send(harness.objectsEvent('Delete', properties, { PhysicalResourceId: 'cdk-eks-fargate-objects-000000000000000000000000' }));

    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Removed: '0' } });
    expect(harness.api.requests).toEqual([]);
  });

  test('invalid properties answer FAILED naming the property, and nothing reaches the cluster', async () => {
    // WHEN
    const notJson = await harness.send(harness.objectsEvent('Create', { ...harness.objectsProperties([]), Manifests: '[{not json' }));
    const nameless = await harness.createObjects([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }]);
    const roleless = await harness.createObjects([NAMESPACE], 'Objects', { RoleArn: '' });

    // THEN
    expect(notJson).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^Property `Manifests` is not JSON/) });
    expect(nameless).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^Property `Manifests`: object 0 .*metadata\.name/) });
    expect(roleless).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^Property `RoleArn` must be a non-empty string/) });
    expect(harness.roleAssumer.calls).toHaveLength(0);
    expect(harness.api.requests).toHaveLength(0);
  });

  test('a failed Update keeps the current physical id, so CloudFormation\'s rollback does not delete what was applied', async () => {
    // GIVEN
    const created = await harness.createObjects([NAMESPACE, CONFIG]);
    harness.api.inject({ kind: 'status', times: 1, methods: ['PATCH'], status: 422, skip: 1 });

    // WHEN the new properties are invalid, and then the API refuses an object of a valid update
    const invalid = await harness.updateObjects(created.PhysicalResourceId, [NAMESPACE, CONFIG], [NAMESPACE, CONFIG], { RoleArn: '' });
    const refused = await harness.updateObjects(created.PhysicalResourceId, [NAMESPACE, { ...CONFIG, data: { mode: 'hourly' } }], [NAMESPACE, CONFIG]);

    // THEN
    expect(invalid).toMatchObject({ Status: 'FAILED', PhysicalResourceId: created.PhysicalResourceId });
    expect(refused).toMatchObject({ Status: 'FAILED', PhysicalResourceId: created.PhysicalResourceId });
    expect(refused.Reason).toMatch(/^ConfigMap jobs\/settings was not applied: HTTP 422/);
    expect(harness.api.objects.object('v1', 'ConfigMap', 'settings', 'jobs')?.data).toEqual({ mode: 'nightly' });
  });

  test('a Create that fails after applying some objects: its rollback Delete removes exactly those, nothing else', async () => {
    // GIVEN someone else's Namespace and ConfigMap; the manifests set the ConfigMap differently (a conflict), after a ServiceAccount
    harness.api.objects.createAsUpdate(NAMESPACE, 'kubectl-create');
    harness.api.objects.createAsUpdate({ ...CONFIG, data: { mode: 'manual' } }, 'kubectl-edit');
    const manifests = [DEPLOYMENT, CONFIG, ACCOUNT];
    const before = harness.api.objects.labels();

    // WHEN
    const create = await harness.createObjects(manifests);
    harness.api.resetFaults();
    const rollback = await harness.deleteObjects(create.PhysicalResourceId, manifests);

    // THEN the ServiceAccount went; the ConfigMap kept its owner and data; the Deployment was never applied
    expect(create.Status).toBe('FAILED');
    expect(create.Reason).toMatch(/^ConfigMap jobs\/settings was not applied: another field manager owns fields it sets: \.data\.mode \(conflict with "kubectl-edit"\)/);
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: create.PhysicalResourceId, Data: { Removed: '1' } });
    expect(harness.api.requests.filter((request) => request.method === 'DELETE').map((request) => request.path))
      .toEqual(['/api/v1/namespaces/jobs/serviceaccounts/exporter']);
    expect(harness.api.objects.labels()).toEqual(before);
    expect(harness.api.objects.object('v1', 'ConfigMap', 'settings', 'jobs')?.data).toEqual({ mode: 'manual' });
  });

  test('AssumeRole denied while IAM changes propagate is retried, in a session named for objects', async () => {
    // GIVEN
    harness.roleAssumer.failures.push(awsError('AccessDenied'), awsError('AccessDenied'));

    // WHEN
    const response = await harness.createObjects([NAMESPACE]);

    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(harness.roleAssumer.calls).toEqual(Array.from({ length: 3 }, () => ({
      roleArn: HANDLER_ROLE, sessionName: expect.stringMatching(/^cdk-eks-fargate-objects-request-\d+$/),
    })));
  });

  test('Create for an imported cluster that does not exist fails, and its rollback Delete reaches no API server', async () => {
    // GIVEN
    const properties = harness.importedObjectsProperties([NAMESPACE]);
    harness.describer.clusters.clear();

    // WHEN
    const create = await harness.send(harness.objectsEvent('Create', properties));
    const rollback = await harness.send(harness.objectsEvent('Delete', properties, { PhysicalResourceId: create.PhysicalResourceId }));

    // THEN
    expect(create).toMatchObject({ Status: 'FAILED', PhysicalResourceId: objectsPhysicalId(create.StackId, 'Objects') });
    expect(create.Reason).toMatch(/^EKS cluster "legacy" does not exist \(DescribeCluster: ResourceNotFoundException\)/);
    expect(rollback).toMatchObject({ Status: 'SUCCESS', Data: { Removed: '0' } });
    expect(harness.api.requests).toEqual([]);
  });

  test('a Retry-After beyond the deadline ends the request instead of sleeping past it, naming the object', async () => {
    // GIVEN the server asks for an hour
    harness.api.inject({ kind: 'status', times: 1, methods: ['PATCH'], status: 503, retryAfterSeconds: 3600 });

    // WHEN
    const response = await harness.createObjects([NAMESPACE]);

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/^Namespace jobs was not applied: the API server kept failing \(PATCH \S+ still got HTTP 503 .* after 1 attempt\(s\)\)/);
    expect(harness.timing.sleeps.every((ms) => ms < 3_600_000)).toBe(true);
    expect(harness.api.count('PATCH')).toBe(1);
  });

  test('Update that moves to another cluster applies there and removes its objects from the old cluster only', async () => {
    // GIVEN objects applied to the old cluster, which also holds someone else's ConfigMap
    const oldCluster = await FakeKubernetesApi.start();
    try {
      const oldProperties = { ...harness.objectsProperties([NAMESPACE, CONFIG]), ClusterName: 'old', Endpoint: oldCluster.endpoint };
      const created = await harness.send(harness.objectsEvent('Create', oldProperties));
      oldCluster.objects.createAsUpdate({ ...CONFIG, metadata: { name: 'other', namespace: 'default' } }, 'kubectl-create');

      // WHEN
      const updated = await harness.send(harness.objectsEvent('Update', harness.objectsProperties([NAMESPACE, CONFIG]), {
        PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: oldProperties,
      }));

      // THEN
      expect(updated).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId, Data: { Applied: '2', Removed: '2' } });
      expect(harness.api.objects.object('v1', 'ConfigMap', 'settings', 'jobs')?.data).toEqual({ mode: 'nightly' });
      expect(oldCluster.objects.labels()).toEqual(['ConfigMap default/other', 'Namespace default', 'Namespace kube-system']);
    } finally {
      await oldCluster.close();
    }
  });
});
