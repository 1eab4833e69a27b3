import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ACCOUNT, ADMIN_USER_MAPPING, eksctlAwsAuth, HANDLER_ROLE, mappingsIn, NODE_ROLE_MAPPING, roleMapping } from './aws-auth-fixtures';
import { HandlerHarness } from './handler-harness';
import { FargateCluster, SafeAwsAuth } from '../../../../lib';
import { ownerAnnotationKey } from '../../../../lib/private/aws-auth/merge/ownership-annotations';
import { cloudFormationEvent } from '../../handler/handler-fakes';

const STACK_NAME = 'Platform';
const CUSTOM_RESOURCE = 'Custom::CdkEksFargateAwsAuth';
const FOREIGN_ROLE = roleMapping('hand-mapped-team', ['viewers']);
const TEAM_A = roleMapping('team-a', ['a']);
const TEAM_B = roleMapping('team-b', ['b']);

/**
 * The app as a user writes it: an imported CONFIG_MAP cluster and a SafeAwsAuth with two role mappings.
 * `ownerId` given: the id an older version of the library chose by default (the construct path).
 */
function synthesize(ownerId?: string): { logicalId: string; properties: { [key: string]: unknown } } {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new Stack(app, STACK_NAME, { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const handlerRole = iam.Role.fromRoleArn(stack, 'HandlerRole', HANDLER_ROLE);
  const cluster = FargateCluster.fromClusterAttributes(stack, 'Legacy', {
    clusterName: 'legacy',
    vpc: new ec2.Vpc(stack, 'Network'),
    authenticationMode: eks.AuthenticationMode.CONFIG_MAP,
    awsAuthHandlerRole: handlerRole,
    clusterSecurityGroupId: 'sg-0123456789abcdef0',
  });
  const auth = new SafeAwsAuth(stack, 'Auth', { cluster, handlerRole, ...(ownerId === undefined ? {} : { ownerId }) });
  for (const mapping of [TEAM_A, TEAM_B]) {
    auth.addRoleMapping(iam.Role.fromRoleArn(stack, mapping.username!, mapping.rolearn), { groups: mapping.groups!, username: mapping.username });
  }
  const resources = Template.fromStack(stack).findResources(CUSTOM_RESOURCE);
  expect(Object.keys(resources)).toHaveLength(1);
  const [logicalId, resource] = Object.entries(resources)[0];
  return { logicalId, properties: resolve(resource.Properties, stack) as { [key: string]: unknown } };
}

/** What CloudFormation passes the handler for a template value: `Ref AWS::StackName` and `Fn::Join` resolved. */
function resolve(value: unknown, stack: Stack): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolve(item, stack));
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const fields = value as { [key: string]: unknown };
  if (fields.Ref === 'AWS::StackName') {
    return stack.stackName;
  }
  if (fields['Fn::Join'] !== undefined) {
    const [separator, parts] = fields['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolve(part, stack)).join(separator);
  }
  if (fields['Fn::GetAtt'] !== undefined) {
    // Only the service token is an attribute here; the handler does not read it.
    return 'arn:aws:lambda:eu-west-1:111122223333:function:handler';
  }
  return Object.fromEntries(Object.entries(fields).map(([key, item]) => [key, resolve(item, stack)]));
}

describe('owner id rename through the real handler, with the properties of a synthesized stack', () => {
  let harness: HandlerHarness;
  let previous: ReturnType<typeof synthesize>;
  let current: ReturnType<typeof synthesize>;
  // Synthesis with template validation takes seconds the first time in a process: once for the file.
  beforeAll(() => {
    previous = synthesize(`${STACK_NAME}/Auth`);
    current = synthesize();
  }, 60_000);
  beforeEach(async () => {
    harness = await HandlerHarness.start();
    harness.describer.clusters.set('legacy', { endpoint: harness.api.endpoint });
    harness.api.setAwsAuth(eksctlAwsAuth([FOREIGN_ROLE]));
  });
  afterEach(() => harness.close());

  test('upgrading from the construct-path default moves the entries to <stack name>:<path> in one write', async () => {
    // GIVEN the stack as deployed with the previous default owner id (its construct path)
    expect(previous.properties.OwnerId).toBe('Platform/Auth');
    const created = await harness.send(cloudFormationEvent('Create', previous.properties, { LogicalResourceId: previous.logicalId }));
    expect(created).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'Platform/Auth' });
    const afterCreate = harness.api.awsAuth()!;
    harness.api.resetFaults();

    // WHEN the same app is synthesized with the new default, and CloudFormation updates the resource in place
    expect(current.logicalId).toBe(previous.logicalId);
    expect(current.properties.OwnerId).toBe('Platform:Platform/Auth');
    const updated = await harness.send(cloudFormationEvent('Update', current.properties, {
      LogicalResourceId: current.logicalId, PhysicalResourceId: 'Platform/Auth', OldResourceProperties: previous.properties,
    }));
    const awsAuthWrites = harness.api.writesTo('aws-auth');
    // AND CloudFormation's cleanup deletes the old physical id
    const cleanup = await harness.send(cloudFormationEvent('Delete', previous.properties, {
      LogicalResourceId: previous.logicalId, PhysicalResourceId: 'Platform/Auth',
    }));

    // THEN the update wrote aws-auth exactly once and answered with the new owner id
    expect(updated).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'Platform:Platform/Auth' });
    expect(awsAuthWrites).toBe(1);
    // AND the cleanup wrote nothing
    expect(cleanup).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'Platform/Auth' });
    expect(harness.api.writesTo('aws-auth')).toBe(1);
    // AND every data key is byte for byte what the Create left: foreign entries and the owner's stay in place
    const after = harness.api.awsAuth()!;
    expect(after.data).toEqual(afterCreate.data);
    expect(mappingsIn(harness.api)).toEqual({
      mapRoles: [NODE_ROLE_MAPPING, FOREIGN_ROLE, TEAM_A, TEAM_B], mapUsers: [ADMIN_USER_MAPPING], mapAccounts: [],
    });
    // AND the ownership record moved to the new id, holding the same entries
    const annotations = after.metadata.annotations as { [key: string]: string };
    expect(annotations[ownerAnnotationKey('Platform/Auth')]).toBeUndefined();
    expect(JSON.parse(annotations[ownerAnnotationKey('Platform:Platform/Auth')])).toMatchObject({
      ownerId: 'Platform:Platform/Auth',
    });
    expect(annotations[ownerAnnotationKey('Platform:Platform/Auth')]).toContain(TEAM_A.rolearn.toLowerCase());
    expect(annotations[ownerAnnotationKey('Platform:Platform/Auth')]).toContain(TEAM_B.rolearn.toLowerCase());
  });

  test('after the rename, deleting the stack takes only the owner\'s entries', async () => {
    // GIVEN the upgraded owner
    await harness.send(cloudFormationEvent('Create', previous.properties, { LogicalResourceId: previous.logicalId }));
    await harness.send(cloudFormationEvent('Update', current.properties, {
      LogicalResourceId: current.logicalId, PhysicalResourceId: 'Platform/Auth', OldResourceProperties: previous.properties,
    }));
    const foreignText = harness.api.awsAuth()!.data!.mapUsers;

    // WHEN the stack is deleted under the new id
    const deleted = await harness.send(cloudFormationEvent('Delete', current.properties, {
      LogicalResourceId: current.logicalId, PhysicalResourceId: 'Platform:Platform/Auth',
    }));

    // THEN the renamed owner's entries go (it holds them now) and the foreign ones stay byte for byte
    expect(deleted).toMatchObject({ Status: 'SUCCESS' });
    expect(mappingsIn(harness.api).mapRoles).toEqual([NODE_ROLE_MAPPING, FOREIGN_ROLE]);
    expect(harness.api.awsAuth()!.data!.mapUsers).toBe(foreignText);
    expect(harness.api.awsAuth()!.data!.mapRoles).toBe(eksctlAwsAuth([FOREIGN_ROLE]).data!.mapRoles);
  });
});
