import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsAuthBackend, SafeAwsAuth } from '../../../../lib';
import { roleMappingProblems, userMappingProblems } from '../../../../lib/private/aws-auth/backends/mapping-validation';
import { newTestCluster, newTestStack } from '../../../helpers/test-stack';

const CUSTOM_RESOURCE = 'Custom::CdkEksFargateAwsAuth';

describe('SafeAwsAuth with the aws-auth merge', () => {
  test('the default owner id is the deployed stack name and the construct path', () => {
    const stack = newTestStack();
    const auth = new SafeAwsAuth(stack, 'Auth', { cluster: newTestCluster(stack), backend: AwsAuthBackend.CONFIG_MAP });

    auth.addMastersRole(iam.Role.fromRoleArn(stack, 'Admin', 'arn:aws:iam::111122223333:role/admin'));

    Template.fromStack(stack).hasResourceProperties(CUSTOM_RESOURCE, {
      OwnerId: { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, `:${auth.node.path}`]] },
    });
  });

  test('one role mapped twice with the same groups in another order, or spelled in another case, is one mapping', () => {
    const stack = newTestStack();
    const auth = new SafeAwsAuth(stack, 'Auth', { cluster: newTestCluster(stack), backend: AwsAuthBackend.CONFIG_MAP, ownerId: 'o' });

    auth.addRoleMapping(iam.Role.fromRoleArn(stack, 'A', 'arn:aws:iam::111122223333:role/Shared'), { groups: ['a', 'b'] });
    auth.addRoleMapping(iam.Role.fromRoleArn(stack, 'B', 'arn:aws:iam::111122223333:role/shared'), { groups: ['b', 'a'] });

    const properties = Object.values(Template.fromStack(stack).findResources(CUSTOM_RESOURCE))[0].Properties;
    expect(JSON.parse(properties.Mappings).mapRoles).toEqual([{ rolearn: 'arn:aws:iam::111122223333:role/Shared', groups: ['a', 'b'] }]);
  });

  test('a case variant of a mapped role with other groups is refused at synth', () => {
    const stack = newTestStack();
    const auth = new SafeAwsAuth(stack, 'Auth', { cluster: newTestCluster(stack), backend: AwsAuthBackend.CONFIG_MAP, ownerId: 'o' });
    auth.addRoleMapping(iam.Role.fromRoleArn(stack, 'A', 'arn:aws:iam::111122223333:role/NodeRole'), { groups: ['system:nodes'] });

    expect(() => auth.addRoleMapping(iam.Role.fromRoleArn(stack, 'B', 'arn:aws:iam::111122223333:role/noderole'), { groups: ['system:masters'] }))
      .toThrow(/role\/noderole is already mapped with groups \[system:nodes\]/);
  });
});

describe('aws-auth mapping validation', () => {
  test('an ARN in a partition AWS does not have is refused, naming the known partitions', () => {
    expect(roleMappingProblems('arn:aws-mars:iam::111122223333:role/r', ['g'])).toEqual([expect.stringMatching(
      /names the partition 'aws-mars', which is not an AWS partition \(aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc\)/)]);
    expect(userMappingProblems('arn:awz:iam::111122223333:user/u', ['g'])).toEqual([expect.stringMatching(/partition 'awz'/)]);
  });

  test('ARNs in every AWS partition pass', () => {
    for (const partition of ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']) {
      expect(roleMappingProblems(`arn:${partition}:iam::111122223333:role/r`, ['g'])).toEqual([]);
      expect(userMappingProblems(`arn:${partition}:iam::111122223333:user/u`, ['g'])).toEqual([]);
    }
  });
});
