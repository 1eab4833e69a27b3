import { ACCOUNT, mappingsIn, NODE_ROLE_MAPPING, POD_EXECUTION_ROLE_MAPPING, roleMapping } from './aws-auth-fixtures';
import { HandlerHarness } from './handler-harness';
import { RoleMapping, UserMapping } from '../../../../lib/aws-auth-merge';
import { StoredConfigMap } from '../../handler/fake-kubernetes-api';

const MASTERS_ROLE: RoleMapping = { rolearn: `arn:aws:iam::${ACCOUNT}:role/cluster-admins`, username: `arn:aws:iam::${ACCOUNT}:role/cluster-admins`, groups: ['system:masters'] };
const DEPLOY_USER: UserMapping = { userarn: `arn:aws:iam::${ACCOUNT}:user/deployer`, username: 'deployer', groups: ['deployers'] };
const NEW_TEAM_ROLE = roleMapping('analytics-team', ['analytics']);
const PRUNE_LABEL = 'aws.cdk.eks/prune-c8e3f1b2a4d5e6f708192a3b4c5d6e7f8091a2b3c4';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * aws-auth exactly as aws-cdk-lib's `AwsAuth` leaves it: one KubernetesManifest applied with `kubectl apply`, every
 * list rendered with `Stack.toJsonString` (JSON, not YAML), the manifest's prune label, and kubectl's
 * last-applied-configuration annotation.
 */
function awsCdkLibAwsAuth() {
  const data = {
    mapRoles: JSON.stringify([NODE_ROLE_MAPPING, MASTERS_ROLE, POD_EXECUTION_ROLE_MAPPING]),
    mapUsers: JSON.stringify([DEPLOY_USER]),
    mapAccounts: JSON.stringify([]),
  };
  const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system', labels: { [PRUNE_LABEL]: '' } }, data };
  return {
    metadata: { labels: { [PRUNE_LABEL]: '' }, annotations: { [LAST_APPLIED]: `${JSON.stringify(manifest)}\n` } },
    data,
  };
}

/**
 * Moving a stack from aws-cdk-lib's `AwsAuth` to `SafeAwsAuth` without a moment where a mapping is missing:
 * step 1 sets RemovalPolicy.RETAIN on the manifest (a template-only change: the kubectl provider is not called),
 * step 2 removes the manifest from the stack (retained: CloudFormation deletes nothing in the cluster) and adds
 * SafeAwsAuth with the mappings the stack still wants.
 */
describe('migration from aws-cdk-lib AwsAuth to SafeAwsAuth', () => {
  const OWNER = 'cluster-stack/Cluster/SafeAwsAuth';
  let harness: HandlerHarness;
  let beforeMigration: StoredConfigMap;
  let properties: { [key: string]: string };

  beforeAll(async () => {
    harness = await HandlerHarness.start();
    harness.api.setAwsAuth(awsCdkLibAwsAuth());
    beforeMigration = harness.api.awsAuth()!;
    properties = harness.ownedClusterProperties(OWNER, { mapRoles: [MASTERS_ROLE, POD_EXECUTION_ROLE_MAPPING, NEW_TEAM_ROLE] });
  });
  afterAll(() => harness.close());

  test('step 1 (RemovalPolicy.RETAIN on the manifest) leaves aws-auth untouched', () => {
    // No custom resource of this library is created or updated by step 1, so no request reaches the cluster.
    expect(harness.api.requests).toEqual([]);
    expect(harness.api.awsAuth()).toEqual(beforeMigration);
  });

  test('step 2 (manifest removed and retained, SafeAwsAuth created) keeps every mapping and adds the new ones', async () => {
    // WHEN
    const response = await harness.create(properties);

    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(mappingsIn(harness.api)).toEqual({
      mapRoles: [NODE_ROLE_MAPPING, MASTERS_ROLE, POD_EXECUTION_ROLE_MAPPING, NEW_TEAM_ROLE],
      mapUsers: [DEPLOY_USER],
      mapAccounts: [],
    });
  });

  test('step 2 keeps aws-cdk-lib\'s label, kubectl\'s annotation and the untouched lists byte for byte', () => {
    const after = harness.api.awsAuth()!;
    expect(after.metadata.labels).toEqual({ [PRUNE_LABEL]: '' });
    const annotationsBefore = beforeMigration.metadata.annotations as { [key: string]: string };
    expect((after.metadata.annotations as { [key: string]: string })[LAST_APPLIED]).toBe(annotationsBefore[LAST_APPLIED]);
    expect(after.data!.mapUsers).toBe(beforeMigration.data!.mapUsers);
    expect(after.data!.mapAccounts).toBe(beforeMigration.data!.mapAccounts);
  });

  test('removing SafeAwsAuth later takes only what it added: the mappings aws-cdk-lib wrote were adopted, not taken over', async () => {
    // WHEN
    const response = await harness.delete(OWNER, properties);

    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(mappingsIn(harness.api)).toEqual({
      mapRoles: [NODE_ROLE_MAPPING, MASTERS_ROLE, POD_EXECUTION_ROLE_MAPPING],
      mapUsers: [DEPLOY_USER],
      mapAccounts: [],
    });
  });
});
