import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FargateCluster, FargateServiceAccount } from '../lib';
import { newTestStack } from './helpers/test-stack';

describe('FargateServiceAccount', () => {
  test('applies its ServiceAccount, annotated with the role, on any cluster', () => {
    const stack = newTestStack();
    const provider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'Oidc', 'arn:aws:iam::111122223333:oidc-provider/oidc.example/id/ABC');
    const cluster = FargateCluster.fromClusterAttributes(stack, 'Other', { clusterName: 'other', authenticationMode: eks.AuthenticationMode.API, openIdConnectProvider: provider });
    const account = new FargateServiceAccount(stack, 'Reader', { cluster, namespace: 'reports', name: 'reader' });
    const [manifest] = account.objects.manifests;
    expect(manifest.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(account.role.roleArn);
    Template.fromStack(stack).resourceCountIs('Custom::CdkEksFargateKubernetesObjects', 1);
  });
});
