import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FargateCluster, FargateProfileSet, FargateSelector } from '../lib';
import { newTestCluster, newTestStack } from './helpers/test-stack';

function namespaces(count: number): FargateSelector[] {
  return Array.from({ length: count }, (_, index) => ({ namespace: `team-${index + 1}` }));
}

/** Logical id → [name, properties] of every Fargate profile in the stack. */
function profilesOf(stack: Stack): Map<string, any> {
  const profiles = Template.fromStack(stack).findResources('AWS::EKS::FargateProfile');
  return new Map(Object.entries(profiles).map(([id, resource]) => [id, resource.Properties]));
}

describe('FargateProfileSet', () => {
  test('creates a profile with the selectors, labels, private subnets and the cluster pod execution role', () => {
    // GIVEN
    const stack = newTestStack();
    const cluster = newTestCluster(stack);

    // WHEN
    cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow', labels: { infrastructure: 'fargate' } }] });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::FargateProfile', {
      ClusterName: { Ref: stack.getLogicalId(cluster.resource) },
      Selectors: [{ Namespace: 'flow', Labels: [{ Key: 'infrastructure', Value: 'fargate' }] }],
      Subnets: cluster.vpc!.privateSubnets.map(subnet => ({ Ref: stack.getLogicalId(subnet.node.defaultChild as ec2.CfnSubnet) })),
      PodExecutionRoleArn: { 'Fn::GetAtt': [stack.getLogicalId(cluster.podExecutionRole!.node.defaultChild as iam.CfnRole), 'Arn'] },
    });
  });

  test('packs 12 namespaces into 3 profiles of at most 5 selectors in the given order', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { defaultProfile: false });

    const set = cluster.addProfileSet('Teams', { selectors: namespaces(12) });

    expect(set.profiles).toHaveLength(3);
    const selectorCounts = set.profiles.map(profile => (profile.selectors as any[]).map(selector => selector.namespace));
    expect(selectorCounts).toEqual([
      ['team-1', 'team-2', 'team-3', 'team-4', 'team-5'],
      ['team-6', 'team-7', 'team-8', 'team-9', 'team-10'],
      ['team-11', 'team-12'],
    ]);
  });

  test('adding a 13th namespace changes at most one existing profile', () => {
    const before = newTestStack();
    newTestCluster(before).addProfileSet('Teams', { selectors: namespaces(12) });
    const after = newTestStack();
    newTestCluster(after).addProfileSet('Teams', { selectors: namespaces(13) });

    const old = profilesOf(before);
    const updated = profilesOf(after);
    const changed = [...old.entries()].filter(([id, props]) => JSON.stringify(updated.get(id)) !== JSON.stringify(props));
    expect(changed).toHaveLength(1);
    expect(updated.size).toEqual(old.size);
  });

  test('adding a set never renames or changes existing profiles', () => {
    const before = newTestStack();
    newTestCluster(before).addProfileSet('Etl', { selectors: [{ namespace: 'flow' }] });
    const after = newTestStack();
    const cluster = newTestCluster(after);
    cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow' }] });
    cluster.addProfileSet('Web', { selectors: [{ namespace: 'web' }] });

    const old = profilesOf(before);
    const updated = profilesOf(after);
    for (const [id, props] of old) {
      expect(updated.get(id)).toEqual(props);
    }
    expect(updated.size).toEqual(old.size + 1);
  });

  test('chains every profile of the cluster, across sets and the default profile, in creation order', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const teams = cluster.addProfileSet('Teams', { selectors: namespaces(7) });
    const web = new FargateProfileSet(stack, 'Web', { cluster, selectors: [{ namespace: 'web' }] });

    const chain = [...cluster.defaultProfile!.profiles, ...teams.profiles, ...web.profiles].map(profile => stack.getLogicalId(profile));
    const resources = Template.fromStack(stack).toJSON().Resources;
    expect(resources[chain[0]].DependsOn ?? []).toEqual([]);
    for (let index = 1; index < chain.length; index++) {
      expect(resources[chain[index]].DependsOn).toEqual([chain[index - 1]]);
    }
  });

  test('names profiles deterministically, within 100 characters, never starting with eks-', () => {
    const stack = newTestStack('eks-platform');
    const cluster = newTestCluster(stack, {}, 'C'.repeat(120));
    const set = cluster.addProfileSet('Teams', { selectors: namespaces(6) });

    for (const name of set.profileNames) {
      expect(name.length).toBeLessThanOrEqual(100);
      expect(name).toMatch(/^[0-9A-Za-z][0-9A-Za-z_-]*$/);
      expect(name.toLowerCase().startsWith('eks-')).toBe(false);
    }
    const again = newTestStack('eks-platform');
    expect(newTestCluster(again, {}, 'C'.repeat(120)).addProfileSet('Teams', { selectors: namespaces(6) }).profileNames)
      .toEqual(set.profileNames);
  });

  test('renames only the profile whose selectors changed', () => {
    const before = newTestStack();
    const original = newTestCluster(before).addProfileSet('Teams', { selectors: namespaces(7) });
    const after = newTestStack();
    const edited = newTestCluster(after).addProfileSet('Teams', {
      selectors: [...namespaces(6), { namespace: 'team-7', labels: { tier: 'batch' } }],
    });

    expect(edited.profileNames[0]).toEqual(original.profileNames[0]);
    expect(edited.profileNames[1]).not.toEqual(original.profileNames[1]);
  });

  test('uses the profile name prefix given', () => {
    const stack = newTestStack();
    const set = newTestCluster(stack).addProfileSet('Etl', { profileNamePrefix: 'etl', selectors: [{ namespace: 'flow' }] });

    expect(set.profileNames[0]).toMatch(/^etl-[0-9a-f]{8}$/);
  });

  test('uses the subnets selected and the role given', () => {
    const stack = newTestStack();
    const vpc = new ec2.Vpc(stack, 'Network', {
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'App', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'Jobs', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });
    const role = new iam.Role(stack, 'JobsRole', { assumedBy: new iam.ServicePrincipal('eks-fargate-pods.amazonaws.com') });
    const cluster = newTestCluster(stack, { vpc });

    const set = cluster.addProfileSet('Jobs', { selectors: [{ namespace: 'jobs' }], vpcSubnets: { subnetGroupName: 'Jobs' }, podExecutionRole: role });

    const jobsSubnets = vpc.selectSubnets({ subnetGroupName: 'Jobs' }).subnets;
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::FargateProfile', {
      FargateProfileName: set.profileNames[0],
      Subnets: jobsSubnets.map(subnet => ({ Ref: stack.getLogicalId(subnet.node.defaultChild as ec2.CfnSubnet) })),
      PodExecutionRoleArn: { 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as iam.CfnRole), 'Arn'] },
    });
    expect(set.podExecutionRole).toBe(role);
  });

  test('propagates tags to its profiles', () => {
    const stack = newTestStack();
    newTestCluster(stack).addProfileSet('Etl', { selectors: [{ namespace: 'flow' }], tags: { costCenter: 'etl' } });

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::FargateProfile', {
      Selectors: [{ Namespace: 'flow' }],
      Tags: [{ Key: 'costCenter', Value: 'etl' }],
    });
  });

  test('matches pods the way EKS does: any selector, namespace and every label, with wildcards', () => {
    const stack = newTestStack();
    const set = newTestCluster(stack).addProfileSet('Etl', {
      selectors: [{ namespace: 'flow', labels: { infrastructure: 'fargate' } }, { namespace: 'team-?' }, { namespace: 'batch-*' }],
    });

    expect(set.matches('flow', { infrastructure: 'fargate', app: 'etl' })).toBe(true);
    expect(set.matches('flow', { app: 'etl' })).toBe(false);
    expect(set.matches('flow')).toBe(false);
    expect(set.matches('team-a')).toBe(true);
    expect(set.matches('team-ab')).toBe(false);
    expect(set.matches('batch-nightly')).toBe(true);
    expect(set.matches('web')).toBe(false);
  });

  test('on an imported cluster creates a pod execution role scoped to that cluster', () => {
    const stack = newTestStack();
    const vpc = new ec2.Vpc(stack, 'Network');
    const cluster = FargateCluster.fromClusterAttributes(stack, 'Legacy', { clusterName: 'legacy', vpc, authenticationMode: eks.AuthenticationMode.API_AND_CONFIG_MAP });

    new FargateProfileSet(stack, 'Etl', { cluster, selectors: [{ namespace: 'flow' }] });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Condition: { ArnLike: { 'aws:SourceArn': Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':eks:eu-west-1:111122223333:fargateprofile/legacy/*'])] }) } },
        })],
      },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::FargateProfile', { ClusterName: 'legacy' });
  });

  test('uses the pod execution role of an imported cluster', () => {
    const stack = newTestStack();
    const role = iam.Role.fromRoleArn(stack, 'PodRole', 'arn:aws:iam::111122223333:role/legacy-pods');
    const cluster = FargateCluster.fromClusterAttributes(stack, 'Legacy', {
      clusterName: 'legacy', vpc: new ec2.Vpc(stack, 'Network'), podExecutionRole: role, authenticationMode: eks.AuthenticationMode.API,
    });

    new FargateProfileSet(stack, 'Etl', { cluster, selectors: [{ namespace: 'flow' }] });

    Template.fromStack(stack).hasResourceProperties('AWS::EKS::FargateProfile', { PodExecutionRoleArn: 'arn:aws:iam::111122223333:role/legacy-pods' });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
  });

});

