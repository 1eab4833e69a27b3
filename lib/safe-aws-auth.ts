import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { IFargateCluster } from './fargate-cluster-interface';
import { AccessEntryBackend } from './private/aws-auth/backends/access-entry-backend';
import { ConfigMapBackend } from './private/aws-auth/backends/config-map-backend';
import { MappingBackend, principalName } from './private/aws-auth/backends/mapping-backend';
import { reconcileIntervalProblems } from './private/aws-auth/reconcile/aws-auth-guard';
import { enumProblems } from './private/shared/enum-rules';
import { NODE_GROUPS } from './private/shared/kubernetes-groups';
import { throwIfProblems } from './private/shared/validation-report';

/** Where `SafeAwsAuth` keeps identity mappings. */
export enum AwsAuthBackend {
  /** Native `AWS::EKS::AccessEntry` resources. Needs a cluster in `API` or `API_AND_CONFIG_MAP` mode. */
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
   * CONFIG_MAP mode, where only an existing aws-auth mapping can let it in. A role of this app is made to trust
   * exactly the handler's execution role; a role made elsewhere must trust it itself: the stack output
   * `HandlerExecutionRoleArn` (and `handlerExecutionRole`) names the exact ARN to put in its trust policy. Its
   * aws-auth mapping's groups must allow `get`, `list`, `create` and `update` of ConfigMaps in `kube-system` (the
   * reconcile reads them with one LIST; `system:masters` allows all of it). Whoever may assume this role can edit
   * aws-auth, which on a CONFIG_MAP cluster is cluster-admin.
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

  /**
   * Whether a scheduled function puts this owner's aws-auth entries back when something else removed or changed them
   * (CONFIG_MAP backend). It keeps the last good aws-auth in `kube-system/cdk-eks-fargate-aws-auth-last-good`, never
   * touches entries it does not own, and raises `nodeMappingsLostAlarm` when a `system:nodes` mapping disappears.
   * @default true
   */
  readonly reconcile?: boolean;

  /**
   * How often the reconcile runs: whole minutes, from 1 minute to 6 hours.
   * @default Duration.minutes(5)
   */
  readonly reconcileInterval?: Duration;

  /**
   * Topic notified when one of the reconcile's alarms goes off.
   * @default - no alarm actions
   */
  readonly alarmTopic?: sns.ITopic;
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
  private readonly configMap?: ConfigMapBackend;

  constructor(scope: Construct, id: string, props: SafeAwsAuthProps) {
    super(scope, id);
    throwIfProblems(this, enumProblems('backend', props.backend, AwsAuthBackend));
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
    const reconcile = this.backend === AwsAuthBackend.CONFIG_MAP && props.reconcile !== false;
    for (const name of ['reconcileInterval', 'alarmTopic'] as const) {
      if (props[name] !== undefined && !reconcile) {
        problems.push(`\`${name}\` only applies to the reconcile of the CONFIG_MAP backend, and this instance has none (${this.backend === AwsAuthBackend.CONFIG_MAP
          ? '`reconcile` is false' : 'access entries cannot be overwritten the way aws-auth can'}). Remove it.`);
      }
    }
    if (props.reconcileInterval) {
      problems.push(...reconcileIntervalProblems(props.reconcileInterval));
    }
    throwIfProblems(this, problems);
    if (this.backend === AwsAuthBackend.ACCESS_ENTRIES) {
      this.mappings = new AccessEntryBackend(this, props.cluster);
    } else {
      this.configMap = new ConfigMapBackend(this, props.cluster, {
        ownerId: props.ownerId ?? `${Aws.STACK_NAME}:${this.node.path}`,
        handlerRole: props.handlerRole,
        reconcile: reconcile ? { interval: props.reconcileInterval ?? Duration.minutes(5), alarmTopic: props.alarmTopic } : undefined,
      });
      this.mappings = this.configMap;
    }
  }

  /**
   * Alarm when an ARN mapped to `system:nodes` in the last good aws-auth is gone (nodes using it can no longer join).
   * `undefined` until the first mapping is added, and on the access-entry backend or without `reconcile`.
   */
  public get nodeMappingsLostAlarm(): cloudwatch.IAlarm | undefined {
    return this.configMap?.guard?.nodeMappingsLostAlarm;
  }

  /**
   * Alarm when aws-auth entries this library does not own are gone. They are never restored, the last-good ConfigMap
   * keeps them. `undefined` until the first mapping is added, and on the access-entry backend or without `reconcile`.
   */
  public get foreignEntriesLostAlarm(): cloudwatch.IAlarm | undefined {
    return this.configMap?.guard?.foreignEntriesLostAlarm;
  }

  /**
   * Alarm when the reconcile fails, crashes, or stops running (no heartbeat), including when an overwrite removed
   * the mapping it reaches the cluster with. `undefined` until the first mapping is added, and on the access-entry
   * backend or without `reconcile`.
   */
  public get reconcileFailingAlarm(): cloudwatch.IAlarm | undefined {
    return this.configMap?.guard?.reconcileFailingAlarm;
  }

  /**
   * The execution role of the aws-auth handler Lambda (CONFIG_MAP backend): the exact principal a `handlerRole` must
   * trust. The function is made on first use; `undefined` on the access-entry backend, which needs no handler.
   */
  public get handlerExecutionRole(): iam.IRole | undefined {
    return this.mappings instanceof ConfigMapBackend ? this.mappings.handlerExecutionRole : undefined;
  }

  /**
   * Lets exactly the aws-auth handler's execution role assume `role` (CONFIG_MAP backend), by adding a trust
   * statement that names its ARN. `handlerRole` roles of this app get it without this call.
   * @param role the role to add the trust statement to
   */
  public trustHandler(role: iam.Role): void {
    if (!(this.mappings instanceof ConfigMapBackend)) {
      throwIfProblems(this, [`\`trustHandler(${role.node.path})\` applies to the CONFIG_MAP backend only; access entries need no handler. `
        + 'Remove the call, or use `backend: AwsAuthBackend.CONFIG_MAP`.']);
      return;
    }
    this.mappings.trustHandler(role);
  }

  /**
   * Maps an IAM role to Kubernetes groups (and a username).
   * @param role the IAM role to map
   * @param options Kubernetes groups and username of the role
   */
  public addRoleMapping(role: iam.IRole, options: AwsAuthMappingOptions): void {
    this.mappings.addRole(this.mappingOf(role, role.roleArn, options));
  }

  /**
   * Maps an IAM user to Kubernetes groups (and a username).
   * @param user the IAM user to map
   * @param options Kubernetes groups and username of the user
   */
  public addUserMapping(user: iam.IUser, options: AwsAuthMappingOptions): void {
    this.mappings.addUser(this.mappingOf(user, user.userArn, options));
  }

  /** The mapping as the backends take it. JavaScript callers may leave `groups` out. */
  private mappingOf(principal: IConstruct, arn: string, options: AwsAuthMappingOptions) {
    const display = principalName(principal, arn);
    if (!options || !Array.isArray(options.groups)) {
      throwIfProblems(this, [`mapping of ${display} has \`groups\` ${JSON.stringify(options?.groups)}; it must be a list of Kubernetes groups, `
        + 'e.g. `{ groups: [\'developers\'] }` (`[]` with a `username` for a user without groups).']);
    }
    return { arn, groups: options.groups, username: options.username, display };
  }

  /**
   * Protects the aws-auth mapping of an EC2 node role that this app does not own, such as one eksctl or a node group
   * wrote: declared with the same username and groups it already has, the existing entry is adopted, so the reconcile
   * restores it after an overwrite and a Delete leaves it in place. On the access-entry backend it is an `EC2_LINUX`
   * access entry.
   *
   * @param role the node role
   * @param username the username the mapping has now; `system:node:{{EC2PrivateDNSName}}` (as EKS documents it) when left out
   */
  public protectNodeRole(role: iam.IRole, username: string = 'system:node:{{EC2PrivateDNSName}}'): void {
    this.addRoleMapping(role, { groups: [...NODE_GROUPS], username });
  }

  /**
   * Makes a role a cluster admin: `system:masters` in aws-auth, AmazonEKSClusterAdminPolicy as an access entry.
   * @param role the role to make admin
   * @param username Kubernetes username of the role
   */
  public addMastersRole(role: iam.IRole, username?: string): void {
    this.addRoleMapping(role, { groups: ['system:masters'], username });
  }

  /**
   * Maps every IAM principal of an account (aws-auth `mapAccounts`). Refused on the access-entry backend, which
   * maps one principal an entry.
   * @param accountId the 12-digit AWS account id
   */
  public addAccount(accountId: string): void {
    this.mappings.addAccount(accountId);
  }
}
