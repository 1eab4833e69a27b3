import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsAuthBackend, FargateCluster, SafeAwsAuth } from '../lib';
import { newTestCluster, newTestStack } from './helpers/test-stack';

const CUSTOM_RESOURCE = 'Custom::CdkEksFargateAwsAuth';

function configMapCluster(stack: Stack, handlerRole: iam.IRole) {
  return FargateCluster.fromClusterAttributes(stack, 'Legacy', {
    clusterName: 'legacy',
    vpc: ec2.Vpc.fromVpcAttributes(stack, 'Network', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0bbbbbbbbbbbbbbb2'],
    }),
    authenticationMode: eks.AuthenticationMode.CONFIG_MAP,
    awsAuthHandlerRole: handlerRole,
  });
}

function handlerRoleLogicalId(stack: Stack): string {
  const [id] = Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Role', {
    Properties: { Path: '/cdk-eks-fargate/aws-auth-handler/' },
  }));
  return id!;
}

describe('SafeAwsAuth trust of the handler', () => {
  test('exposes the handler execution role and trusts exactly it from a role of the app', () => {
    const stack = newTestStack();
    const auth = new SafeAwsAuth(stack, 'Auth', { cluster: newTestCluster(stack), backend: AwsAuthBackend.CONFIG_MAP });
    const editor = new iam.Role(stack, 'Editor', { assumedBy: new iam.AccountRootPrincipal() });

    auth.trustHandler(editor);

    const executionRole = handlerRoleLogicalId(stack);
    expect(stack.resolve(auth.handlerExecutionRole!.roleArn)).toEqual({ 'Fn::GetAtt': [executionRole, 'Arn'] });
    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
    const trust = roles[stack.getLogicalId(editor.node.defaultChild as iam.CfnRole)]!.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toContainEqual({ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': [executionRole, 'Arn'] } } });
  });

  test('has no handler execution role on the access-entry backend, and refuses trustHandler there', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const editor = new iam.Role(stack, 'Editor', { assumedBy: new iam.AccountRootPrincipal() });

    expect(cluster.awsAuth.handlerExecutionRole).toBeUndefined();
    expect(() => cluster.awsAuth.trustHandler(editor))
      .toThrow(/Test\/Cluster\/AwsAuth: `trustHandler\(Test\/Editor\)` applies to the CONFIG_MAP backend only; access entries need no handler/);
  });

  test('outputs the exact execution role ARN for a handler role made elsewhere', () => {
    const stack = newTestStack();
    const editor = iam.Role.fromRoleArn(stack, 'Editor', 'arn:aws:iam::111122223333:role/aws-auth-editor');
    const cluster = configMapCluster(stack, editor);

    cluster.awsAuth.addRoleMapping(iam.Role.fromRoleArn(stack, 'Ops', 'arn:aws:iam::111122223333:role/ops'), { groups: ['ops'] });

    const outputs = Template.fromStack(stack).findOutputs('*', { Value: stack.resolve(cluster.awsAuth.handlerExecutionRole!.roleArn) });
    expect(Object.keys(outputs)).toEqual([expect.stringMatching(/^LegacyAwsAuthHandlerExecutionRoleArn/)]);
    expect(Object.values(outputs)[0].Description).toMatch(/arn:aws:iam::111122223333:role\/aws-auth-editor needs to trust/);
  });

  test('names a handler role known only by a token by its construct path in the output description', () => {
    const stack = newTestStack();
    const editor = iam.Role.fromRoleName(stack, 'Editor', 'aws-auth-editor');
    const cluster = configMapCluster(stack, editor);

    cluster.awsAuth.addRoleMapping(iam.Role.fromRoleArn(stack, 'Ops', 'arn:aws:iam::111122223333:role/ops'), { groups: ['ops'] });

    const [output] = Object.values(Template.fromStack(stack).findOutputs('*'));
    // CloudFormation takes only a literal output description; a token would also print as ${Token[...]}.
    expect(output.Description).toEqual('The only principal that role Test/Editor needs to trust (sts:AssumeRole) for the aws-auth merge');
  });

  test('keeps the policies of an imported handler role until the custom resource is deleted', () => {
    const stack = newTestStack();
    const editor = iam.Role.fromRoleArn(stack, 'Editor', 'arn:aws:iam::111122223333:role/aws-auth-editor');
    const cluster = configMapCluster(stack, editor);

    cluster.awsAuth.addRoleMapping(iam.Role.fromRoleArn(stack, 'Ops', 'arn:aws:iam::111122223333:role/ops'), { groups: ['ops'] });

    const template = Template.fromStack(stack);
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes('aws-auth-editor'))
      .map(([id]) => id);
    expect(policies).toHaveLength(1);
    const [resource] = Object.values(template.findResources(CUSTOM_RESOURCE));
    expect(resource!.DependsOn).toEqual(expect.arrayContaining(policies));
  });
});
