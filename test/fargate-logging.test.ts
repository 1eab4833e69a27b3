import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { newTestCluster, newTestStack } from './helpers/test-stack';

const OBJECTS = 'Custom::CdkEksFargateKubernetesObjects';

describe('FargateLogging', () => {
  test('applies the aws-observability namespace and the aws-logging ConfigMap for CloudWatch Logs', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl'), fargateLogging: {} });

    const template = Template.fromStack(stack);
    const logGroupId = stack.getLogicalId(cluster.fargateLogging!.logGroup!.node.defaultChild as logs.CfnLogGroup);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    const manifest = JSON.stringify(stack.resolve(Object.values(template.findResources(OBJECTS))[0].Properties.Manifests));
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
