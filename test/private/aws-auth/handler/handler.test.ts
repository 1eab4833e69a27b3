import { HANDLER_ROLE, eksctlAwsAuth, mappingsIn, NODE_ROLE_MAPPING, roleArnsIn, roleMapping, ADMIN_USER_MAPPING } from './aws-auth-fixtures';
import { HandlerHarness } from './handler-harness';
import { NOTHING_CREATED_PREFIX } from '../../../../lib/private/aws-auth/handler/aws-auth-lifecycle';
import { FakeKubernetesApi } from '../../handler/fake-kubernetes-api';
import { awsError, cloudFormationEvent } from '../../handler/handler-fakes';

const TEAM_A = roleMapping('team-a');
const TEAM_B = roleMapping('team-b');

describe('aws-auth handler lifecycle', () => {
  let harness: HandlerHarness;
  beforeEach(async () => {
    harness = await HandlerHarness.start();
    harness.api.setAwsAuth(eksctlAwsAuth());
  });
  afterEach(() => harness.close());

  test('Create maps the owner\'s roles as the assumed role and answers SUCCESS with the owner id as physical id', async () => {
    // WHEN
    const response = await harness.create(harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_A] }));

    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'app/Auth', Data: { Result: 'replaced' } });
    expect(roleArnsIn(harness.api)).toEqual([NODE_ROLE_MAPPING.rolearn, TEAM_A.rolearn]);
    expect(mappingsIn(harness.api).mapUsers).toEqual([ADMIN_USER_MAPPING]);
    expect(harness.roleAssumer.calls).toEqual([{ roleArn: HANDLER_ROLE, sessionName: expect.stringMatching(/^cdk-eks-fargate-aws-auth-request-\d+$/) }]);
    expect(harness.api.requests.every((request) => request.authorization?.startsWith('Bearer k8s-aws-v1.'))).toBe(true);
    expect(harness.describer.calls).toEqual([]);
  });

  test('Update with the same owner replaces its mappings and keeps the physical id', async () => {
    // GIVEN
    const before = harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_A] });
    await harness.create(before);

    // WHEN
    const response = await harness.update('app/Auth', harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_B] }), before);

    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'app/Auth' });
    expect(roleArnsIn(harness.api)).toEqual([NODE_ROLE_MAPPING.rolearn, TEAM_B.rolearn]);
  });

  test('Update that renames the owner moves the entries in one write, and the cleanup Delete of the old id is a no-op', async () => {
    // GIVEN
    const before = harness.ownedClusterProperties('owner-1', { mapRoles: [TEAM_A] });
    await harness.create(before);
    harness.api.resetFaults();

    // WHEN
    const update = await harness.update('owner-1', harness.ownedClusterProperties('owner-2', { mapRoles: [TEAM_A, TEAM_B] }), before);
    const writesByUpdate = harness.api.count('PUT');
    const cleanup = await harness.delete('owner-1', before);

    // THEN
    expect(update).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'owner-2' });
    expect(writesByUpdate).toBe(1);
    expect(cleanup).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'owner-1', Data: { Result: 'unchanged' } });
    expect(harness.api.count('PUT')).toBe(1);
    expect(roleArnsIn(harness.api)).toEqual([NODE_ROLE_MAPPING.rolearn, TEAM_A.rolearn, TEAM_B.rolearn]);
    expect(JSON.stringify(harness.api.awsAuth()!.metadata.annotations)).not.toContain('owner-1');
  });

  test('the rollback of an owner rename gives the entries back to the old owner', async () => {
    // GIVEN
    const oldProperties = harness.ownedClusterProperties('owner-1', { mapRoles: [TEAM_A] });
    const newProperties = harness.ownedClusterProperties('owner-2', { mapRoles: [TEAM_B] });
    await harness.create(oldProperties);
    await harness.update('owner-1', newProperties, oldProperties);

    // WHEN CloudFormation rolls back: an Update to the old properties, then the cleanup Delete of the new id
    const rollback = await harness.update('owner-2', oldProperties, newProperties);
    await harness.delete('owner-2', newProperties);

    // THEN
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'owner-1' });
    expect(roleArnsIn(harness.api)).toEqual([NODE_ROLE_MAPPING.rolearn, TEAM_A.rolearn]);
  });

  test('Update that renames the owner is refused when it would drop the last system:nodes mapping', async () => {
    // GIVEN an aws-auth whose only node mapping belongs to owner-1
    harness.api.setAwsAuth(undefined);
    const before = harness.ownedClusterProperties('owner-1', { mapRoles: [NODE_ROLE_MAPPING] });
    await harness.create(before);

    // WHEN
    const response = await harness.update('owner-1', harness.ownedClusterProperties('owner-2', { mapRoles: [TEAM_A] }), before);

    // THEN
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'owner-1' });
    expect(response.Reason).toMatch(/would remove the last aws-auth mapping to the `system:nodes` group/);
    expect(roleArnsIn(harness.api)).toEqual([NODE_ROLE_MAPPING.rolearn]);
  });

  test('Update that moves to another cluster maps there and removes the owner from the old cluster', async () => {
    // GIVEN
    const oldCluster = await FakeKubernetesApi.start();
    try {
      oldCluster.setAwsAuth(eksctlAwsAuth());
      const before = { ...harness.ownedClusterProperties('owner-1', { mapRoles: [TEAM_A] }, 'old'), Endpoint: oldCluster.endpoint };
      await harness.create(before);

      // WHEN
      const response = await harness.update('owner-1', harness.ownedClusterProperties('owner-1', { mapRoles: [TEAM_A] }, 'new'), before);

      // THEN
      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'owner-1' });
      expect(roleArnsIn(harness.api)).toEqual([NODE_ROLE_MAPPING.rolearn, TEAM_A.rolearn]);
      expect(roleArnsIn(oldCluster)).toEqual([NODE_ROLE_MAPPING.rolearn]);
    } finally {
      await oldCluster.close();
    }
  });

  test('Delete removes the owner\'s entries and keeps everyone else\'s', async () => {
    // GIVEN
    const properties = harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_A] });
    await harness.create(properties);

    // WHEN
    const response = await harness.delete('app/Auth', properties);

    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'app/Auth', Data: { Result: 'replaced' } });
    expect(mappingsIn(harness.api)).toEqual({ mapRoles: [NODE_ROLE_MAPPING], mapUsers: [ADMIN_USER_MAPPING], mapAccounts: [] });
  });

  test('Delete when aws-auth does not exist succeeds without creating it', async () => {
    // GIVEN
    harness.api.setAwsAuth(undefined);

    // WHEN
    const response = await harness.delete('app/Auth', harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_A] }));

    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Result: 'unchanged' } });
    expect(harness.api.awsAuth()).toBeUndefined();
  });

  test('an imported cluster is found with DescribeCluster, signed with the assumed role', async () => {
    // WHEN
    const response = await harness.create(harness.importedClusterProperties('legacy/Auth', { mapRoles: [TEAM_A] }));

    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'legacy/Auth' });
    expect(harness.describer.calls).toEqual([{ clusterName: 'legacy', credentials: expect.objectContaining({ sessionToken: `token-for-${HANDLER_ROLE}` }) }]);
    expect(roleArnsIn(harness.api)).toContain(TEAM_A.rolearn);
  });

  test('Delete for an imported cluster that no longer exists succeeds without reaching any API server', async () => {
    // GIVEN
    const properties = harness.importedClusterProperties('legacy/Auth', { mapRoles: [TEAM_A] });
    harness.describer.clusters.clear();

    // WHEN
    const response = await harness.delete('legacy/Auth', properties);

    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Result: 'cluster-gone' } });
    expect(harness.api.requests).toEqual([]);
  });

  test('Create for an imported cluster that does not exist fails and its rollback Delete does nothing', async () => {
    // GIVEN
    const properties = harness.importedClusterProperties('legacy/Auth', { mapRoles: [TEAM_A] });
    harness.describer.clusters.clear();

    // WHEN
    const create = await harness.create(properties);
    const rollback = await harness.delete(create.PhysicalResourceId, properties);

    // THEN
    expect(create.Status).toBe('FAILED');
    expect(create.Reason).toMatch(/EKS cluster "legacy" does not exist \(DescribeCluster: ResourceNotFoundException\) \(log stream /);
    expect(create.PhysicalResourceId.startsWith(NOTHING_CREATED_PREFIX)).toBe(true);
    expect(rollback).toMatchObject({ Status: 'SUCCESS', Data: { Result: 'unchanged' } });
    expect(harness.roleAssumer.calls).toHaveLength(1);
  });

  test('Delete on an owned cluster whose endpoint is unreachable succeeds once DescribeCluster says it is gone', async () => {
    // GIVEN an endpoint nobody listens on, and EKS answering ResourceNotFoundException
    const properties = { ...harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_A] }), Endpoint: 'http://127.0.0.1:9' };

    // WHEN
    const response = await harness.delete('app/Auth', properties);

    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Result: 'cluster-gone' } });
  });

  test('Delete on an owned cluster that exists but cannot be reached fails after the budget, naming the network', async () => {
    // GIVEN
    const properties = { ...harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_A] }), Endpoint: 'http://127.0.0.1:9' };
    harness.describer.clusters.set('prod', { endpoint: 'http://127.0.0.1:9' });

    // WHEN
    const response = await harness.send(cloudFormationEvent('Delete', properties, { PhysicalResourceId: 'app/Auth' }), 45_000);

    // THEN
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'app/Auth' });
    expect(response.Reason).toMatch(/the API server could not be reached \(GET .* ECONNREFUSED/);
  });

  test('a Create refused by the merge answers FAILED, and its rollback Delete does nothing', async () => {
    // GIVEN the node role is mapped by someone else; this owner maps it differently
    const properties = harness.ownedClusterProperties('app/Auth', { mapRoles: [{ ...NODE_ROLE_MAPPING, groups: ['viewers'] }] });

    // WHEN
    const create = await harness.create(properties);
    const rollback = await harness.delete(create.PhysicalResourceId, properties);

    // THEN
    expect(create.Status).toBe('FAILED');
    expect(create.Reason).toMatch(/aws-auth of EKS cluster "prod" was left unchanged: .*eks-node-group-role/);
    expect(create.PhysicalResourceId).toBe(`${NOTHING_CREATED_PREFIX}${create.RequestId}`);
    expect(rollback.Status).toBe('SUCCESS');
    expect(harness.api.count('PUT')).toBe(0);
  });

  test('a Create whose role the cluster never accepts fails naming the role, and its rollback Delete does nothing', async () => {
    // GIVEN
    harness.api.inject({ kind: 'status', times: 100_000, status: 401 });
    const properties = harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_A] });

    // WHEN
    const create = await harness.send(cloudFormationEvent('Create', properties), 60_000);
    const rollback = await harness.delete(create.PhysicalResourceId, properties);

    // THEN
    expect(create.Status).toBe('FAILED');
    expect(create.Reason).toMatch(new RegExp(`refused role ${HANDLER_ROLE} .*HTTP 401`));
    expect(rollback.Status).toBe('SUCCESS');
  });

  test('a Create that may have written before failing keeps the owner id, so its rollback Delete removes the entries', async () => {
    // GIVEN the PUT lands but its answer is lost, then the API server stays down
    harness.api.inject({ kind: 'reset', times: 1, methods: ['PUT'], afterApplying: true });
    harness.api.inject({ kind: 'status', times: 100_000, methods: ['GET'], status: 503, skip: 1 });
    const properties = harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_A] });

    // WHEN
    const create = await harness.send(cloudFormationEvent('Create', properties), 60_000);
    harness.api.resetFaults();
    const rollback = await harness.delete(create.PhysicalResourceId, properties);

    // THEN
    expect(create).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'app/Auth' });
    expect(rollback).toMatchObject({ Status: 'SUCCESS', Data: { Result: 'replaced' } });
    expect(roleArnsIn(harness.api)).toEqual([NODE_ROLE_MAPPING.rolearn]);
  });

  test('invalid properties answer FAILED naming the property', async () => {
    // WHEN
    const response = await harness.create({ ...harness.ownedClusterProperties('app/Auth', {}), Mappings: '{not json' });

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/Property `Mappings` is not JSON/);
  });

  test('a failed Update keeps the current physical id', async () => {
    // GIVEN
    const before = harness.ownedClusterProperties('owner-1', { mapRoles: [TEAM_A] });
    await harness.create(before);

    // WHEN
    const response = await harness.update('owner-1', { ...harness.ownedClusterProperties('owner-2', {}), RoleArn: '' }, before);

    // THEN
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'owner-1' });
    expect(response.Reason).toMatch(/Property `RoleArn` must be a non-empty string/);
  });

  test('AssumeRole denied while IAM changes propagate is retried', async () => {
    // GIVEN
    harness.roleAssumer.failures.push(awsError('AccessDenied'), awsError('AccessDenied'));

    // WHEN
    const response = await harness.create(harness.ownedClusterProperties('app/Auth', { mapRoles: [TEAM_A] }));

    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(harness.roleAssumer.calls).toHaveLength(3);
  });

  test('AssumeRole denied for good fails naming the permission the execution role needs', async () => {
    // GIVEN
    harness.roleAssumer.failures.push(...Array.from({ length: 1_000 }, () => awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole')));

    // WHEN
    const response = await harness.send(cloudFormationEvent('Create', harness.ownedClusterProperties('app/Auth', {})), 40_000);

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(new RegExp(`Could not assume role ${HANDLER_ROLE}: AccessDenied: .*needs sts:AssumeRole on it`));
  });

  test('AssumeRole failing for a network reason fails at once with a network hint, not an IAM one', async () => {
    // GIVEN
    harness.roleAssumer.failures.push(Object.assign(new Error('getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' }));

    // WHEN
    const response = await harness.create(harness.ownedClusterProperties('app/Auth', {}));

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/ENOTFOUND sts\.eu-west-1\.amazonaws\.com\. A handler in a VPC reaches STS and EKS through a NAT gateway or their interface endpoints/);
    expect(harness.roleAssumer.calls).toHaveLength(1);
  });

  test('work that hangs is cut off so CloudFormation still gets a FAILED response before the Lambda times out', async () => {
    // GIVEN STS never answers, and the Lambda has 20.2 s left of which 20 s are kept for the response
    harness.roleAssumer.assumeRole = () => new Promise(() => undefined);

    // WHEN
    const response = await harness.send(cloudFormationEvent('Create', harness.ownedClusterProperties('app/Auth', {})), 20_200);

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/ran out of time/);
  });
});
