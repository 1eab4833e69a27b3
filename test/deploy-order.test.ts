import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsAuthBackend, SafeAwsAuth } from '../lib';
import { newTestCluster, newTestStack } from './helpers/test-stack';

/** Logical ids of the default routes of the private subnets (through NAT) and of the VPC endpoints. */
function privateEgress(stack: Stack): string[] {
  const template = Template.fromStack(stack);
  const routes = Object.entries(template.findResources('AWS::EC2::Route'))
    .filter(([, route]) => route.Properties.NatGatewayId !== undefined)
    .map(([id]) => id);
  const endpoints = Object.keys(template.findResources('AWS::EC2::VPCEndpoint'));
  return [...routes, ...endpoints];
}

describe('deploy and delete order', () => {
  test('the aws-auth handler in the VPC waits for the private subnets\' default routes and the VPC endpoints', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { endpointAccess: eks.EndpointAccess.PRIVATE, vpcEndpoints: true });
    new SafeAwsAuth(stack, 'Auth', { cluster, backend: AwsAuthBackend.CONFIG_MAP })
      .addRoleMapping(iam.Role.fromRoleArn(stack, 'Ops', 'arn:aws:iam::111122223333:role/ops'), { groups: ['ops'] });

    const egress = privateEgress(stack);
    expect(egress.length).toBeGreaterThanOrEqual(2 + 6);
    const [handler] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { STACK_ID: { Ref: 'AWS::StackId' } } } },
    }));
    expect(handler!.DependsOn).toEqual(expect.arrayContaining(egress));
  });

  test('the aws-auth reconcile in the VPC waits for the private subnets\' default routes and the VPC endpoints', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { endpointAccess: eks.EndpointAccess.PRIVATE, vpcEndpoints: true });
    new SafeAwsAuth(stack, 'Auth', { cluster, backend: AwsAuthBackend.CONFIG_MAP })
      .addRoleMapping(iam.Role.fromRoleArn(stack, 'Ops', 'arn:aws:iam::111122223333:role/ops'), { groups: ['ops'] });

    const [reconcile] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('restores the aws-auth entries'), VpcConfig: Match.anyValue() },
    }));
    expect(reconcile!.DependsOn).toEqual(expect.arrayContaining(privateEgress(stack)));
  });

  test('the kubectl provider\'s nested stack in the VPC waits for the private subnets\' default routes', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, {
      endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24'),
      kubectlLayer: new KubectlV34Layer(stack, 'Kubectl'),
    });
    // Helm charts are the only user of the kubectl provider (manifests use the library's own handler).
    cluster.addHelmChart('Chart', { chart: 'podinfo', repository: 'https://stefanprodan.github.io/podinfo', namespace: 'apps' });

    const [provider] = Object.values(Template.fromStack(stack).findResources('AWS::CloudFormation::Stack'));
    expect(provider!.DependsOn).toEqual(expect.arrayContaining(privateEgress(stack)));
  });
});
