import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AwsAuthBackend, FargateCluster, FargateProfileSet, FargateReadiness, KubernetesObjects, PodExecutionRole, SafeAwsAuth } from '../lib';
import { newTestCluster, newTestStack } from './helpers/test-stack';

/**
 * Every kind of bad input the library refuses (error, thrown at synth before anything deploys) or flags (warning
 * annotation), with the exact message a user sees. README "Bad input" lists the same rules.
 */
interface BadInput {
  readonly name: string;
  readonly build: (stack: Stack) => void;
  /** The thrown error. */
  readonly error?: RegExp;
  /** A warning annotation at `path`. */
  readonly warning?: { readonly path: string; readonly message: string };
  /** An error annotation (readiness) at `path`. */
  readonly annotationError?: { readonly path: string; readonly message: string };
  /** The stack to build in, when not the test stack of eu-west-1. */
  readonly stack?: () => Stack;
}

const role = (stack: Stack, arn: string) => iam.Role.fromRoleArn(stack, `Role${stack.node.children.length}`, arn);
const mergeAuth = (stack: Stack) => new SafeAwsAuth(stack, 'Auth', { cluster: newTestCluster(stack), backend: AwsAuthBackend.CONFIG_MAP });
const importedVpc = (stack: Stack) => ec2.Vpc.fromVpcAttributes(stack, 'Network', {
  vpcId: 'vpc-0123456789abcdef0',
  availabilityZones: ['eu-west-1a'],
  publicSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'],
  privateSubnetIds: ['subnet-0bbbbbbbbbbbbbbb2'],
});
const imported = (stack: Stack, attrs: Partial<Parameters<typeof FargateCluster.fromClusterAttributes>[2]> = {}) =>
  FargateCluster.fromClusterAttributes(stack, 'Legacy', { clusterName: 'legacy', ...attrs });
const withManifest = (stack: Stack, manifest: Record<string, any>) =>
  newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') }).addManifest('Workload', manifest);
const podSpec = (spec: Record<string, any>) => ({ containers: [{ name: 'app', image: 'app', resources: { requests: { cpu: '250m', memory: '512Mi' } } }], ...spec });
const affinityPod = (requirement: Record<string, any>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: podSpec({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [requirement] }] } } },
  }),
});

