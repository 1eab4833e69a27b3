import { Resource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IFargateCluster } from './fargate-cluster-interface';
import { FargateProfileSet, FargateProfileSetOptions } from './fargate-profile-set';
import { FargateServiceAccount, FargateServiceAccountOptions } from './fargate-service-account';
import { KubernetesObjects, NamespaceOptions } from './kubernetes-objects';
import { ClusterState } from './private/cluster/cluster-state';
import { ClusterWorkloads, ClusterWorkloadsOptions } from './private/cluster/cluster-workloads';
import { throwIfProblems } from './private/shared/validation-report';
import type { SafeAwsAuth } from './safe-aws-auth';

/**
 * What a `FargateCluster` and a cluster from `FargateCluster.fromClusterAttributes` have in common: profile sets,
 * manifests, namespaces, Helm charts and service accounts, and the cluster's bookkeeping of them.
 *
 * A hidden base class: jsii copies its members into `FargateCluster`.
 * @internal
 */
export abstract class FargateClusterBase extends Resource implements IFargateCluster {
  public abstract readonly clusterName: string;
  public abstract readonly clusterArn: string;
  public abstract readonly fargateOnly: boolean;
  public abstract readonly vpc?: ec2.IVpc;
  public abstract readonly clusterSecurityGroupId?: string;
  public abstract readonly authenticationMode?: eks.AuthenticationMode;
  public abstract readonly clusterEndpoint?: string;
  public abstract readonly clusterCertificateAuthorityData?: string;
  public abstract readonly endpointAccess?: eks.EndpointAccess;
  public abstract readonly podExecutionRole?: iam.IRole;
  public abstract readonly awsAuthOutsideWriteAlarm?: cloudwatch.IAlarm;
  public abstract readonly awsAuth: SafeAwsAuth;

  /**
   * The profiles, access entries and objects this app adds to the cluster.
   * @internal
   */
  public readonly _clusterState: ClusterState;

  private workloadsInstance?: ClusterWorkloads;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this._clusterState = new ClusterState(this);
  }

  /**
   * The aws-cdk-lib `aws-eks` imported-cluster handle that Helm charts go through (the only user of aws-cdk-lib's
   * kubectl provider), made on first use.
   */
  public get kubectlCluster(): eks.ICluster {
    return this.workloads.kubectlCluster;
  }

  /**
   * The cluster's IAM OIDC provider for IRSA (a native `AWS::IAM::OIDCProvider` made on first use for a FargateCluster,
   * the given `openIdConnectProvider` for an imported cluster).
   */
  public get openIdConnectProvider(): iam.IOidcProvider {
    return this.workloads.oidcProvider(() => {
      throw new Error(`${this.node.path}: the cluster has no \`openIdConnectProvider\`, which service accounts with IAM roles (IRSA) need; `
        + 'pass the cluster\'s IAM OIDC provider as `openIdConnectProvider` to `FargateCluster.fromClusterAttributes` '
        + '(e.g. `iam.OidcProviderNative.fromOidcProviderArn(...)`).');
    });
  }

  /**
   * Adds Fargate profiles for the given selectors to this cluster.
   * @param id construct id of the profile set, under the cluster
   * @param options selectors, subnets and pod execution role of the profiles
   */
  public addProfileSet(id: string, options: FargateProfileSetOptions): FargateProfileSet {
    return new FargateProfileSet(this, id, { ...options, cluster: this });
  }

  /**
   * Applies Kubernetes objects to the cluster with server-side apply (`KubernetesObjects`), checked by `FargateReadiness`.
   *
   * Objects that create pods wait for the Fargate profiles that could select them, the others only for the cluster.
   * @param id construct id of the objects, under the cluster
   * @param manifests the Kubernetes objects
   */
  public addManifest(id: string, ...manifests: { [key: string]: any }[]): KubernetesObjects {
    return new KubernetesObjects(this, id, { cluster: this, manifests });
  }

  /**
   * Applies a Namespace that objects of this app in it (manifests, service accounts, Helm charts) depend on.
   *
   * The Namespace is its own `KubernetesObjects` (id `Namespace-<name>` under the cluster): created first, deleted last.
   * @param name the namespace name (a DNS label)
   * @param options labels and annotations of the Namespace
   */
  public addNamespace(name: string, options: NamespaceOptions = {}): KubernetesObjects {
    const objects = this._clusterState.objects;
    const existing = objects.namespaceConstruct(name);
    if (existing) {
      throwIfProblems(this, [`namespace '${name}' is already added by ${existing.node.path}; add it once and depend on what that returns.`]);
    }
    const metadata: { [key: string]: unknown } = { name };
    if (options.labels) {
      metadata.labels = { ...options.labels };
    }
    if (options.annotations) {
      metadata.annotations = { ...options.annotations };
    }
    const namespace = new KubernetesObjects(this, `Namespace-${name}`, {
      cluster: this,
      manifests: [{ apiVersion: 'v1', kind: 'Namespace', metadata }],
    });
    objects.registerNamespace(name, namespace);
    return namespace;
  }

  /**
   * Installs a Helm chart through aws-cdk-lib's kubectl provider, after every Fargate profile of the cluster.
   *
   * Rendered workloads are not checked by `FargateReadiness`.
   * @param id construct id of the chart, under the cluster
   * @param options the chart, its repository, namespace and values
   */
  public addHelmChart(id: string, options: eks.HelmChartOptions): eks.HelmChart {
    const chart = new eks.HelmChart(this, id, { ...options, cluster: this.kubectlCluster });
    this.workloads.mustWait(chart);
    const namespace = options.namespace ? this._clusterState.objects.namespaceConstruct(options.namespace) : undefined;
    if (namespace) {
      chart.node.addDependency(namespace);
    }
    return chart;
  }

  /**
   * Creates a Kubernetes service account whose pods get an IAM role through IRSA.
   *
   * EKS Pod Identity does not work on Fargate, so the role is assumed through the cluster's OIDC provider.
   * @param id construct id of the service account, under the cluster
   * @param options name, namespace, labels and annotations of the service account
   */
  public addServiceAccount(id: string, options: FargateServiceAccountOptions = {}): FargateServiceAccount {
    return new FargateServiceAccount(this, id, { ...options, cluster: this });
  }

  /**
   * How Helm charts and service accounts reach this cluster (kubectl role and layer, OIDC provider).
   * @internal
   */
  protected abstract _workloadsOptions(): ClusterWorkloadsOptions;

  private get workloads(): ClusterWorkloads {
    if (!this.workloadsInstance) {
      this.workloadsInstance = new ClusterWorkloads(this._workloadsOptions());
    }
    return this.workloadsInstance;
  }
}
