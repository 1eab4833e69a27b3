import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { stateOf } from './cluster-state';
import { needsVpcPlacement } from './endpoint-placement';
import { createKubectlAccess, KubectlAccess } from './kubectl-access';
import { dependOnPrivateEgress } from './vpc-subnets';
import type { IFargateCluster } from '../../fargate-cluster-interface';
import { atSynth } from '../shared/at-synth';
import { acknowledgeManagedPoliciesUnder, acknowledgeNag, acknowledgeWildcardsUnder } from '../shared/nag-acknowledgements';

/** What {@link ClusterWorkloads} needs from a cluster. */
export interface ClusterWorkloadsOptions {
  readonly cluster: IFargateCluster & Construct;
  /** The cluster's Kubernetes version (`1.NN`), when known; the kubectl layer is checked against it. */
  readonly kubernetesVersion?: string;
  readonly kubectlLayer?: lambda.ILayerVersion;
  /** A role that administers the cluster already (imported clusters); Helm charts use it instead of a new one. */
  readonly kubectlRole?: iam.IRole;
  /** `https://` URL of the cluster's OIDC issuer, when the OIDC provider is made here (owned clusters). */
  readonly oidcIssuerUrl?: string;
  /** The cluster's OIDC provider, when it exists already (imported clusters). */
  readonly openIdConnectProvider?: iam.IOidcProvider;
}

/**
 * What Helm charts and IRSA service accounts of a cluster need: aws-cdk-lib's kubectl Lambda and layer (only Helm
 * charts use them; manifests go through the library's own handler) and the cluster's OIDC provider. Both are made
 * on first use, so a cluster without charts or service accounts has neither.
 */
export class ClusterWorkloads {
  private kubectl?: KubectlAccess;
  private oidc?: iam.IOidcProvider;
  private readonly waiting: IConstruct[] = [];

  constructor(private readonly options: ClusterWorkloadsOptions) {
    this.oidc = options.openIdConnectProvider;
    // Pods of a chart stay Pending until a profile selects them: charts wait for every profile, even later ones.
    atSynth(options.cluster, () => {
      const profiles = stateOf(options.cluster).profiles.profiles.map(profile => profile.resource);
      for (const workload of this.waiting) {
        workload.node.addDependency(...profiles);
      }
    });
  }

  /** The aws-eks imported-cluster handle that Helm charts are installed through. */
  public get kubectlCluster(): eks.ICluster {
    return this.kubectlAccess().handle;
  }

  /** The cluster's IAM OIDC provider: the given one, else a native `AWS::IAM::OIDCProvider` made here. */
  public oidcProvider(missing: () => never): iam.IOidcProvider {
    if (!this.oidc) {
      if (!this.options.oidcIssuerUrl) {
        missing();
      }
      this.oidc = new iam.OidcProviderNative(this.options.cluster, 'OidcProvider', {
        url: this.options.oidcIssuerUrl,
        clientIds: ['sts.amazonaws.com'],
      });
    }
    return this.oidc;
  }

  /** Orders a chart after the kubectl role's access entry and every Fargate profile, and places the provider. */
  public mustWait(workload: IConstruct): void {
    const access = this.kubectlAccess();
    if (access.accessEntry) {
      workload.node.addDependency(access.accessEntry);
    }
    if (this.waiting.length === 0) {
      const provider = eks.KubectlProvider.getOrCreate(this.options.cluster, this.kubectlCluster);
      acknowledgeKubectlProvider(provider);
      if (needsVpcPlacement(this.options.cluster.endpointAccess) && this.options.cluster.vpc) {
        dependOnPrivateEgress(provider, this.options.cluster.vpc);
      }
    }
    this.waiting.push(workload);
  }

  private kubectlAccess(): KubectlAccess {
    if (!this.kubectl) {
      this.kubectl = createKubectlAccess(this.options.cluster, {
        cluster: this.options.cluster,
        kubernetesVersion: this.options.kubernetesVersion,
        kubectlLayer: this.options.kubectlLayer,
        kubectlRole: this.options.kubectlRole,
      });
    }
    return this.kubectl;
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