const CATALOGUE: BadInput[] = [
  // Profile names
  {
    name: 'profile name prefix starting with eks-',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { profileNamePrefix: 'eks-etl', selectors: [{ namespace: 'flow' }] }),
    error: /Test\/Cluster\/Etl: `profileNamePrefix` 'eks-etl' starts with 'eks-', a prefix EKS reserves for its own profiles\. Choose another prefix\./,
  },
  {
    name: 'profile name prefix too long for the hash suffix',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { profileNamePrefix: 'p'.repeat(92), selectors: [{ namespace: 'flow' }] }),
    error: /Test\/Cluster\/Etl: `profileNamePrefix` 'p{92}' has 92 characters; it must have 1 to 91 \(EKS allows 100 .*\)\. Use a shorter prefix\./,
  },
  {
    name: 'profile name prefix with characters EKS rejects',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { profileNamePrefix: 'etl.jobs', selectors: [{ namespace: 'flow' }] }),
    error: /`profileNamePrefix` 'etl\.jobs' is not a valid Fargate profile name: it must start with a letter or digit and hold only letters, digits, '-' and '_'/,
  },
  {
    name: 'two sets that would give a profile the same name',
    build: stack => {
      const cluster = newTestCluster(stack);
      cluster.addProfileSet('A', { profileNamePrefix: 'etl', selectors: [{ namespace: 'flow' }] });
      cluster.addProfileSet('B', { profileNamePrefix: 'etl', selectors: [{ namespace: 'flow' }] });
    },
    error: /Test\/Cluster\/B: Fargate profile name 'etl-[0-9a-f]{8}' is already used by Test\/Cluster\/A; profile names must be unique/,
  },
  // Selectors, namespaces, labels
  {
    name: 'empty selectors',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { selectors: [] }),
    error: /Test\/Cluster\/Etl: `selectors` is empty; a Fargate profile needs at least one selector .* Add `\{ namespace: 'my-namespace' \}`\./,
  },
  {
    name: 'namespace Bad_NS',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { selectors: [{ namespace: 'flow' }, { namespace: 'Bad_NS' }] }),
    error: /Test\/Cluster\/Etl: `selectors\[1\]\.namespace` is 'Bad_NS'; a Kubernetes namespace is a DNS label: 1 to 63 lowercase .* Use e\.g\. 'bad-ns'\./,
  },
  {
    name: 'namespace over 63 characters',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { selectors: [{ namespace: 'n'.repeat(64) }] }),
    error: /`selectors\[0\]\.namespace` is 'n{64}'; a Kubernetes namespace is a DNS label: 1 to 63/,
  },
  {
    name: 'six labels on a selector',
    build: stack => newTestCluster(stack).addProfileSet('Etl', {
      selectors: [{ namespace: 'flow', labels: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } }],
    }),
    error: /Test\/Cluster\/Etl: `selectors\[0\]\.labels` has 6 labels; a Fargate profile selector takes at most 5 \(EKS quota\)\. Split the selector/,
  },
  {
    name: 'label key with invalid syntax',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { selectors: [{ namespace: 'flow', labels: { '-tier': 'batch' } }] }),
    error: /`selectors\[0\]\.labels` key '-tier' is not a valid Kubernetes label key/,
  },
  {
    name: 'label value with invalid syntax',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { selectors: [{ namespace: 'flow', labels: { tier: 'batch jobs' } }] }),
    error: /`selectors\[0\]\.labels` value 'batch jobs' of key 'tier' is not a valid Kubernetes label value/,
  },
  {
    name: 'more than 10 profiles in a cluster (quota)',
    build: stack => newTestCluster(stack).addProfileSet('Teams', { selectors: Array.from({ length: 50 }, (_, index) => ({ namespace: `team-${index}` })) }),
    warning: { path: '/Test/Cluster/Teams', message: 'The cluster now has 11 Fargate profiles; EKS allows 10 a cluster by default' },
  },
  {
    name: 'selectors overlapping across profiles',
    build: stack => newTestCluster(stack).addProfileSet('Web', { selectors: [{ namespace: 'default', labels: { app: 'web' } }] }),
    warning: { path: '/Test/Cluster/Web', message: "Selector 'default' \\{app=web\\} of profile .* overlaps selector 'default' of profile .*EKS schedules a pod matching both with the first profile by name" },
  },
  // Subnets
  {
    name: 'a public subnet of the cluster VPC',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { selectors: [{ namespace: 'flow' }], vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }),
    error: /Test\/Cluster\/Etl: `subnets` selects public subnet Test\/Cluster\/Vpc\/PublicSubnet1; Fargate runs pods only in private subnets .* Select private subnets/,
  },
  {
    name: 'a public subnet of an imported VPC, picked by id',
    build: stack => new FargateProfileSet(stack, 'Etl', {
      cluster: imported(stack, { vpc: importedVpc(stack), authenticationMode: eks.AuthenticationMode.API }),
      selectors: [{ namespace: 'flow' }],
      vpcSubnets: { subnets: [ec2.Subnet.fromSubnetId(stack, 'Picked', 'subnet-0aaaaaaaaaaaaaaa1')] },
    }),
    error: /Test\/Etl: `subnets` selects public subnet 'subnet-0aaaaaaaaaaaaaaa1'/,
  },
  {
    name: 'subnets of an imported VPC (cannot be verified)',
    build: stack => new FargateProfileSet(stack, 'Etl', {
      cluster: imported(stack, { vpc: importedVpc(stack), authenticationMode: eks.AuthenticationMode.API }),
      selectors: [{ namespace: 'flow' }],
    }),
    warning: { path: '/Test/Etl', message: "Subnets 'subnet-0bbbbbbbbbbbbbbb2' come from an imported VPC, so this app cannot verify that they are private" },
  },
  {
    name: 'imported cluster without a VPC and no subnets',
    build: stack => new FargateProfileSet(stack, 'Etl', { cluster: imported(stack, { authenticationMode: eks.AuthenticationMode.API }), selectors: [{ namespace: 'flow' }] }),
    error: /Test\/Etl: `vpcSubnets` must list the subnets .* because the imported cluster has no `vpc`/,
  },
  // Cluster
  {
    name: 'CONFIG_MAP authentication on a cluster the library creates',
    build: stack => newTestCluster(stack, { authenticationMode: eks.AuthenticationMode.CONFIG_MAP }),
    error: /Test\/Cluster: `authenticationMode` is CONFIG_MAP; a cluster made by this library uses access entries .* Use `eks\.AuthenticationMode\.API_AND_CONFIG_MAP`/,
  },
  {
    name: 'a VPC of this app without DNS hostnames',
    build: stack => newTestCluster(stack, { vpc: new ec2.Vpc(stack, 'Network', { enableDnsHostnames: false }) }),
    error: /Test\/Cluster: `vpc` Test\/Network has enableDnsHostnames false; .* Set `enableDnsHostnames: true`\./,
  },
  {
    name: 'a VPC of this app without DNS support',
    build: stack => newTestCluster(stack, { vpc: new ec2.Vpc(stack, 'Network', { enableDnsSupport: false, enableDnsHostnames: false }) }),
    error: /`vpc` Test\/Network has enableDnsSupport false; .* Set `enableDnsSupport: true`\./,
  },
  {
    name: 'an invalid cluster name',
    build: stack => newTestCluster(stack, { clusterName: 'etl prod' }),
    error: /Test\/Cluster: `clusterName` 'etl prod' is not a valid EKS cluster name: 1 to 100 letters, digits, '-' and '_'/,
  },
  {
    name: 'a cluster nobody can administer',
    build: stack => newTestCluster(stack),
    warning: { path: '/Test/Cluster', message: 'The cluster has no administrator' },
  },
  {
    name: 'a second access entry for one principal',
    build: stack => {
      const cluster = newTestCluster(stack);
      const view = eks.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER });
      cluster.grantAccess('One', 'arn:aws:iam::111122223333:role/ops', [view]);
      cluster.grantAccess('Two', 'arn:aws:iam::111122223333:role/ops', [view]);
    },
    error: /Test\/Cluster\/Two: principal arn:aws:iam::111122223333:role\/ops already has an access entry .* Grant all of its policies in one call\./,
  },
  {
    name: 'no profile for CoreDNS',
    build: stack => newTestCluster(stack, { defaultProfile: false }),
    warning: { path: '/Test/Cluster/CoreDns', message: 'No Fargate profile selects the CoreDNS pods' },
  },
  // Versions
  {
    name: 'a version past EKS extended support',
    build: stack => newTestCluster(stack, { version: eks.KubernetesVersion.V1_29 }),
    warning: { path: '/Test/Cluster', message: 'Kubernetes 1.29 is past the end of EKS extended support' },
  },
  {
    name: 'a version in extended support with supportType STANDARD',
    build: stack => newTestCluster(stack, { version: eks.KubernetesVersion.V1_32 }),
    warning: { path: '/Test/Cluster', message: 'Kubernetes 1.32 is in EKS extended support .* `supportType` is STANDARD' },
  },
  {
    name: 'the default kubectl layer far from the cluster version (Helm charts only)',
    build: stack => newTestCluster(stack).addHelmChart('Chart', { chart: 'app', repository: 'https://charts.example.com' }),
    warning: { path: '/Test/Cluster', message: 'The default kubectl layer is kubectl 1.29.*Only Helm charts use the layer.*Install @aws-cdk/lambda-layer-kubectl-v34' },
  },
  // Logging
  {
    name: 'a logging output plugin Fargate does not support',
    build: stack => newTestCluster(stack, { fargateLogging: { outputConf: '[OUTPUT]\n    Name stdout\n    Match *\n' } }),
    error: /Test\/Cluster\/FargateLogging: Fargate logging ConfigMap `aws-logging`, key `output.conf`: .*stdout/,
  },
  {
    name: 'a logging configuration over 5,300 characters',
    build: stack => newTestCluster(stack, {
      fargateLogging: { filtersConf: Array.from({ length: 120 }, (_, index) => `[FILTER]\n    Name grep\n    Match *\n    Exclude log noise-${index}\n`).join('') },
    }),
    error: /Test\/Cluster\/FargateLogging: .*5,?300/,
  },
  {
    name: 'a logging section of the wrong kind',
    build: stack => newTestCluster(stack, { fargateLogging: { filtersConf: '[OUTPUT]\n    Name cloudwatch_logs\n    Match *\n' } }),
    error: /Test\/Cluster\/FargateLogging: Fargate logging ConfigMap `aws-logging`, key `filters.conf`/,
  },
  // Identity mappings
  {
    name: 'a system: group other than masters or nodes as an access entry',
    build: stack => newTestCluster(stack).awsAuth.addRoleMapping(role(stack, 'arn:aws:iam::111122223333:role/x'), { groups: ['system:monitoring'] }),
    error: /Test\/Cluster\/AwsAuth: mapping of arn:aws:iam::111122223333:role\/x has group\(s\) system:monitoring; EKS access entries reject Kubernetes groups that start with `system:`/,
  },
  {
    name: 'addAccount on access entries',
    build: stack => newTestCluster(stack).awsAuth.addAccount('444455556666'),
    error: /Test\/Cluster\/AwsAuth: `addAccount\('444455556666'\)` has no access-entry equivalent/,
  },
  {
    name: 'a username EKS reserves',
    build: stack => newTestCluster(stack).awsAuth.addRoleMapping(role(stack, 'arn:aws:iam::111122223333:role/x'), { groups: ['ops'], username: 'eks:ops' }),
    error: /has username 'eks:ops'; EKS access entries reject usernames that start with system:, eks:/,
  },
  {
    name: 'node groups mixed with other groups',
    build: stack => newTestCluster(stack).awsAuth.addRoleMapping(role(stack, 'arn:aws:iam::111122223333:role/nodes'), { groups: ['system:bootstrappers', 'system:nodes', 'ops'] }),
    error: /joins node groups with ops; an EC2_LINUX access entry takes no other groups/,
  },
  {
    name: 'access entries on a cluster in CONFIG_MAP mode',
    build: stack => new SafeAwsAuth(stack, 'Auth', { cluster: imported(stack, { authenticationMode: eks.AuthenticationMode.CONFIG_MAP }), backend: AwsAuthBackend.ACCESS_ENTRIES }),
    error: /Test\/Auth: `backend` is ACCESS_ENTRIES but the cluster is in CONFIG_MAP mode/,
  },
  {
    name: 'the aws-auth merge on a cluster in API mode',
    build: stack => new SafeAwsAuth(stack, 'Auth', { cluster: newTestCluster(stack, { authenticationMode: eks.AuthenticationMode.API }), backend: AwsAuthBackend.CONFIG_MAP }),
    error: /Test\/Auth: `backend` is CONFIG_MAP but the cluster is in API mode, where EKS ignores aws-auth/,
  },
  {
    name: 'a handler role given to the access-entry backend',
    build: stack => new SafeAwsAuth(stack, 'Auth', { cluster: newTestCluster(stack), handlerRole: role(stack, 'arn:aws:iam::111122223333:role/editor') }),
    error: /Test\/Auth: `handlerRole` only applies to the CONFIG_MAP backend/,
  },
  {
    name: 'an aws-auth mapping on a CONFIG_MAP cluster without a handler role',
    build: stack => imported(stack, { authenticationMode: eks.AuthenticationMode.CONFIG_MAP }).awsAuth.addAccount('444455556666'),
    error: /Test\/Legacy\/AwsAuth: `handlerRole` is required for a cluster in CONFIG_MAP mode/,
  },
  {
    name: 'a profile set on an imported cluster of unknown mode without a handler role',
    build: stack => new FargateProfileSet(stack, 'Etl', { cluster: imported(stack, { vpc: new ec2.Vpc(stack, 'Network') }), selectors: [{ namespace: 'flow' }] }),
    error: /Test\/Legacy\/AwsAuth: `handlerRole` is required for a cluster in CONFIG_MAP mode \(or of unknown mode\)/,
  },
  {
    name: 'a private endpoint on an imported cluster without a VPC, for the aws-auth handler',
    build: stack => imported(stack, {
      authenticationMode: eks.AuthenticationMode.CONFIG_MAP,
      endpointAccess: eks.EndpointAccess.PRIVATE,
      awsAuthHandlerRole: role(stack, 'arn:aws:iam::111122223333:role/editor'),
    }).awsAuth.addAccount('444455556666'),
    error: /the aws-auth handler must run in the cluster VPC, but the imported cluster has no `vpc`/,
  },
  {
    name: 'a role ARN with a path',
    build: stack => mergeAuth(stack).addRoleMapping(role(stack, 'arn:aws:iam::111122223333:role/team/ops'), { groups: ['ops'] }),
    error: /Test\/Auth: role ARN 'arn:aws:iam::111122223333:role\/team\/ops' has a path; .* Use 'arn:...:role\/ops'\./,
  },
  {
    name: 'an assumed-role ARN as a role mapping',
    build: stack => mergeAuth(stack).addRoleMapping({ roleArn: 'arn:aws:sts::111122223333:assumed-role/ops/me' } as iam.IRole, { groups: ['ops'] }),
    error: /role ARN 'arn:aws:sts::111122223333:assumed-role\/ops\/me' is not an IAM role ARN/,
  },
  {
    name: 'a malformed user ARN',
    build: stack => mergeAuth(stack).addUserMapping({ userArn: 'arn:aws:iam::111122223333:group/devs' } as iam.IUser, { groups: ['dev'] }),
    error: /user ARN 'arn:aws:iam::111122223333:group\/devs' is not an IAM user ARN/,
  },
  {
    name: 'a mapping with neither groups nor username',
    build: stack => mergeAuth(stack).addUserMapping(iam.User.fromUserArn(stack, 'U', 'arn:aws:iam::111122223333:user/dev'), { groups: [] }),
    error: /mapping of arn:aws:iam::111122223333:user\/dev has no groups and no username, so it grants nothing/,
  },
  {
    name: 'an empty group name',
    build: stack => mergeAuth(stack).addUserMapping(iam.User.fromUserArn(stack, 'U', 'arn:aws:iam::111122223333:user/dev'), { groups: [' '] }),
    error: /mapping of arn:aws:iam::111122223333:user\/dev has an empty group name/,
  },
  {
    name: 'an account id that is not 12 digits',
    build: stack => mergeAuth(stack).addAccount('12345'),
    error: /Test\/Auth: account '12345' is not a 12-digit AWS account id/,
  },
  {
    name: 'two different mappings of one ARN',
    build: stack => {
      const auth = mergeAuth(stack);
      const ops = role(stack, 'arn:aws:iam::111122223333:role/ops');
      auth.addRoleMapping(ops, { groups: ['ops'] });
      auth.addRoleMapping(ops, { groups: ['admins'] });
    },
    error: /arn:aws:iam::111122223333:role\/ops is already mapped with groups \[ops\]; aws-auth holds one mapping an ARN/,
  },
  // eksctl migration
  {
    name: 'a malformed eksctl config',
    build: stack => FargateProfileSet.fromEksctlConfig(stack, 'FromEksctl', imported(stack, { vpc: importedVpc(stack), authenticationMode: eks.AuthenticationMode.API }),
      'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nfargateProfiles:\n  - name: fp\n    selectors:\n      - labels: {a: b}\n'),
    error: /Test\/FromEksctl: eksctl ClusterConfig: .*fargateProfiles\[0\]\.selectors\[0\]\.namespace/,
  },
  // Workloads Fargate cannot run
  {
    name: 'a DaemonSet on a Fargate-only cluster',
    build: stack => withManifest(stack, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: { template: { spec: podSpec({}) } } }),
    annotationError: { path: '/Test/Cluster/Workload', message: 'readiness-daemonset.*DaemonSet default/agent' },
  },
  {
    name: 'a pod larger than Fargate\'s largest size',
    build: stack => withManifest(stack, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'big', namespace: 'default' },
      spec: { containers: [{ name: 'app', image: 'app', resources: { requests: { cpu: '17', memory: '64Gi' } } }] },
    }),
    annotationError: { path: '/Test/Cluster/Workload', message: 'readiness-pod-size.*Pod default/big' },
  },
  {
    name: 'a pod in a namespace no profile selects',
    build: stack => withManifest(stack, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lost', namespace: 'nowhere' }, spec: podSpec({}) }),
    warning: { path: '/Test/Cluster/Workload', message: 'Pod nowhere/lost' },
  },
  // Input rules of issue 11: selectors from JavaScript, label limits of the CloudFormation schema
  {
    name: 'selectors undefined from JavaScript',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { selectors: undefined as any }),
    error: /Test\/Cluster\/Etl: `selectors` is undefined; it must be a list of selectors such as `\[\{ namespace: 'my-namespace' \}\]`/,
  },
  {
    name: 'a null selector from JavaScript',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { selectors: [null as any] }),
    error: /Test\/Cluster\/Etl: `selectors\[0\]` is null; a selector is an object such as `\{ namespace: 'my-namespace' \}`/,
  },
  {
    name: 'a selector without a namespace from JavaScript',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { selectors: [{} as any] }),
    error: /Test\/Cluster\/Etl: `selectors\[0\]\.namespace` is undefined; every selector needs a namespace/,
  },
  {
    name: 'an empty label value',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { selectors: [{ namespace: 'flow', labels: { tier: '' } }] }),
    error: /Test\/Cluster\/Etl: `selectors\[0\]\.labels` value of key 'tier' is empty; a Fargate profile label value has 1 to 255 characters/,
  },
  {
    name: 'a label key over 127 characters',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { selectors: [{ namespace: 'flow', labels: { [`${'a'.repeat(70)}/${'b'.repeat(60)}`]: 'x' } }] }),
    error: /`selectors\[0\]\.labels` key 'a{70}\/b{60}' has 131 characters; a Fargate profile label key has at most 127 \(CloudFormation AWS::EKS::FargateProfile schema\)/,
  },
  {
    name: 'a label key prefix that is not a DNS subdomain',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { selectors: [{ namespace: 'flow', labels: { 'example..com/tier': 'web' } }] }),
    error: /`selectors\[0\]\.labels` key 'example\.\.com\/tier' is not a valid Kubernetes label key: an optional DNS-subdomain prefix/,
  },
  // Cluster props
  {
    name: 'a version that is not 1.NN',
    build: stack => newTestCluster(stack, { version: eks.KubernetesVersion.of('abc') }),
    error: /Test\/Cluster: `version` is "abc"; EKS takes a Kubernetes version of the form 1\.NN\. Use e\.g\. `eks\.KubernetesVersion\.V1_34`/,
  },
  {
    name: 'an endpoint CIDR that is not IPv4 CIDR syntax',
    build: stack => newTestCluster(stack, { endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('10.0.0.300/24') }),
    error: /Test\/Cluster: `endpointAccess` allows "10\.0\.0\.300\/24", which is not an IPv4 CIDR block/,
  },
  {
    name: 'more than 40 endpoint CIDRs',
    build: stack => newTestCluster(stack, { endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...Array.from({ length: 41 }, (_, i) => `10.${i}.0.0/16`)) }),
    error: /Test\/Cluster: `endpointAccess` allows 41 CIDR blocks; EKS takes at most 40 for the public endpoint \(quota\)/,
  },
  {
    name: 'an unknown supportType from JavaScript',
    build: stack => newTestCluster(stack, { supportType: 'PREMIUM' as any }),
    error: /Test\/Cluster: `supportType` is "PREMIUM", which is not one of STANDARD, EXTENDED\. Use the enum member\./,
  },
  {
    name: 'an unknown authenticationMode from JavaScript',
    build: stack => newTestCluster(stack, { authenticationMode: 'IAM' as any }),
    error: /Test\/Cluster: `authenticationMode` is "IAM", which is not one of CONFIG_MAP, API_AND_CONFIG_MAP, API/,
  },
  {
    name: 'an unknown SafeAwsAuth backend from JavaScript',
    build: stack => new SafeAwsAuth(stack, 'Auth', { cluster: newTestCluster(stack), backend: 'AWS_AUTH' as any }),
    error: /Test\/Auth: `backend` is "AWS_AUTH", which is not one of ACCESS_ENTRIES, CONFIG_MAP\. Use the enum member\./,
  },
  {
    name: 'an unknown authenticationMode of an imported cluster from JavaScript',
    build: stack => imported(stack, { authenticationMode: 'api' as any }),
    error: /Test\/Legacy: `authenticationMode` is "api", which is not one of CONFIG_MAP, API_AND_CONFIG_MAP, API\./,
  },
  {
    name: 'an unknown clusterLogging type from JavaScript',
    build: stack => newTestCluster(stack, { clusterLogging: ['API' as any] }),
    error: /Test\/Cluster: `clusterLogging\[0\]` is "API", which is not one of API \("api"\), AUDIT \("audit"\)/,
  },
  {
    name: 'a log retention that is not a RetentionDays value from JavaScript',
    build: stack => newTestCluster(stack, { clusterLogRetention: 45 as any }),
    error: /Test\/Cluster: `clusterLogRetention` is 45, which is not one of ONE_DAY \(1\), THREE_DAYS \(3\), .*INFINITE \(9999\)/,
  },
  {
    name: 'an unknown log group removal policy from JavaScript',
    build: stack => newTestCluster(stack, { clusterLogRemovalPolicy: 'RETAIN' as any }),
    error: /Test\/Cluster: `clusterLogRemovalPolicy` is "RETAIN", which is not one of DESTROY \("destroy"\), RETAIN \("retain"\)/,
  },
  {
    name: 'a Fargate logging retention that is not a RetentionDays value from JavaScript',
    build: stack => newTestCluster(stack, { fargateLogging: { retention: 'ONE_WEEK' as any } }),
    error: /Test\/Cluster\/FargateLogging: `retention` is "ONE_WEEK", which is not one of ONE_DAY \(1\)/,
  },
  {
    name: 'an unknown removal policy of Kubernetes objects from JavaScript',
    build: stack => new KubernetesObjects(stack, 'Objects', {
      cluster: newTestCluster(stack),
      manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }],
      removalPolicy: 'keep' as any,
    }),
    error: /Test\/Objects: `removalPolicy` is "keep", which is not one of DESTROY \("destroy"\), RETAIN \("retain"\)/,
  },
  {
    name: 'an unknown removal policy of an EFS volume from JavaScript',
    build: stack => newTestCluster(stack).addEfsVolume('Data', { namespace: 'flow', removalPolicy: 'retain-all' as any }),
    error: /Test\/Cluster\/Data: `removalPolicy` is "retain-all", which is not one of DESTROY \("destroy"\)/,
  },
  {
    name: 'a tag key with the reserved aws: prefix',
    build: stack => newTestCluster(stack, { tags: { 'aws:team': 'platform' } }),
    error: /Test\/Cluster: `tags` key 'aws:team' starts with 'aws:', a prefix AWS reserves for its own tags/,
  },
  {
    name: 'a tag key longer than the Fargate profile schema allows',
    build: stack => newTestCluster(stack, { tags: { ['k'.repeat(128)]: 'v' } }),
    error: /`tags` key 'k{128}' has 128 characters; AWS::EKS::FargateProfile and AWS::EKS::Addon \(CloudFormation schema\) take keys of 1 to 127/,
  },
  {
    name: 'an empty tag value on a profile set',
    build: stack => newTestCluster(stack).addProfileSet('Etl', { selectors: [{ namespace: 'flow' }], tags: { team: '' } }),
    error: /Test\/Cluster\/Etl: `tags` value of key 'team' has 0 characters; AWS::EKS::FargateProfile \(CloudFormation schema\) takes values of 1 to 255\. Give a value, or leave the tag out\./,
  },
  {
    name: 'a cluster tag value longer than the EKS profile and add-on schemas allow, though IAM would take it',
    build: stack => newTestCluster(stack, { tags: { team: 'v'.repeat(256) } }),
    error: /Test\/Cluster: `tags` value of key 'team' has 256 characters; AWS::EKS::FargateProfile and AWS::EKS::Addon \(CloudFormation schema\) take values of 1 to 255\. Shorten it\./,
  },
  {
    name: 'a cluster tag key over every schema\'s limit names each resource type and its limit',
    build: stack => newTestCluster(stack, { tags: { ['k'.repeat(129)]: 'v' } }),
    error: /`tags` key 'k{129}' has 129 characters; AWS::EKS::FargateProfile and AWS::EKS::Addon \(CloudFormation schema\) take keys of 1 to 127; AWS::EKS::Cluster and .*AWS::IAM::Role and .* take keys of 1 to 128\. Use a shorter key\./,
  },
  {
    name: 'maxAzs below two',
    build: stack => newTestCluster(stack, { maxAzs: 1 }),
    error: /Test\/Cluster: `maxAzs` is 1; EKS needs subnets in at least two availability zones and eu-west-1 has 3 \(AWS documentation, as of 2026-12;.*\)\. Use 2 to 3\./,
  },
  {
    name: 'maxAzs above the region\'s zones without context, from the shipped table',
    build: stack => newTestCluster(stack, { maxAzs: 4 }),
    error: /Test\/Cluster: `maxAzs` is 4; EKS needs subnets in at least two availability zones and eu-west-1 has 3 \(AWS documentation, as of 2026-12; if it has more now, put the zones into the `availability-zones:account=...:region=...` context\)\. Use 2 to 3\./,
  },
  {
    name: 'maxAzs above two in a region the table does not know',
    stack: () => new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'xx-east-9' } }),
    build: stack => newTestCluster(stack, { maxAzs: 3 }),
    warning: { path: '/Test/Cluster', message: '`maxAzs` is 3, but xx-east-9 is not in this library\'s table of Availability Zones.*availability-zones:account=111122223333:region=xx-east-9' },
  },
  {
    name: 'maxAzs above two in an environment-agnostic stack',
    stack: () => new Stack(new App(), 'Test'),
    build: stack => newTestCluster(stack, { maxAzs: 3 }),
    warning: { path: '/Test/Cluster', message: '`maxAzs` is 3, but the stack has no explicit region, so the VPC gets the first two zones of Fn::GetAZs' },
  },
  {
    name: 'maxAzs above the region\'s zones in context',
    build: stack => {
      stack.node.setContext('availability-zones:account=111122223333:region=eu-west-1', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
      newTestCluster(stack, { maxAzs: 4 });
    },
    error: /`maxAzs` is 4; .* the region has 3 \(eu-west-1a, eu-west-1b, eu-west-1c\)\. Use 2 to 3\./,
  },
  {
    name: 'no NAT gateways and no VPC endpoints',
    build: stack => newTestCluster(stack, { natGateways: 0 }),
    error: /Test\/Cluster: `natGateways` is 0 without `vpcEndpoints`: the private subnets would have no way out.* Set `vpcEndpoints: true`/,
  },
  {
    name: 'a negative number of NAT gateways',
    build: stack => newTestCluster(stack, { natGateways: -1 }),
    error: /Test\/Cluster: `natGateways` is -1; it counts NAT gateways \(0 or more\)/,
  },
  {
    name: 'a control-plane log group of another name',
    build: stack => newTestCluster(stack, { clusterName: 'etl', clusterLogGroup: logs.LogGroup.fromLogGroupName(stack, 'Logs', '/aws/eks/other/cluster') }),
    error: /Test\/Cluster: `clusterLogGroup` is '\/aws\/eks\/other\/cluster', but EKS writes the control-plane logs of this cluster to '\/aws\/eks\/etl\/cluster'/,
  },
  // Regions
  {
    name: 'a FargateCluster in AWS GovCloud (US)',
    build: stack => newTestCluster(new Stack(stack.node.scope as Construct, 'Gov', { env: { account: '111122223333', region: 'us-gov-west-1' } })),
    error: /Gov\/Cluster: the stack's region is us-gov-west-1; EKS does not offer Fargate in AWS GovCloud \(US\)/,
  },
  {
    name: 'a profile set on an imported cluster in AWS GovCloud (US)',
    build: stack => {
      const gov = new Stack(stack.node.scope as Construct, 'Gov', { env: { account: '111122223333', region: 'us-gov-east-1' } });
      new FargateProfileSet(gov, 'Etl', { cluster: imported(gov, { vpc: importedVpc(gov), authenticationMode: eks.AuthenticationMode.API }), selectors: [{ namespace: 'flow' }] });
    },
    error: /Gov\/Etl: the stack's region is us-gov-east-1; EKS does not offer Fargate in AWS GovCloud \(US\)/,
  },
  // Pod execution roles
  {
    name: 'a profileNamePattern that does not end in *',
    build: stack => new PodExecutionRole(stack, 'PodRole', { clusterName: 'etl', profileNamePattern: 'jobs' }),
    error: /Test: PodExecutionRole 'PodRole': `profileNamePattern` is 'jobs', which matches no Fargate profile.* Use 'jobs\/\*' for one profile or 'jobs\*' for a prefix\./,
  },
  {
    name: 'a pod execution role made for another cluster',
    build: stack => newTestCluster(stack, { clusterName: 'etl' })
      .addProfileSet('Etl', { selectors: [{ namespace: 'flow' }], podExecutionRole: new PodExecutionRole(stack, 'OtherRole', { clusterName: 'web' }) }),
    warning: { path: '/Test/Cluster/Etl', message: 'Test/OtherRole is trusted only by the Fargate profiles of cluster web.*pod-execution-role-cluster' },
  },
  // Access entries
  {
    name: 'an assumed-role session ARN as an access entry',
    build: stack => newTestCluster(stack).awsAuth.addRoleMapping(role(stack, 'arn:aws:sts::111122223333:assumed-role/ops/alice'), { groups: ['ops'] }),
    error: /Test\/Cluster\/AwsAuth: arn:aws:sts::111122223333:assumed-role\/ops\/alice is an STS session ARN; an access entry takes the IAM role/,
  },
  {
    name: 'node groups on an IAM user',
    build: stack => newTestCluster(stack).awsAuth.addUserMapping(iam.User.fromUserArn(stack, 'Bob', 'arn:aws:iam::111122223333:user/bob'),
      { groups: ['system:bootstrappers', 'system:nodes'] }),
    error: /arn:aws:iam::111122223333:user\/bob is an IAM user mapped to the node groups system:bootstrappers and system:nodes/,
  },
  {
    name: 'a node role of another account',
    build: stack => newTestCluster(stack).awsAuth.addRoleMapping(role(stack, 'arn:aws:iam::444455556666:role/nodes'),
      { groups: ['system:bootstrappers', 'system:nodes'] }),
    error: /arn:aws:iam::444455556666:role\/nodes is a node role of account 444455556666, not of the cluster's account 111122223333/,
  },
  {
    name: 'a group named twice in an access entry',
    build: stack => newTestCluster(stack).awsAuth.addRoleMapping(role(stack, 'arn:aws:iam::111122223333:role/ops'), { groups: ['ops', 'ops'] }),
    error: /mapping of arn:aws:iam::111122223333:role\/ops names group 'ops' twice\. Name each group once\./,
  },
  {
    name: 'an empty group in an access entry',
    build: stack => newTestCluster(stack).awsAuth.addRoleMapping(role(stack, 'arn:aws:iam::111122223333:role/ops'), { groups: [''] }),
    error: /mapping of arn:aws:iam::111122223333:role\/ops has an empty group name/,
  },
  {
    name: 'groups left out from JavaScript',
    build: stack => newTestCluster(stack).awsAuth.addRoleMapping(role(stack, 'arn:aws:iam::111122223333:role/ops'), {} as any),
    error: /Test\/Cluster\/AwsAuth: mapping of arn:aws:iam::111122223333:role\/ops has `groups` undefined; it must be a list of Kubernetes groups/,
  },
  {
    name: 'a role of this app named by its construct path, not a token',
    build: stack => newTestCluster(stack).awsAuth.addRoleMapping(new iam.Role(stack, 'Ops', { assumedBy: new iam.AccountRootPrincipal() }),
      { groups: ['system:authenticated'] }),
    error: /mapping of Test\/Ops has group\(s\) system:authenticated/,
  },
  {
    name: 'an aws-auth mapping of a role of this app that grants nothing, named by its construct path',
    build: stack => mergeAuth(stack).addRoleMapping(new iam.Role(stack, 'Ops', { assumedBy: new iam.AccountRootPrincipal() }), { groups: [] }),
    error: /Test\/Auth: mapping of Test\/Ops has no groups and no username, so it grants nothing/,
  },
  {
    name: 'an aws-auth user of this app with an empty group, named by its construct path',
    build: stack => mergeAuth(stack).addUserMapping(new iam.User(stack, 'Dev'), { groups: [' '] }),
    error: /Test\/Auth: mapping of Test\/Dev has an empty group name/,
  },
  {
    name: 'two different aws-auth mappings of a role of this app, named by its construct path',
    build: stack => {
      const auth = mergeAuth(stack);
      const ops = new iam.Role(stack, 'Ops', { assumedBy: new iam.AccountRootPrincipal() });
      auth.addRoleMapping(ops, { groups: ['ops'] });
      auth.addRoleMapping(ops, { groups: ['admins'] });
    },
    error: /Test\/Auth: Test\/Ops is already mapped with groups \[ops\]; aws-auth holds one mapping an ARN/,
  },
  {
    name: 'a second access entry for a role of this app, named by its construct path',
    build: stack => {
      const auth = newTestCluster(stack).awsAuth;
      const ops = new iam.Role(stack, 'Ops', { assumedBy: new iam.AccountRootPrincipal() });
      auth.addRoleMapping(ops, { groups: ['ops'] });
      auth.addRoleMapping(ops, { groups: ['ops'] });
    },
    error: /Test\/Cluster\/AwsAuth\/Entry[0-9a-f]{8}: principal Test\/Ops already has an access entry in cluster Test\/Cluster/,
  },
  // Kubernetes objects
  {
    name: 'a manifest that is not an object',
    build: stack => withManifest(stack, 'kind: ConfigMap' as unknown as Record<string, any>),
    error: /Test\/Cluster\/Workload: `manifests` object 0 is "kind: ConfigMap", not an object/,
  },
  {
    name: 'a manifest without apiVersion and kind',
    build: stack => withManifest(stack, { metadata: { name: 'x' } }),
    error: /`manifests` object 0 has `apiVersion` missing; it must be a version such as 'v1'[^]*`manifests` object 0 has `kind` missing/,
  },
  {
    name: 'a manifest with null metadata',
    build: stack => withManifest(stack, { apiVersion: 'v1', kind: 'ConfigMap', metadata: null }),
    error: /Test\/Cluster\/Workload: `manifests` object 0 has `metadata` null; it must be an object with a `name`/,
  },
  {
    name: 'an object as a node affinity value',
    build: stack => withManifest(stack, affinityPod({ key: 'kubernetes.io/arch', operator: 'In', values: [{}] })),
    error: new RegExp('Test/Cluster/Workload: `manifests` object 0 \\(Pod default/web\\): `spec\\.affinity\\.nodeAffinity\\.requiredDuringSchedulingIgnoredDuringExecution'
      + '\\.nodeSelectorTerms\\[0\\]\\.matchExpressions\\[0\\]\\.values\\[0\\]` is \\{\\}; node selector requirement values are label value strings\\. Write each value as a string'),
  },
  {
    name: 'a number as a node affinity key',
    build: stack => withManifest(stack, affinityPod({ key: 5, operator: 'Exists' })),
    error: /`manifests` object 0 \(Pod default\/web\): `spec\.affinity\.nodeAffinity\..*\.matchExpressions\[0\]\.key` is 5; a node selector requirement's key is a label key string\. Write it as e\.g\. 'kubernetes\.io\/arch'/,
  },
  {
    name: 'an object as a node affinity operator',
    build: stack => withManifest(stack, affinityPod({ key: 'kubernetes.io/arch', operator: {}, values: ['amd64'] })),
    error: /`manifests` object 0 \(Pod default\/web\): `spec\.affinity\.nodeAffinity\..*\.matchExpressions\[0\]\.operator` is \{\}; a node selector requirement's operator is one of In, NotIn, Exists, DoesNotExist, Gt, Lt/,
  },
  {
    name: 'a manifest whose name is not a DNS subdomain',
    build: stack => withManifest(stack, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'My_Config' } }),
    error: /`manifests` object 0 has `metadata.name` "My_Config"; it must be a DNS subdomain/,
  },
  {
    name: 'the same object in two manifests of one cluster',
    build: stack => {
      const cluster = newTestCluster(stack);
      cluster.addManifest('A', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
      cluster.addManifest('B', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' } });
    },
    error: /Test\/Cluster\/B: ConfigMap default\/settings is already applied by Test\/Cluster\/A; one object can have one owner in a cluster/,
  },
  {
    name: 'a manifest of kube-system/aws-auth',
    build: stack => withManifest(stack, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: {} }),
    error: /is ConfigMap kube-system\/aws-auth, which cannot be a manifest: applying it replaces the whole mapping strings.*SafeAwsAuth/,
  },
  {
    name: 'a manifest of the aws-auth guard\'s last-good copy',
    build: stack => withManifest(stack, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cdk-eks-fargate-aws-auth-last-good', namespace: 'kube-system' } }),
    error: /is ConfigMap kube-system\/cdk-eks-fargate-aws-auth-last-good, which cannot be a manifest: .*only the guard writes it/,
  },
  {
    name: 'manifests larger than one handler event can carry',
    build: stack => withManifest(stack, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { blob: 'x'.repeat(130 * 1024) } }),
    error: /`manifests` take \d+ bytes; one KubernetesObjects holds at most 122880 bytes .*Split them into several KubernetesObjects/,
  },
  {
    name: 'a namespace added twice',
    build: stack => {
      const cluster = newTestCluster(stack);
      cluster.addNamespace('flow');
      cluster.addNamespace('flow');
    },
    error: /namespace 'flow' is already added by Test\/Cluster\/Namespace-flow/,
  },
  {
    name: 'acknowledging a readiness error',
    build: stack => FargateReadiness.acknowledge(stack, 'cdk-eks-fargate:readiness-daemonset', 'we know'),
    error: /cdk-eks-fargate:readiness-daemonset/,
  },
];

describe('bad input', () => {
  test('the catalogue covers at least 30 distinct invalid configurations', () => {
    expect(new Set(CATALOGUE.map(entry => entry.name)).size).toEqual(CATALOGUE.length);
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
  });

  test.each(CATALOGUE)('$name', entry => {
    const stack = entry.stack?.() ?? newTestStack();
    if (entry.error) {
      expect(() => entry.build(stack)).toThrow(entry.error);
      // Names, never tokens: `${Token[...]}` tells the user nothing.
      expect(() => entry.build(newTestStack())).not.toThrow(/\$\{Token\[/);
      return;
    }
    entry.build(stack);
    const annotations = Annotations.fromStack(stack);
    if (entry.warning) {
      annotations.hasWarning(entry.warning.path, Match.stringLikeRegexp(entry.warning.message));
    }
    if (entry.annotationError) {
      annotations.hasError(entry.annotationError.path, Match.stringLikeRegexp(entry.annotationError.message));
    }
  });
});
