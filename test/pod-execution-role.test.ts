import { Template } from 'aws-cdk-lib/assertions';
import { PodExecutionRole } from '../lib';
import { newTestStack } from './helpers/test-stack';

const SOURCE_ARN = (pattern: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:eks:eu-west-1:111122223333:fargateprofile/etl/${pattern}`]],
});

describe('PodExecutionRole', () => {
  test('trusts eks-fargate-pods.amazonaws.com only for the cluster profiles in this account and region', () => {
    // GIVEN
    const stack = newTestStack();

    // WHEN
    new PodExecutionRole(stack, 'Role', { clusterName: 'etl' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
          Condition: { ArnLike: { 'aws:SourceArn': SOURCE_ARN('*') } },
        }],
      },
    });
  });

  test('narrows the trust to a profile name pattern', () => {
    const stack = newTestStack();

    new PodExecutionRole(stack, 'Role', { clusterName: 'etl', profileNamePattern: 'etl-*' });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Condition: { ArnLike: { 'aws:SourceArn': SOURCE_ARN('etl-*') } } }] },
    });
  });

  test('has AmazonEKSFargatePodExecutionRolePolicy and no other permission', () => {
    const stack = newTestStack();

    new PodExecutionRole(stack, 'Role', { clusterName: 'etl', roleName: 'etl-pods' });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'etl-pods',
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy']] }],
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    expect(Object.values(template.findResources('AWS::IAM::Role'))[0].Properties.Policies).toBeUndefined();
  });
});
