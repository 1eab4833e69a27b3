import { Fn, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { IFargateCluster } from './fargate-cluster-interface';
import { KubernetesObjects } from './kubernetes-objects';

/** Options of a Kubernetes service account with an IAM role (IRSA). */
export interface FargateServiceAccountOptions {
  /**
   * Name of the service account.
   * @default - derived from the construct path (lowercase DNS label)
   */
  readonly name?: string;

  /**
   * Namespace of the service account (it must exist, or be created by another manifest).
   * @default 'default'
   */
  readonly namespace?: string;

  /**
   * Extra annotations of the service account.
   * @default - only the `eks.amazonaws.com/role-arn` annotation
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Labels of the service account.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/** Properties of a {@link FargateServiceAccount}. */
export interface FargateServiceAccountProps extends FargateServiceAccountOptions {
  /** The cluster the ServiceAccount object is applied to. */
  readonly cluster: IFargateCluster;

  /**
   * The cluster's IAM OIDC provider the role trusts.
   * @default - `cluster.openIdConnectProvider`
   */
  readonly oidcProvider?: iam.IOidcProvider;
}

/**
 * A Kubernetes service account with an IAM role that only it can assume through the cluster's OIDC provider (IRSA):
 * the role's trust is scoped to the service account's `sub` and the STS audience, and the `ServiceAccount` object,
 * annotated with the role, is applied to the cluster (`objects`). EKS Pod Identity does not work on Fargate, so IRSA
 * is how Fargate pods get AWS credentials.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
 */
export class FargateServiceAccount extends Construct implements iam.IGrantable {
  /** The role pods of the service account run with. */
  public readonly role: iam.Role;
  /** Name of the service account. */
  public readonly serviceAccountName: string;
  /** Namespace of the service account. */
  public readonly serviceAccountNamespace: string;
  /** The principal to grant permissions to: the role. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The applied `ServiceAccount` object. Depend on it to order workloads after the account exists. */
  public readonly objects: KubernetesObjects;

  private readonly labels?: { [key: string]: string };
  private readonly annotations?: { [key: string]: string };

  constructor(scope: Construct, id: string, props: FargateServiceAccountProps) {
    super(scope, id);
    this.serviceAccountName = props.name ?? this.node.id.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
    this.serviceAccountNamespace = props.namespace ?? 'default';
    const oidcProvider = props.oidcProvider ?? props.cluster.openIdConnectProvider;
    this.role = new iam.Role(this, 'Role', {
      description: `IRSA role of service account ${this.serviceAccountNamespace}/${this.serviceAccountName}`,
      assumedBy: new iam.FederatedPrincipal(oidcProvider.oidcProviderArn, {}, 'sts:AssumeRoleWithWebIdentity'),
    });
    (this.role.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = scopedTrustPolicy(
      oidcProvider, `system:serviceaccount:${this.serviceAccountNamespace}:${this.serviceAccountName}`);
    this.grantPrincipal = this.role;
    this.labels = props.labels;
    this.annotations = props.annotations;
    // Under the account, so a dependency on the account (e.g. on its namespace) covers the ServiceAccount object too.
    this.objects = new KubernetesObjects(this, 'Manifest', { cluster: props.cluster, manifests: [this.toManifest()] });
  }

  /** The Kubernetes ServiceAccount object, annotated with the role. */
  private toManifest(): { [key: string]: any } {
    return {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: this.serviceAccountName,
        namespace: this.serviceAccountNamespace,
        labels: this.labels,
        annotations: { ...this.annotations, 'eks.amazonaws.com/role-arn': this.role.roleArn },
      },
    };
  }

}

/**
 * The trust policy of an IRSA role as a JSON string. Its condition keys embed the OIDC issuer, which is only known
 * at deploy time, and CloudFormation allows no intrinsic function in a JSON key; `AWS::IAM::Role` accepts the
 * document as a string, and a string can be joined from tokens. (CfnJson would do the same with a Lambda.)
 */
function scopedTrustPolicy(provider: iam.IOidcProvider, subject: string): unknown {
  const trust = (issuer: string, providerArn: string) => ({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: providerArn },
      Condition: { StringEquals: { [`${issuer}:sub`]: subject, [`${issuer}:aud`]: 'sts.amazonaws.com' } },
    }],
  });
  // A provider imported by ARN is known at synth: the document is then a plain object (an all-literal join would
  // collapse into a string, which the role's schema refuses).
  if (!Token.isUnresolved(provider.oidcProviderIssuer) && !Token.isUnresolved(provider.oidcProviderArn)) {
    return trust(provider.oidcProviderIssuer, provider.oidcProviderArn);
  }
  const ISSUER = '@@ISSUER@@';
  const PROVIDER = '@@PROVIDER@@';
  const document = JSON.stringify(trust(ISSUER, PROVIDER));
  const parts = document.split(/(@@ISSUER@@|@@PROVIDER@@)/).map(part => {
    if (part === ISSUER) {
      return provider.oidcProviderIssuer;
    }
    return part === PROVIDER ? provider.oidcProviderArn : part;
  });
  return Fn.join('', parts);
}