describe('FargateProfileSet.fromEksctlConfig', () => {
  const eksctlYaml = fs.readFileSync(path.join(__dirname, 'fixtures', 'eksctl', 'fargate-cluster.yaml'), 'utf-8');

  function legacyCluster(stack: Stack) {
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Network', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
      privateSubnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
    });
    return FargateCluster.fromClusterAttributes(stack, 'Legacy', {
      clusterName: 'fargate-cluster', vpc, authenticationMode: eks.AuthenticationMode.API_AND_CONFIG_MAP,
    });
  }

  test('creates one profile per eksctl profile, keeping selectors, subnets, role and tags, named after it', () => {
    const stack = newTestStack();

    const set = FargateProfileSet.fromEksctlConfig(stack, 'FromEksctl', legacyCluster(stack), eksctlYaml);

    expect(set.profileNames).toHaveLength(2);
    expect(set.profileNames[0]).toMatch(/^fp-default-[0-9a-f]{8}$/);
    expect(set.profileNames[1]).toMatch(/^fp-dev-[0-9a-f]{8}$/);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::FargateProfile', {
      FargateProfileName: set.profileNames[0],
      Selectors: [{ Namespace: 'default' }, { Namespace: 'kube-system' }],
      Subnets: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
    });
    template.hasResourceProperties('AWS::EKS::FargateProfile', {
      FargateProfileName: set.profileNames[1],
      Selectors: [{ Namespace: 'dev', Labels: Match.arrayWith([{ Key: 'env', Value: 'dev' }, { Key: 'checks', Value: 'passed' }]) }],
      Subnets: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
      PodExecutionRoleArn: 'arn:aws:iam::123456789012:role/dev-fargate-pods',
      Tags: [{ Key: 'team', Value: 'platform' }],
    });
    expect(set.matches('dev', { env: 'dev', checks: 'passed' })).toBe(true);
  });

  test('reports the sections of the config it ignores', () => {
    const stack = newTestStack();

    FargateProfileSet.fromEksctlConfig(stack, 'FromEksctl', legacyCluster(stack), eksctlYaml);

    Annotations.fromStack(stack).hasWarning('/Test/FromEksctl', Match.stringLikeRegexp('eksctl ClusterConfig: ClusterConfig sections `nodeGroups` are ignored'));
  });

});
