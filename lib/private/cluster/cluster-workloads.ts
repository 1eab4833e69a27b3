import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { createKubectlAccess, KubectlAccess } from './kubectl-access';
import { needsVpcPlacement } from './endpoint-placement';
import { dependOnPrivateEgress } from './vpc-subnets';
import { IFargateCluster } from '../../fargate-cluster-interface';
import { FargateServiceAccount, FargateServiceAccountOptions } from '../../fargate-service-account';
import { KubernetesObjects, NamespaceOptions } from '../../kubernetes-objects';
import { clusterObjectsOf } from '../manifests/cluster-objects';
import { addNamespaceTo } from '../manifests/namespaces';
import { profilesOf } from '../profiles/cluster-profiles';
import { atSynth } from '../shared/at-synth';
import { acknowledgeManagedPoliciesUnder, acknowledgeNag, acknowledgeWildcardsUnder } from '../shared/nag-acknowledgements';

/** What {@link ClusterWorkloads} needs from an owned cluster. */
export interface ClusterWorkloadsOptions {
  readonly cluster: IFargateCluster & Construct;
  readonly kubernetesVersion: string;
  readonly kubectlLayer?: lambda.ILayerVersion;
  /** `https://` URL of the cluster's OIDC issuer. */
  readonly oidcIssuerUrl: string;
}

/**
 * Manifests, Helm charts and IRSA service accounts of a cluster. Manifests go through the library's own handler
 * (`KubernetesObjects`); only Helm charts use aws-cdk-lib's kubectl Lambda and layer. Both, and the OIDC
 * provider, are made on first use, so a cluster without workloads has none of them.
 */
export class ClusterWorkloads {
  private kubectl?: KubectlAccess;
  private oidc?: iam.OidcProviderNative;
  private readonly waiting: IConstruct[] = [];

  constructor(private readonly options: ClusterWorkloadsOptions) {
    // Pods of a workload stay Pending until a profile selects them: workloads wait for every profile, even later ones.
    atSynth(options.cluster, () => {
      const profiles = profilesOf(options.cluster).profiles.map(profile => profile.resource);
      for (const workload of this.waiting) {
        workload.node.addDependency(...profiles);
      }
    });
  }

  /** The aws-eks imported-cluster handle that Helm charts are installed through. */
  public get kubectlCluster(): eks.ICluster {
    return this.kubectlAccess().handle;
  }

  /** The cluster's IAM OIDC provider (a native `AWS::IAM::OIDCProvider`). */
  public get oidcProvider(): iam.OidcProviderNative {
    if (!this.oidc) {
      this.oidc = new iam.OidcProviderNative(this.options.cluster, 'OidcProvider', {
        url: this.options.oidcIssuerUrl,
        clientIds: ['sts.amazonaws.com'],
      });
    }
    return this.oidc;
  }

  /** Applies manifests as a construct `id` under `scope` (the cluster unless a construct owns them). */
  public addManifest(id: string, manifests: Array<{ [key: string]: any }>, scope: Construct = this.options.cluster): KubernetesObjects {
    return new KubernetesObjects(scope, id, { cluster: this.options.cluster, manifests });
  }

  /** Applies a Namespace; objects in it (manifests, service accounts, charts) then depend on it. */
  public addNamespace(name: string, options: NamespaceOptions = {}): KubernetesObjects {
    return addNamespaceTo(this.options.cluster, this.options.cluster, name, options);
  }

  public addHelmChart(id: string, options: eks.HelmChartOptions): eks.HelmChart {
    const chart = new eks.HelmChart(this.options.cluster, id, { ...options, cluster: this.kubectlCluster });
    this.mustWait(chart);
    const namespace = options.namespace ? clusterObjectsOf(this.options.cluster).namespaceConstruct(options.namespace) : undefined;
    if (namespace) {
      chart.node.addDependency(namespace);
    }
    return chart;
  }

  public addServiceAccount(id: string, options: FargateServiceAccountOptions): FargateServiceAccount {
    const account = new FargateServiceAccount(this.options.cluster, id, { ...options, oidcProvider: this.oidcProvider });
    // Under the account, so a dependency on the account (e.g. on its namespace) covers the ServiceAccount object too.
    this.addManifest('Manifest', [account.toManifest()], account);
    return account;
  }

  private kubectlAccess(): KubectlAccess {
    if (!this.kubectl) {
      this.kubectl = createKubectlAccess(this.options.cluster, {
        cluster: this.options.cluster,
        kubernetesVersion: this.options.kubernetesVersion,
        kubectlLayer: this.options.kubectlLayer,
      });
    }
    return this.kubectl;
  }

  private mustWait(workload: IConstruct): void {
    workload.node.addDependency(this.kubectlAccess().accessEntry);
    if (this.waiting.length === 0) {
      const provider = eks.KubectlProvider.getOrCreate(this.options.cluster, this.kubectlCluster);
      acknowledgeKubectlProvider(provider);
      if (needsVpcPlacement(this.options.cluster.endpointAccess) && this.options.cluster.vpc) {
        dependOnPrivateEgress(provider, this.options.cluster.vpc);
      }
    }
    this.waiting.push(workload);
  }
}

/** aws-cdk-lib's kubectl provider is not this library's code: its findings are acknowledged, not fixed. */
function acknowledgeKubectlProvider(provider: IConstruct): void {
  const reason = 'aws-cdk-lib\'s kubectl provider (nested stack), used as aws-cdk-lib ships it: its Lambda execution policies, '
    + 'its framework\'s invoke permission on the handler versions, and its Python runtime are chosen by aws-cdk-lib.';
  acknowledgeManagedPoliciesUnder(provider, reason);
  acknowledgeWildcardsUnder(provider, reason);
  acknowledgeNag(provider, 'AwsSolutions-L1', reason);
}
