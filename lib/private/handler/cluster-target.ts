import { ClusterConnectionProperties } from './cluster-connection';

/** Where the handler goes and as whom: the cluster and the role to assume for it. */
export interface ClusterTarget extends ClusterConnectionProperties {
  /** Role assumed to reach the cluster. */
  readonly roleArn: string;
}

/** Reads `ClusterName`, `RoleArn`, `Endpoint` and `CertificateAuthorityData`, naming the property that is wrong. */
export function parseClusterTarget(properties: { readonly [key: string]: unknown }): ClusterTarget {
  const endpoint = optionalString(properties, 'Endpoint');
  const certificateAuthorityData = optionalString(properties, 'CertificateAuthorityData');
  if (endpoint && !certificateAuthorityData && !endpoint.startsWith('http://')) {
    throw new Error('Property `CertificateAuthorityData` is required when `Endpoint` is set (the cluster CA verifies the endpoint)');
  }
  return {
    clusterName: requiredString(properties, 'ClusterName'),
    roleArn: requiredString(properties, 'RoleArn'),
    endpoint,
    certificateAuthorityData,
  };
}

/** A property that must be a non-empty string. */
export function requiredString(properties: { readonly [key: string]: unknown }, name: string): string {
  const value = properties[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`Property \`${name}\` must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A property that may be absent or empty. */
export function optionalString(properties: { readonly [key: string]: unknown }, name: string): string | undefined {
  const value = properties[name];
  if (value === undefined || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new Error(`Property \`${name}\` must be a string, got ${JSON.stringify(value)}`);
  }
  return value;
}
