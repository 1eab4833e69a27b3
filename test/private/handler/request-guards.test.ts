import { FakeKubernetesApi } from './fake-kubernetes-api';
import { cloudFormationEvent, FakeClusterDescriber, FakeRoleAssumer, FakeTiming, lambdaContext, RecordingResponder } from './handler-fakes';
import { defaultHandlerDependencies } from '../../../lib/private/handler/default-dependencies';
import { createHandler } from '../../../lib/private/handler/kubernetes-handler.lambda';
import { productionRequestGuards } from '../../../lib/private/handler/request-guards';
import { HANDLER_ROLE } from '../aws-auth/handler/aws-auth-fixtures';

const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111122223333:stack/app/11111111-2222-3333-4444-555555555555';
const RESPONSE_URL = 'https://cloudformation-custom-resource-response-euwest1.s3.eu-west-1.amazonaws.com/arn%3Aaws%3Acloudformation/x?X-Amz-Signature=abc';
const EKS_ENDPOINT = 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com';

describe('productionRequestGuards', () => {
  const guards = productionRequestGuards(STACK_ID, 'eu-west-1');

  test('accepts events of its own stack that answer to a CloudFormation response bucket of its region', () => {
    for (const url of [
      RESPONSE_URL,
      'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/key',
      'https://cloudformation-custom-resource-response-euwest1.s3-eu-west-1.amazonaws.com/key',
    ]) {
      expect(() => guards.checkEvent({ StackId: STACK_ID, ResponseURL: url })).not.toThrow();
    }
  });

  test('refuses an event of another stack', () => {
    expect(() => guards.checkEvent({ StackId: STACK_ID.replace('stack/app', 'stack/other'), ResponseURL: RESPONSE_URL }))
      .toThrow(/event StackId "arn:aws:cloudformation:eu-west-1:111122223333:stack\/other\/.*" is not this function's stack/);
  });

  test.each([
    ['plain http', RESPONSE_URL.replace('https:', 'http:')],
    ['a host of the caller', 'https://attacker.example.com/cloudformation-custom-resource-response-euwest1.s3.amazonaws.com'],
    ['a look-alike suffix', 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com.example.com/key'],
    ['another region\'s bucket', 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/key'],
    ['a local server', 'http://127.0.0.1:8080/response'],
    ['another port', 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com:8443/key'],
    ['not a URL', 'not a url'],
  ])('refuses a ResponseURL that is %s, without printing its signature', (_, url) => {
    expect(() => guards.checkEvent({ StackId: STACK_ID, ResponseURL: url }))
      .toThrow(/event ResponseURL (on host \S+|that is not a URL) is not a CloudFormation response bucket of eu-west-1$/);
    expect(() => guards.checkEvent({ StackId: STACK_ID, ResponseURL: url })).not.toThrow(/Signature|response$/);
  });

  test('accepts EKS API servers of its region over https', () => {
    expect(() => guards.checkEndpoint(EKS_ENDPOINT.toLowerCase())).not.toThrow();
    expect(() => guards.checkEndpoint(`${EKS_ENDPOINT.toLowerCase()}:443`)).not.toThrow();
  });

  test.each([
    ['plain http', EKS_ENDPOINT.toLowerCase().replace('https:', 'http:')],
    ['a host of the caller', 'https://attacker.example.com'],
    ['a look-alike suffix', 'https://x.eu-west-1.eks.amazonaws.com.example.com'],
    ['another region', 'https://abc.gr7.us-east-1.eks.amazonaws.com'],
    ['with credentials', 'https://user:pass@abc.gr7.eu-west-1.eks.amazonaws.com'],
    ['another port', 'https://abc.gr7.eu-west-1.eks.amazonaws.com:8443'],
    ['a local server', 'http://127.0.0.1:6443'],
  ])('refuses an endpoint that is %s', (_, endpoint) => {
    expect(() => guards.checkEndpoint(endpoint)).toThrow(/is not an EKS API server of eu-west-1 over https:\/\//);
  });

  test('knows the EKS and S3 hosts of the China partition', () => {
    const china = productionRequestGuards(STACK_ID.replace(':aws:', ':aws-cn:'), 'cn-north-1');
    expect(() => china.checkEndpoint('https://abc.yl4.cn-north-1.eks.amazonaws.com.cn')).not.toThrow();
    expect(() => china.checkEndpoint('https://abc.yl4.cn-north-1.eks.amazonaws.com')).toThrow(/\*\.cn-north-1\.eks\.amazonaws\.com\.cn/);
    expect(() => china.checkEvent({
      StackId: STACK_ID.replace(':aws:', ':aws-cn:'),
      ResponseURL: 'https://cloudformation-custom-resource-response-cnnorth1.s3.cn-north-1.amazonaws.com.cn/key',
    })).not.toThrow();
  });
});

describe('the deployed handler (defaultHandlerDependencies)', () => {
  let api: FakeKubernetesApi;
  const environment = { ...process.env };
  beforeEach(async () => {
    api = await FakeKubernetesApi.start();
    process.env.AWS_REGION = 'eu-west-1';
    process.env.STACK_ID = STACK_ID;
  });
  afterEach(async () => {
    process.env = { ...environment };
    await api.close();
  });

  /** The production dependencies with only the AWS calls and the response delivery replaced by fakes. */
  function productionHandler() {
    const responder = new RecordingResponder();
    const logs: string[] = [];
    const handler = createHandler({
      ...defaultHandlerDependencies(),
      roleAssumer: new FakeRoleAssumer(),
      clusterDescriberFor: () => new FakeClusterDescriber(),
      responder,
      timing: new FakeTiming(),
      log: (message) => logs.push(message),
    });
    return { handler, responder, logs };
  }

  const properties = (endpoint: string) => ({
    ClusterName: 'prod',
    RoleArn: HANDLER_ROLE,
    OwnerId: 'owner',
    Mappings: JSON.stringify({ mapRoles: [] }),
    Endpoint: endpoint,
    CertificateAuthorityData: Buffer.from('-----BEGIN CERTIFICATE-----\n').toString('base64'),
  });

  test('sends no token to an http:// endpoint from the event, and says why', async () => {
    const { handler, responder } = productionHandler();
    await handler(cloudFormationEvent('Create', properties(api.endpoint), { StackId: STACK_ID, ResponseURL: RESPONSE_URL }), lambdaContext());

    expect(api.requests).toHaveLength(0);
    expect(responder.last()).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/is not an EKS API server of eu-west-1 over https:\/\//) });
  });

  test('neither acts on nor answers an event of another stack', async () => {
    const { handler, responder, logs } = productionHandler();
    await handler(cloudFormationEvent('Create', properties(api.endpoint), {
      ResponseURL: RESPONSE_URL,
      StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/other/99999999-2222-3333-4444-555555555555',
    }), lambdaContext());

    expect(api.requests).toHaveLength(0);
    expect(responder.responses).toHaveLength(0);
    expect(logs.join('\n')).toMatch(/REFUSED Create without acting or answering: event StackId .* is not this function's stack/);
  });

  test('does not answer to a ResponseURL outside CloudFormation\'s response buckets', async () => {
    const { handler, responder } = productionHandler();
    await handler(cloudFormationEvent('Delete', properties(api.endpoint), {
      StackId: STACK_ID, PhysicalResourceId: 'owner', ResponseURL: `${api.endpoint}/response`,
    }), lambdaContext());

    expect(api.requests).toHaveLength(0);
    expect(responder.responses).toHaveLength(0);
  });

  test('refuses to start without the stack id its construct sets', () => {
    delete process.env.STACK_ID;
    expect(() => defaultHandlerDependencies()).toThrow(/STACK_ID is not set; the function's construct sets it to the stack's id/);
  });
});
