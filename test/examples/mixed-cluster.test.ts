import * as os from 'os';
import * as path from 'path';
import { CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { MixedClusterStack, PLATFORM_CLUSTER } from '../../examples/mixed-cluster/mixed-cluster-stack';
import { EXAMPLE_ENV, newExampleApp } from '../../examples/shared/example-app';
import { AwsAuthMappings, RoleMapping } from '../../lib/aws-auth-merge';
import { ACCOUNT, ADMIN_USER_MAPPING, appendForeignRole, eksctlAwsAuth, mappingsIn, NODE_ROLE_MAPPING, POD_EXECUTION_ROLE_MAPPING } from '../private/aws-auth/handler/aws-auth-fixtures';
import { HandlerHarness } from '../private/aws-auth/handler/handler-harness';

const CUSTOM_RESOURCE = 'Custom::CdkEksFargateAwsAuth';
const EDITOR_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${PLATFORM_CLUSTER.awsAuthEditorRoleName}`;
/** The pod execution role the platform team hands the reports namespace in the second deployment. */
const PLATFORM_REPORTS_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/platform-reports-fargate-pods`;
/** The platform's mapping of the role the handler assumes, bound by RBAC to editing ConfigMaps in kube-system. */
const EDITOR_MAPPING: RoleMapping = { rolearn: EDITOR_ROLE_ARN, username: 'aws-auth-editor', groups: ['platform:aws-auth-editors'] };

type Properties = { [key: string]: string };

function synthesize(variant: string, props: { reportsPodExecutionRoleArn?: string } = {}) {
  const app = newExampleApp(path.join(os.tmpdir(), 'cdk-eks-fargate-examples', variant));
  const stack = new MixedClusterStack(app, 'MixedCluster', { env: EXAMPLE_ENV, ...props });
  return { stack, template: Template.fromStack(stack) };
}

/** A role's ARN as CloudFormation would name it: `<stack>-<logical id>`, cut to IAM's 64 characters. */
function fakeRoleArn(logicalId: string): string {
  return `arn:aws:iam::${ACCOUNT}:role/${`MixedCluster-${logicalId}`.slice(0, 64)}`;
}

/**
 * Evaluates the intrinsic functions the custom resource's properties use, the way CloudFormation would on deploy:
 * pseudo parameters of the example environment, and `Fn::GetAtt [role, Arn]` as a fake role ARN. Anything else
 * fails the test, so a property the handler would see differently cannot slip through.
 */
function resolveIntrinsics(value: unknown, resources: { [logicalId: string]: { Type: string } }): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolveIntrinsics(item, resources));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const entries = Object.entries(value);
  const [name, argument] = entries[0] ?? [];
  if (entries.length === 1 && name === 'Fn::Join') {
    const [separator, parts] = argument as [string, unknown[]];
    return parts.map((part) => resolveIntrinsics(part, resources)).join(separator);
  }
  if (entries.length === 1 && name === 'Ref') {
    const pseudo: { [name: string]: string } = {
      'AWS::Partition': 'aws',
      'AWS::AccountId': ACCOUNT,
      'AWS::Region': EXAMPLE_ENV.region!,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'MixedCluster',
    };
    if (pseudo[argument as string] === undefined) {
      throw new Error(`cannot resolve Ref ${JSON.stringify(argument)}`);
    }
    return pseudo[argument as string];
  }
  if (entries.length === 1 && name === 'Fn::GetAtt') {
    const [logicalId, attribute] = argument as [string, string];
    if (attribute !== 'Arn' || resources[logicalId]?.Type !== 'AWS::IAM::Role') {
      throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
    }
    return fakeRoleArn(logicalId);
  }
  if (entries.length === 1 && name.startsWith('Fn::')) {
    throw new Error(`cannot resolve ${name}`);
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveIntrinsics(item, resources)]));
}

/** The properties CloudFormation would send the handler for the stack's only aws-auth custom resource. */
function customResourceProperties(template: Template): Properties {
  const found = Object.values(template.findResources(CUSTOM_RESOURCE));
  expect(found).toHaveLength(1);
  const { ServiceToken, ...properties } = found[0].Properties;
  expect(ServiceToken).toBeDefined();
  return resolveIntrinsics(properties, template.toJSON().Resources) as Properties;
}

function mappingsOf(properties: Properties): AwsAuthMappings {
  return JSON.parse(properties.Mappings);
}

/** The entry EKS itself writes into aws-auth when it creates a Fargate profile with this pod execution role. */
function eksWrittenEntry(roleArn: string): RoleMapping {
  return { ...POD_EXECUTION_ROLE_MAPPING, rolearn: roleArn };
}

