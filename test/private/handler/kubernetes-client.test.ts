import * as fs from 'fs';
import * as path from 'path';
import { FakeKubernetesApi } from './fake-kubernetes-api';
import { KubernetesClient } from '../../../lib/private/handler/kubernetes-client';

const TLS = path.join(__dirname, '..', '..', 'fixtures', 'tls');
const SERVER_CERT = fs.readFileSync(path.join(TLS, 'server-cert.pem'), 'utf8');
const SERVER_KEY = fs.readFileSync(path.join(TLS, 'server-key.pem'), 'utf8');
const OTHER_CA = fs.readFileSync(path.join(TLS, 'other-ca-cert.pem'), 'utf8');
const AWS_AUTH = '/api/v1/namespaces/kube-system/configmaps/aws-auth';

describe('KubernetesClient over HTTPS', () => {
  let api: FakeKubernetesApi;
  beforeAll(async () => {
    api = await FakeKubernetesApi.start({ key: SERVER_KEY, cert: SERVER_CERT });
    api.setAwsAuth({ data: { mapRoles: '[]' } });
  });
  afterAll(() => api.close());

  test('a server certificate from the pinned CA is accepted', async () => {
    // GIVEN
    const client = new KubernetesClient({ endpoint: api.endpoint, certificateAuthorityPem: SERVER_CERT, bearerToken: async () => 'token' });

    // WHEN
    const response = await client.request('GET', AWS_AUTH);

    // THEN
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).data).toEqual({ mapRoles: '[]' });
  });

  test('a server certificate from another CA is refused', async () => {
    // GIVEN
    const client = new KubernetesClient({ endpoint: api.endpoint, certificateAuthorityPem: OTHER_CA, bearerToken: async () => 'token' });

    // WHEN / THEN
    await expect(client.request('GET', AWS_AUTH)).rejects.toThrow(/self[- ]signed certificate|unable to verify/);
  });

  test('an HTTPS endpoint without a CA is refused before any request', () => {
    expect(() => new KubernetesClient({ endpoint: api.endpoint, bearerToken: async () => 'token' }))
      .toThrow(/has no certificate authority to verify it with/);
  });
});

describe('KubernetesClient over HTTP (test servers)', () => {
  let api: FakeKubernetesApi;
  beforeAll(async () => {
    api = await FakeKubernetesApi.start();
  });
  afterAll(() => api.close());

  test('the bearer token is sent with every request', async () => {
    // GIVEN
    let issued = 0;
    const client = new KubernetesClient({ endpoint: api.endpoint, bearerToken: async () => `token-${++issued}` });

    // WHEN
    await client.request('GET', AWS_AUTH);
    await client.request('GET', AWS_AUTH);

    // THEN
    expect(api.requests.slice(-2).map((request) => request.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  test('an error status is an answer, not an exception', async () => {
    // GIVEN
    api.setAwsAuth(undefined);
    const client = new KubernetesClient({ endpoint: api.endpoint, bearerToken: async () => 'token' });

    // WHEN
    const response = await client.request('GET', AWS_AUTH);

    // THEN
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });

  test('a request without a complete answer within the time limit fails with ETIMEDOUT', async () => {
    // GIVEN
    api.inject({ kind: 'slow', times: 1, delayMs: 500 });
    const client = new KubernetesClient({ endpoint: api.endpoint, bearerToken: async () => 'token', requestTimeoutMs: 50 });

    // WHEN / THEN
    await expect(client.request('GET', AWS_AUTH)).rejects.toMatchObject({ code: 'ETIMEDOUT', message: expect.stringMatching(/within 50 ms/) });
  });

  test('a connection reset fails the request', async () => {
    // GIVEN
    api.inject({ kind: 'reset', times: 1 });
    const client = new KubernetesClient({ endpoint: api.endpoint, bearerToken: async () => 'token' });

    // WHEN / THEN
    await expect(client.request('GET', AWS_AUTH)).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  test('endpoints other than http and https are refused', () => {
    expect(() => new KubernetesClient({ endpoint: 'ftp://127.0.0.1', bearerToken: async () => 'token' }))
      .toThrow(/must start with https:\/\//);
  });
});
