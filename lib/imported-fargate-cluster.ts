import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FargateClusterBase } from './fargate-cluster-base';
import { FargateClusterAttributes } from './fargate-cluster-interface';
import { AwsAuthOutsideWriteWatch } from './private/aws-auth/reconcile/outside-write-watch';
import { ClusterWorkloadsOptions } from './private/cluster/cluster-workloads';
import { enumProblems } from './private/shared/enum-rules';
import { throwIfProblems } from './private/shared/validation-report';
import { SafeAwsAuth } from './safe-aws-auth';

/** A cluster created elsewhere, as `FargateCluster.fromClusterAttributes` returns it. */
export class ImportedFargateCluster extends FargateClusterBase {
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly vpc?: ec2.IVpc;
  public readonly clusterSecurityGroupId?: string;
  public readonly authenticationMode?: eks.AuthenticationMode;
  public readonly fargateOnly: boolean;
  public readonly clusterEndpoint?: string;
  public readonly clusterCertificateAuthorityData?: string;
  public readonly endpointAccess?: eks.EndpointAccess;
  public readonly podExecutionRole?: iam.IRole;
  public readonly awsAuthOutsideWriteAlarm?: cloudwatch.IAlarm;
  private readonly attributes: FargateClusterAttributes;
  private awsAuthInstance?: SafeAwsAuth;

  constructor(scope: Construct, id: string, attrs: FargateClusterAttributes) {
    super(scope, id);
    throwIfProblems(this, enumProblems('authenticationMode', attrs.authenticationMode, eks.AuthenticationMode));
    this.attributes = attrs;
    this.clusterName = attrs.clusterName;
    this.clusterArn = Stack.of(this).formatArn({
      service: 'eks',
      resource: 'cluster',
      resourceName: attrs.clusterName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.vpc = attrs.vpc;
    this.clusterSecurityGroupId = attrs.clusterSecurityGroupId;
    this.authenticationMode = attrs.authenticationMode;
    this.fargateOnly = attrs.fargateOnly ?? false;
    this.clusterEndpoint = attrs.clusterEndpoint;
    this.clusterCertificateAuthorityData = attrs.clusterCertificateAuthorityData;
    this.endpointAccess = attrs.endpointAccess;
    this.podExecutionRole = attrs.podExecutionRole;
    this._clusterState.adminRole = attrs.kubectlRole;
    if (this.readsAwsAuthOnly) {
      this._clusterState.noAccessEntries = `the cluster's authenticationMode is ${this.authenticationMode ?? 'unknown (treated as CONFIG_MAP)'}, `
        + 'so no access entry can give this app\'s roles access. Pass `kubectlRole` (a role mapped to `system:masters` in aws-auth) '
        + 'to `FargateCluster.fromClusterAttributes`, or `authenticationMode: API_AND_CONFIG_MAP` if the cluster has access entries.';
    }
    if (attrs.controlPlaneLogGroup) {
      const watch = new AwsAuthOutsideWriteWatch(this, { clusterName: attrs.clusterName, logGroup: attrs.controlPlaneLogGroup });
      this.awsAuthOutsideWriteAlarm = watch.alarm;
    }
  }

  public get awsAuth(): SafeAwsAuth {
    if (!this.awsAuthInstance) {
      this.awsAuthInstance = new SafeAwsAuth(this, 'AwsAuth', {
        cluster: this,
        handlerRole: this.readsAwsAuthOnly ? this.attributes.awsAuthHandlerRole : undefined,
      });
    }
    return this.awsAuthInstance;
  }

  /** @internal */
  protected _workloadsOptions(): ClusterWorkloadsOptions {
    return {
      cluster: this,
      kubectlLayer: this.attributes.kubectlLayer,
      kubectlRole: this.attributes.kubectlRole,
      openIdConnectProvider: this.attributes.openIdConnectProvider,
    };
  }

  /** CONFIG_MAP, or unknown: clusters made before access entries existed read aws-auth only. */
  private get readsAwsAuthOnly(): boolean {
    return (this.authenticationMode ?? eks.AuthenticationMode.CONFIG_MAP) === eks.AuthenticationMode.CONFIG_MAP;
  }
}
