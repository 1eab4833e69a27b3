import { CfnOutput, CustomResource, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { displayOf, MappingBackend, PrincipalMapping, principalName } from './mapping-backend';
import { accountProblems, roleMappingProblems, sameGrant, userMappingProblems } from './mapping-validation';
import type { IFargateCluster } from '../../../fargate-cluster-interface';
import { addAccessEntry } from '../../access-entries/cluster-access-entries';
import { kubernetesHandlerFor } from '../../handler/kubernetes-handler-provider';
import { trustIfOwned } from '../../shared/role-trust';
import { throwIfProblems } from '../../shared/validation-report';
import { AWS_AUTH_RESOURCE_TYPE, AwsAuthResourceProperties } from '../handler/resource-properties';
import { AwsAuthGuard } from '../reconcile/aws-auth-guard';
import { outsideWriteWatchOf } from '../reconcile/outside-write-watch';

/** Options of {@link ConfigMapBackend}. */
export interface ConfigMapBackendOptions {
  readonly ownerId: string;
  readonly handlerRole?: iam.IRole;
  /** Set when a scheduled reconcile guards the owner. */
  readonly reconcile?: { readonly interval: Duration; readonly alarmTopic?: sns.ITopic };
}

/**
 * Identity mappings merged into `kube-system/aws-auth` by the handler Lambda: one custom resource a
 * `SafeAwsAuth`, whose physical id is its owner id, made when the first mapping is added.
 */
export class ConfigMapBackend implements MappingBackend {
  private readonly roles: PrincipalMapping[] = [];
  private readonly users: PrincipalMapping[] = [];
  private readonly accounts: string[] = [];
  private resource?: CustomResource;
  /** The scheduled reconcile, once the first mapping made the custom resource. */
  public guard?: AwsAuthGuard;

  constructor(private readonly owner: Construct, private readonly cluster: IFargateCluster, private readonly options: ConfigMapBackendOptions) {}

  public addRole(mapping: PrincipalMapping): void {
    throwIfProblems(this.owner, roleMappingProblems(mapping.arn, mapping.groups, mapping.username, displayOf(mapping)));
    this.addOnce(this.roles, mapping);
  }

  public addUser(mapping: PrincipalMapping): void {
    throwIfProblems(this.owner, userMappingProblems(mapping.arn, mapping.groups, mapping.username, displayOf(mapping)));
    this.addOnce(this.users, mapping);
  }

  public addAccount(accountId: string): void {
    throwIfProblems(this.owner, accountProblems(accountId));
    this.accounts.push(accountId);
    this.ensureResource();
  }

  /**
   * The same mapping twice (profile sets sharing a role, groups in another order) is one entry; two different
   * mappings of one ARN cannot both hold. ARNs compare ignoring case, as EKS compares them.
   */
  private addOnce(list: PrincipalMapping[], mapping: PrincipalMapping): void {
    const existing = list.find(candidate => candidate.arn.toLowerCase() === mapping.arn.toLowerCase());
    if (existing && !sameGrant(existing, mapping)) {
      throwIfProblems(this.owner, [`${displayOf(mapping)} is already mapped with groups [${existing.groups.join(', ')}]; aws-auth holds one `
        + `mapping an ARN, so it cannot also get groups [${mapping.groups.join(', ')}]. Map it once with every group.`]);
    }
    if (!existing) {
      list.push(mapping);
    }
    this.ensureResource();
  }

  /** The execution role of the handler Lambda this backend uses (the function is made on first use). */
  public get handlerExecutionRole(): iam.IRole {
    return kubernetesHandlerFor(this.owner, this.cluster).role!;
  }

  /** Lets exactly the handler's execution role assume `role` (a trust statement naming its ARN). */
  public trustHandler(role: iam.Role): void {
    trustIfOwned(role, this.handlerExecutionRole);
  }

  private ensureResource(): void {
    if (this.resource) {
      return;
    }
    const handler = kubernetesHandlerFor(this.owner, this.cluster);
    const { role, accessEntry } = this.options.handlerRole
      ? { role: this.options.handlerRole, accessEntry: undefined }
      : this.createHandlerRole(handler.role!);
    handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [role.roleArn] }));
    if (this.options.handlerRole instanceof iam.Role) {
      this.trustHandler(this.options.handlerRole);
    } else if (this.options.handlerRole) {
      // A role made elsewhere must trust the handler itself: the exact ARN to name in its trust policy.
      new CfnOutput(this.owner, 'HandlerExecutionRoleArn', {
        // CloudFormation takes only a literal description, so a role known by a token is named by its construct path.
        description: `The only principal that role ${principalName(this.options.handlerRole, this.options.handlerRole.roleArn)} needs to trust `
          + '(sts:AssumeRole) for the aws-auth merge',
        value: handler.role!.roleArn,
      });
    }
    // Imported clusters need it for endpoint and CA; every Delete needs it to tell a deleted cluster from an outage.
    iam.Grant.addToPrincipal({ grantee: role, actions: ['eks:DescribeCluster'], resourceArns: [this.cluster.clusterArn] });

    const properties: AwsAuthResourceProperties = {
      ClusterName: this.cluster.clusterName,
      RoleArn: role.roleArn,
      OwnerId: this.options.ownerId,
      Mappings: Lazy.string({ produce: () => Stack.of(this.owner).toJsonString(this.mappings()) }),
      Endpoint: this.cluster.clusterEndpoint,
      CertificateAuthorityData: this.cluster.clusterCertificateAuthorityData,
      Reconcile: this.options.reconcile ? 'true' : undefined,
    };
    this.resource = new CustomResource(this.owner, 'Resource', {
      serviceToken: handler.functionArn,
      resourceType: AWS_AUTH_RESOURCE_TYPE,
      properties: { ...properties },
    });
    // The handler role's access entry must exist (and have propagated: the handler retries 401/403) first.
    if (accessEntry) {
      this.resource.node.addDependency(accessEntry);
    }
    // So CloudFormation keeps the role's policies (eks:DescribeCluster) until the handler's Delete is done; an imported
    // role's policies are children of its construct too.
    this.resource.node.addDependency(role);
    outsideWriteWatchOf(this.cluster)?.excludeWriter(role);
    if (this.options.reconcile) {
      this.guard = new AwsAuthGuard(this.owner, 'Guard', {
        cluster: this.cluster,
        ownerId: this.options.ownerId,
        role,
        resource: this.resource,
        interval: this.options.reconcile.interval,
        alarmTopic: this.options.reconcile.alarmTopic,
      });
    }
  }

  private createHandlerRole(handlerExecutionRole: iam.IRole): { role: iam.IRole; accessEntry: eks.CfnAccessEntry } {
    const mode = this.cluster.authenticationMode ?? eks.AuthenticationMode.CONFIG_MAP;
    if (mode === eks.AuthenticationMode.CONFIG_MAP) {
      throwIfProblems(this.owner, ['`handlerRole` is required for a cluster in CONFIG_MAP mode (or of unknown mode): only an existing aws-auth '
        + 'mapping can let the handler in, and this construct must not write that mapping itself. Pass a role already mapped to a group '
        + 'that may edit ConfigMaps in kube-system (`awsAuthHandlerRole` in `FargateCluster.fromClusterAttributes`), or give the '
        + 'cluster\'s `authenticationMode` if it uses access entries.']);
    }
    const role = new iam.Role(this.owner, 'HandlerRole', {
      description: 'Assumed by the cdk-eks-fargate aws-auth handler to edit kube-system/aws-auth',
      assumedBy: new iam.ArnPrincipal(handlerExecutionRole.roleArn),
    });
    const accessEntry = addAccessEntry(this.cluster, this.owner, 'HandlerAccess', {
      principalArn: role.roleArn,
      type: 'STANDARD',
      accessPolicies: [eks.AccessPolicy.fromAccessPolicyName('AmazonEKSEditPolicy', {
        accessScopeType: eks.AccessScopeType.NAMESPACE,
        namespaces: ['kube-system'],
      })],
    });
    return { role, accessEntry };
  }

  private mappings() {
    return {
      mapRoles: this.roles.map(mapping => ({ rolearn: mapping.arn, username: mapping.username, groups: [...mapping.groups] })),
      mapUsers: this.users.map(mapping => ({ userarn: mapping.arn, username: mapping.username, groups: [...mapping.groups] })),
      mapAccounts: [...this.accounts],
    };
  }
}
