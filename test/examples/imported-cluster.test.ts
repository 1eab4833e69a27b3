import * as os from 'os';
import * as path from 'path';
import { Annotations as CoreAnnotations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { DATA_CLUSTER, ImportedClusterStack } from '../../examples/imported-cluster/imported-cluster-stack';
import { EXAMPLE_ENV, newExampleApp } from '../../examples/shared/example-app';

/** A role ARN as the example writes it: partition from the deployment, account of the example environment. */
function roleArn(name: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${EXAMPLE_ENV.account}:role/${name}`]] };
}

describe('example: imported cluster', () => {
  // Records the warnings the constructs raise, before the example acknowledges any of them.
  const addWarning = jest.spyOn(CoreAnnotations.prototype, 'addWarningV2');
  const app = newExampleApp(path.join(os.tmpdir(), 'cdk-eks-fargate-examples', 'imported-cluster'));
  const stack = new ImportedClusterStack(app, 'ImportedCluster', { env: EXAMPLE_ENV });
  const raised = addWarning.mock.calls.map(([id, message]) => ({ id, message }));
  addWarning.mockRestore();
  const template = Template.fromStack(stack);

  test('snapshot: imported-cluster', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('adds a profile for both selectors to the imported cluster, in its private subnets, with a role scoped to it', () => {
    template.resourceCountIs('AWS::EKS::FargateProfile', 1);
    template.hasResourceProperties('AWS::EKS::FargateProfile', {
      ClusterName: DATA_CLUSTER.clusterName,
      Selectors: [{ Namespace: 'analytics' }, { Namespace: 'analytics-jobs', Labels: [{ Key: 'compute', Value: 'fargate' }] }],
      Subnets: DATA_CLUSTER.network.privateSubnetIds,
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
          Condition: { ArnLike: { 'aws:SourceArn': Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`:eks:${EXAMPLE_ENV.region}:${EXAMPLE_ENV.account}:fargateprofile/${DATA_CLUSTER.clusterName}/*`])] }) } },
        })],
      },
    });
    template.resourceCountIs('AWS::EKS::Cluster', 0);
  });

  test('maps the developers to their Kubernetes group and the admins to cluster-admin, as access entries only', () => {
    template.resourceCountIs('AWS::EKS::AccessEntry', 2);
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: DATA_CLUSTER.clusterName,
      PrincipalArn: roleArn('analytics-developers'),
      Type: 'STANDARD',
      KubernetesGroups: ['analytics-developers'],
      AccessPolicies: Match.absent(),
      Username: Match.absent(),
    });
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: DATA_CLUSTER.clusterName,
      PrincipalArn: roleArn('data-platform-admins'),
      Type: 'STANDARD',
      KubernetesGroups: Match.absent(),
      AccessPolicies: [{
        AccessScope: { Type: 'cluster' },
        PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']] },
      }],
    });
  });

  test('has no Lambda function and no custom resource: nothing touches aws-auth', () => {
    template.resourceCountIs('AWS::Lambda::Function', 0);
    const types = Object.values(template.toJSON().Resources as { [id: string]: { Type: string } }).map((resource) => resource.Type);
    expect(types.filter((type) => type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource')).toEqual([]);
    expect(JSON.stringify(template.toJSON())).not.toContain('aws-auth');
  });

  test('the profile set warns that the imported subnets cannot be verified, and the example acknowledges it', () => {
    const unverified = raised.filter((warning) => warning.id === 'cdk-eks-fargate:subnet-unverified');
    expect(unverified).toHaveLength(1);
    expect(unverified[0].message).toContain(`Subnets ${DATA_CLUSTER.network.privateSubnetIds.map((id) => `'${id}'`).join(', ')} come from an imported VPC`);
    expect(raised.filter((warning) => warning.id.startsWith('cdk-eks-fargate:'))).toEqual(unverified);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});
