// The handler asset bundles the SDK at build time (DESIGN: AWS SDK bundled); users never install it.
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';

/** How to reach a cluster's API server. */
export interface ClusterConnection {
  /** `https://…` API server URL. */
  readonly endpoint: string;
  /** PEM of the cluster CA, the only CA the client trusts for this endpoint. */
  readonly certificateAuthorityPem?: string;
}

/** Looks clusters up; tests inject a fake. */
export interface ClusterDescriber {
  /** The cluster's connection, or `undefined` when EKS says it does not exist (ResourceNotFoundException). */
  describe(clusterName: string): Promise<ClusterConnection | undefined>;
}

/** What the custom resource says about the cluster. */
export interface ClusterConnectionProperties {
  readonly clusterName: string;
  /** Set for owned clusters; absent for imported ones. */
  readonly endpoint?: string;
  /** Base64 PEM; set together with `endpoint`. */
  readonly certificateAuthorityData?: string;
}

/**
 * The connection for a request: the endpoint and CA from the properties for owned clusters (no API call, no
 * permission needed), `DescribeCluster` for imported ones. `undefined` when an imported cluster does not exist.
 */
export async function resolveClusterConnection(
  properties: ClusterConnectionProperties, describer: ClusterDescriber,
): Promise<ClusterConnection | undefined> {
  if (properties.endpoint) {
    return {
      endpoint: properties.endpoint,
      certificateAuthorityPem: properties.certificateAuthorityData === undefined
        ? undefined
        : decodeCertificateAuthority(properties.certificateAuthorityData, properties.clusterName),
    };
  }
  return describer.describe(properties.clusterName);
}

/** EKS hands the CA out as base64 of a PEM bundle. */
export function decodeCertificateAuthority(base64Pem: string, clusterName: string): string {
  const pem = Buffer.from(base64Pem, 'base64').toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`The certificate authority data of EKS cluster "${clusterName}" is not a base64-encoded PEM certificate`);
  }
  return pem;
}

/** `DescribeCluster` through the AWS SDK, signed with the assumed SafeAwsAuth role. */
export class EksClusterDescriber implements ClusterDescriber {
  constructor(private readonly eks: EKSClient) {}

  public async describe(clusterName: string): Promise<ClusterConnection | undefined> {
    let cluster;
    try {
      cluster = (await this.eks.send(new DescribeClusterCommand({ name: clusterName }))).cluster;
    } catch (error) {
      if ((error as { name?: unknown }).name === 'ResourceNotFoundException') {
        return undefined;
      }
      throw error;
    }
    const endpoint = cluster?.endpoint;
    const certificateAuthorityData = cluster?.certificateAuthority?.data;
    if (!endpoint || !certificateAuthorityData) {
      throw new Error(`EKS cluster "${clusterName}" has no API endpoint yet (status ${cluster?.status ?? 'unknown'}); try again once it is ACTIVE`);
    }
    return { endpoint, certificateAuthorityPem: decodeCertificateAuthority(certificateAuthorityData, clusterName) };
  }
}
