/**
 * The contract between the `KubernetesObjects` construct and the handler: the custom resource's properties.
 * CloudFormation hands every scalar to the handler as a string, so the objects travel as one JSON text.
 */
export interface KubernetesObjectsResourceProperties {
  /** EKS cluster name; also the `x-k8s-aws-id` signed into the bearer token. */
  readonly ClusterName: string;
  /** Role the handler assumes to reach the cluster (its access entry grants cluster-admin). */
  readonly RoleArn: string;
  /** JSON array of the Kubernetes objects, as the user wrote them (`kind: List` allowed). */
  readonly Manifests: string;
  /** `'true'`: objects removed from `Manifests` on update are deleted. */
  readonly Prune: string;
  /** `'true'`: take over fields other field managers own instead of failing. */
  readonly Force: string;
  /** `'true'`: objects stay in the cluster when the resource goes (RETAIN). */
  readonly Retain: string;
  /** API server URL; present for owned clusters, absent for imported ones (the handler calls DescribeCluster). */
  readonly Endpoint?: string;
  /** Base64 PEM of the cluster CA; present together with `Endpoint`. */
  readonly CertificateAuthorityData?: string;
}

/** The resource type name shown in templates. */
export const KUBERNETES_OBJECTS_RESOURCE_TYPE = 'Custom::CdkEksFargateKubernetesObjects';

/**
 * Largest `Manifests` text: CloudFormation invokes the handler asynchronously (a payload of at most 256 KB) and an
 * Update event carries the old and the new properties, so each set gets less than half of it.
 */
export const MAX_MANIFESTS_BYTES = 120 * 1024;
