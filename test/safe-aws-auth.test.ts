import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsAuthBackend, FargateCluster, FargateProfileSet, SafeAwsAuth } from '../lib';
import { newTestCluster, newTestStack } from './helpers/test-stack';

const NODE_ROLE = 'arn:aws:iam::111122223333:role/eks-node-instance-role';
const CUSTOM_RESOURCE = 'Custom::CdkEksFargateAwsAuth';

function importedConfigMapCluster(stack: Stack, props: { handlerRole?: iam.IRole; endpointAccess?: eks.EndpointAccess } = {}) {
  const vpc = new ec2.Vpc(stack, 'Network');
  return FargateCluster.fromClusterAttributes(stack, 'Legacy', {
    clusterName: 'legacy',
    vpc,
    authenticationMode: eks.AuthenticationMode.CONFIG_MAP,
    awsAuthHandlerRole: props.handlerRole,
    endpointAccess: props.endpointAccess,
    clusterSecurityGroupId: 'sg-0123456789abcdef0',
  });
}

function lambdaFunctions(stack: Stack) {
  return Template.fromStack(stack).findResources('AWS::Lambda::Function');
}

describe('SafeAwsAuth with access entries', () => {
  test('creates nothing until a mapping is added', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);

    expect(cluster.awsAuth.backend).toEqual(AwsAuthBackend.ACCESS_ENTRIES);
    Template.fromStack(stack).resourceCountIs('AWS::EKS::AccessEntry', 0);
    expect(Object.keys(lambdaFunctions(stack))).toHaveLength(0);
  });

  test('translates system:masters into a cluster-admin access entry', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);

    cluster.awsAuth.addMastersRole(iam.Role.fromRoleArn(stack, 'Ops', 'arn:aws:iam::111122223333:role/ops'));

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::111122223333:role/ops',
      Type: 'STANDARD',
      KubernetesGroups: Match.absent(),
      AccessPolicies: [Match.objectLike({ AccessScope: { Type: 'cluster' } })],
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('no administrator'));
  });

  test('translates the node groups into an EC2_LINUX access entry', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);

    cluster.awsAuth.addRoleMapping(iam.Role.fromRoleArn(stack, 'Nodes', NODE_ROLE), {
      username: 'system:node:{{EC2PrivateDNSName}}',
      groups: ['system:bootstrappers', 'system:nodes'],
    });

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: NODE_ROLE, Type: 'EC2_LINUX', Username: Match.absent(), KubernetesGroups: Match.absent(),
    });
  });

  test('passes other groups and the username as a STANDARD entry', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);

    cluster.awsAuth.addUserMapping(iam.User.fromUserArn(stack, 'Dev', 'arn:aws:iam::111122223333:user/dev'), {
      username: 'dev',
      groups: ['etl-readers'],
    });

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::111122223333:user/dev', Type: 'STANDARD', Username: 'dev', KubernetesGroups: ['etl-readers'],
    });
  });

  test('keeps entry ids stable when an earlier mapping is removed', () => {
    const both = newTestStack();
    const clusterA = newTestCluster(both);
    clusterA.awsAuth.addRoleMapping(iam.Role.fromRoleArn(both, 'A', 'arn:aws:iam::111122223333:role/a'), { groups: ['a'] });
    clusterA.awsAuth.addRoleMapping(iam.Role.fromRoleArn(both, 'B', 'arn:aws:iam::111122223333:role/b'), { groups: ['b'] });
    const onlyB = newTestStack();
    const clusterB = newTestCluster(onlyB);
    clusterB.awsAuth.addRoleMapping(iam.Role.fromRoleArn(onlyB, 'B', 'arn:aws:iam::111122223333:role/b'), { groups: ['b'] });

    const idOfB = (stack: Stack) => Object.entries(Template.fromStack(stack).findResources('AWS::EKS::AccessEntry'))
      .find(([, entry]) => entry.Properties.PrincipalArn === 'arn:aws:iam::111122223333:role/b')![0];
    expect(idOfB(onlyB)).toEqual(idOfB(both));
  });

});

