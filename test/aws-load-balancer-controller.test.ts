import * as fs from 'fs';
import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { App, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FargateCluster } from '../lib';
import { newTestCluster, newTestStack } from './helpers/test-stack';
import { AwsLoadBalancerController, AwsLoadBalancerControllerOptions } from '../lib/aws-load-balancer-controller';
import { mergeValues } from '../lib/private/load-balancer-controller/helm-values';
import { controllerPolicy, POLICY_PARTITIONS, policyFile } from '../lib/private/load-balancer-controller/iam-policies';

const HELM_CHART = 'Custom::AWSCDK-EKS-HelmChart';
const MANIFEST = 'Custom::CdkEksFargateKubernetesObjects';
const SUBNET_TAGS = 'cdk-eks-fargate:subnet-elb-tags';

interface Installed {
  readonly stack: Stack;
  readonly cluster: FargateCluster;
  readonly controller: AwsLoadBalancerController;
}

function install(options: AwsLoadBalancerControllerOptions = {}, stack: Stack = newTestStack()): Installed {
  const cluster = newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
  const controller = new AwsLoadBalancerController(stack, 'Alb', { ...options, cluster });
  return { stack, cluster, controller };
}

/** A stack without account and region, as `cdk synth` makes for an environment-agnostic app. */
function newAgnosticStack(): Stack {
  return new Stack(new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } }), 'Agnostic');
}

/**
 * The chart values as an object. The template holds them as `Fn::Join` of JSON text and tokens; each token becomes a
 * readable marker such as `<Ref:ClusterVpc...>` so that the JSON parses.
 */
function chartValues(stack: Stack, chartId: string = 'AlbChart'): Record<string, any> {
  const values = Template.fromStack(stack).toJSON().Resources[logicalIdOf(stack, chartId)].Properties.Values;
  const parts: unknown[] = typeof values === 'string' ? [values] : values['Fn::Join'][1];
  return JSON.parse(parts.map(part => (typeof part === 'string' ? part : `<${tokenMarker(part as Record<string, any>)}>`)).join(''));
}

function tokenMarker(token: Record<string, any>): string {
  const [[fn, argument]] = Object.entries(token);
  return `${fn}:${JSON.stringify(argument).replace(/"/g, '')}`;
}

function logicalIdOf(stack: Stack, clusterChildId: string): string {
  const child = stack.node.findChild('Cluster').node.findChild(clusterChildId);
  return stack.getLogicalId(child.node.defaultChild as any);
}

