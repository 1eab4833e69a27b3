import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { FargateCluster, FargateProfileSet } from '../lib';
import { newTestStack } from './helpers/test-stack';

describe('FargateProfileSet.fromEksctlConfig', () => {
  test('accepts profiles that share a subnet, as eksctl lays them out', () => {
    const stack = newTestStack();
    const cluster = FargateCluster.fromClusterAttributes(stack, 'Legacy', {
      clusterName: 'legacy',
      authenticationMode: eks.AuthenticationMode.API,
      vpc: ec2.Vpc.fromVpcAttributes(stack, 'Network', {
        vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0a1b2c3d4e5f60718'],
      }),
    });

    FargateProfileSet.fromEksctlConfig(stack, 'FromEksctl', cluster, [
      'apiVersion: eksctl.io/v1alpha5', 'kind: ClusterConfig', 'metadata: { name: legacy }', 'fargateProfiles:',
      '  - name: fp-a', '    selectors: [{ namespace: a }]', '    subnets: [subnet-0a1b2c3d4e5f60718]',
      '  - name: fp-b', '    selectors: [{ namespace: b }]', '    subnets: [subnet-0a1b2c3d4e5f60718]', '',
    ].join('\n'));

    Template.fromStack(stack).resourcePropertiesCountIs('AWS::EKS::FargateProfile', { Subnets: ['subnet-0a1b2c3d4e5f60718'] }, 2);
  });
});
