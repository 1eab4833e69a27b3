import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FargateLoggingOptions } from './fargate-logging';

/** Which EKS support policy applies once the cluster's Kubernetes version leaves standard support. */
export enum SupportType {
  /** Upgrade automatically when standard support ends (no extra cost). */
  STANDARD = 'STANDARD',
  /** Stay on the version through extended support (six times the cluster price). */
  EXTENDED = 'EXTENDED',
}

/** Properties of a {@link FargateCluster}. */
export interface FargateClusterProps {
  /** Kubernetes version of the control plane. */
  readonly version: eks.KubernetesVersion;

  /**
   * Name of the cluster (1 to 100 characters). Changing it replaces the cluster.
   * @default - a deterministic name derived from the construct path
   */
  readonly clusterName?: string;

  /**
   * VPC to run in. Must have DNS support and hostnames on and private subnets for the pods.
   * @default - a new VPC with public and private subnets, NAT, flow logs and an S3 gateway endpoint
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets for the control plane's network interfaces.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection[];

  /**
   * Availability zones of the new VPC (ignored when `vpc` is given).
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * NAT gateways of the new VPC (ignored when `vpc` is given).
   * @default - one per availability zone
   */
  readonly natGateways?: number;

  /**
   * Add the interface endpoints a private cluster needs (ECR API and Docker, STS, CloudWatch Logs, EKS) to the VPC.
   * @default false
   */
  readonly vpcEndpoints?: boolean;

  /**
   * With `vpcEndpoints` on a VPC you pass, also add the S3 gateway endpoint ECR needs for image layers. Off by
   * default because such a VPC may already have one (a VPC made by this construct always gets it).
   * @default false
   */
  readonly vpcS3GatewayEndpoint?: boolean;

  /**
   * Who can reach the Kubernetes API server.
   * @default eks.EndpointAccess.PUBLIC_AND_PRIVATE
   */
  readonly endpointAccess?: eks.EndpointAccess;

  /**
   * How IAM principals authenticate. `CONFIG_MAP` is refused: it is the mode where one bad aws-auth write locks
   * out every node, and EKS cannot switch a cluster back from access entries.
   * @default eks.AuthenticationMode.API_AND_CONFIG_MAP
   */
  readonly authenticationMode?: eks.AuthenticationMode;

  /**
   * Give the identity that creates the cluster (the CloudFormation role) cluster-admin rights. Off by default: the
   * grant is invisible in the template, cannot be removed later, and changing it replaces the cluster.
   * @default false
   */
  readonly bootstrapClusterCreatorAdminPermissions?: boolean;

  /**
   * Create a Fargate profile for the `default` and `kube-system` namespaces (CoreDNS needs the latter).
   * @default true
   */
  readonly defaultProfile?: boolean;

  /**
   * Pin the CoreDNS add-on version.
   * @default - the default version EKS picks for the cluster's Kubernetes version
   */
  readonly coreDnsVersion?: string;

  /**
   * Control-plane log types to send to CloudWatch Logs.
   * @default - all five: api, audit, authenticator, controllerManager, scheduler
   */
  readonly clusterLogging?: eks.ClusterLoggingTypes[];

  /**
   * Retention of the control-plane log group `/aws/eks/<cluster>/cluster`.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly clusterLogRetention?: logs.RetentionDays;

  /**
   * What happens to the control-plane log group when it leaves the stack. EKS writes to a fixed name,
   * `/aws/eks/<cluster>/cluster`, so a retained group makes the next deploy of the same cluster name fail ("already
   * exists") unless it is passed back as `clusterLogGroup`.
   * @default - RemovalPolicy.RETAIN with `deletionProtection`, else RemovalPolicy.DESTROY (the logs go with the cluster)
   */
  readonly clusterLogRemovalPolicy?: RemovalPolicy;

  /**
   * An existing control-plane log group to use instead of creating one, e.g. one retained from an earlier
   * deployment. EKS writes to `/aws/eks/<cluster>/cluster` whatever is passed, so it must have that name.
   * @default - a new log group `/aws/eks/<cluster>/cluster` with `clusterLogRetention` and `clusterLogRemovalPolicy`
   */
  readonly clusterLogGroup?: logs.ILogGroup;

  /**
   * KMS key for envelope encryption of Kubernetes secrets (on top of the AWS-owned key EKS always uses).
   * @default - a customer-managed key with rotation
   */
  readonly secretsEncryptionKey?: kms.IKey;

  /**
   * Role that gets a cluster-admin access entry.
   * @default - none; grant access with `grantAccess`
   */
  readonly mastersRole?: iam.IRole;

  /**
   * Support policy after standard support ends.
   * @default SupportType.STANDARD
   */
  readonly supportType?: SupportType;

  /**
   * Refuse deletion of the cluster in EKS until the flag is turned off.
   * @default false
   */
  readonly deletionProtection?: boolean;

  /**
   * Tags for the cluster and everything the construct creates.
   * @default - none
   */
  readonly tags?: { [key: string]: string };

  /**
   * Pod execution role for the default profile and for profile sets given none.
   * @default - a `PodExecutionRole` trusted only by this cluster's profiles
   */
  readonly podExecutionRole?: iam.IRole;

  /**
   * kubectl for Helm charts (manifests are applied without kubectl). Only used once the first chart is added. Keep it
   * within one minor version of the cluster (a warning names the layer to use otherwise).
   * @default - `KubectlV29Layer` from `@aws-cdk/lambda-layer-kubectl-v29`
   */
  readonly kubectlLayer?: lambda.ILayerVersion;

  /**
   * Ship the logs of every Fargate pod with Fargate's built-in log router (adds the kubectl Lambda, since it applies
   * the `aws-observability` manifests).
   * @default - no logging configuration: Fargate pods log that the `aws-logging` ConfigMap is missing
   */
  readonly fargateLogging?: FargateLoggingOptions;
}
