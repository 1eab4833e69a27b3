import { createHash, createHmac } from 'crypto';
import { createEksToken, partitionDnsSuffix, stsHostname } from '../../../lib/private/handler/eks-token';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  // Session tokens contain '+', '/' and '=': they must survive the URL encoding exactly as signed.
  sessionToken: 'IQoJb3JpZ2luX2VjE+/example/session==token',
};
const NOW_MS = Date.UTC(2025, 0, 15, 12, 0, 0);

async function tokenUrl(region = 'eu-west-1', clusterName = 'prod'): Promise<URL> {
  const token = await createEksToken({ clusterName, region, credentials: CREDENTIALS, nowMs: NOW_MS });
  return new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
}

/** SigV4 computed from scratch (AWS docs, "Authenticating requests: using query parameters"), independent of the SDK. */
function expectedSignature(url: URL, clusterName: string, secretAccessKey: string): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const query = [...url.searchParams.entries()]
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => `${encode(key)}=${encode(value)}`)
    .sort()
    .join('&');
  const canonicalRequest = ['GET', '/', query, `host:${url.host}`, `x-k8s-aws-id:${clusterName}`, '', 'host;x-k8s-aws-id',
    createHash('sha256').update('').digest('hex')].join('\n');
  const [, date, region, service] = url.searchParams.get('X-Amz-Credential')!.split('/');
  const stringToSign = ['AWS4-HMAC-SHA256', url.searchParams.get('X-Amz-Date'), `${date}/${region}/${service}/aws4_request`,
    createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

describe('createEksToken', () => {
  test('the token is the k8s-aws-v1 prefix and base64url without padding', async () => {
    // WHEN
    const token = await createEksToken({ clusterName: 'prod', region: 'eu-west-1', credentials: CREDENTIALS, nowMs: NOW_MS });

    // THEN
    expect(token.startsWith('k8s-aws-v1.')).toBe(true);
    expect(token.slice('k8s-aws-v1.'.length)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test('the decoded URL is a presigned STS GetCallerIdentity that expires after 60 seconds', async () => {
    // WHEN
    const url = await tokenUrl();

    // THEN
    expect(url.origin + url.pathname).toBe('https://sts.eu-west-1.amazonaws.com/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      'Action': 'GetCallerIdentity',
      'Version': '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20250115/eu-west-1/sts/aws4_request',
      'X-Amz-Date': '20250115T120000Z',
      'X-Amz-Expires': '60',
      'X-Amz-Security-Token': CREDENTIALS.sessionToken,
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  test('the signature covers the cluster id header and matches an independent SigV4 computation', async () => {
    // WHEN
    const url = await tokenUrl('eu-west-1', 'prod');

    // THEN
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, 'prod', CREDENTIALS.secretAccessKey));
    expect(url.searchParams.get('X-Amz-Signature')).not.toBe(expectedSignature(url, 'staging', CREDENTIALS.secretAccessKey));
  });

  test('tokens for different clusters differ', async () => {
    // WHEN
    const prod = await tokenUrl('eu-west-1', 'prod');
    const staging = await tokenUrl('eu-west-1', 'staging');

    // THEN
    expect(prod.searchParams.get('X-Amz-Signature')).not.toBe(staging.searchParams.get('X-Amz-Signature'));
  });

  test('the STS host and the signing region follow the region partition', async () => {
    // WHEN
    const url = await tokenUrl('cn-northwest-1');

    // THEN
    expect(url.host).toBe('sts.cn-northwest-1.amazonaws.com.cn');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20250115/cn-northwest-1/sts/aws4_request');
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, 'prod', CREDENTIALS.secretAccessKey));
  });
});

describe('stsHostname', () => {
  test.each([
    ['us-east-1', 'sts.us-east-1.amazonaws.com'],
    ['il-central-1', 'sts.il-central-1.amazonaws.com'],
    ['cn-north-1', 'sts.cn-north-1.amazonaws.com.cn'],
    ['us-gov-west-1', 'sts.us-gov-west-1.amazonaws.com'],
    ['us-iso-east-1', 'sts.us-iso-east-1.c2s.ic.gov'],
    ['us-isob-east-1', 'sts.us-isob-east-1.sc2s.sgov.gov'],
    ['eu-isoe-west-1', 'sts.eu-isoe-west-1.cloud.adc-e.uk'],
    ['us-isof-south-1', 'sts.us-isof-south-1.csp.hci.ic.gov'],
    ['eusc-de-east-1', 'sts.eusc-de-east-1.amazonaws.eu'],
  ])('region %s is served by %s', (region, host) => {
    expect(stsHostname(region)).toBe(host);
  });

  test('a region of no known partition gets the commercial suffix, as the AWS SDK does', () => {
    expect(partitionDnsSuffix('xx-future-1')).toBe('amazonaws.com');
  });
});
