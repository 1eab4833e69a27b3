import { CfnOutput, Names, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { assertNoLoadBalancerController, AwsLoadBalancerController, AwsLoadBalancerControllerOptions } from './aws-load-balancer-controller';
import { FargateClusterBase } from './fargate-cluster-base';
import { FargateClusterAttributes, IFargateCluster } from './fargate-cluster-interface';
import { FargateClusterProps, SupportType } from './fargate-cluster-props';
import { FargateEfsVolume, FargateEfsVolumeOptions } from './fargate-efs-volume';
import { FargateLogging } from './fargate-logging';
import { FargateMetricsServer, FargateMetricsServerOptions } from './fargate-metrics-server';
import { FargateProfileSet } from './fargate-profile-set';
import { ImportedFargateCluster } from './imported-fargate-cluster';
import { PodExecutionRole } from './pod-execution-role';
import { addAccessEntry, clusterAdminPolicy, hasClusterAdminEntry } from './private/access-entries/cluster-access-entries';
import { AwsAuthOutsideWriteWatch } from './private/aws-auth/reconcile/outside-write-watch';
import { validateClusterProps, warnAboutSupport, warnIfNoAdminAtSynth } from './private/cluster/cluster-checks';
import { addPrivateClusterEndpoints, checkVpcDns, createClusterVpc } from './private/cluster/cluster-vpc';
import { ClusterWorkloadsOptions } from './private/cluster/cluster-workloads';
import { CoreDnsOnFargate } from './private/cluster/core-dns-on-fargate';
import { privateSubnetsOf } from './private/cluster/vpc-subnets';
import { acknowledgeManagedPoliciesUnder, acknowledgeNag } from './private/shared/nag-acknowledgements';
import { SafeAwsAuth } from './safe-aws-auth';

/**
 * An Amazon EKS cluster whose pods run on AWS Fargate, built from native CloudFormation resources (no custom
 * resource for the cluster): VPC, `AWS::EKS::Cluster`, a default Fargate profile, CoreDNS on Fargate through the
 * managed add-on, a scoped pod execution role, control-plane logging and secrets encryption.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate.html
 */
export class FargateCluster extends FargateClusterBase {
  /**
   * Refers to a cluster created elsewhere, to add Fargate profiles and identity mappings to it.
   * @param scope the scope of the imported cluster
   * @param id construct id of the imported cluster
   * @param attrs what is known of the cluster
   */
  public static fromClusterAttributes(scope: Construct, id: string, attrs: FargateClusterAttributes): IFargateCluster {
    return new ImportedFargateCluster(scope, id, attrs);
  }

  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly fargateOnly = true;
  // Optional in type only, as jsii requires of members that are optional in IFargateCluster; always set here.
  public readonly vpc?: ec2.IVpc;
  public readonly clusterSecurityGroupId?: string;
  public readonly authenticationMode?: eks.AuthenticationMode;
  public readonly clusterEndpoint?: string;
  public readonly clusterCertificateAuthorityData?: string;
  public readonly endpointAccess?: eks.EndpointAccess;
  public readonly podExecutionRole?: iam.IRole;

  /** The `AWS::EKS::Cluster` resource. */
  public readonly resource: eks.CfnCluster;

  /** The IAM role the EKS control plane uses. */
  public readonly clusterRole: iam.IRole;

  /** The key that encrypts Kubernetes secrets. */
  public readonly secretsEncryptionKey: kms.IKey;

  /** The log group of the control-plane logs. */
  public readonly clusterLogGroup: logs.ILogGroup;

  /**
   * Alarm on writes of `kube-system/aws-auth` by anyone but this library's own roles, from the audit log.
   * @default - none when `clusterLogging` leaves out the audit log
   */
  public readonly awsAuthOutsideWriteAlarm?: cloudwatch.IAlarm;

  /** The profile set for `default` and `kube-system`, when `defaultProfile` is on. */
  public readonly defaultProfile?: FargateProfileSet;

  /** The CoreDNS managed add-on, configured to run on Fargate. */
  public readonly coreDns: eks.CfnAddon;

  /** Fargate logging, when `fargateLogging` is set. */
  public readonly fargateLogging?: FargateLogging;

  private readonly hasBootstrapAdmin: boolean;
  private readonly workloadsOptions: ClusterWorkloadsOptions;
  private awsAuthInstance?: SafeAwsAuth;

  constructor(scope: Construct, id: string, props: FargateClusterProps) {
    super(scope, id);
    const name = props.clusterName ?? Names.uniqueResourceName(this, { maxLength: 100, separator: '-', allowedSpecialCharacters: '-_' });
    const authenticationMode = props.authenticationMode ?? eks.AuthenticationMode.API_AND_CONFIG_MAP;
    const endpointAccess = props.endpointAccess ?? eks.EndpointAccess.PUBLIC_AND_PRIVATE;
    this.authenticationMode = authenticationMode;
    this.endpointAccess = endpointAccess;
    validateClusterProps(this, name, props);

    for (const [key, value] of Object.entries(props.tags ?? {})) {
      Tags.of(this).add(key, value);
    }

    const vpc = props.vpc ?? createClusterVpc(this, {
      maxAzs: props.maxAzs ?? 2,
      natGateways: props.natGateways,
      vpcEndpoints: props.vpcEndpoints ?? false,
    });
    this.vpc = vpc;
    checkVpcDns(this, vpc);
    if (props.vpc && props.vpcEndpoints) {
      addPrivateClusterEndpoints(vpc, { s3Gateway: props.vpcS3GatewayEndpoint ?? false });
    }

    this.clusterRole = new iam.Role(this, 'ClusterRole', {
      assumedBy: new iam.ServicePrincipal('eks.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSClusterPolicy')],
    });
    this.secretsEncryptionKey = props.secretsEncryptionKey ?? new kms.Key(this, 'SecretsKey', {
      description: `Envelope encryption of Kubernetes secrets of EKS cluster ${name}`,
      enableKeyRotation: true,
    });
    // EKS would create the group itself, without retention; creating it first keeps retention in our hands. A
    // retained group would make a destroy-then-redeploy fail on the fixed name, so it goes with the cluster unless
    // the cluster is protected or the user says otherwise.
    this.clusterLogGroup = props.clusterLogGroup ?? new logs.LogGroup(this, 'ClusterLogGroup', {
      logGroupName: `/aws/eks/${name}/cluster`,
      retention: props.clusterLogRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.clusterLogRemovalPolicy ?? (props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY),
    });

    const endpoint = endpointAccess._config;
    const controlPlaneSubnets = (props.vpcSubnets ?? [{ subnets: privateSubnetsOf(vpc) }])
      .flatMap(selection => vpc.selectSubnets(selection).subnetIds);
    this.hasBootstrapAdmin = props.bootstrapClusterCreatorAdminPermissions ?? false;
    this.resource = new eks.CfnCluster(this, 'Resource', {
      name,
      version: props.version.version,
      roleArn: this.clusterRole.roleArn,
      resourcesVpcConfig: {
        subnetIds: controlPlaneSubnets,
        endpointPublicAccess: endpoint.publicAccess,
        endpointPrivateAccess: endpoint.privateAccess,
        publicAccessCidrs: endpoint.publicAccess ? endpoint.publicCidrs : undefined,
      },
      accessConfig: {
        authenticationMode,
        bootstrapClusterCreatorAdminPermissions: this.hasBootstrapAdmin,
      },
      logging: {
        clusterLogging: {
          enabledTypes: (props.clusterLogging ?? ALL_LOG_TYPES).map(type => ({ type })),
        },
      },
      // Only the provider: the current CloudFormation schema marks `Resources` (always ['secrets']) as deprecated.
      encryptionConfig: [{ provider: { keyArn: this.secretsEncryptionKey.keyArn } }],
      upgradePolicy: { supportType: props.supportType ?? SupportType.STANDARD },
      deletionProtection: props.deletionProtection,
    });
    if (!props.clusterLogGroup) {
      this.resource.node.addDependency(this.clusterLogGroup);
    }
    if ((props.clusterLogging ?? ALL_LOG_TYPES).includes(eks.ClusterLoggingTypes.AUDIT)) {
      this.awsAuthOutsideWriteAlarm = new AwsAuthOutsideWriteWatch(this, { clusterName: name, logGroup: this.clusterLogGroup }).alarm;
    }
    acknowledgeManagedPoliciesUnder(this.clusterRole, 'EKS requires the cluster role to carry AmazonEKSClusterPolicy.');
    // An endpoint open to the internet is the user's decision to acknowledge (with their reason), never the library's.
    if (endpoint.publicAccess && endpoint.publicCidrs && endpoint.publicCidrs.length > 0 && !endpoint.publicCidrs.includes('0.0.0.0/0')) {
      acknowledgeNag(this.resource, 'AwsSolutions-EKS1', `The public endpoint only answers ${endpoint.publicCidrs.join(', ')} (endpointAccess.onlyFrom).`);
    }

    this.clusterName = this.resource.ref;
    this.clusterArn = this.resource.attrArn;
    this.clusterEndpoint = this.resource.attrEndpoint;
    this.clusterCertificateAuthorityData = this.resource.attrCertificateAuthorityData;
    this.clusterSecurityGroupId = this.resource.attrClusterSecurityGroupId;

    this.podExecutionRole = props.podExecutionRole ?? new PodExecutionRole(this, 'PodExecutionRole', { clusterName: name });

    if (props.mastersRole) {
      this.grantAccess('MastersRoleAccess', props.mastersRole.roleArn, [clusterAdminPolicy()]);
    }

    if (props.defaultProfile ?? true) {
      this.defaultProfile = this.addProfileSet('DefaultProfile', {
        selectors: [{ namespace: 'default' }, { namespace: 'kube-system' }],
      });
    }
    this.coreDns = new CoreDnsOnFargate(this, 'CoreDns', { cluster: this, version: props.coreDnsVersion }).addon;

    this.workloadsOptions = {
      cluster: this,
      kubernetesVersion: props.version.version,
      kubectlLayer: props.kubectlLayer,
      oidcIssuerUrl: this.resource.attrOpenIdConnectIssuerUrl,
    };
    if (props.fargateLogging) {
      this.fargateLogging = new FargateLogging(this, 'FargateLogging', { ...props.fargateLogging, cluster: this });
    }
    warnAboutSupport(this, props.version.version, props.supportType ?? SupportType.STANDARD);
    this.addOutputs(name, props.mastersRole);
    warnIfNoAdminAtSynth(this, () => this.hasBootstrapAdmin || hasClusterAdminEntry(this));
  }

  /** Identity mappings of the cluster as access entries (aws-auth on request), created on first use. */
  public get awsAuth(): SafeAwsAuth {
    if (!this.awsAuthInstance) {
      this.awsAuthInstance = new SafeAwsAuth(this, 'AwsAuth', { cluster: this });
    }
    return this.awsAuthInstance;
  }

  /**
   * Gives an IAM principal access to the cluster through an `AWS::EKS::AccessEntry` with the given access policies
   * (cluster- or namespace-scoped, e.g. `eks.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', ...)`).
   * @param id construct id of the access entry, under the cluster
   * @param principalArn ARN of the IAM role or user
   * @param accessPolicies the access policies the entry grants
   */
  public grantAccess(id: string, principalArn: string, accessPolicies: eks.IAccessPolicy[]): void {
    addAccessEntry(this, this, id, { principalArn, type: 'STANDARD', accessPolicies });
  }

  /**
   * Installs the AWS Load Balancer Controller the way Fargate needs it (IP targets, cluster name, region and VPC
   * passed explicitly since Fargate has no instance metadata). One a cluster.
   * @param options chart version, image, replicas and Helm values of the controller
   */
  public addAwsLoadBalancerController(options: AwsLoadBalancerControllerOptions = {}): AwsLoadBalancerController {
    assertNoLoadBalancerController(`${this.node.path}/AwsLoadBalancerController`, this);
    return new AwsLoadBalancerController(this, 'AwsLoadBalancerController', { ...options, cluster: this });
  }

  /**
   * Adds an EFS volume that pods in `options.namespace` mount through the claim `volume.claimName` (static
   * provisioning, the only kind Fargate supports).
   * @param id construct id of the volume, under the cluster
   * @param options namespace, claim name, capacity, POSIX user and file system of the volume
   */
  public addEfsVolume(id: string, options: FargateEfsVolumeOptions): FargateEfsVolume {
    return new FargateEfsVolume(this, id, { ...options, cluster: this });
  }

  /**
   * Installs metrics-server (the EKS add-on, preset to port 10251 for Fargate) for Horizontal Pod Autoscalers. One a cluster.
   * @param options add-on version of metrics-server
   */
  public addMetricsServer(options: FargateMetricsServerOptions = {}): FargateMetricsServer {
    return new FargateMetricsServer(this, 'MetricsServer', { ...options, cluster: this });
  }

  /** @internal */
  protected _workloadsOptions(): ClusterWorkloadsOptions {
    return this.workloadsOptions;
  }

  private addOutputs(name: string, mastersRole?: iam.IRole): void {
    new CfnOutput(this, 'ClusterNameOutput', { description: 'EKS cluster name', value: this.clusterName });
    new CfnOutput(this, 'ClusterEndpointOutput', { description: 'Kubernetes API server endpoint', value: this.resource.attrEndpoint });
    const roleArgument = mastersRole ? ` --role-arn ${mastersRole.roleArn}` : '';
    new CfnOutput(this, 'UpdateKubeconfigCommand', {
      description: 'Configure kubectl for this cluster',
      value: `aws eks update-kubeconfig --name ${name} --region ${Stack.of(this).region}${roleArgument}`,
    });
  }
}

const ALL_LOG_TYPES: eks.ClusterLoggingTypes[] = [
  eks.ClusterLoggingTypes.API,
  eks.ClusterLoggingTypes.AUDIT,
  eks.ClusterLoggingTypes.AUTHENTICATOR,
  eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
  eks.ClusterLoggingTypes.SCHEDULER,
];
