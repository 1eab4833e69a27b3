import {
  ADMIN_USER_MAPPING, appendForeignRole, eksctlAwsAuth, HANDLER_ROLE, mappingsIn, NODE_ROLE_MAPPING, roleArnsIn, roleMapping, writerFor,
} from './aws-auth-fixtures';
import { applyOwnerChange, removeOwnerChange } from '../../../../lib/private/aws-auth/handler/owner-changes';
import { FakeKubernetesApi } from '../../handler/fake-kubernetes-api';
import { FakeTiming } from '../../handler/handler-fakes';

const TEAM = roleMapping('team-a');
const applyTeam = applyOwnerChange('owner-a', { mapRoles: [TEAM] });

describe('AwsAuthWriter', () => {
  let api: FakeKubernetesApi;
  let timing: FakeTiming;
  beforeAll(async () => {
    api = await FakeKubernetesApi.start();
  });
  beforeEach(() => {
    timing = new FakeTiming();
    api.resetFaults();
    api.setAwsAuth(eksctlAwsAuth());
  });
  afterAll(() => api.close());

  test('the merged ConfigMap is written with the resourceVersion that was read, keeping labels and foreign entries', async () => {
    // GIVEN
    const readVersion = api.awsAuth()!.metadata.resourceVersion;

    // WHEN
    const outcome = await writerFor(api, timing).write(applyTeam);

    // THEN
    expect(outcome).toEqual({ result: 'replaced', attempts: 1, conflictsRetried: 0 });
    const put = api.requests.find((request) => request.method === 'PUT')!;
    expect(put.body.metadata.resourceVersion).toBe(readVersion);
    expect(api.awsAuth()!.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'eksctl' });
    expect(mappingsIn(api).mapRoles).toEqual([NODE_ROLE_MAPPING, TEAM]);
    expect(mappingsIn(api).mapUsers).toEqual([ADMIN_USER_MAPPING]);
  });

  test('a change that is already applied sends no write', async () => {
    // GIVEN
    await writerFor(api, timing).write(applyTeam);
    api.requests.length = 0;

    // WHEN
    const outcome = await writerFor(api, timing).write(applyTeam);

    // THEN
    expect(outcome.result).toBe('unchanged');
    expect(api.requests.map((request) => request.method)).toEqual(['GET']);
  });

  test('an absent aws-auth is created with POST', async () => {
    // GIVEN
    api.setAwsAuth(undefined);

    // WHEN
    const outcome = await writerFor(api, timing).write(applyTeam);

    // THEN
    expect(outcome.result).toBe('created');
    expect(api.requests.map((request) => request.method)).toEqual(['GET', 'POST']);
    expect(roleArnsIn(api)).toEqual([TEAM.rolearn]);
  });

  test('removing an owner from an absent aws-auth writes nothing and creates nothing', async () => {
    // GIVEN
    api.setAwsAuth(undefined);

    // WHEN
    const outcome = await writerFor(api, timing).write(removeOwnerChange('owner-a'));

    // THEN
    expect(outcome.result).toBe('unchanged');
    expect(api.awsAuth()).toBeUndefined();
  });

  test('a POST that loses the race to another creator (409 AlreadyExists) merges into theirs', async () => {
    // GIVEN another writer creates aws-auth between our 404 and our POST
    api.setAwsAuth(undefined);
    api.inject({ kind: 'interfere', times: 1, methods: ['POST'], change: () => eksctlAwsAuth() });

    // WHEN
    const outcome = await writerFor(api, timing).write(applyTeam);

    // THEN
    expect(outcome).toEqual({ result: 'replaced', attempts: 2, conflictsRetried: 1 });
    expect(roleArnsIn(api)).toEqual([NODE_ROLE_MAPPING.rolearn, TEAM.rolearn]);
  });

  test('a storm of 409 Conflicts is retried on fresh reads and keeps every entry the other writers added', async () => {
    // GIVEN six writes in a row are beaten by another writer that appends its own mapping
    api.inject({ kind: 'interfere', times: 6, methods: ['PUT'], change: (current) => appendForeignRole(roleMapping(`kubectl-${api.count('PUT')}`))(current) });

    // WHEN
    const outcome = await writerFor(api, timing).write(applyTeam);

    // THEN
    expect(outcome).toEqual({ result: 'replaced', attempts: 7, conflictsRetried: 6 });
    expect(api.conflictsAnswered).toBe(6);
    expect(roleArnsIn(api)).toEqual([NODE_ROLE_MAPPING.rolearn, ...[1, 2, 3, 4, 5, 6].map((n) => roleMapping(`kubectl-${n}`).rolearn), TEAM.rolearn]);
    expect(timing.sleeps).toHaveLength(6);
  });

  test('a conflict storm longer than the time budget fails, leaving the other writer\'s ConfigMap as it was', async () => {
    // GIVEN
    api.inject({ kind: 'interfere', times: 1_000, methods: ['PUT'], change: appendForeignRole(roleMapping('kubectl')) });
    const startedMs = timing.nowMs;

    // WHEN
    const write = writerFor(api, timing, { budgetMs: 10_000 }).write(applyTeam);

    // THEN
    await expect(write).rejects.toThrow(/other writers changed it between every read and write.*HTTP 409/);
    expect(roleArnsIn(api)).not.toContain(TEAM.rolearn);
    expect(timing.nowMs - startedMs).toBeLessThan(10_000);
  });

  test('a PUT after someone deleted aws-auth (404) re-reads and creates it', async () => {
    // GIVEN
    api.inject({ kind: 'interfere', times: 1, methods: ['PUT'], change: () => undefined });

    // WHEN
    const outcome = await writerFor(api, timing).write(applyTeam);

    // THEN
    expect(outcome).toEqual({ result: 'created', attempts: 2, conflictsRetried: 1 });
    expect(roleArnsIn(api)).toEqual([TEAM.rolearn]);
  });

  test('500 answers are retried until the API server recovers', async () => {
    // GIVEN
    api.inject({ kind: 'status', times: 3, status: 500 });

    // WHEN
    const outcome = await writerFor(api, timing).write(applyTeam);

    // THEN
    expect(outcome).toMatchObject({ result: 'replaced', attempts: 4 });
  });

  test('500 answers that outlast the budget fail with the server\'s message', async () => {
    // GIVEN
    api.inject({ kind: 'status', times: 1_000, status: 503 });

    // WHEN / THEN
    await expect(writerFor(api, timing, { budgetMs: 5_000 }).write(applyTeam))
      .rejects.toThrow(/the API server kept failing \(GET .* answered HTTP 503 \(ServiceUnavailable: injected 503\)\)/);
  });

  test('an answer slower than the request timeout is retried', async () => {
    // GIVEN
    api.inject({ kind: 'slow', times: 1, methods: ['GET'], delayMs: 3_000 });

    // WHEN
    const outcome = await writerFor(api, timing, { requestTimeoutMs: 1_000 }).write(applyTeam);

    // THEN
    expect(outcome).toMatchObject({ result: 'replaced', attempts: 2 });
  });

  test('a PUT that landed but timed out is recognised on the next read and not repeated', async () => {
    // GIVEN
    api.inject({ kind: 'slow', times: 1, methods: ['PUT'], delayMs: 3_000 });
    const writer = writerFor(api, timing, { requestTimeoutMs: 1_000 });

    // WHEN
    const outcome = await writer.write(applyTeam);

    // THEN
    expect(outcome).toMatchObject({ result: 'unchanged', attempts: 2 });
    expect(writer.mayHaveWritten).toBe(true);
    expect(api.count('PUT')).toBe(1);
    expect(roleArnsIn(api)).toEqual([NODE_ROLE_MAPPING.rolearn, TEAM.rolearn]);
  });

  test('connection resets are retried, whether or not the write landed', async () => {
    // GIVEN
    api.inject({ kind: 'reset', times: 1, methods: ['GET'] });
    api.inject({ kind: 'reset', times: 1, methods: ['PUT'], afterApplying: true });

    // WHEN
    const outcome = await writerFor(api, timing).write(applyTeam);

    // THEN
    expect(outcome).toMatchObject({ result: 'unchanged', attempts: 3 });
    expect(roleArnsIn(api)).toEqual([NODE_ROLE_MAPPING.rolearn, TEAM.rolearn]);
  });

  test('malformed aws-auth data fails the write without sending one', async () => {
    // GIVEN
    api.setAwsAuth({ data: { mapRoles: '- rolearn: [unclosed' } });
    const before = api.awsAuth();
    const writer = writerFor(api, timing);

    // WHEN / THEN
    await expect(writer.write(applyTeam)).rejects.toThrow(/aws-auth of EKS cluster "prod" was left unchanged: .*mapRoles/);
    expect(api.count('PUT') + api.count('POST')).toBe(0);
    expect(api.awsAuth()).toEqual(before);
    expect(writer.mayHaveWritten).toBe(false);
  });

  test('401 while the access entry propagates is retried until it is accepted', async () => {
    // GIVEN
    api.inject({ kind: 'status', times: 4, status: 401 });

    // WHEN
    const outcome = await writerFor(api, timing).write(applyTeam);

    // THEN
    expect(outcome).toMatchObject({ result: 'replaced', attempts: 5 });
  });

  test('401 beyond the budget fails naming the role and the access entry or mapping it needs', async () => {
    // GIVEN
    api.inject({ kind: 'status', times: 1_000, status: 401 });

    // WHEN / THEN
    await expect(writerFor(api, timing, { budgetMs: 20_000 }).write(applyTeam)).rejects.toThrow(new RegExp(
      `refused role ${HANDLER_ROLE}.*HTTP 401 means the cluster does not know the role: give it an EKS access entry.*AmazonEKSEditPolicy scoped to kube-system.*aws-auth mapping`));
  });

  test('403 beyond the budget fails naming the permissions the role lacks', async () => {
    // GIVEN
    api.inject({ kind: 'status', times: 1_000, status: 403 });

    // WHEN / THEN
    await expect(writerFor(api, timing, { budgetMs: 20_000 }).write(applyTeam))
      .rejects.toThrow(/HTTP 403 means the role is known but not allowed: its access entry needs AmazonEKSEditPolicy scoped to kube-system/);
  });

  test('an answer no retry can fix (422) fails at once', async () => {
    // GIVEN
    api.inject({ kind: 'status', times: 1, methods: ['PUT'], status: 422 });

    // WHEN / THEN
    await expect(writerFor(api, timing).write(applyTeam)).rejects.toThrow(/PUT .* answered HTTP 422 .*not something a retry can fix/);
    expect(api.count('PUT')).toBe(1);
  });

  test('a cluster that cannot be reached ends a removal as gone once the caller confirms it', async () => {
    // GIVEN
    api.inject({ kind: 'reset', times: 1_000 });
    let asked = 0;

    // WHEN
    const outcome = await writerFor(api, timing).write(removeOwnerChange('owner-a'), { confirmClusterGone: async () => ++asked >= 2 });

    // THEN
    expect(outcome).toEqual({ result: 'cluster-gone', attempts: 2, conflictsRetried: 0 });
  });

  test('a cluster that cannot be reached and is not confirmed gone fails after the budget', async () => {
    // GIVEN
    api.inject({ kind: 'reset', times: 1_000 });

    // WHEN / THEN
    await expect(writerFor(api, timing, { budgetMs: 3_000 }).write(removeOwnerChange('owner-a'), { confirmClusterGone: async () => false }))
      .rejects.toThrow(/could not be reached.*run in the cluster VPC/);
  });
});
