import { RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FargateCluster, SupportType } from '../lib';
import { newTestCluster, newTestStack } from './helpers/test-stack';

describe('FargateCluster', () => {
  test('synthesizes a native AWS::EKS::Cluster with no custom resource and no Lambda function', () => {
    // GIVEN / WHEN
    const stack = newTestStack();
    newTestCluster(stack);

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::Cluster', 1);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourcePropertiesCountIs('AWS::CloudFormation::CustomResource', {}, 0);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/Custom::/);
  });

  test('uses API_AND_CONFIG_MAP and no bootstrap admin by default', () => {
    const stack = newTestStack();
    newTestCluster(stack);

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', {
      Version: '1.34',
      AccessConfig: { AuthenticationMode: 'API_AND_CONFIG_MAP', BootstrapClusterCreatorAdminPermissions: false },
    });
  });

  test('gives the cluster creator admin rights only when asked', () => {
    const stack = newTestStack();
    newTestCluster(stack, { bootstrapClusterCreatorAdminPermissions: true });

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', {
      AccessConfig: { BootstrapClusterCreatorAdminPermissions: true },
    });
  });

  test('opens the endpoint publicly and privately by default', () => {
    const stack = newTestStack();
    newTestCluster(stack);

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: Match.absent() },
    });
  });

  test('passes a CIDR allow-list to publicAccessCidrs', () => {
    const stack = newTestStack();
    newTestCluster(stack, { endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24') });

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] },
    });
  });

  test('turns the public endpoint off for a private cluster', () => {
    const stack = newTestStack();
    newTestCluster(stack, { endpointAccess: eks.EndpointAccess.PRIVATE });

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { EndpointPublicAccess: false, EndpointPrivateAccess: true },
    });
  });

  test('sends all five control-plane log types to a log group it creates first, with retention', () => {
    const stack = newTestStack();
    newTestCluster(stack, { clusterName: 'etl' });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Logging: {
        ClusterLogging: {
          EnabledTypes: [{ Type: 'api' }, { Type: 'audit' }, { Type: 'authenticator' }, { Type: 'controllerManager' }, { Type: 'scheduler' }],
        },
      },
    });
    // Deleted with the cluster: a retained group of this fixed name would make the next deploy fail ("already exists").
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/eks/etl/cluster', RetentionInDays: 90 },
      DeletionPolicy: 'Delete',
    });
    const [clusterId] = Object.keys(template.findResources('AWS::EKS::Cluster'));
    const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/aws/eks/etl/cluster' } }));
    expect(template.toJSON().Resources[clusterId].DependsOn).toContain(logGroupId);
  });

  test('retains the control-plane log group of a cluster with deletion protection', () => {
    const stack = newTestStack();
    newTestCluster(stack, { clusterName: 'etl', deletionProtection: true });

    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/eks/etl/cluster' },
      DeletionPolicy: 'Retain',
    });
  });

  test('uses an existing control-plane log group instead of creating one', () => {
    const stack = newTestStack();
    const retained = logs.LogGroup.fromLogGroupName(stack, 'Retained', '/aws/eks/etl/cluster');

    const cluster = newTestCluster(stack, { clusterName: 'etl', clusterLogGroup: retained });

    expect(cluster.clusterLogGroup).toBe(retained);
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Logs::LogGroup', { LogGroupName: '/aws/eks/etl/cluster' }, 0);
  });

  test('adds the S3 gateway endpoint to a VPC it is given when asked', () => {
    const stack = newTestStack();
    const vpc = new ec2.Vpc(stack, 'Network', { natGateways: 1 });

    newTestCluster(stack, { vpc, vpcEndpoints: true, vpcS3GatewayEndpoint: true });

    Template.fromStack(stack).resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' }, 1);
  });

  test('without NAT gateways, puts pods in isolated subnets that reach AWS through the VPC endpoints', () => {
    const stack = newTestStack();

    newTestCluster(stack, { natGateways: 0, vpcEndpoints: true });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 5);
  });

  test('takes the log types, retention and removal policy given', () => {
    const stack = newTestStack();
    newTestCluster(stack, {
      clusterName: 'etl',
      clusterLogging: [eks.ClusterLoggingTypes.AUDIT],
      clusterLogRetention: logs.RetentionDays.ONE_YEAR,
      clusterLogRemovalPolicy: RemovalPolicy.DESTROY,
    });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::Cluster', { Logging: { ClusterLogging: { EnabledTypes: [{ Type: 'audit' }] } } });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/eks/etl/cluster', RetentionInDays: 365 },
      DeletionPolicy: 'Delete',
    });
  });

  test('encrypts secrets with a customer-managed key that rotates', () => {
    const stack = newTestStack();
    newTestCluster(stack);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
    template.hasResourceProperties('AWS::EKS::Cluster', {
      EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } } }],
    });
  });

  test('uses the key given for secrets encryption instead of creating one', () => {
    const stack = newTestStack();
    const key = new kms.Key(stack, 'MyKey');
    newTestCluster(stack, { secretsEncryptionKey: key });

    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 1);
  });

  test('sets the STANDARD upgrade policy by default and EXTENDED on request', () => {
    const standard = newTestStack();
    newTestCluster(standard);
    const extended = newTestStack();
    newTestCluster(extended, { supportType: SupportType.EXTENDED });

    Template.fromStack(standard).hasResourceProperties('AWS::EKS::Cluster', { UpgradePolicy: { SupportType: 'STANDARD' } });
    Template.fromStack(extended).hasResourceProperties('AWS::EKS::Cluster', { UpgradePolicy: { SupportType: 'EXTENDED' } });
  });

  test('sets deletion protection and tags the cluster and its children', () => {
    const stack = newTestStack();
    newTestCluster(stack, { deletionProtection: true, tags: { team: 'data' } });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::Cluster', {
      DeletionProtection: true,
      Tags: Match.arrayWith([{ Key: 'team', Value: 'data' }]),
    });
    template.hasResourceProperties('AWS::EKS::FargateProfile', { Tags: Match.arrayWith([{ Key: 'team', Value: 'data' }]) });
    template.hasResourceProperties('AWS::EC2::VPC', { Tags: Match.arrayWith([{ Key: 'team', Value: 'data' }]) });
  });

  test('derives the same cluster name from the construct path on every synth', () => {
    const first = newTestStack();
    newTestCluster(first);
    const second = newTestStack();
    newTestCluster(second);

    const nameOf = (stack: ReturnType<typeof newTestStack>) =>
      Object.values(Template.fromStack(stack).findResources('AWS::EKS::Cluster'))[0].Properties.Name;
    expect(nameOf(first)).toEqual(nameOf(second));
    expect(nameOf(first)).toMatch(/^Test-Cluster-[0-9A-F]{8}$/);
  });

  test('uses the cluster name given', () => {
    const stack = newTestStack();
    newTestCluster(stack, { clusterName: 'etl-prod' });

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', { Name: 'etl-prod' });
  });

  test('creates a VPC with two AZs, a NAT gateway per AZ, DNS, flow logs, an S3 endpoint and ELB subnet tags', () => {
    const stack = newTestStack();
    newTestCluster(stack);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPC', { EnableDnsHostnames: true, EnableDnsSupport: true });
    template.resourceCountIs('AWS::EC2::Subnet', 4);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['.s3'])]) }),
      VpcEndpointType: 'Gateway',
    });
    template.hasResourceProperties('AWS::EC2::Subnet', {
      MapPublicIpOnLaunch: true,
      Tags: Match.arrayWith([{ Key: 'kubernetes.io/role/elb', Value: '1' }]),
    });
    template.hasResourceProperties('AWS::EC2::Subnet', {
      MapPublicIpOnLaunch: false,
      Tags: Match.arrayWith([{ Key: 'kubernetes.io/role/internal-elb', Value: '1' }]),
    });
  });

  test('picks availability zones with Fn::GetAZs so no context lookup is needed', () => {
    const stack = newTestStack();
    newTestCluster(stack);

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Subnet', {
      AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
    });
    expect(stack.node.metadata.filter(entry => entry.type === 'aws:cdk:missing-context')).toHaveLength(0);
  });

  test('honours maxAzs and natGateways for the new VPC', () => {
    const stack = newTestStack();
    newTestCluster(stack, { maxAzs: 3, natGateways: 1 });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('adds the interface endpoints of a private cluster when vpcEndpoints is on', () => {
    const stack = newTestStack();
    newTestCluster(stack, { vpcEndpoints: true, endpointAccess: eks.EndpointAccess.PRIVATE });

    const template = Template.fromStack(stack);
    const interfaceEndpoints = template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } });
    const services = Object.values(interfaceEndpoints).map(endpoint => JSON.stringify(endpoint.Properties.ServiceName));
    expect(services).toHaveLength(5);
    for (const service of ['ecr.api', 'ecr.dkr', 'sts', 'logs', 'eks']) {
      expect(services.some(name => name.includes(`.${service}"`))).toBe(true);
    }
  });

  test('uses a given VPC as it is, with its private subnets for the control plane', () => {
    const stack = newTestStack();
    const vpc = new ec2.Vpc(stack, 'Network', { maxAzs: 2 });
    newTestCluster(stack, { vpc });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: {
        SubnetIds: [{ Ref: stack.getLogicalId(vpc.privateSubnets[0].node.defaultChild as ec2.CfnSubnet) },
          { Ref: stack.getLogicalId(vpc.privateSubnets[1].node.defaultChild as ec2.CfnSubnet) }],
      },
    });
  });

  test('creates a default profile for default and kube-system and CoreDNS on Fargate after it', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::FargateProfile', {
      Selectors: [{ Namespace: 'default' }, { Namespace: 'kube-system' }],
    });
    template.hasResource('AWS::EKS::Addon', {
      Properties: { AddonName: 'coredns', ConfigurationValues: '{"computeType":"Fargate"}', ResolveConflicts: 'OVERWRITE' },
      DependsOn: [stack.getLogicalId(cluster.defaultProfile!.profiles[0])],
    });
  });

  test('pins the CoreDNS version when asked', () => {
    const stack = newTestStack();
    newTestCluster(stack, { coreDnsVersion: 'v1.11.4-eksbuild.2' });

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Addon', { AddonVersion: 'v1.11.4-eksbuild.2' });
  });

  test('makes CoreDNS wait for a profile set added later that selects kube-system', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { defaultProfile: false });
    const system = cluster.addProfileSet('System', { selectors: [{ namespace: 'kube-*' }] });

    Template.fromStack(stack).hasResource('AWS::EKS::Addon', { DependsOn: [stack.getLogicalId(system.profiles[0])] });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('CoreDNS stays Pending'));
  });

  test('gives mastersRole a cluster-admin access entry', () => {
    const stack = newTestStack();
    const admins = new iam.Role(stack, 'Admins', { assumedBy: new iam.AccountRootPrincipal() });
    newTestCluster(stack, { mastersRole: admins });

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: { 'Fn::GetAtt': [stack.getLogicalId(admins.node.defaultChild as iam.CfnRole), 'Arn'] },
      Type: 'STANDARD',
      AccessPolicies: [{
        PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']] },
        AccessScope: { Type: 'cluster' },
      }],
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('The cluster has no administrator'));
  });

  test('grants namespace-scoped access through grantAccess', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    cluster.grantAccess('Analysts', 'arn:aws:iam::111122223333:role/analysts', [
      eks.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces: ['flow'] }),
    ]);

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: { Ref: stack.getLogicalId(cluster.resource) },
      PrincipalArn: 'arn:aws:iam::111122223333:role/analysts',
      AccessPolicies: [{ AccessScope: { Type: 'namespace', Namespaces: ['flow'] } }],
    });
  });

  test('counts a cluster-admin grant made after construction as an administrator', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    cluster.grantAccess('Admin', 'arn:aws:iam::111122223333:role/admin', [
      eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER }),
    ]);

    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('The cluster has no administrator'));
  });

  test('outputs the cluster name, endpoint and the update-kubeconfig command', () => {
    const stack = newTestStack();
    newTestCluster(stack, { clusterName: 'etl' });

    const template = Template.fromStack(stack);
    template.hasOutput('*', { Value: { Ref: Match.stringLikeRegexp('Cluster') }, Description: 'EKS cluster name' });
    template.hasOutput('*', { Value: { 'Fn::GetAtt': [Match.anyValue(), 'Endpoint'] } });
    template.hasOutput('*', { Value: 'aws eks update-kubeconfig --name etl --region eu-west-1' });
  });

  test('scopes the default pod execution role to this cluster', () => {
    const stack = newTestStack();
    newTestCluster(stack, { clusterName: 'etl' });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
          Condition: { ArnLike: { 'aws:SourceArn': Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':eks:eu-west-1:111122223333:fargateprofile/etl/*'])] }) } },
        })],
      },
    });
  });
});

describe('FargateCluster.fromClusterAttributes', () => {
  test('returns a cluster that profile sets can use, with its ARN and unknown mode', () => {
    const stack = newTestStack();
    const cluster = FargateCluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'legacy' });

    expect(stack.resolve(cluster.clusterArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks:eu-west-1:111122223333:cluster/legacy']],
    });
    expect(cluster.authenticationMode).toBeUndefined();
    expect(cluster.fargateOnly).toBe(false);
  });
});