function podExecutionRoleArnOf(stack: MixedClusterStack, set: 'batch' | 'reports'): string {
  return fakeRoleArn(stack.getLogicalId(stack[set].podExecutionRole.node.defaultChild as CfnElement));
}

// Two apps: this deployment, and the next one of the same app (same construct paths, so the same owner id), in which
// the reports profile set changes its pod execution role. Both suites of this file read them.
const { stack, template } = synthesize('mixed-cluster');
const next = synthesize('mixed-cluster-next', { reportsPodExecutionRoleArn: PLATFORM_REPORTS_ROLE_ARN });

describe('example: mixed cluster (the incident)', () => {
  test('snapshot: mixed-cluster', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('adds Fargate profiles for batch and reports to the imported cluster in its private subnets, one at a time', () => {
    template.resourceCountIs('AWS::EKS::FargateProfile', 2);
    template.hasResource('AWS::EKS::FargateProfile', {
      Properties: { ClusterName: PLATFORM_CLUSTER.clusterName, Selectors: [{ Namespace: 'batch' }], Subnets: PLATFORM_CLUSTER.network.privateSubnetIds },
    });
    template.hasResource('AWS::EKS::FargateProfile', {
      Properties: { ClusterName: PLATFORM_CLUSTER.clusterName, Selectors: [{ Namespace: 'reports' }], Subnets: PLATFORM_CLUSTER.network.privateSubnetIds },
      DependsOn: [stack.getLogicalId(stack.batch.profiles[0])],
    });
    template.resourceCountIs('AWS::EKS::Cluster', 0);
    template.resourceCountIs('AWS::EKS::AccessEntry', 0);
  });

  test('maps each pod execution role exactly as EKS writes it, after the profiles, and nothing else', () => {
    const mappings = mappingsOf(customResourceProperties(template));

    const asEksWritesIt = { username: 'system:node:{{SessionName}}', groups: ['system:bootstrappers', 'system:nodes', 'system:node-proxier'] };
    expect(mappings).toEqual({
      mapRoles: [
        { rolearn: podExecutionRoleArnOf(stack, 'batch'), ...asEksWritesIt },
        { rolearn: podExecutionRoleArnOf(stack, 'reports'), ...asEksWritesIt },
      ],
      mapUsers: [],
      mapAccounts: [],
    });
    template.hasResource(CUSTOM_RESOURCE, {
      DependsOn: Match.arrayWith([stack.getLogicalId(stack.batch.profiles[0]), stack.getLogicalId(stack.reports.profiles[0])]),
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('EC2PrivateDNSName');
  });

  test('assumes the platform\'s aws-auth editor role and finds the endpoint with DescribeCluster', () => {
    const properties = customResourceProperties(template);

    expect(properties).toEqual({
      ClusterName: PLATFORM_CLUSTER.clusterName,
      RoleArn: EDITOR_ROLE_ARN,
      // The default owner id: the deployed stack's name and the construct path.
      OwnerId: 'MixedCluster:MixedCluster/PlatformCluster/AwsAuth',
      Mappings: expect.any(String),
      Reconcile: 'true',
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [PLATFORM_CLUSTER.awsAuthEditorRoleName],
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'eks:DescribeCluster' })] },
    });
    // The handler and the owner's reconcile, both outside the VPC.
    template.resourceCountIs('AWS::Lambda::Function', 2);
    expect(Object.values(template.findResources('AWS::Lambda::Function')).every((fn: any) => fn.Properties.VpcConfig === undefined)).toBe(true);
  });

  test('in the next deployment only the reports profile and the reports mapping change', () => {
    const [before, after] = [customResourceProperties(template), customResourceProperties(next.template)];

    expect(after.OwnerId).toEqual(before.OwnerId);
    expect(mappingsOf(after).mapRoles).toEqual([mappingsOf(before).mapRoles![0], eksWrittenEntry(PLATFORM_REPORTS_ROLE_ARN)]);
    expect(next.stack.batch.profileNames).toEqual(stack.batch.profileNames);
    expect(next.stack.reports.profileNames).not.toEqual(stack.reports.profileNames);
  });

  test('leaves no warning unacknowledged', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

/**
 * The incident, replayed through the real handler with the properties this example synthesizes: on the platform's
 * CONFIG_MAP cluster, whose aws-auth maps an EC2 node group, the profiles are created, one changes its pod execution
 * role, all are deleted and created again. The node role mapping must come out of every step exactly as it was.
 */
describe('example: mixed cluster, replayed against a fake Kubernetes API', () => {
  const first = customResourceProperties(template);
  const second = customResourceProperties(next.template);
  const [batchRole, reportsRole] = mappingsOf(first).mapRoles!.map((mapping) => mapping.rolearn);
  /** aws-auth when the handler first runs: eksctl's node role and admin, the platform's editor role, and the entries EKS wrote for the new profiles. */
  const initialRoles = [NODE_ROLE_MAPPING, EDITOR_MAPPING, eksWrittenEntry(batchRole), eksWrittenEntry(reportsRole)];

  let harness: HandlerHarness;
  let physicalId: string;

  beforeAll(async () => {
    harness = await HandlerHarness.start();
    harness.describer.clusters.set(PLATFORM_CLUSTER.clusterName, { endpoint: harness.api.endpoint });
    harness.api.setAwsAuth(eksctlAwsAuth(initialRoles.slice(1)));
  });
  afterAll(() => harness.close());

  /** EKS creating a profile: it appends the profile's pod execution role to aws-auth (nobody owns that entry). */
  function eksCreatesProfileWith(roleArn: string): void {
    harness.api.setAwsAuth(appendForeignRole(eksWrittenEntry(roleArn))(harness.api.awsAuth()));
  }

  function expectSucceededWithNodeRoleIntact(status: string): void {
    expect(status).toBe('SUCCESS');
    const mappings = mappingsIn(harness.api);
    expect(mappings.mapRoles![0]).toEqual(NODE_ROLE_MAPPING);
    expect(mappings.mapRoles!.filter((mapping) => mapping.rolearn === NODE_ROLE_MAPPING.rolearn)).toEqual([NODE_ROLE_MAPPING]);
    expect(mappings.mapRoles![1]).toEqual(EDITOR_MAPPING);
    expect(mappings.mapUsers).toEqual([ADMIN_USER_MAPPING]);
  }

  function ownerAnnotations(): string[] {
    return Object.keys((harness.api.awsAuth()!.metadata.annotations ?? {}) as object).filter((key) => key.startsWith('cdk-eks-fargate.io/owner.'));
  }

  test('create: the custom resource adopts the entries EKS wrote for the new profiles', async () => {
    const response = await harness.create(first);

    expectSucceededWithNodeRoleIntact(response.Status);
    physicalId = response.PhysicalResourceId;
    expect(physicalId).toBe(first.OwnerId);
    expect(mappingsIn(harness.api).mapRoles).toEqual(initialRoles);
    expect(ownerAnnotations()).toHaveLength(1);
    expect(harness.roleAssumer.calls.map((call) => call.roleArn)).toEqual([EDITOR_ROLE_ARN]);
    expect(harness.describer.calls.map((call) => call.clusterName)).toEqual([PLATFORM_CLUSTER.clusterName]);
  });

  test('update: the reports set changes its role; EKS writes the new one for the new profile, then the mappings update', async () => {
    eksCreatesProfileWith(PLATFORM_REPORTS_ROLE_ARN);

    const response = await harness.update(physicalId, second, first);

    expectSucceededWithNodeRoleIntact(response.Status);
    // Same physical id: CloudFormation sends no cleanup Delete that could undo the update.
    expect(response.PhysicalResourceId).toBe(physicalId);
    // The old role's entry was written by EKS, so the merge lets go of it without removing it.
    expect(mappingsIn(harness.api).mapRoles).toEqual([...initialRoles, eksWrittenEntry(PLATFORM_REPORTS_ROLE_ARN)]);
  });

  test('delete: the custom resource goes before the profiles; everything it did not write stays', async () => {
    const response = await harness.delete(physicalId, second);

    expectSucceededWithNodeRoleIntact(response.Status);
    expect(mappingsIn(harness.api).mapRoles).toEqual([...initialRoles, eksWrittenEntry(PLATFORM_REPORTS_ROLE_ARN)]);
    expect(ownerAnnotations()).toEqual([]);
  });

  test('create again: the profiles are recreated and the custom resource adopts their entries once more', async () => {
    const response = await harness.create(second);

    expectSucceededWithNodeRoleIntact(response.Status);
    expect(response.PhysicalResourceId).toBe(physicalId);
    expect(mappingsIn(harness.api).mapRoles).toEqual([...initialRoles, eksWrittenEntry(PLATFORM_REPORTS_ROLE_ARN)]);
    expect(ownerAnnotations()).toHaveLength(1);
  });
});