describe('SafeAwsAuth with the aws-auth merge', () => {
  test('on request, merges through one custom resource with endpoint and CA of the owned cluster', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const auth = new SafeAwsAuth(stack, 'Auth', { cluster, backend: AwsAuthBackend.CONFIG_MAP, ownerId: 'platform' });

    auth.addRoleMapping(iam.Role.fromRoleArn(stack, 'Nodes', NODE_ROLE), {
      username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'],
    });

    const clusterId = stack.getLogicalId(cluster.resource);
    const template = Template.fromStack(stack);
    template.hasResourceProperties(CUSTOM_RESOURCE, {
      ClusterName: { Ref: clusterId },
      OwnerId: 'platform',
      Endpoint: { 'Fn::GetAtt': [clusterId, 'Endpoint'] },
      CertificateAuthorityData: { 'Fn::GetAtt': [clusterId, 'CertificateAuthorityData'] },
      Mappings: JSON.stringify({
        mapRoles: [{ rolearn: NODE_ROLE, username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] }],
        mapUsers: [],
        mapAccounts: [],
      }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Timeout: 300, VpcConfig: Match.absent() });
  });

  test('gives the handler role a kube-system edit access entry created before the custom resource', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const auth = new SafeAwsAuth(stack, 'Auth', { cluster, backend: AwsAuthBackend.CONFIG_MAP });
    auth.addAccount('444455556666');

    const template = Template.fromStack(stack);
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('aws-auth handler') } }));
    const [entryId] = Object.keys(template.findResources('AWS::EKS::AccessEntry', {
      Properties: { PrincipalArn: { 'Fn::GetAtt': [roleId, 'Arn'] } },
    }));
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      AccessPolicies: [{
        PolicyArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':eks::aws:cluster-access-policy/AmazonEKSEditPolicy'])] }),
        AccessScope: { Type: 'namespace', Namespaces: ['kube-system'] },
      }],
    });
    template.hasResource(CUSTOM_RESOURCE, { Properties: { RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } }, DependsOn: Match.arrayWith([entryId]) });
  });

  test('lets the handler assume the role and the role trust only the handler and its reconcile', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    new SafeAwsAuth(stack, 'Auth', { cluster, backend: AwsAuthBackend.CONFIG_MAP }).addAccount('444455556666');

    const template = Template.fromStack(stack);
    const [functionId, fn] = Object.entries(lambdaFunctions(stack)).find(([id]) => id.startsWith('CdkEksFargateKubernetesHandler'))!;
    const executionRoleId = fn.Properties.Role['Fn::GetAtt'][0];
    const reconcileRoleId = Object.values(lambdaFunctions(stack)).map((f: any) => f.Properties.Role['Fn::GetAtt'][0]).find((id) => id !== executionRoleId);
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: Match.stringLikeRegexp('aws-auth handler'),
      AssumeRolePolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': [executionRoleId, 'Arn'] } } },
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': [reconcileRoleId, 'Arn'] } } },
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sts:AssumeRole', Effect: 'Allow' })]) },
      Roles: [{ Ref: executionRoleId }],
    });
    expect(functionId).toMatch(/^CdkEksFargateKubernetesHandler/);
    // A role made outside the app can trust every handler by this path before one exists.
    template.hasResourceProperties('AWS::IAM::Role', {
      Path: '/cdk-eks-fargate/aws-auth-handler/',
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
    });
  });

  test('shares one handler Lambda between every SafeAwsAuth of a stack', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    new SafeAwsAuth(stack, 'One', { cluster, backend: AwsAuthBackend.CONFIG_MAP }).addAccount('444455556666');
    new SafeAwsAuth(stack, 'Two', { cluster, backend: AwsAuthBackend.CONFIG_MAP }).addAccount('777788889999');

    expect(Object.keys(lambdaFunctions(stack)).filter((id) => id.startsWith('CdkEksFargateKubernetesHandler'))).toHaveLength(1);
    Template.fromStack(stack).resourceCountIs(CUSTOM_RESOURCE, 2);
  });

  test('runs the handler in the VPC with the cluster security group when the endpoint is private', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { endpointAccess: eks.EndpointAccess.PRIVATE });
    new SafeAwsAuth(stack, 'Auth', { cluster, backend: AwsAuthBackend.CONFIG_MAP }).addAccount('444455556666');

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: {
        SecurityGroupIds: [{ 'Fn::GetAtt': [stack.getLogicalId(cluster.resource), 'ClusterSecurityGroupId'] }],
        SubnetIds: cluster.vpc!.privateSubnets.map(subnet => ({ Ref: stack.getLogicalId(subnet.node.defaultChild as ec2.CfnSubnet) })),
      },
    });
  });

  test('runs the handler in the VPC when the public endpoint is CIDR-restricted', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24') });
    new SafeAwsAuth(stack, 'Auth', { cluster, backend: AwsAuthBackend.CONFIG_MAP }).addAccount('444455556666');

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }) });
  });

  test('is the default on a CONFIG_MAP cluster and uses the handler role given, which may describe the cluster', () => {
    const stack = newTestStack();
    const handlerRole = new iam.Role(stack, 'AwsAuthEditor', { assumedBy: new iam.AccountRootPrincipal() });
    const cluster = importedConfigMapCluster(stack, { handlerRole });

    cluster.awsAuth.addRoleMapping(iam.Role.fromRoleArn(stack, 'Ops', 'arn:aws:iam::111122223333:role/ops'), { groups: ['ops'] });

    const template = Template.fromStack(stack);
    const roleId = stack.getLogicalId(handlerRole.node.defaultChild as iam.CfnRole);
    template.hasResourceProperties(CUSTOM_RESOURCE, {
      ClusterName: 'legacy', RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] }, Endpoint: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'eks:DescribeCluster' })] },
      Roles: [{ Ref: roleId }],
    });
    template.resourceCountIs('AWS::EKS::AccessEntry', 0);
  });

  test('maps the pod execution role of a profile set on a CONFIG_MAP cluster as EKS writes it, after the profiles', () => {
    const stack = newTestStack();
    const handlerRole = iam.Role.fromRoleArn(stack, 'AwsAuthEditor', 'arn:aws:iam::111122223333:role/aws-auth-editor');
    const cluster = importedConfigMapCluster(stack, { handlerRole });

    const set = new FargateProfileSet(stack, 'Etl', { cluster, selectors: [{ namespace: 'flow' }] });

    const template = Template.fromStack(stack);
    const podRoleId = stack.getLogicalId(set.podExecutionRole.node.defaultChild as iam.CfnRole);
    const resource = Object.values(template.findResources(CUSTOM_RESOURCE))[0];
    expect(stack.resolve(resource.Properties.Mappings)).toEqual({
      'Fn::Join': ['', [
        '{"mapRoles":[{"rolearn":"', { 'Fn::GetAtt': [podRoleId, 'Arn'] },
        '","username":"system:node:{{SessionName}}","groups":["system:bootstrappers","system:nodes","system:node-proxier"]}],"mapUsers":[],"mapAccounts":[]}',
      ]],
    });
    expect(resource.DependsOn).toEqual(expect.arrayContaining([stack.getLogicalId(set.profiles[0])]));
  });

  test('maps a pod execution role shared by two sets once', () => {
    const stack = newTestStack();
    const cluster = importedConfigMapCluster(stack, { handlerRole: iam.Role.fromRoleArn(stack, 'Editor', 'arn:aws:iam::111122223333:role/editor') });
    const podExecutionRole = iam.Role.fromRoleArn(stack, 'Pods', 'arn:aws:iam::111122223333:role/pods');

    new FargateProfileSet(stack, 'A', { cluster, selectors: [{ namespace: 'a' }], podExecutionRole });
    new FargateProfileSet(stack, 'B', { cluster, selectors: [{ namespace: 'b' }], podExecutionRole });

    const resource = Object.values(Template.fromStack(stack).findResources(CUSTOM_RESOURCE))[0];
    expect(JSON.parse(resource.Properties.Mappings).mapRoles).toHaveLength(1);
  });

});
