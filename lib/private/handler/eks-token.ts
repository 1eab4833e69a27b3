// The handler asset bundles these at build time (DESIGN: AWS SDK bundled); users never install them.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsCredentials } from './assumed-credentials';

/** Prefix aws-iam-authenticator expects in front of the encoded presigned URL. */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';

/** Header that binds a token to one cluster; the authenticator refuses tokens where it is not signed. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';

/** Lifetime of the presigned URL, as aws-iam-authenticator's own client sets it. */
export const TOKEN_URL_EXPIRES_SECONDS = 60;

/**
 * Region name patterns and DNS suffixes of the AWS partitions, as published in the AWS SDK's partitions.json.
 * Most specific first: the `aws` pattern would not match the others today, but the order keeps it that way.
 */
const PARTITION_DNS_SUFFIXES: ReadonlyArray<{ readonly partition: string; readonly regionPattern: RegExp; readonly dnsSuffix: string }> = [
  { partition: 'aws-cn', regionPattern: /^cn-\w+-\d+$/, dnsSuffix: 'amazonaws.com.cn' },
  { partition: 'aws-us-gov', regionPattern: /^us-gov-\w+-\d+$/, dnsSuffix: 'amazonaws.com' },
  { partition: 'aws-iso', regionPattern: /^us-iso-\w+-\d+$/, dnsSuffix: 'c2s.ic.gov' },
  { partition: 'aws-iso-b', regionPattern: /^us-isob-\w+-\d+$/, dnsSuffix: 'sc2s.sgov.gov' },
  { partition: 'aws-iso-e', regionPattern: /^eu-isoe-\w+-\d+$/, dnsSuffix: 'cloud.adc-e.uk' },
  { partition: 'aws-iso-f', regionPattern: /^us-isof-\w+-\d+$/, dnsSuffix: 'csp.hci.ic.gov' },
  { partition: 'aws-eusc', regionPattern: /^eusc-de-\w+-\d+$/, dnsSuffix: 'amazonaws.eu' },
];

/** The DNS suffix of the partition a region belongs to; the commercial suffix for regions not listed (as the SDK does). */
export function partitionDnsSuffix(region: string): string {
  return PARTITION_DNS_SUFFIXES.find((p) => p.regionPattern.test(region))?.dnsSuffix ?? 'amazonaws.com';
}

/** Host name of the regional STS endpoint, e.g. `sts.cn-north-1.amazonaws.com.cn`. */
export function stsHostname(region: string): string {
  return `sts.${region}.${partitionDnsSuffix(region)}`;
}

/** What a token is made of. */
export interface EksTokenOptions {
  /** Cluster the token is for; signed into the `x-k8s-aws-id` header. */
  readonly clusterName: string;
  /** Region of the cluster and of the STS endpoint that will verify the token. */
  readonly region: string;
  /** Credentials of the identity the cluster maps (the assumed SafeAwsAuth role). */
  readonly credentials: AwsCredentials;
  /** Signing time in epoch milliseconds (injected clock). */
  readonly nowMs: number;
}

/**
 * A Kubernetes bearer token for an EKS cluster: `k8s-aws-v1.` + base64url (no padding) of a SigV4-presigned STS
 * `GetCallerIdentity` URL. The cluster's authenticator replays the URL against STS to learn who is calling, so no
 * network call happens here.
 */
export async function createEksToken(options: EksTokenOptions): Promise<string> {
  const hostname = stsHostname(options.region);
  const signer = new SignatureV4({
    service: 'sts',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const presigned = await signer.presign(new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: hostname, [CLUSTER_ID_HEADER]: options.clusterName },
  }), { expiresIn: TOKEN_URL_EXPIRES_SECONDS, signingDate: new Date(options.nowMs) });

  const url = `https://${hostname}/?${encodeQuery(presigned.query ?? {})}`;
  return EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}

/** RFC 3986 query encoding; a `+` for a space would reach STS as a literal `+` and break the signature. */
function encodeQuery(query: NonNullable<HttpRequest['query']>): string {
  return Object.keys(query).sort().map((key) => {
    const value = query[key];
    const text = Array.isArray(value) ? value.join(',') : value ?? '';
    return `${encodeRfc3986(key)}=${encodeRfc3986(text)}`;
  }).join('&');
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
