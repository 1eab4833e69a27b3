import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FargateCluster, FargateClusterAttributes } from '../lib';
import { newTestStack } from './helpers/test-stack';
import { stateOf } from '../lib/private/cluster/cluster-state';

const CONFIG = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'jobs' }, data: { mode: 'nightly' } };
const CHART = { chart: 'podinfo', repository: 'https://stefanprodan.github.io/podinfo', namespace: 'jobs' };

function importedCluster(attrs: Partial<FargateClusterAttributes> = {}) {
  const stack = newTestStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = FargateCluster.fromClusterAttributes(stack, 'Legacy', {
    clusterName: 'legacy',
    vpc,
    authenticationMode: eks.AuthenticationMode.API_AND_CONFIG_MAP,
    ...attrs,
  });
  return { stack, cluster };
}

describe('imported clusters are first-class', () => {
  test('take manifests, namespaces and profile sets through the same methods as a FargateCluster', () => {
    const { stack, cluster } = importedCluster();
    const namespace = cluster.addNamespace('jobs');
    const objects = cluster.addManifest('Settings', CONFIG);
    cluster.addProfileSet('Jobs', { selectors: [{ namespace: 'jobs' }] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::CdkEksFargateKubernetesObjects', 2);
    // The objects role gets a cluster-admin access entry on the imported cluster, which allows access entries.
    const [entry] = Object.values(template.findResources('AWS::EKS::AccessEntry')) as any[];
    expect(entry.Properties.ClusterName).toBe('legacy');
    expect(JSON.stringify(entry.Properties.AccessPolicies)).toContain('AmazonEKSClusterAdminPolicy');
    template.resourceCountIs('AWS::EKS::FargateProfile', 1);
    const settings = template.toJSON().Resources[stack.getLogicalId(objects.resources[0].node.defaultChild as any)];
    expect(settings.DependsOn).toContain(stack.getLogicalId(namespace.resources[0].node.defaultChild as any));
  });

  test('act as a given kubectlRole for manifests and Helm charts: no role or access entry is made, the role trusts both Lambdas', () => {
    const { stack, cluster } = importedCluster({ authenticationMode: eks.AuthenticationMode.CONFIG_MAP });
    const kubectlRole = new iam.Role(stack, 'ClusterAdmin', { assumedBy: new iam.AccountRootPrincipal() });
    const withRole = FargateCluster.fromClusterAttributes(stack, 'WithRole', {
      clusterName: 'legacy', authenticationMode: eks.AuthenticationMode.CONFIG_MAP, kubectlRole, kubectlLayer: new KubectlV34Layer(stack, 'Kubectl'),
    });
    withRole.addManifest('Settings', CONFIG);
    withRole.addHelmChart('Podinfo', CHART);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::AccessEntry', 0);
    template.hasResourceProperties('Custom::CdkEksFargateKubernetesObjects', {
      RoleArn: { 'Fn::GetAtt': [stack.getLogicalId(kubectlRole.node.defaultChild as iam.CfnRole), 'Arn'] },
    });
    const roleId = stack.getLogicalId(kubectlRole.node.defaultChild as iam.CfnRole);
    const trust = JSON.stringify(template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument);
    expect(trust).toContain('CdkEksFargateKubernetesHandlerRole');
    expect(trust).toContain('KubectlHandlerRole');
    expect(cluster.fargateOnly).toBe(false);
  });

  test('on a CONFIG_MAP cluster without kubectlRole, manifests and Helm charts are refused naming the attribute', () => {
    const { cluster } = importedCluster({ authenticationMode: eks.AuthenticationMode.CONFIG_MAP });
    expect(() => cluster.addManifest('Settings', CONFIG))
      .toThrow(/Test\/Legacy: cannot apply Kubernetes objects: the cluster's authenticationMode is CONFIG_MAP.*Pass `kubectlRole`/);
    const unknownMode = FargateCluster.fromClusterAttributes(importedCluster().stack, 'Unknown', { clusterName: 'old' });
    expect(() => unknownMode.addHelmChart('Podinfo', CHART))
      .toThrow(/cannot install Helm charts: the cluster's authenticationMode is unknown \(treated as CONFIG_MAP\).*Pass `kubectlRole`/);
  });

  test('service accounts use the given OIDC provider, and without one are refused naming openIdConnectProvider', () => {
    const { stack, cluster } = importedCluster();
    expect(() => cluster.addServiceAccount('Exporter', { namespace: 'jobs' }))
      .toThrow(/the cluster has no `openIdConnectProvider`.*pass the cluster's IAM OIDC provider as `openIdConnectProvider`/);
    const provider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'Oidc',
      'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE');
    const withOidc = FargateCluster.fromClusterAttributes(stack, 'WithOidc', {
      clusterName: 'legacy', authenticationMode: eks.AuthenticationMode.API_AND_CONFIG_MAP, openIdConnectProvider: provider,
    });
    const account = withOidc.addServiceAccount('Exporter', { namespace: 'jobs', name: 'exporter' });
    expect(account.objects.manifests).toEqual([expect.objectContaining({ kind: 'ServiceAccount', metadata: expect.objectContaining({ name: 'exporter' }) })]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Federated: provider.oidcProviderArn } })],
      }),
    });
  });

  test('a cluster not made by this library is refused with the fix', () => {
    const stack = newTestStack();
    const stranger = new Construct(stack, 'Stranger');
    expect(() => stateOf(stranger)).toThrow(/Test\/Stranger: `cluster` is not a cluster of cdk-eks-fargate; pass a FargateCluster, or refer to a cluster made elsewhere with `FargateCluster.fromClusterAttributes/);
  });
});

describe('kubectl layer version', () => {
  test('a passed KubectlVNNLayer more than one minor away from the cluster is warned about, naming the layer', () => {
    const stack = newTestStack();
    const cluster = new FargateCluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_31, kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
    cluster.addHelmChart('Podinfo', CHART);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp(
      'The kubectl layer passed as `kubectlLayer` \\(KubectlV34Layer\\) is kubectl 1.34, more than one minor version away .* 1.31.*KubectlV31Layer'));
  });

  test('a passed layer within one minor is not warned about', () => {
    const stack = newTestStack();
    const cluster = new FargateCluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_34, kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
    cluster.addHelmChart('Podinfo', CHART);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('kubectl-layer-version'))).toEqual([]);
  });
});
