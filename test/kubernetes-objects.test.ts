import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsAuthBackend, KubernetesObjects, SafeAwsAuth } from '../lib';
import { newTestCluster, newTestStack } from './helpers/test-stack';

const OBJECTS = 'Custom::CdkEksFargateKubernetesObjects';
const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flow' } };
const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'flow' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
};

function nestedStacks(stack: Stack): Stack[] {
  return stack.node.findAll().filter((construct): construct is Stack => Stack.isStack(construct) && construct !== stack);
}

describe('FargateCluster workloads', () => {
  test('a cluster without manifests has no kubectl Lambda, no layer and no nested stack', () => {
    const stack = newTestStack();
    newTestCluster(stack);

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::LayerVersion', 0);
    template.resourceCountIs('AWS::CloudFormation::Stack', 0);
    expect(nestedStacks(stack)).toHaveLength(0);
  });

  test('applies a Namespace through the library\'s handler without waiting for any Fargate profile', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const manifest = cluster.addManifest('Flow', NAMESPACE);
    cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow' }] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(OBJECTS, { Manifests: JSON.stringify([NAMESPACE]), Prune: 'true', Force: 'false', Retain: 'false', ServiceTimeout: '600' });
    const dependsOn: string[] = template.toJSON().Resources[stack.getLogicalId(manifest.resources[0].node.defaultChild as any)].DependsOn;
    expect(dependsOn.some(id => /Profile/.test(id))).toBe(false);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::CloudFormation::Stack', 0);
  });

  test('makes pods wait for the profiles that select them, including profiles added later, and splits them from the rest', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const objects = cluster.addManifest('Flow', NAMESPACE, DEPLOYMENT);
    const etl = cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow' }] });
    const other = cluster.addProfileSet('Other', { selectors: [{ namespace: 'other' }] });

    const template = Template.fromStack(stack);
    const logicalIdOf = (resource: (typeof objects.resources)[number]) => stack.getLogicalId(resource.node.defaultChild as any);
    const [podless, workloads] = objects.resources.map(resource => template.toJSON().Resources[logicalIdOf(resource)]);
    expect(JSON.parse(podless.Properties.Manifests).map((object: { kind: string }) => object.kind)).toEqual(['Namespace']);
    expect(JSON.parse(workloads.Properties.Manifests).map((object: { kind: string }) => object.kind)).toEqual(['Deployment']);
    expect(workloads.DependsOn).toEqual(expect.arrayContaining([stack.getLogicalId(etl.profiles[0]), logicalIdOf(objects.resources[0])]));
    expect(workloads.DependsOn).not.toContain(stack.getLogicalId(other.profiles[0]));
    expect(workloads.DependsOn).not.toContain(stack.getLogicalId(cluster.defaultProfile!.profiles[0]));
  });

  test('makes objects of an unknown kind wait for every profile, since they may create pods', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const objects = cluster.addManifest('Widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    const etl = cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow' }] });

    const dependsOn = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(objects.resources[0].node.defaultChild as any)].DependsOn;
    expect(dependsOn).toEqual(expect.arrayContaining([stack.getLogicalId(cluster.defaultProfile!.profiles[0]), stack.getLogicalId(etl.profiles[0])]));
  });

  test('gives the objects role a cluster-admin access entry that objects wait for, assumable only by the handler role', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const manifest = cluster.addManifest('Flow', NAMESPACE);

    const template = Template.fromStack(stack);
    const handlerRoleId = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('Execution role of the cdk-eks-fargate Kubernetes handler') } }))[0];
    const [objectsRoleId] = Object.keys(template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: { 'Fn::GetAtt': [handlerRoleId, 'Arn'] } } })] } },
    }));
    const [entryId] = Object.keys(template.findResources('AWS::EKS::AccessEntry', {
      Properties: {
        PrincipalArn: { 'Fn::GetAtt': [objectsRoleId, 'Arn'] },
        AccessPolicies: [Match.objectLike({ AccessScope: { Type: 'cluster' } })],
      },
    }));
    expect(entryId).toBeDefined();
    expect(template.toJSON().Resources[stack.getLogicalId(manifest.resources[0].node.defaultChild as any)].DependsOn).toContain(entryId);
    // Through the entry the objects also wait for, and outlive on delete, the role and its policy (DescribeCluster).
    const [policyId] = Object.keys(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: objectsRoleId }] } }));
    expect(template.toJSON().Resources[entryId].DependsOn).toEqual(expect.arrayContaining([objectsRoleId, policyId]));
  });

  test('runs one handler in the VPC with the cluster security group for aws-auth and objects when the endpoint is private', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { endpointAccess: eks.EndpointAccess.PRIVATE });
    cluster.addManifest('Flow', NAMESPACE);
    // The guard's reconcile function is separate by design; this is about the custom-resource handler.
    new SafeAwsAuth(stack, 'Auth', { cluster, backend: AwsAuthBackend.CONFIG_MAP, reconcile: false }).addRoleMapping(
      iam.Role.fromRoleArn(stack, 'Team', 'arn:aws:iam::111122223333:role/team'), { groups: ['team'] });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SecurityGroupIds: [{ 'Fn::GetAtt': [stack.getLogicalId(cluster.resource), 'ClusterSecurityGroupId'] }], SubnetIds: Match.anyValue() },
    });
  });

  test('runs the handler in the VPC when the public endpoint is CIDR-restricted', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24') });
    cluster.addManifest('Flow', NAMESPACE);

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }) });
  });

  test('keeps objects on RETAIN and passes prune and force', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    new KubernetesObjects(stack, 'Kept', { cluster, manifests: [NAMESPACE], removalPolicy: RemovalPolicy.RETAIN, prune: false, force: true });

    Template.fromStack(stack).hasResource(OBJECTS, {
      DeletionPolicy: 'Retain',
      Properties: { Prune: 'false', Force: 'true', Retain: 'true' },
    });
  });

  test('makes objects in a namespace added with addNamespace depend on it', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const namespace = cluster.addNamespace('flow', { labels: { team: 'data' } });
    const config = cluster.addManifest('Settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'flow' } });
    const account = cluster.addServiceAccount('Jobs', { namespace: 'flow', name: 'jobs' });

    const template = Template.fromStack(stack);
    const namespaceId = stack.getLogicalId(namespace.resources[0].node.defaultChild as any);
    template.hasResourceProperties(OBJECTS, { Manifests: JSON.stringify([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flow', labels: { team: 'data' } } }]) });
    expect(template.toJSON().Resources[stack.getLogicalId(config.resources[0].node.defaultChild as any)].DependsOn).toContain(namespaceId);
    const accountObjects = account.node.findAll().find((child): child is KubernetesObjects => child instanceof KubernetesObjects)!;
    expect(template.toJSON().Resources[stack.getLogicalId(accountObjects.resources[0].node.defaultChild as any)].DependsOn).toContain(namespaceId);
  });

  test('does not warn about the default layer within one minor version', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { version: eks.KubernetesVersion.V1_30 });
    cluster.addManifest('Flow', NAMESPACE);

    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('default kubectl layer'));
  });

  test('installs a Helm chart after every profile', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });

    const chart = cluster.addHelmChart('Metrics', { chart: 'metrics-server', repository: 'https://kubernetes-sigs.github.io/metrics-server/', namespace: 'kube-system' });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'metrics-server', Namespace: 'kube-system' });
    expect(template.toJSON().Resources[stack.getLogicalId(chart.node.defaultChild as any)].DependsOn)
      .toContain(stack.getLogicalId(cluster.defaultProfile!.profiles[0]));
  });

  test('creates an IRSA service account: a native OIDC provider and a role trusted only for its sub and audience', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });

    const account = cluster.addServiceAccount('EtlJobs', { namespace: 'flow', name: 'etl' });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: { 'Fn::GetAtt': [stack.getLogicalId(cluster.resource), 'OpenIdConnectIssuerUrl'] },
      ClientIdList: ['sts.amazonaws.com'],
    });
    const document = stack.resolve((account.role.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument);
    const text = JSON.stringify(document);
    expect(text).toContain('sts:AssumeRoleWithWebIdentity');
    expect(text).toContain(':sub\\":\\"system:serviceaccount:flow:etl\\"');
    expect(text).toContain(':aud\\":\\"sts.amazonaws.com\\"');
    template.hasResourceProperties(OBJECTS, {
      Manifests: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"kind":"ServiceAccount".*"name":"etl","namespace":"flow"')])] },
    });
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('shares one OIDC provider between service accounts', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });

    cluster.addServiceAccount('One');
    cluster.addServiceAccount('Two');

    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 1);
  });

  test('does not warn about a version in standard support', () => {
    const stack = newTestStack();
    newTestCluster(stack);

    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('EKS extended support'));
  });
});
