import * as yaml from 'js-yaml';
import { ACCOUNT, appendForeignRole, mappingsIn, NODE_ROLE_MAPPING, POD_EXECUTION_ROLE_MAPPING } from './aws-auth-fixtures';
import { HandlerHarness } from './handler-harness';
import { RoleMapping } from '../../../../lib/aws-auth-merge';

/**
 * The incident: on a CONFIG_MAP cluster running EC2 nodes and Fargate, recreating Fargate profiles through a
 * construct that rewrote the whole aws-auth ConfigMap dropped the EC2 node role mapping, and every node left the
 * cluster. Here the same sequence runs through the custom resource: profiles' owners are created, deleted and
 * recreated, and one is renamed; after every step the node role mapping must be exactly as it was.
 */
describe('incident replay: Fargate profiles recreated on a CONFIG_MAP cluster with EC2 nodes', () => {
  const SECOND_POD_EXECUTION_ROLE: RoleMapping = { ...POD_EXECUTION_ROLE_MAPPING, rolearn: `arn:aws:iam::${ACCOUNT}:role/batch-pod-execution-role` };
  const PROFILE_A = 'cluster-stack/ProfileA/AwsAuth';
  const PROFILE_B = 'cluster-stack/ProfileB/AwsAuth';
  const PROFILE_B_RENAMED = 'cluster-stack/BatchProfiles/AwsAuth';

  let harness: HandlerHarness;
  let profileA: { [key: string]: string };
  let profileB: { [key: string]: string };
  let profileBRenamed: { [key: string]: string };

  beforeAll(async () => {
    harness = await HandlerHarness.start();
    // The cluster as it was: the node group role (eksctl) and the pod execution role EKS wrote for the first profile.
    harness.api.setAwsAuth({ data: { mapRoles: yaml.dump([NODE_ROLE_MAPPING, POD_EXECUTION_ROLE_MAPPING]) } });
    profileA = harness.ownedClusterProperties(PROFILE_A, { mapRoles: [POD_EXECUTION_ROLE_MAPPING] });
    profileB = harness.ownedClusterProperties(PROFILE_B, { mapRoles: [SECOND_POD_EXECUTION_ROLE] });
    profileBRenamed = harness.ownedClusterProperties(PROFILE_B_RENAMED, { mapRoles: [SECOND_POD_EXECUTION_ROLE] });
  });
  afterAll(() => harness.close());

  function nodeRoleMappings(): RoleMapping[] {
    return (mappingsIn(harness.api).mapRoles ?? []).filter((mapping) => mapping.rolearn === NODE_ROLE_MAPPING.rolearn);
  }

  function expectStepSucceededWithNodeRoleIntact(status: string): void {
    expect(status).toBe('SUCCESS');
    expect(nodeRoleMappings()).toEqual([NODE_ROLE_MAPPING]);
    expect(mappingsIn(harness.api).mapRoles![0]).toEqual(NODE_ROLE_MAPPING);
  }

  test('step 1: profile A\'s owner is created and adopts the pod execution role EKS wrote', async () => {
    const response = await harness.create(profileA);
    expectStepSucceededWithNodeRoleIntact(response.Status);
    expect(mappingsIn(harness.api).mapRoles).toEqual([NODE_ROLE_MAPPING, POD_EXECUTION_ROLE_MAPPING]);
  });

  test('step 2: profile B\'s owner is created while EKS writes its own entry for profile B at the same time', async () => {
    // EKS adds the role right between the handler's read and write: the handler's first PUT gets 409.
    harness.api.inject({ kind: 'interfere', times: 1, methods: ['PUT'], change: appendForeignRole(SECOND_POD_EXECUTION_ROLE) });
    const response = await harness.create(profileB);
    expectStepSucceededWithNodeRoleIntact(response.Status);
    expect(harness.api.conflictsAnswered).toBe(1);
    expect(mappingsIn(harness.api).mapRoles).toEqual([NODE_ROLE_MAPPING, POD_EXECUTION_ROLE_MAPPING, SECOND_POD_EXECUTION_ROLE]);
  });

  test('step 3: profile A is deleted; the pod execution role EKS wrote stays', async () => {
    const response = await harness.delete(PROFILE_A, profileA);
    expectStepSucceededWithNodeRoleIntact(response.Status);
    expect(mappingsIn(harness.api).mapRoles).toContainEqual(POD_EXECUTION_ROLE_MAPPING);
  });

  test('step 4: profile A is recreated', async () => {
    const response = await harness.create(profileA);
    expectStepSucceededWithNodeRoleIntact(response.Status);
    expect(mappingsIn(harness.api).mapRoles).toContainEqual(POD_EXECUTION_ROLE_MAPPING);
  });

  test('step 5: profile B\'s owner is renamed by an Update, then CloudFormation cleans up the old physical id', async () => {
    const update = await harness.update(PROFILE_B, profileBRenamed, profileB);
    expectStepSucceededWithNodeRoleIntact(update.Status);
    expect(update.PhysicalResourceId).toBe(PROFILE_B_RENAMED);

    const cleanup = await harness.delete(PROFILE_B, profileB);
    expectStepSucceededWithNodeRoleIntact(cleanup.Status);
    expect(mappingsIn(harness.api).mapRoles).toContainEqual(SECOND_POD_EXECUTION_ROLE);
  });

  test('step 6: every profile is deleted; what EKS and eksctl wrote is still there', async () => {
    expectStepSucceededWithNodeRoleIntact((await harness.delete(PROFILE_A, profileA)).Status);
    expectStepSucceededWithNodeRoleIntact((await harness.delete(PROFILE_B_RENAMED, profileBRenamed)).Status);
    expect(mappingsIn(harness.api).mapRoles).toEqual([NODE_ROLE_MAPPING, POD_EXECUTION_ROLE_MAPPING, SECOND_POD_EXECUTION_ROLE]);
    const annotations = Object.keys((harness.api.awsAuth()!.metadata.annotations ?? {}) as object);
    expect(annotations.filter((key) => key.startsWith('cdk-eks-fargate.io/owner.'))).toEqual([]);
  });
});
