import { Aws } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IFargateCluster } from './fargate-cluster-interface';
import { AccessEntryBackend } from './private/aws-auth/backends/access-entry-backend';
import { ConfigMapBackend } from './private/aws-auth/backends/config-map-backend';
import { MappingBackend } from './private/aws-auth/backends/mapping-backend';
import { throwIfProblems } from './private/shared/validation-report';

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
   * Role the aws-auth handler assumes to edit the ConfigMap (CONFIG_MAP backend only). Required for clusters in
   * CONFIG_MAP mode, where only an existing aws-auth mapping can let it in; a role of this app is made to trust the
   * handler, an imported one must already trust the handler's execution role (its IAM path is
   * `/cdk-eks-fargate/aws-auth-handler/`, so a condition on `aws:PrincipalArn` can name it before it exists).
   * @default - a new role with a `kube-system`-scoped AmazonEKSEditPolicy access entry (clusters with access entries)
   */
  readonly handlerRole?: iam.IRole;

  /**
   * Identifies this set of mappings in aws-auth (CONFIG_MAP backend). Entries are owned by it and leave aws-auth only
   * when no other owner holds them and they did not exist before any owner. Changing it moves the ownership in one
   * update (the entries stay where they are).
   * @default - the deployed stack's name and the construct path (`<stack name>:<path>`, the name resolved at deploy
   * time), so two stacks with the same construct path never share an owner
   */
  readonly ownerId?: string;
}

/**
 * Identity mappings for an EKS cluster that are merged, never overwritten: access entries where the cluster allows
 * them, otherwise a merge into `kube-system/aws-auth` that keeps every entry it does not own (node roles above all)
 * and never loses a concurrent writer's update.
 *
 * Nothing is created until the first mapping is added.
 */
export class SafeAwsAuth extends Construct {
  /** Where this instance keeps its mappings. */
  public readonly backend: AwsAuthBackend;

  private readonly mappings: MappingBackend;

  constructor(scope: Construct, id: string, props: SafeAwsAuthProps) {
    super(scope, id);
    const mode = props.cluster.authenticationMode ?? eks.AuthenticationMode.CONFIG_MAP;
    this.backend = props.backend ?? (mode === eks.AuthenticationMode.CONFIG_MAP ? AwsAuthBackend.CONFIG_MAP : AwsAuthBackend.ACCESS_ENTRIES);
    const problems: string[] = [];
    if (this.backend === AwsAuthBackend.ACCESS_ENTRIES && mode === eks.AuthenticationMode.CONFIG_MAP) {
      problems.push('`backend` is ACCESS_ENTRIES but the cluster is in CONFIG_MAP mode (or its mode is unknown), where EKS ignores access '
        + 'entries. Leave `backend` out (aws-auth merge), or give the imported cluster its `authenticationMode`.');
    }
    if (this.backend === AwsAuthBackend.CONFIG_MAP && mode === eks.AuthenticationMode.API) {
      problems.push('`backend` is CONFIG_MAP but the cluster is in API mode, where EKS ignores aws-auth. Use ACCESS_ENTRIES (the default).');
    }
    if (this.backend === AwsAuthBackend.ACCESS_ENTRIES && props.handlerRole) {
      problems.push('`handlerRole` only applies to the CONFIG_MAP backend; access entries need no handler. Remove it.');
    }
    throwIfProblems(this, problems);
    this.mappings = this.backend === AwsAuthBackend.ACCESS_ENTRIES
      ? new AccessEntryBackend(this, props.cluster)
      : new ConfigMapBackend(this, props.cluster, { ownerId: props.ownerId ?? `${Aws.STACK_NAME}:${this.node.path}`, handlerRole: props.handlerRole });
  }

  /** Maps an IAM role to Kubernetes groups (and a username). */
  public addRoleMapping(role: iam.IRole, options: AwsAuthMappingOptions): void {
    this.mappings.addRole({ arn: role.roleArn, groups: options.groups, username: options.username });
  }

  /** Maps an IAM user to Kubernetes groups (and a username). */
  public addUserMapping(user: iam.IUser, options: AwsAuthMappingOptions): void {
    this.mappings.addUser({ arn: user.userArn, groups: options.groups, username: options.username });
  }

  /** Makes a role a cluster admin (`system:masters`; AmazonEKSClusterAdminPolicy as an access entry). */
  public addMastersRole(role: iam.IRole, username?: string): void {
    this.addRoleMapping(role, { groups: ['system:masters'], username });
  }

  /**
   * Maps every IAM principal of an account (aws-auth `mapAccounts`). Refused on the access-entry backend, which
   * maps one principal an entry.
   */
  public addAccount(accountId: string): void {
    this.mappings.addAccount(accountId);
  }
}
