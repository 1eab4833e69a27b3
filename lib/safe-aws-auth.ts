import { createHash } from 'crypto';
import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IFargateCluster } from './fargate-cluster-ref';
import { translateToAccessEntry } from './private/access-entry-translation';
import { addAccessEntry, clusterAdminPolicy } from './private/cluster-access-entries';
import { throwIfProblems } from './private/validation/report';

/** Where `SafeAwsAuth` keeps identity mappings. */
export enum AwsAuthBackend {
  /** Native `AWS::EKS::AccessEntry` resources; needs a cluster in `API` or `API_AND_CONFIG_MAP` mode. */
  ACCESS_ENTRIES = 'ACCESS_ENTRIES',
  /** A merge into the `kube-system/aws-auth` ConfigMap that never drops entries it does not own. */
  CONFIG_MAP = 'CONFIG_MAP',
}

/** How an IAM principal appears inside Kubernetes. */
export interface AwsAuthMappingOptions {
  /**
   * Kubernetes groups of the principal. `system:masters` means cluster admin; `system:bootstrappers` with
   * `system:nodes` means an EC2 node role.
   */
  readonly groups: string[];

  /**
   * Kubernetes username of the principal.
   * @default - the principal ARN (access entries), or none (aws-auth)
   */
  readonly username?: string;
}

/** Properties of {@link SafeAwsAuth}. */
export interface SafeAwsAuthProps {
  /** The cluster whose identities are mapped. */
  readonly cluster: IFargateCluster;

  /**
   * Where the mappings go.
   * @default - ACCESS_ENTRIES when the cluster's mode allows them, CONFIG_MAP for clusters in (or assumed in) CONFIG_MAP mode
   */
  readonly backend?: AwsAuthBackend;

  /**
   * Role the aws-auth handler assumes to edit the ConfigMap. Required for CONFIG_MAP-mode clusters, where only an
   * existing aws-auth mapping can grant it access; for other clusters a role with a `kube-system`-scoped
   * AmazonEKSEditPolicy access entry is created.
   * @default - a new role with an access entry (clusters with access entries)
   */
  readonly handlerRole?: iam.IRole;

  /**
   * Identifies this set of mappings in aws-auth; entries are owned by it and removed only when no other owner holds them.
   * @default - the construct path
   */
  readonly ownerId?: string;
}

/**
 * Identity mappings for an EKS cluster that are merged, never overwritten: access entries where the cluster allows
 * them, otherwise a merge into `kube-system/aws-auth` that keeps every entry it does not own (node roles above all).
 */
export class SafeAwsAuth extends Construct {
  /** Where this instance keeps its mappings. */
  public readonly backend: AwsAuthBackend;

  private readonly cluster: IFargateCluster;

  constructor(scope: Construct, id: string, props: SafeAwsAuthProps) {
    super(scope, id);
    this.cluster = props.cluster;
    const mode = props.cluster.authenticationMode ?? eks.AuthenticationMode.CONFIG_MAP;
    this.backend = props.backend ?? (mode === eks.AuthenticationMode.CONFIG_MAP ? AwsAuthBackend.CONFIG_MAP : AwsAuthBackend.ACCESS_ENTRIES);
    const problems: string[] = [];
    if (this.backend === AwsAuthBackend.ACCESS_ENTRIES && mode === eks.AuthenticationMode.CONFIG_MAP) {
      problems.push('`backend` is ACCESS_ENTRIES but the cluster is in CONFIG_MAP mode (or its mode is unknown), where EKS ignores access '
        + 'entries. Leave `backend` out (aws-auth merge), or give the imported cluster its `authenticationMode`.');
    }
    if (this.backend === AwsAuthBackend.CONFIG_MAP && mode === eks.AuthenticationMode.API) {
      problems.push('`backend` is CONFIG_MAP but the cluster is in API mode, where EKS ignores aws-auth. Use ACCESS_ENTRIES.');
    }
    if (this.backend === AwsAuthBackend.CONFIG_MAP) {
      problems.push('`backend` CONFIG_MAP (the aws-auth merge) is not available in this version yet; use a cluster with access entries.');
    }
    throwIfProblems(this, problems);
  }

  /** Maps an IAM role to Kubernetes groups (and a username). */
  public addRoleMapping(role: iam.IRole, options: AwsAuthMappingOptions): void {
    this.addPrincipal(role.roleArn, options);
  }

  /** Maps an IAM user to Kubernetes groups (and a username). */
  public addUserMapping(user: iam.IUser, options: AwsAuthMappingOptions): void {
    this.addPrincipal(user.userArn, options);
  }

  /** Makes a role a cluster admin (`system:masters`; AmazonEKSClusterAdminPolicy as an access entry). */
  public addMastersRole(role: iam.IRole, username?: string): void {
    this.addRoleMapping(role, { groups: ['system:masters'], username });
  }

  /** Maps every IAM principal of an account to a username of its ARN (aws-auth `mapAccounts`). */
  public addAccount(accountId: string): void {
    throwIfProblems(this, [`\`addAccount('${accountId}')\` has no access-entry equivalent: EKS access entries map one principal each. `
      + 'Map the roles of that account with `addRoleMapping`, or use `backend: AwsAuthBackend.CONFIG_MAP`.']);
  }

  private addPrincipal(principalArn: string, options: AwsAuthMappingOptions): void {
    let translation;
    try {
      translation = translateToAccessEntry(principalArn, options.groups, options.username);
    } catch (error) {
      throwIfProblems(this, [(error as Error).message]);
      return;
    }
    // Ids follow the principal, not call order, so removing one mapping never replaces the others.
    const id = `Entry${createHash('sha256').update(JSON.stringify(Stack.of(this).resolve(principalArn))).digest('hex').slice(0, 8)}`;
    addAccessEntry(this.cluster, this, id, {
      principalArn,
      type: translation.type,
      kubernetesGroups: translation.kubernetesGroups,
      username: translation.username,
      accessPolicies: translation.clusterAdmin ? [clusterAdminPolicy()] : undefined,
    });
  }
}
