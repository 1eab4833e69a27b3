import * as path from 'path';
import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { AwsAuthBackend, FargateCluster, SafeAwsAuth } from '../../lib';

/** Namespace of the application the Helm chart installs. */
export const APP_NAMESPACE = 'app';

/**
 * A private cluster: the Kubernetes API answers only inside the VPC, and the VPC has interface endpoints for ECR,
 * STS, CloudWatch Logs and EKS, so Fargate pods pull images and ship logs without leaving it. Everything that talks
 * to the API server from CloudFormation runs in the VPC: the kubectl Lambda that installs a Helm chart (from a CDK
 * asset, so no chart repository on the internet is involved) and the aws-auth handler Lambda.
 */
export class PrivateClusterStack extends Stack {
  public readonly cluster: FargateCluster;
  /** Identities kept in aws-auth (merged, never overwritten) rather than as access entries. */
  public readonly awsAuthMappings: SafeAwsAuth;
  /** The chart directory as a CDK asset (a content hash names it). */
  public readonly chartAsset: s3assets.Asset;
  public readonly chart: eks.HelmChart;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const admins = new iam.Role(this, 'PlatformAdmins', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Platform team: cluster-admin on the private cluster',
    });
    this.cluster = new FargateCluster(this, 'Cluster', {
      version: eks.KubernetesVersion.V1_34,
      endpointAccess: eks.EndpointAccess.PRIVATE,
      vpcEndpoints: true,
      mastersRole: admins,
      // kubectl within one minor version of the cluster.
      kubectlLayer: new KubectlV34Layer(this, 'KubectlLayer'),
    });
    this.cluster.addProfileSet('App', { selectors: [{ namespace: APP_NAMESPACE }] });

    // The security team's auditing tooling reads identities from kube-system/aws-auth, so their read-only role is
    // mapped there (through the merge) instead of as an access entry; RBAC gives its group the `view` role.
    const auditors = new iam.Role(this, 'Auditors', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Security team: read-only access to the private cluster',
    });
    this.awsAuthMappings = new SafeAwsAuth(this, 'AuditorsAwsAuth', { cluster: this.cluster, backend: AwsAuthBackend.CONFIG_MAP });
    this.awsAuthMappings.addRoleMapping(auditors, { username: 'auditor', groups: ['audit-readers'] });
    this.cluster.addManifest('AuditReadersView', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'audit-readers-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'audit-readers' }],
    });

    const image = ecr.Repository.fromRepositoryName(this, 'AppImage', 'private-app');
    this.chartAsset = new s3assets.Asset(this, 'Chart', { path: path.join(__dirname, 'chart') });
    this.chart = this.cluster.addHelmChart('AppChart', {
      chartAsset: this.chartAsset,
      release: 'private-app',
      namespace: APP_NAMESPACE,
      values: { image: { repository: image.repositoryUri, tag: '1.0.0' } },
    });
  }
}
