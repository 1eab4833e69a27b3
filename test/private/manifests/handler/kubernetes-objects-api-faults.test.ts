import { ACCOUNT, CONFIG, NAMESPACE } from './objects-fixtures';
import { HANDLER_ROLE } from '../../aws-auth/handler/aws-auth-fixtures';
import { HandlerHarness } from '../../aws-auth/handler/handler-harness';

const DISCOVERY = 'GET /api/v1';
const NAMESPACE_PATH = '/api/v1/namespaces/jobs';
const CONFIG_PATH = '/api/v1/namespaces/jobs/configmaps/settings';

/** The faults the aws-auth handler is tested against, met by the KubernetesObjects handler. */
describe('KubernetesObjects handler: Kubernetes API faults', () => {
  let harness: HandlerHarness;
  beforeEach(async () => {
    harness = await HandlerHarness.start();
  });
  afterEach(() => harness.close());

  test('500 and 503 answers are retried until the API server recovers', async () => {
    // GIVEN discovery answers 503 twice, then the first apply 500 twice
    harness.api.inject({ kind: 'status', times: 2, methods: ['GET'], status: 503 });
    harness.api.inject({ kind: 'status', times: 2, methods: ['PATCH'], status: 500 });

    // WHEN
    const response = await harness.createObjects([NAMESPACE, CONFIG]);

    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(harness.api.trail()).toEqual([
      DISCOVERY, DISCOVERY, DISCOVERY, `PATCH ${NAMESPACE_PATH}`, `PATCH ${NAMESPACE_PATH}`, `PATCH ${NAMESPACE_PATH}`, `PATCH ${CONFIG_PATH}`,
    ]);
    expect(harness.api.objects.object('v1', 'ConfigMap', 'settings', 'jobs')?.data).toEqual({ mode: 'nightly' });
  });

  test('5xx answers that outlast the budget fail with the server\'s message, naming the object', async () => {
    // GIVEN the Namespace applies, then every apply answers 503
    harness.api.inject({ kind: 'status', times: 100_000, methods: ['PATCH'], status: 503, skip: 1 });

    // WHEN
    const response = await harness.send(harness.objectsEvent('Create', harness.objectsProperties([NAMESPACE, CONFIG])), 60_000);

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(new RegExp(`^ConfigMap jobs/settings was not applied: the API server kept failing \\(PATCH ${CONFIG_PATH}\\?fieldManager=\\S+ `
      + 'still got HTTP 503 \\(ServiceUnavailable: injected 503\\) after \\d+ attempt\\(s\\)\\)'));
    expect(harness.api.count('PATCH')).toBeGreaterThan(2);
    expect(harness.api.objects.object('v1', 'ConfigMap', 'settings', 'jobs')).toBeUndefined();
  });

  test('an answer slower than the request timeout is retried, and the repeated apply changes nothing (server-side apply is idempotent)', async () => {
    // GIVEN the ConfigMap's apply lands but its answer comes after the 1 s request timeout
    harness.api.inject({ kind: 'slow', times: 1, methods: ['PATCH'], delayMs: 3_000, skip: 1 });

    // WHEN
    const response = await harness.createObjects([NAMESPACE, CONFIG]);

    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(harness.api.trail()).toEqual([DISCOVERY, `PATCH ${NAMESPACE_PATH}`, `PATCH ${CONFIG_PATH}`, `PATCH ${CONFIG_PATH}`]);
    expectAppliedOnceBy(response.PhysicalResourceId);
  });

  test('connection resets are retried, before the request and after the apply landed (server-side apply is idempotent)', async () => {
    // GIVEN
    harness.api.inject({ kind: 'reset', times: 1, methods: ['GET'] });
    harness.api.inject({ kind: 'reset', times: 1, methods: ['PATCH'], afterApplying: true, skip: 1 });

    // WHEN
    const response = await harness.createObjects([NAMESPACE, CONFIG]);

    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(harness.api.trail()).toEqual([DISCOVERY, DISCOVERY, `PATCH ${NAMESPACE_PATH}`, `PATCH ${CONFIG_PATH}`, `PATCH ${CONFIG_PATH}`]);
    expectAppliedOnceBy(response.PhysicalResourceId);
  });

  /** The ConfigMap holds what the manifest says, owned by one apply manager: the repeated apply added nothing. */
  function expectAppliedOnceBy(fieldManager: string): void {
    const stored = harness.api.objects.object('v1', 'ConfigMap', 'settings', 'jobs');
    expect(stored?.data).toEqual({ mode: 'nightly' });
    expect(stored?.metadata.managedFields.map((entry: any) => [entry.manager, entry.operation])).toEqual([[fieldManager, 'Apply']]);
  }

  test('a discovery GET whose body is cut short, or is not JSON at all, is read again', async () => {
    // GIVEN
    harness.api.inject({ kind: 'garble', times: 1, methods: ['GET'] });
    harness.api.inject({ kind: 'garble', times: 1, methods: ['GET'], replacement: '<html><body>502 Bad Gateway</body></html>' });

    // WHEN
    const response = await harness.createObjects([NAMESPACE]);

    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(harness.api.trail()).toEqual([DISCOVERY, DISCOVERY, DISCOVERY, `PATCH ${NAMESPACE_PATH}`]);
  });

  test('a read before a delete whose body is cut short is read again', async () => {
    // GIVEN
    const created = await harness.createObjects([NAMESPACE]);
    harness.api.resetFaults();
    harness.api.inject({ kind: 'garble', times: 1, methods: ['GET'], skip: 1 });

    // WHEN
    const response = await harness.deleteObjects(created.PhysicalResourceId, [NAMESPACE]);

    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Removed: '1' } });
    expect(harness.api.trail()).toEqual([DISCOVERY, `GET ${NAMESPACE_PATH}`, `GET ${NAMESPACE_PATH}`, `DELETE ${NAMESPACE_PATH}`]);
    expect(harness.api.objects.object('v1', 'Namespace', 'jobs')).toBeUndefined();
  });

  test('401 while the access entry propagates is retried until it is accepted', async () => {
    // GIVEN
    harness.api.inject({ kind: 'status', times: 4, status: 401 });

    // WHEN
    const response = await harness.createObjects([NAMESPACE]);

    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(harness.api.trail()).toEqual([DISCOVERY, DISCOVERY, DISCOVERY, DISCOVERY, DISCOVERY, `PATCH ${NAMESPACE_PATH}`]);
  });

  test('401 beyond the budget fails naming the object, the role and the access entry it needs', async () => {
    // GIVEN
    harness.api.inject({ kind: 'status', times: 100_000, status: 401 });

    // WHEN
    const response = await harness.send(harness.objectsEvent('Create', harness.objectsProperties([NAMESPACE])), 60_000);

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(new RegExp(`^Namespace jobs was not applied: the Kubernetes API refused role ${HANDLER_ROLE} \\(GET /api/v1 still got HTTP 401 .*\\)\\. `
      + 'HTTP 401 means the cluster does not know the role: it needs an EKS access entry with AmazonEKSClusterAdminPolicy'));
    expect(harness.api.count('PATCH')).toBe(0);
  });

  test('403 beyond the budget fails naming the permission or RBAC the role lacks', async () => {
    // GIVEN discovery is allowed, applies are forbidden
    harness.api.inject({ kind: 'status', times: 100_000, methods: ['PATCH'], status: 403, message: 'namespaces "jobs" is forbidden: User "objects" cannot patch resource "namespaces"' });

    // WHEN
    const response = await harness.send(harness.objectsEvent('Create', harness.objectsProperties([NAMESPACE])), 60_000);

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(new RegExp(`^Namespace jobs was not applied: the Kubernetes API refused role ${HANDLER_ROLE} \\(PATCH .* still got HTTP 403 `
      + '\\(Forbidden: namespaces "jobs" is forbidden: User "objects" cannot patch resource "namespaces"\\).*\\)\\. '
      + 'HTTP 403 means the role is known but not allowed: its access entry needs AmazonEKSClusterAdminPolicy, or its groups need RBAC'));
  });

  test('an invalid object (422) fails at once, naming the object and the API\'s message', async () => {
    // GIVEN the API refuses the ServiceAccount
    harness.api.inject({ kind: 'status', times: 1, methods: ['PATCH'], status: 422, skip: 1, message: 'ServiceAccount "exporter" is invalid: metadata.labels: Invalid value' });

    // WHEN
    const response = await harness.createObjects([NAMESPACE, ACCOUNT, CONFIG]);

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/^ServiceAccount jobs\/exporter was not applied: HTTP 422, the API server refused the object \(Invalid: ServiceAccount "exporter" is invalid: metadata.labels: Invalid value\)\. Fix the manifest\./);
    expect(harness.api.trail()).toEqual([DISCOVERY, `PATCH ${NAMESPACE_PATH}`, 'PATCH /api/v1/namespaces/jobs/serviceaccounts/exporter']);
  });
});
