import { eksctlAwsAuth, roleArnsIn, roleMapping } from './aws-auth-fixtures';
import { HandlerHarness } from './handler-harness';
import { cloudFormationEvent, lateAnswer } from '../../handler/handler-fakes';

const TEAM_A = roleMapping('team-a');

describe('aws-auth handler: answers once, never works after answering', () => {
  let harness: HandlerHarness;
  beforeEach(async () => {
    harness = await HandlerHarness.start();
    harness.api.setAwsAuth(eksctlAwsAuth());
  });
  afterEach(() => harness.close());

  test('an AssumeRole answer that arrives after the time budget leads to no GET and no PUT', async () => {
    // GIVEN STS answers only after the handler has given up (20.05 s left, 20 s kept for the response)
    const sts = lateAnswer();
    harness.roleAssumer.gate = sts.gate;

    // WHEN
    const response = await harness.send(cloudFormationEvent('Create', harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_A] })), 20_050);
    sts.arrive();
    await harness.untilLogged(/abandoned work ended: stopped because the handler already answered CloudFormation/);

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/ran out of time/);
    expect(harness.api.requests).toHaveLength(0);
    expect(harness.responder.responses).toHaveLength(1);
    expect(roleArnsIn(harness.api)).not.toContain(TEAM_A.rolearn);
  });

  test('a DescribeCluster answer that arrives after the time budget leads to no GET and no PUT', async () => {
    // GIVEN an imported cluster, so the endpoint comes from a DescribeCluster that answers late
    const eks = lateAnswer();
    const properties = harness.importedClusterProperties('app/Auth', { mapRoles: [TEAM_A] });
    harness.describer.gate = eks.gate;

    // WHEN
    const response = await harness.send(cloudFormationEvent('Delete', properties, { PhysicalResourceId: 'app/Auth' }), 20_050);
    eks.arrive();
    await harness.untilLogged(/abandoned work ended/);

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(harness.describer.calls).toHaveLength(1);
    expect(harness.api.requests).toHaveLength(0);
    expect(harness.responder.responses).toHaveLength(1);
  });

  test('429 with Retry-After waits at least that long before the next attempt', async () => {
    // GIVEN
    harness.api.inject({ kind: 'status', status: 429, times: 1, methods: ['GET'], retryAfterSeconds: 12 });

    // WHEN
    const response = await harness.create(harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_A] }));

    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(harness.timing.sleeps[0]).toBeGreaterThanOrEqual(12_000);
    expect(roleArnsIn(harness.api)).toContain(TEAM_A.rolearn);
  });

  test('a Retry-After beyond the deadline ends the request instead of sleeping past it', async () => {
    // GIVEN the server asks for an hour
    harness.api.inject({ kind: 'status', status: 503, times: 1, methods: ['GET'], retryAfterSeconds: 3600 });

    // WHEN
    const response = await harness.create(harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_A] }));

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/the API server kept failing .*HTTP 503/);
    expect(harness.timing.sleeps.every((ms) => ms < 3_600_000)).toBe(true);
    expect(harness.api.count('PUT')).toBe(0);
  });

  test('a GET whose body is cut short is read again instead of failing the request', async () => {
    // GIVEN the first read answers 200 with half a ConfigMap
    harness.api.inject({ kind: 'garble', times: 1, methods: ['GET'] });

    // WHEN
    const response = await harness.create(harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_A] }));

    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(harness.api.count('GET')).toBe(2);
    expect(harness.api.count('PUT')).toBe(1);
    expect(roleArnsIn(harness.api)).toContain(TEAM_A.rolearn);
  });
});
