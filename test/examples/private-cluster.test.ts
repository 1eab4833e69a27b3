import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { APP_NAMESPACE, PrivateClusterStack } from '../../examples/private-cluster/private-cluster-stack';
import { EXAMPLE_ENV, newExampleApp } from '../../examples/shared/example-app';

const HANDLER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'lib', 'private', 'handler', 'kubernetes-handler.lambda');

/** Every Lambda function of a template whose properties mention `text` (its description, role, handler...). */
function functionsMentioning(template: Template, text: string) {
  return Object.values(template.findResources('AWS::Lambda::Function')).filter((resource) => JSON.stringify(resource).includes(text));
}

/** The hash an asset of a copy of `directory` gets, elsewhere on disk, in a scratch app. */
function assetHashOfCopy(directory: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'asset-copy-'));
  try {
    fs.cpSync(directory, copy, { recursive: true });
    const scratch = new Stack(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-app-')) }), 'Scratch');
    return new s3assets.Asset(scratch, 'Copy', { path: copy }).assetHash;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

describe('example: private cluster', () => {
  const app = newExampleApp(path.join(os.tmpdir(), 'cdk-eks-fargate-examples', 'private-cluster'));
  const stack = new PrivateClusterStack(app, 'PrivateCluster', { env: EXAMPLE_ENV });
  const template = Template.fromStack(stack);
  // aws-cdk-lib's kubectl provider is a nested stack of its own.
  const kubectlProviders = stack.node.findAll().filter((construct): construct is eks.KubectlProvider => construct instanceof eks.KubectlProvider);
  const kubectlProvider: NestedStack = kubectlProviders[0];
  const kubectlTemplate = Template.fromStack(kubectlProvider);
  const clusterLogicalId = stack.getLogicalId(stack.cluster.resource);
  const privateSubnetRefs = Object.keys(template.findResources('AWS::EC2::Subnet', {
    Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: 'Private' }]) },
  })).map((logicalId) => ({ Ref: logicalId }));

  test('snapshot: private-cluster', () => {
    expect(kubectlProviders).toHaveLength(1);
    expect({ stack: template.toJSON(), kubectlProvider: kubectlTemplate.toJSON() }).toMatchSnapshot();
  });

  test('turns the public API endpoint off', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: false, EndpointPrivateAccess: true, PublicAccessCidrs: Match.absent() }),
    });
  });

  test('adds interface endpoints for ECR API, ECR Docker, STS, CloudWatch Logs and EKS in the private subnets', () => {
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 5);
    for (const service of ['ecr.api', 'ecr.dkr', 'sts', 'logs', 'eks']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.${EXAMPLE_ENV.region}.${service}`,
        PrivateDnsEnabled: true,
        SubnetIds: privateSubnetRefs,
      });
    }
  });

  test('runs the aws-auth handler in the private subnets with the cluster security group', () => {
    const handlers = functionsMentioning(template, 'merges identity mappings into kube-system/aws-auth');
    expect(handlers).toHaveLength(1);
    expect(privateSubnetRefs).toHaveLength(2);
    expect(handlers[0].Properties.VpcConfig).toEqual({
      SecurityGroupIds: [{ 'Fn::GetAtt': [clusterLogicalId, 'ClusterSecurityGroupId'] }],
      SubnetIds: privateSubnetRefs,
    });
    template.hasResourceProperties('Custom::CdkEksFargateAwsAuth', {
      Mappings: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"username":"auditor","groups":\\["audit-readers"\\]')])] }),
      Endpoint: { 'Fn::GetAtt': [clusterLogicalId, 'Endpoint'] },
    });
  });

  test('runs the kubectl Lambda (and its provider) in the private subnets with the cluster security group', () => {
    const kubectlFunctions = Object.values(kubectlTemplate.findResources('AWS::Lambda::Function'));
    expect(kubectlFunctions.length).toBeGreaterThan(0);
    for (const resource of kubectlFunctions) {
      expect(resource.Properties.VpcConfig).toEqual({
        SecurityGroupIds: [{ Ref: expect.stringMatching(/ClusterSecurityGroupId$/) }],
        SubnetIds: [{ Ref: expect.stringMatching(/PrivateSubnet1Subnet/) }, { Ref: expect.stringMatching(/PrivateSubnet2Subnet/) }],
      });
    }
    template.hasResourceProperties('AWS::CloudFormation::Stack', {
      Parameters: Match.objectLike({
        [Object.keys(kubectlTemplate.toJSON().Parameters).find((name) => name.endsWith('ClusterSecurityGroupId'))!]:
          { 'Fn::GetAtt': [clusterLogicalId, 'ClusterSecurityGroupId'] },
      }),
    });
    kubectlTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Layers: Match.arrayWith([{ Ref: Match.stringLikeRegexp('KubectlLayer') }]),
    });
  });

  test('installs the Helm chart from the asset of its directory, after the profile for its namespace', () => {
    const appProfile = stack.getLogicalId(stack.cluster.node.findChild('App').node.defaultChild as eks.CfnFargateProfile);
    template.hasResource('Custom::AWSCDK-EKS-HelmChart', {
      Properties: Match.objectLike({
        ChartAssetURL: `s3://cdk-hnb659fds-assets-${EXAMPLE_ENV.account}-${EXAMPLE_ENV.region}/${stack.chartAsset.assetHash}.zip`,
        Namespace: APP_NAMESPACE,
        Repository: Match.absent(),
        Chart: Match.absent(),
      }),
      DependsOn: Match.arrayWith([appProfile]),
    });
  });

  test('names the chart and the handler bundle by content hashes, the same from any directory', () => {
    expect(assetHashOfCopy(path.join(__dirname, '..', '..', 'examples', 'private-cluster', 'chart'))).toEqual(stack.chartAsset.assetHash);
    const handlerKey = functionsMentioning(template, 'merges identity mappings into kube-system/aws-auth')[0].Properties.Code.S3Key;
    expect(handlerKey).toEqual(`${assetHashOfCopy(HANDLER_BUNDLE)}.zip`);
  });

  test('puts nothing machine-specific into the templates', () => {
    const text = JSON.stringify({ stack: template.toJSON(), kubectlProvider: kubectlTemplate.toJSON() });
    for (const local of [process.cwd(), os.tmpdir(), os.homedir(), '/work', '/tmp', '/home/', '/Users/', 'C:\\\\']) {
      expect(text).not.toContain(local);
    }
  });

  test('raises no cdk-eks-fargate warning', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-eks-fargate:'));
  });
});
