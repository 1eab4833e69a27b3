import { URL } from 'url';

/**
 * Checks the deployed function makes before it acts on an event. CloudFormation invokes custom-resource functions
 * with the deployer's credentials, so anyone allowed `lambda:InvokeFunction` can hand the function an event of their
 * own: without these checks it would send a valid EKS bearer token to any endpoint and a response to any URL.
 */
export interface RequestGuards {
  /** Throws unless the event comes from this function's own stack and answers to a CloudFormation response bucket. */
  checkEvent(event: { readonly StackId?: unknown; readonly ResponseURL?: unknown }): void;
  /** Throws unless the endpoint is an EKS API server in the function's region, over HTTPS. */
  checkEndpoint(endpoint: string): void;
}

/** Environment variable of the deployed function: the `AWS::StackId` of its stack. */
export const STACK_ID_ENVIRONMENT = 'STACK_ID';

/** DNS suffix of AWS service hosts in a region's partition. */
export function dnsSuffixOf(region: string): string {
  if (region.startsWith('cn-')) {
    return 'amazonaws.com.cn';
  }
  if (region.startsWith('us-isob-')) {
    return 'sc2s.sgov.gov';
  }
  if (region.startsWith('us-iso-')) {
    return 'c2s.ic.gov';
  }
  if (region.startsWith('eusc-')) {
    return 'amazonaws.eu';
  }
  return 'amazonaws.com';
}

/**
 * The endpoint check of the deployed functions in `region`: an EKS API server of that region and partition, over
 * HTTPS on the default port, with no credentials in the URL.
 */
export function eksEndpointGuard(region: string): (endpoint: string) => void {
  // EKS API servers: `<id>.<cell>.<region>.eks.<suffix>`.
  const eksHost = new RegExp(`^[a-z0-9-]+(\\.[a-z0-9-]+)*\\.${escapeRegExp(region)}\\.eks\\.${escapeRegExp(dnsSuffixOf(region))}$`);
  return (endpoint) => {
    if (!isHttpsOn(parseUrl(endpoint), eksHost)) {
      throw new Error(`Kubernetes endpoint ${JSON.stringify(endpoint)} is not an EKS API server of ${region} over https:// `
        + `(*.${region}.eks.${dnsSuffixOf(region)}); the handler sends cluster tokens to EKS endpoints only`);
    }
  };
}

/** The guards of the function deployed in `stackId` (the `AWS::StackId` it was given) and `region`. */
export function productionRequestGuards(stackId: string, region: string): RequestGuards {
  const suffix = escapeRegExp(dnsSuffixOf(region));
  const escapedRegion = escapeRegExp(region);
  // CloudFormation's response buckets are named after the region without dashes, addressed virtual-hosted style.
  const bucket = `cloudformation-custom-resource-response-${escapeRegExp(region.replace(/-/g, ''))}`;
  const responseHost = new RegExp(`^${bucket}\\.s3(\\.dualstack)?([.-]${escapedRegion})?\\.${suffix}$`);
  return {
    checkEvent(event) {
      if (event.StackId !== stackId) {
        throw new Error(`event StackId ${JSON.stringify(event.StackId)} is not this function's stack ${stackId}`);
      }
      const url = parseUrl(event.ResponseURL);
      if (!isHttpsOn(url, responseHost)) {
        // The URL is presigned (write access): only its host is ever printed.
        throw new Error(`event ResponseURL ${url ? `on host ${url.host}` : 'that is not a URL'} is not a CloudFormation `
          + `response bucket of ${region}`);
      }
    },
    checkEndpoint: eksEndpointGuard(region),
  };
}

/** An `https://` URL on the default port, without credentials, on a host `host` matches. */
function isHttpsOn(url: URL | undefined, host: RegExp): boolean {
  return url !== undefined && url.protocol === 'https:' && !url.username && !url.password && (!url.port || url.port === '443')
    && host.test(url.hostname);
}

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
