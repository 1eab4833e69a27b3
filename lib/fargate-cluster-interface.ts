import { IResource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { FargateProfileSet, FargateProfileSetOptions } from './fargate-profile-set';
import type { FargateServiceAccount, FargateServiceAccountOptions } from './fargate-service-account';
import type { KubernetesObjects, NamespaceOptions } from './kubernetes-objects';
import type { SafeAwsAuth } from './safe-aws-auth';

/**
 * An EKS cluster that Fargate profiles, pod execution roles and identity mappings can be attached to: either a
 * {@link FargateCluster} of this app or one imported with `FargateCluster.fromClusterAttributes`.
 */
export interface IFargateCluster extends IResource {
  /** Name of the EKS cluster. */
  readonly clusterName: string;

  /** ARN of the EKS cluster. */
  readonly clusterArn: string;

  /**
   * VPC of the cluster. Fargate profiles default to its private subnets.
   * @default - unknown (imported clusters without `vpc`): profile sets must name their subnets
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The security group EKS created for the cluster. Fargate pods use it.
   * @default - unknown
   */
  readonly clusterSecurityGroupId?: string;

  /**
   * How the cluster authenticates IAM principals. Decides which `SafeAwsAuth` backend is used by default.
   * @default - unknown (imported clusters): treated as `CONFIG_MAP`, the mode of older clusters
   */
  readonly authenticationMode?: eks.AuthenticationMode;

  /**
   * Whether every pod of the cluster runs on Fargate. `FargateReadiness` raises errors instead of warnings then.
   */
  readonly fargateOnly: boolean;

  /**
   * API server endpoint URL.
   * @default - unknown (imported clusters without it): resolved at deploy time with `DescribeCluster`
   */
  readonly clusterEndpoint?: string;

  /**
   * Base64-encoded certificate authority data of the API server.
   * @default - unknown (imported clusters without it): resolved at deploy time with `DescribeCluster`
   */
  readonly clusterCertificateAuthorityData?: string;

  /**
   * Who can reach the API server. Decides whether Lambda functions that talk to it must run in the VPC.
   * @default - unknown: treated as public and private access without CIDR restrictions
   */
  readonly endpointAccess?: eks.EndpointAccess;

  /**
   * The pod execution role profile sets use when they are given none.
   * @default - each profile set creates a `PodExecutionRole` for the cluster
   */
  readonly podExecutionRole?: iam.IRole;

  /** Identity mappings of the cluster (access entries or a merged aws-auth), created on first use. */
  readonly awsAuth: SafeAwsAuth;

  /**
   * Alarm on writes of `kube-system/aws-auth` by anyone but this library's own roles, from the cluster's audit log.
   * @default - none when the app does not know the control-plane log group (imported clusters without `controlPlaneLogGroup`) or the audit log is off
   */
  readonly awsAuthOutsideWriteAlarm?: cloudwatch.IAlarm;

  /**
   * The cluster's IAM OIDC provider for IRSA: made on first use for a FargateCluster, given as
   * `openIdConnectProvider` for an imported cluster (reading it without one throws, naming the attribute).
   */
  readonly openIdConnectProvider: iam.IOidcProvider;

  /**
   * Adds Fargate profiles for the given selectors to this cluster.
   * @param id construct id of the profile set, under the cluster
   * @param options selectors, subnets and pod execution role of the profiles
   */
  addProfileSet(id: string, options: FargateProfileSetOptions): FargateProfileSet;

  /**
   * Applies Kubernetes objects to the cluster with server-side apply (`KubernetesObjects`), checked by
   * `FargateReadiness` at synth.
   * @param id construct id of the objects, under the cluster
   * @param manifests the Kubernetes objects
   */
  addManifest(id: string, ...manifests: { [key: string]: any }[]): KubernetesObjects;

  /**
   * Applies a Namespace. Objects of this app in it (manifests, service accounts, Helm charts) depend on it.
   * @param name the namespace name (a DNS label)
   * @param options labels and annotations of the Namespace
   */
  addNamespace(name: string, options?: NamespaceOptions): KubernetesObjects;

  /**
   * Installs a Helm chart through aws-cdk-lib's kubectl provider, after every Fargate profile of the cluster.
   * @param id construct id of the chart, under the cluster
   * @param options the chart, its repository, namespace and values
   */
  addHelmChart(id: string, options: eks.HelmChartOptions): eks.HelmChart;

  /**
   * Creates a Kubernetes service account whose pods get an IAM role through IRSA.
   * @param id construct id of the service account, under the cluster
   * @param options name, namespace, labels and annotations of the service account
   */
  addServiceAccount(id: string, options?: FargateServiceAccountOptions): FargateServiceAccount;
}

/** What must be known of an EKS cluster created elsewhere to add Fargate profiles and identity mappings to it. */
export interface FargateClusterAttributes {
  /** Name of the EKS cluster. */
  readonly clusterName: string;

  /**
   * VPC of the cluster.
   * @default - none: every profile set must be given `vpcSubnets` with a VPC-independent selection
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The security group EKS created for the cluster.
   * @default - unknown
   */
  readonly clusterSecurityGroupId?: string;

  /**
   * Authentication mode of the cluster.
   * @default - treated as `CONFIG_MAP` (the mode of clusters created before access entries existed)
   */
  readonly authenticationMode?: eks.AuthenticationMode;

  /**
   * Whether every pod of the cluster runs on Fargate (no EC2 nodes).
   * @default false
   */
  readonly fargateOnly?: boolean;

  /**
   * API server endpoint URL.
   * @default - looked up at deploy time with `DescribeCluster` by the functions that need it
   */
  readonly clusterEndpoint?: string;

  /**
   * Base64-encoded certificate authority data of the API server.
   * @default - looked up at deploy time with `DescribeCluster` by the functions that need it
   */
  readonly clusterCertificateAuthorityData?: string;

  /**
   * Who can reach the API server.
   * @default - treated as public and private access without CIDR restrictions
   */
  readonly endpointAccess?: eks.EndpointAccess;

  /**
   * A pod execution role shared by the profile sets added to this cluster.
   * @default - each profile set creates its own `PodExecutionRole`
   */
  readonly podExecutionRole?: iam.IRole;

  /**
   * Role the aws-auth handler assumes on a cluster in CONFIG_MAP mode: it must already be mapped in aws-auth to a
   * group that may edit ConfigMaps in `kube-system`, and trust the handler. Roles of this app are made to; a role
   * made elsewhere can trust every handler before one exists: principal the account, condition `ArnLike
   * aws:PrincipalArn arn:<partition>:iam::<account>:role/cdk-eks-fargate/aws-auth-handler/*` (the handlers' role path).
   * @default - none: aws-auth mappings on a CONFIG_MAP cluster (including the ones profile sets add) are refused at synth
   */
  readonly awsAuthHandlerRole?: iam.IRole;

  /**
   * The cluster's control-plane log group (`/aws/eks/<cluster name>/cluster`), with the audit log enabled: an alarm
   * (`awsAuthOutsideWriteAlarm`) then watches it for writes of aws-auth by anyone but this library.
   * @default - no outside-write alarm
   */
  readonly controlPlaneLogGroup?: logs.ILogGroup;

  /**
   * A role that administers the cluster, for manifests (the library's handler assumes it) and Helm charts (aws-cdk-lib's
   * kubectl Lambda assumes it): mapped to `system:masters` in aws-auth, or with a cluster-admin access entry. A role of
   * this app is made to trust both; a role made elsewhere must trust the handler and kubectl Lambda roles.
   * @default - on a cluster whose `authenticationMode` allows access entries, a role with a cluster-admin access entry is
   * made on first use; on a CONFIG_MAP cluster, manifests and Helm charts are refused at synth
   */
  readonly kubectlRole?: iam.IRole;

  /**
   * The cluster's IAM OIDC provider, for service accounts with IAM roles (IRSA).
   * @default - none: `addServiceAccount` is refused at synth
   */
  readonly openIdConnectProvider?: iam.IOidcProvider;

  /**
   * The kubectl layer aws-cdk-lib's kubectl Lambda uses for Helm charts.
   * @default - `KubectlV29Layer`
   */
  readonly kubectlLayer?: lambda.ILayerVersion;
}
