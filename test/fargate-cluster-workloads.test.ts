import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { newTestCluster, newTestStack } from './helpers/test-stack';

const MANIFEST = 'Custom::AWSCDK-EKS-KubernetesResource';
const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flow' } };

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

  test('applies a manifest through kubectl after every profile, including profiles added later', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
    const manifest = cluster.addManifest('Flow', NAMESPACE);
    const later = cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow' }] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(MANIFEST, { Manifest: JSON.stringify([NAMESPACE]) });
    const dependsOn = template.toJSON().Resources[stack.getLogicalId(manifest.node.defaultChild as any)].DependsOn;
    expect(dependsOn).toEqual(expect.arrayContaining([
      stack.getLogicalId(cluster.defaultProfile!.profiles[0]),
      stack.getLogicalId(later.profiles[0]),
    ]));
  });

  test('gives the kubectl role a cluster-admin access entry that manifests wait for, assumable only by the kubectl Lambda role', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
    const manifest = cluster.addManifest('Flow', NAMESPACE);

    const template = Template.fromStack(stack);
    const handlerRoleId = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('Execution role of the kubectl Lambda') } }))[0];
    const [kubectlRoleId] = Object.keys(template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: { 'Fn::GetAtt': [handlerRoleId, 'Arn'] } } })] } },
    }));
    const [entryId] = Object.keys(template.findResources('AWS::EKS::AccessEntry', {
      Properties: {
        PrincipalArn: { 'Fn::GetAtt': [kubectlRoleId, 'Arn'] },
        AccessPolicies: [Match.objectLike({ AccessScope: { Type: 'cluster' } })],
      },
    }));
    expect(entryId).toBeDefined();
    expect(template.toJSON().Resources[stack.getLogicalId(manifest.node.defaultChild as any)].DependsOn).toContain(entryId);
  });

  test('runs kubectl in the VPC with the cluster security group when the endpoint is private', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { endpointAccess: eks.EndpointAccess.PRIVATE, kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
    cluster.addManifest('Flow', NAMESPACE);

    const [provider] = nestedStacks(stack);
    Template.fromStack(provider).hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('kubectl'),
      VpcConfig: { SecurityGroupIds: [Match.objectLike({ Ref: Match.stringLikeRegexp('ClusterSecurityGroupId') })], SubnetIds: Match.anyValue() },
    });
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
    template.hasResourceProperties(MANIFEST, {
      Manifest: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"kind":"ServiceAccount".*"name":"etl","namespace":"flow"')])] },
    });
    template.resourceCountIs('AWS::Lambda::Function', 0);
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

describe('FargateLogging', () => {
  test('applies the aws-observability namespace and the aws-logging ConfigMap for CloudWatch Logs', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl'), fargateLogging: {} });

    const template = Template.fromStack(stack);
    const logGroupId = stack.getLogicalId(cluster.fargateLogging!.logGroup!.node.defaultChild as logs.CfnLogGroup);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    const manifest = JSON.stringify(stack.resolve(Object.values(template.findResources(MANIFEST))[0].Properties.Manifest));
    expect(manifest).toMatch(/\\"kind\\":\\"Namespace\\",\\"metadata\\":\{\\"name\\":\\"aws-observability\\",\\"labels\\":\{[^}]*\\"aws-observability\\":\\"enabled\\"\}/);
    expect(manifest).toContain('\\"name\\":\\"aws-logging\\",\\"namespace\\":\\"aws-observability\\"');
    expect(manifest).toContain('Name cloudwatch_logs');
    expect(manifest).toContain(`"${logGroupId}"`);
  });

  test('lets every pod execution role of the cluster write to the log group, including roles of later profile sets', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl'), fargateLogging: {} });
    const jobsRole = new iam.Role(stack, 'JobsRole', { assumedBy: new iam.ServicePrincipal('eks-fargate-pods.amazonaws.com') });
    cluster.addProfileSet('Jobs', { selectors: [{ namespace: 'jobs' }], podExecutionRole: jobsRole });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'] })] },
      Roles: Match.arrayWith([
        { Ref: stack.getLogicalId(cluster.podExecutionRole!.node.defaultChild as iam.CfnRole) },
        { Ref: stack.getLogicalId(jobsRole.node.defaultChild as iam.CfnRole) },
      ]),
    });
  });

  test('takes a custom output with its permissions', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, {
      kubectlLayer: new KubectlV34Layer(stack, 'Kubectl'),
      fargateLogging: {
        outputConf: '[OUTPUT]\n    Name kinesis_firehose\n    Match *\n    region eu-west-1\n    delivery_stream logs\n',
        outputPolicyStatements: [new iam.PolicyStatement({ actions: ['firehose:PutRecordBatch'], resources: ['*'] })],
      },
    });

    expect(cluster.fargateLogging!.logGroup).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'firehose:PutRecordBatch' })] },
    });
  });

});
