import { ArnFormat, Resource, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FargateClusterAttributes, IFargateCluster } from '../../fargate-cluster-interface';
import { SafeAwsAuth } from '../../safe-aws-auth';
import { AwsAuthOutsideWriteWatch } from '../aws-auth/reconcile/outside-write-watch';
import { enumProblems } from '../shared/enum-rules';
import { throwIfProblems } from '../shared/validation-report';

/** A cluster created elsewhere, as `FargateCluster.fromClusterAttributes` returns it. */
export class ImportedFargateCluster extends Resource implements IFargateCluster {
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
  private readonly awsAuthHandlerRole?: iam.IRole;
  private awsAuthInstance?: SafeAwsAuth;

  constructor(scope: Construct, id: string, attrs: FargateClusterAttributes) {
    super(scope, id);
    throwIfProblems(this, enumProblems('authenticationMode', attrs.authenticationMode, eks.AuthenticationMode));
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
    this.awsAuthHandlerRole = attrs.awsAuthHandlerRole;
    if (attrs.controlPlaneLogGroup) {
      const watch = new AwsAuthOutsideWriteWatch(this, { clusterName: attrs.clusterName, logGroup: attrs.controlPlaneLogGroup });
      this.awsAuthOutsideWriteAlarm = watch.alarm;
    }
  }

  public get awsAuth(): SafeAwsAuth {
    if (!this.awsAuthInstance) {
      const usesConfigMap = (this.authenticationMode ?? eks.AuthenticationMode.CONFIG_MAP) === eks.AuthenticationMode.CONFIG_MAP;
      this.awsAuthInstance = new SafeAwsAuth(this, 'AwsAuth', {
        cluster: this,
        handlerRole: usesConfigMap ? this.awsAuthHandlerRole : undefined,
      });
    }
    return this.awsAuthInstance;
  }
}
