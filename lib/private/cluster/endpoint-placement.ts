import * as eks from 'aws-cdk-lib/aws-eks';

/**
 * Whether a function talking to the cluster's API must run inside the VPC: the public endpoint is off, or
 * restricted to CIDRs the function's (changing) public IP is not in.
 */
export function needsVpcPlacement(endpointAccess?: eks.EndpointAccess): boolean {
  if (!endpointAccess) {
    return false;
  }
  const config = endpointAccess._config;
  const openToAll = (config.publicCidrs ?? ['0.0.0.0/0']).includes('0.0.0.0/0');
  return !config.publicAccess || !openToAll;
}
