import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FargateCluster } from '../lib';
import { TEST_VERSION } from './helpers/test-stack';

describe('regions without Fargate', () => {
  test('a cluster in a stack without a region says GovCloud (US) cannot be checked', () => {
    const stack = new Stack(new App(), 'Anywhere');

    new FargateCluster(stack, 'Cluster', { version: TEST_VERSION });

    Annotations.fromStack(stack).hasWarning('/Anywhere/Cluster',
      Match.stringLikeRegexp('whether EKS offers Fargate there cannot be checked at synth: it does not in AWS GovCloud \\(US\\).*region-unverified'));
  });

  test('SafeAwsAuth on an imported EC2 cluster in GovCloud (US) stays allowed', () => {
    const stack = new Stack(new App(), 'Gov', { env: { account: '111122223333', region: 'us-gov-west-1' } });
    const cluster = FargateCluster.fromClusterAttributes(stack, 'Legacy', {
      clusterName: 'legacy', authenticationMode: eks.AuthenticationMode.API,
    });

    cluster.awsAuth.addRoleMapping(iam.Role.fromRoleArn(stack, 'Ops', 'arn:aws-us-gov:iam::111122223333:role/ops'), { groups: ['ops'] });

    Template.fromStack(stack).resourceCountIs('AWS::EKS::AccessEntry', 1);
  });
});