describe('AwsLoadBalancerController', () => {
  test('installs the pinned chart from eks-charts into kube-system and waits for its pods', () => {
    const { stack } = install();

    Template.fromStack(stack).hasResourceProperties(HELM_CHART, {
      Chart: 'aws-load-balancer-controller',
      Repository: 'https://aws.github.io/eks-charts',
      Release: 'aws-load-balancer-controller',
      Version: '3.5.0',
      Namespace: 'kube-system',
      Wait: true,
      Timeout: '900s',
    });
  });

  test('passes cluster name, region and VPC explicitly, since Fargate pods have no instance metadata', () => {
    const { stack, cluster } = install();

    const values = chartValues(stack);
    expect(values.clusterName).toBe(`<Ref:${stack.getLogicalId(cluster.resource)}>`);
    expect(values.region).toBe('eu-west-1');
    expect(values.vpcId).toBe(`<Ref:${stack.getLogicalId(cluster.vpc!.node.defaultChild as ec2.CfnVPC)}>`);
    expect(values.replicaCount).toBe(2);
    expect(values.defaultTargetType).toBe('ip');
  });

  test('runs as the IRSA service account it creates instead of one from the chart', () => {
    const { stack } = install();

    expect(chartValues(stack).serviceAccount).toEqual({ create: false, name: 'aws-load-balancer-controller' });
    const serviceAccountObject = Match.stringLikeRegexp(
      '"kind":"ServiceAccount","metadata":\\{"name":"aws-load-balancer-controller","namespace":"kube-system".*"eks.amazonaws.com/role-arn":"$');
    Template.fromStack(stack).hasResourceProperties(MANIFEST, { Manifests: { 'Fn::Join': ['', Match.arrayWith([serviceAccountObject])] } });
  });

  test('installs the chart after the service account manifest and the IAM policy', () => {
    const { stack, controller } = install();

    const dependsOn = Template.fromStack(stack).toJSON().Resources[logicalIdOf(stack, 'AlbChart')].DependsOn;
    const serviceAccountManifest = controller.serviceAccount.node.findChild('Manifest').node.defaultChild as any;
    expect(dependsOn).toEqual(expect.arrayContaining([
      stack.getLogicalId(serviceAccountManifest),
      stack.getLogicalId(controller.policy),
    ]));
  });

  test('trusts only the controller service account through the cluster OIDC provider', () => {
    const { stack, cluster, controller } = install();

    const document = JSON.parse((stack.resolve((controller.serviceAccount.role.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument)['Fn::Join'][1] as unknown[])
      .map(part => (typeof part === 'string' ? part : `<${tokenMarker(part as Record<string, any>)}>`)).join(''));
    const issuer = `<Fn::Select:[1,{Fn::Split:[:oidc-provider/,{Ref:${stack.getLogicalId(cluster.openIdConnectProvider.node.defaultChild as iam.CfnOIDCProvider)}}]}]>`;
    expect(document.Statement).toEqual([{
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: `<Ref:${stack.getLogicalId(cluster.openIdConnectProvider.node.defaultChild as iam.CfnOIDCProvider)}>` },
      Condition: {
        StringEquals: {
          [`${issuer}:sub`]: 'system:serviceaccount:kube-system:aws-load-balancer-controller',
          [`${issuer}:aud`]: 'sts.amazonaws.com',
        },
      },
    }]);
  });

  test('gives the role exactly the published policy of the stack region\'s partition, so reviewers and cdk-nag see it', () => {
    for (const [region, partition] of [['eu-west-1', 'aws'], ['cn-north-1', 'aws-cn']] as const) {
      const stack = new Stack(new App(), `In${partition}`, { env: { account: '111122223333', region } });
      const { controller } = install({}, stack);

      const template = Template.fromStack(stack);
      expect(Object.keys(template.findConditions('*', { 'Fn::Equals': [{ Ref: 'AWS::Partition' }, 'aws-cn'] }))).toEqual([]);
      expect(stack.resolve(controller.policy.policyDocument)).toEqual(controllerPolicy(partition));
    }
  });

  test('in a region-agnostic stack, gives the role the published policy of the deploying partition, chosen by AWS::Partition', () => {
    const { stack, controller } = install({}, newAgnosticStack());

    const template = Template.fromStack(stack);
    const [cn] = Object.keys(template.findConditions('*', { 'Fn::Equals': [{ Ref: 'AWS::Partition' }, 'aws-cn'] }));
    const [gov] = Object.keys(template.findConditions('*', { 'Fn::Equals': [{ Ref: 'AWS::Partition' }, 'aws-us-gov'] }));
    expect([cn, gov]).toEqual([expect.any(String), expect.any(String)]);
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: 'AWSLoadBalancerControllerIAMPolicy' } });
    expect(Object.keys(policies)).toEqual([stack.getLogicalId(controller.policy)]);
    template.hasResource('AWS::IAM::Policy', {
      Properties: {
        PolicyName: 'AWSLoadBalancerControllerIAMPolicy',
        Roles: [{ Ref: stack.getLogicalId(controller.serviceAccount.role.node.defaultChild as iam.CfnRole) }],
        PolicyDocument: {
          'Fn::If': [cn, controllerPolicy('aws-cn'), { 'Fn::If': [gov, controllerPolicy('aws-us-gov'), controllerPolicy('aws')] }],
        },
      },
      Condition: Match.absent(),
    });
  });

  test('pulls the image from the EKS add-on registry of the stack region', () => {
    const { stack } = install();

    expect(chartValues(stack).image).toEqual({ repository: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-load-balancer-controller', tag: 'v3.5.0' });
    expect(Template.fromStack(stack).toJSON().Mappings).toBeUndefined();
  });

  test('pulls the image in the China regions from their amazonaws.com.cn registry', () => {
    const stack = new Stack(new App(), 'China', { env: { account: '111122223333', region: 'cn-north-1' } });
    install({}, stack);

    expect(chartValues(stack).image.repository).toBe('918309763551.dkr.ecr.cn-north-1.amazonaws.com.cn/amazon/aws-load-balancer-controller');
  });

  test('chooses the image registry by region at deploy time in an environment-agnostic stack', () => {
    const stack = newAgnosticStack();
    const { controller } = install({}, stack);

    const template = Template.fromStack(stack).toJSON();
    const mappingId = stack.getLogicalId(controller.node.findChild('ImageRegistries') as any);
    expect(template.Mappings[mappingId]['us-east-1']).toEqual({ registry: '602401143452.dkr.ecr.us-east-1.amazonaws.com' });
    expect(template.Mappings[mappingId]['us-gov-west-1']).toEqual({ registry: '013241004608.dkr.ecr.us-gov-west-1.amazonaws.com' });
    expect(template.Mappings[mappingId]['af-south-1']).toEqual({ registry: '877085696533.dkr.ecr.af-south-1.amazonaws.com' });
    expect(chartValues(stack).image.repository).toBe(`<Fn::FindInMap:[${mappingId},{Ref:AWS::Region},registry]>/amazon/aws-load-balancer-controller`);
  });

  test('takes another image repository and tag, with a warning that the policy stays the pinned one', () => {
    const { stack } = install({ imageRepository: 'public.ecr.aws/eks/aws-load-balancer-controller', imageTag: 'v3.4.3', chartVersion: '3.4.3' });

    expect(chartValues(stack).image).toEqual({ repository: 'public.ecr.aws/eks/aws-load-balancer-controller', tag: 'v3.4.3' });
    Annotations.fromStack(stack).hasWarning('/Test/Alb', Match.stringLikeRegexp(
      'chart 3.4.3 with image tag v3.4.3, but its IAM policy is the one published for controller v3.5.0'));
  });

  test('does not warn about versions when they are the pinned ones', () => {
    const { stack } = install();

    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('IAM policy is the one published'));
  });

  test('merges extra Helm values over its own, nested objects key by key', () => {
    const { stack } = install({ replicas: 3, helmValues: { image: { pullPolicy: 'Always' }, enableWaf: false, defaultTargetType: 'ip' } });

    const values = chartValues(stack);
    expect(values.image).toEqual({ repository: expect.stringContaining('amazon/aws-load-balancer-controller'), tag: 'v3.5.0', pullPolicy: 'Always' });
    expect(values.enableWaf).toBe(false);
    expect(values.replicaCount).toBe(3);
  });

  test('merges Helm value keys named like Object members as plain data', () => {
    const merged = mergeValues({ image: { tag: 'v1' } }, JSON.parse('{"image": {"__proto__": {"polluted": true}}, "constructor": "kept"}'));

    expect(Object.keys(merged.image as object)).toEqual(['tag', '__proto__']);
    expect(Object.getPrototypeOf(merged.image)).toBe(Object.prototype);
    expect(merged.constructor).toBe('kept');
    expect(({} as any).polluted).toBeUndefined();
  });

  test('refuses Helm values the construct owns, naming the option to use', () => {
    expect(() => install({ helmValues: { vpcId: 'vpc-0c000000000000001', serviceAccount: { create: true }, image: { tag: 'v2' } } }))
      .toThrow(/`helmValues` sets `vpcId`, which the construct owns.*\n.*`helmValues` sets `serviceAccount`.*\n.*`helmValues` sets `image.tag`, which the construct owns: use the `imageTag` option/);
  });

  test('refuses a replica count below one', () => {
    expect(() => install({ replicas: 0 })).toThrow(/`replicas` is 0; the controller needs a whole number of at least 1 pod/);
  });

  test('refuses a known region without an add-on registry unless an image repository is given', () => {
    const stack = () => new Stack(new App(), 'Elsewhere', { env: { account: '111122223333', region: 'xx-test-1' } });

    expect(() => install({}, stack())).toThrow(/region xx-test-1 has no Amazon EKS add-on registry in this library's table.*Set `imageRepository`/);
    expect(() => install({ imageRepository: 'registry.example.com/lbc' }, stack())).not.toThrow();
  });

  test('refuses a region in a partition it ships no policy for', () => {
    const stack = new Stack(new App(), 'Iso', { env: { account: '111122223333', region: 'us-iso-east-1' } });

    expect(() => install({ imageRepository: 'registry.example.com/lbc' }, stack))
      .toThrow(/region us-iso-east-1 is in partition aws-iso; this library ships the controller's IAM policy for aws, aws-cn, aws-us-gov only/);
  });

  test('refuses a second controller on the same cluster', () => {
    const { stack, cluster } = install();

    expect(() => new AwsLoadBalancerController(stack, 'Second', { cluster }))
      .toThrow(/`cluster` Test\/Cluster already has an AWS Load Balancer Controller \(Test\/Alb\); the controller runs once a cluster/);
  });

  test('warns when no Fargate profile selects the controller pods', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { defaultProfile: false, kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
    new AwsLoadBalancerController(stack, 'Alb', { cluster });

    Annotations.fromStack(stack).hasWarning('/Test/Alb', Match.stringLikeRegexp(
      'No Fargate profile of Test/Cluster selects the controller\'s pods \\(namespace kube-system.*would stay Pending'));
  });

  test('does not warn about profiles when a later profile set selects the controller pods by label', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { defaultProfile: false, kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
    new AwsLoadBalancerController(stack, 'Alb', { cluster, helmValues: { podLabels: { team: 'platform' } } });
    cluster.addProfileSet('System', { selectors: [{ namespace: 'kube-system', labels: { team: 'platform' } }] });

    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('selects the controller\'s pods'));
  });

  test('ships each partition policy as a document with Version, Statement, Effect and Action, naming only its partition in ARNs', () => {
    for (const partition of POLICY_PARTITIONS) {
      const document = JSON.parse(fs.readFileSync(policyFile(partition), 'utf8'));
      expect(document.Version).toBe('2012-10-17');
      expect(Array.isArray(document.Statement) && document.Statement.length).toBeGreaterThan(10);
      for (const statement of document.Statement) {
        expect(['Allow', 'Deny']).toContain(statement.Effect);
        expect([statement.Action].flat().every((action: unknown) => typeof action === 'string' && /^[a-z0-9-]+:[A-Za-z*]+$/.test(action))).toBe(true);
      }
      const arnPartitions = new Set([...JSON.stringify(document).matchAll(/"arn:([a-z-]+):/g)].map(match => match[1]));
      expect([...arnPartitions]).toEqual([partition]);
    }
  });
});

describe('AwsLoadBalancerController subnet tags', () => {
  function vpcCluster(stack: Stack, vpc: ec2.IVpc): FargateCluster {
    return newTestCluster(stack, { vpc, kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
  }

  test('does not warn for the cluster\'s own VPC, which carries the role tags', () => {
    const { stack } = install();

    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(SUBNET_TAGS));
  });

  test('warns for each public and private subnet of a VPC made in this app without the role tags', () => {
    const stack = newTestStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new AwsLoadBalancerController(stack, 'Alb', { cluster: vpcCluster(stack, vpc) });

    const warnings = Annotations.fromStack(stack).findWarning('/Test/Alb', Match.stringLikeRegexp('subnet'));
    expect(warnings.map(warning => (warning.entry.data as string).match(/^(Public|Private) subnet (\S+) has no `([^`]+)` tag/)?.slice(1))).toEqual([
      ['Public', 'Test/Vpc/PublicSubnet1', 'kubernetes.io/role/elb'],
      ['Public', 'Test/Vpc/PublicSubnet2', 'kubernetes.io/role/elb'],
      ['Private', 'Test/Vpc/PrivateSubnet1', 'kubernetes.io/role/internal-elb'],
      ['Private', 'Test/Vpc/PrivateSubnet2', 'kubernetes.io/role/internal-elb'],
    ]);
    expect(warnings[0].entry.data).toMatch(/Tag it: `Tags.of\(subnet\).add\('kubernetes.io\/role\/elb', '1'\)`. \[ack: cdk-eks-fargate:subnet-elb-tags\]$/);
  });

  test('does not warn when the tags are added later, on any scope', () => {
    const stack = newTestStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new AwsLoadBalancerController(stack, 'Alb', { cluster: vpcCluster(stack, vpc) });
    vpc.publicSubnets.forEach(subnet => Tags.of(subnet).add('kubernetes.io/role/elb', '1'));
    Tags.of(stack).add('kubernetes.io/role/internal-elb', '', { includeResourceTypes: ['AWS::EC2::Subnet'] });

    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(SUBNET_TAGS));
  });

  test('warns about a role tag with a value the controller does not accept', () => {
    const stack = newTestStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new AwsLoadBalancerController(stack, 'Alb', { cluster: vpcCluster(stack, vpc) });
    Tags.of(vpc).add('kubernetes.io/role/elb', '0');
    Tags.of(vpc).add('kubernetes.io/role/internal-elb', '1');

    const warnings = Annotations.fromStack(stack).findWarning('/Test/Alb', Match.stringLikeRegexp(SUBNET_TAGS));
    expect(warnings.map(warning => (warning.entry.data as string).split('. ')[0])).toEqual([
      'Public subnet Test/Vpc/PublicSubnet1 has \'0\' as its `kubernetes.io/role/elb` tag',
      'Public subnet Test/Vpc/PublicSubnet2 has \'0\' as its `kubernetes.io/role/elb` tag',
    ]);
  });

  test('checks isolated subnets for the internal tag when the VPC has no private subnets', () => {
    const stack = newTestStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Pods', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    new AwsLoadBalancerController(stack, 'Alb', { cluster: vpcCluster(stack, vpc) });

    const warnings = Annotations.fromStack(stack).findWarning('/Test/Alb', Match.stringLikeRegexp(SUBNET_TAGS));
    expect(warnings.map(warning => (warning.entry.data as string).split(' has ')[0])).toEqual([
      'Private subnet Test/Vpc/PodsSubnet1',
      'Private subnet Test/Vpc/PodsSubnet2',
    ]);
  });

  test('does not warn for subnets of an imported VPC, whose tags are unknown at synth', () => {
    const stack = newTestStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0c000000000000001',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      publicSubnetIds: ['subnet-0a000000000000001', 'subnet-0a000000000000002'],
      privateSubnetIds: ['subnet-0b000000000000001', 'subnet-0b000000000000002'],
    });
    new AwsLoadBalancerController(stack, 'Alb', { cluster: vpcCluster(stack, vpc) });

    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(SUBNET_TAGS));
  });
});
