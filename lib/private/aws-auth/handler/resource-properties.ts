/**
 * The contract between the `SafeAwsAuth` construct and the aws-auth handler Lambda: the custom resource's
 * properties. CloudFormation hands every scalar to the handler as a string, so structured values travel as JSON.
 */
export interface AwsAuthResourceProperties {
  /** EKS cluster name; also the `x-k8s-aws-id` signed into the bearer token. */
  readonly ClusterName: string;
  /** Role the handler assumes to reach the cluster (its access entry or aws-auth mapping grants the rights). */
  readonly RoleArn: string;
  /** Owner key of this SafeAwsAuth; the custom resource's physical id. */
  readonly OwnerId: string;
  /** JSON of `AwsAuthMappings`: the entries this owner wants in aws-auth. */
  readonly Mappings: string;
  /** API server URL; present for owned clusters, absent for imported ones (the handler calls DescribeCluster). */
  readonly Endpoint?: string;
  /** `'true'` when a scheduled reconcile guards the owner (its desired state and tombstone go to the last-good ConfigMap). */
  readonly Reconcile?: string;
  /** Base64 PEM of the cluster CA; present together with `Endpoint`. */
  readonly CertificateAuthorityData?: string;
}

/** The resource type name shown in templates. */
export const AWS_AUTH_RESOURCE_TYPE = 'Custom::CdkEksFargateAwsAuth';
