import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { FargateCluster, FargateProfileSet } from '../lib';
import { newTestCluster, newTestStack } from './helpers/test-stack';

describe('synth-time validation', () => {
  describe('FargateProfileSet', () => {
    test('refuses a profile name prefix starting with eks-', () => {
      const cluster = newTestCluster(newTestStack());

      expect(() => cluster.addProfileSet('Etl', { profileName: 'eks-etl', selectors: [{ namespace: 'flow' }] }))
        .toThrow(/Test\/Cluster\/Etl: `profileName` 'eks-etl' starts with 'eks-', a prefix EKS reserves for its own profiles\. Choose another prefix\./);
    });

    test('refuses a profile name prefix too long for the hash suffix', () => {
      const cluster = newTestCluster(newTestStack());

      expect(() => cluster.addProfileSet('Etl', { profileName: 'p'.repeat(92), selectors: [{ namespace: 'flow' }] }))
        .toThrow(/Test\/Cluster\/Etl: `profileName` 'p{92}' has 92 characters; it must have 1 to 91 \(EKS allows 100 .*\)\. Use a shorter prefix\./);
    });

    test('refuses a profile name prefix with characters EKS rejects', () => {
      const cluster = newTestCluster(newTestStack());

      expect(() => cluster.addProfileSet('Etl', { profileName: 'etl.jobs', selectors: [{ namespace: 'flow' }] }))
        .toThrow(/`profileName` 'etl\.jobs' is not a valid Fargate profile name: it must start with a letter or digit and hold only letters, digits, '-' and '_'/);
    });

    test('refuses a selector with six labels', () => {
      const cluster = newTestCluster(newTestStack());
      const labels = { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' };

      expect(() => cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow', labels }] }))
        .toThrow(/Test\/Cluster\/Etl: `selectors\[0\]\.labels` has 6 labels; a Fargate profile selector takes at most 5 \(EKS quota\)\. Split the selector/);
    });

    test('refuses namespace Bad_NS and suggests a valid one', () => {
      const cluster = newTestCluster(newTestStack());

      expect(() => cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow' }, { namespace: 'Bad_NS' }] }))
        .toThrow(/Test\/Cluster\/Etl: `selectors\[1\]\.namespace` is 'Bad_NS'; a Kubernetes namespace is a DNS label: 1 to 63 lowercase .* Use e\.g\. 'bad-ns'\./);
    });

    test('refuses a namespace over 63 characters', () => {
      const cluster = newTestCluster(newTestStack());

      expect(() => cluster.addProfileSet('Etl', { selectors: [{ namespace: 'n'.repeat(64) }] }))
        .toThrow(/`selectors\[0\]\.namespace` is 'n{64}'; a Kubernetes namespace is a DNS label: 1 to 63/);
    });

    test('accepts wildcards in namespaces and labels', () => {
      const cluster = newTestCluster(newTestStack());

      expect(() => cluster.addProfileSet('Etl', { selectors: [{ namespace: 'team-*', labels: { 'app.kubernetes.io/*': 'etl-?' } }] }))
        .not.toThrow();
    });

    test('refuses empty selectors', () => {
      const cluster = newTestCluster(newTestStack());

      expect(() => cluster.addProfileSet('Etl', { selectors: [] }))
        .toThrow(/Test\/Cluster\/Etl: `selectors` is empty; a Fargate profile needs at least one selector .* Add `\{ namespace: 'my-namespace' \}`\./);
    });

    test('refuses a label key with invalid syntax', () => {
      const cluster = newTestCluster(newTestStack());

      expect(() => cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow', labels: { '-tier': 'batch' } }] }))
        .toThrow(/`selectors\[0\]\.labels` key '-tier' is not a valid Kubernetes label key/);
    });

    test('refuses a label value with invalid syntax', () => {
      const cluster = newTestCluster(newTestStack());

      expect(() => cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow', labels: { tier: 'batch jobs' } }] }))
        .toThrow(/`selectors\[0\]\.labels` value 'batch jobs' of key 'tier' is not a valid Kubernetes label value/);
    });

    test('reports every problem of a set in one error', () => {
      const cluster = newTestCluster(newTestStack());

      expect(() => cluster.addProfileSet('Etl', { profileName: 'eks-x', selectors: [{ namespace: 'Bad_NS' }] }))
        .toThrow(/starts with 'eks-'[^]*'Bad_NS'/);
    });

    test('refuses a known public subnet', () => {
      const stack = newTestStack();
      const cluster = newTestCluster(stack);

      expect(() => cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow' }], subnets: { subnetType: ec2.SubnetType.PUBLIC } }))
        .toThrow(/Test\/Cluster\/Etl: `subnets` selects public subnet Test\/Cluster\/Vpc\/PublicSubnet1; Fargate runs pods only in private subnets .* Select private subnets/);
    });

    test('refuses a public subnet of an imported VPC by its id', () => {
      const stack = newTestStack();
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Network', {
        vpcId: 'vpc-1234',
        availabilityZones: ['eu-west-1a'],
        publicSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'],
        privateSubnetIds: ['subnet-0bbbbbbbbbbbbbbb2'],
      });
      const cluster = FargateCluster.fromClusterAttributes(stack, 'Legacy', { clusterName: 'legacy', vpc, authenticationMode: eks.AuthenticationMode.API_AND_CONFIG_MAP });

      expect(() => new FargateProfileSet(stack, 'Etl', {
        cluster,
        selectors: [{ namespace: 'flow' }],
        subnets: { subnets: [ec2.Subnet.fromSubnetId(stack, 'Picked', 'subnet-0aaaaaaaaaaaaaaa1')] },
      })).toThrow(/Test\/Etl: `subnets` selects public subnet 'subnet-0aaaaaaaaaaaaaaa1'/);
    });

    test('requires subnets on an imported cluster without a VPC', () => {
      const stack = newTestStack();
      const cluster = FargateCluster.fromClusterAttributes(stack, 'Legacy', { clusterName: 'legacy', authenticationMode: eks.AuthenticationMode.API });

      expect(() => new FargateProfileSet(stack, 'Etl', { cluster, selectors: [{ namespace: 'flow' }] }))
        .toThrow(/Test\/Etl: `subnets` must list the subnets .* because the imported cluster has no `vpc`/);
    });

    test('refuses two sets that would give a profile the same name', () => {
      const cluster = newTestCluster(newTestStack());
      cluster.addProfileSet('A', { profileName: 'etl', selectors: [{ namespace: 'flow' }] });

      expect(() => cluster.addProfileSet('B', { profileName: 'etl', selectors: [{ namespace: 'flow' }] }))
        .toThrow(/Test\/Cluster\/B: Fargate profile name 'etl-[0-9a-f]{8}' is already used by Test\/Cluster\/A; profile names must be unique/);
    });

    test('warns when the cluster passes 10 profiles (EKS quota)', () => {
      const stack = newTestStack();
      const cluster = newTestCluster(stack);
      cluster.addProfileSet('Teams', { selectors: Array.from({ length: 50 }, (_, index) => ({ namespace: `team-${index}` })) });

      Annotations.fromStack(stack).hasWarning('/Test/Cluster/Teams',
        Match.stringLikeRegexp('The cluster now has 11 Fargate profiles; EKS allows 10 a cluster by default'));
    });

    test('does not warn at exactly 10 profiles', () => {
      const stack = newTestStack();
      const cluster = newTestCluster(stack);
      cluster.addProfileSet('Teams', { selectors: Array.from({ length: 45 }, (_, index) => ({ namespace: `team-${index}` })) });

      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('Fargate profiles; EKS allows 10'));
    });

    test('warns about selectors that overlap across profiles, naming the profile EKS picks', () => {
      const stack = newTestStack();
      const cluster = newTestCluster(stack);
      cluster.addProfileSet('Web', { selectors: [{ namespace: 'default', labels: { app: 'web' } }] });

      Annotations.fromStack(stack).hasWarning('/Test/Cluster/Web', Match.stringLikeRegexp(
        "Selector 'default' \\{app=web\\} of profile 'Test-Cluster-Web-[0-9a-f]+' overlaps selector 'default' of profile "
        + "'Test-Cluster-DefaultProfile-[0-9a-f]+' .*EKS schedules a pod matching both with the first profile by name"));
    });

    test('does not warn about disjoint selectors', () => {
      const stack = newTestStack();
      const cluster = newTestCluster(stack);
      cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow', labels: { infrastructure: 'fargate' } }] });

      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('overlaps selector'));
    });
  });

  describe('FargateCluster', () => {
    test('refuses CONFIG_MAP authentication on a cluster it creates', () => {
      expect(() => newTestCluster(newTestStack(), { authenticationMode: eks.AuthenticationMode.CONFIG_MAP }))
        .toThrow(/Test\/Cluster: `authenticationMode` is CONFIG_MAP; a cluster made by this library uses access entries .* Use `eks\.AuthenticationMode\.API_AND_CONFIG_MAP`/);
    });

    test('refuses a VPC of this app without DNS hostnames', () => {
      const stack = newTestStack();
      const vpc = new ec2.Vpc(stack, 'Network', { enableDnsHostnames: false });

      expect(() => newTestCluster(stack, { vpc }))
        .toThrow(/Test\/Cluster: `vpc` Test\/Network has enableDnsHostnames false; .* Set `enableDnsHostnames: true`\./);
    });

    test('refuses a VPC of this app without DNS support', () => {
      const stack = newTestStack();
      const vpc = new ec2.Vpc(stack, 'Network', { enableDnsSupport: false, enableDnsHostnames: false });

      expect(() => newTestCluster(stack, { vpc })).toThrow(/`vpc` Test\/Network has enableDnsSupport false; .* Set `enableDnsSupport: true`\./);
    });

    test('refuses an invalid cluster name', () => {
      expect(() => newTestCluster(newTestStack(), { clusterName: 'etl prod' }))
        .toThrow(/Test\/Cluster: `clusterName` 'etl prod' is not a valid EKS cluster name: 1 to 100 letters, digits, '-' and '_'/);
    });

    test('refuses a second access entry for the same principal', () => {
      const cluster = newTestCluster(newTestStack());
      const view = eks.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER });
      cluster.grantAccess('One', 'arn:aws:iam::111122223333:role/ops', [view]);

      expect(() => cluster.grantAccess('Two', 'arn:aws:iam::111122223333:role/ops', [view]))
        .toThrow(/Test\/Cluster\/Two: principal arn:aws:iam::111122223333:role\/ops already has an access entry .* Grant all of its policies in one call\./);
    });
  });
});
