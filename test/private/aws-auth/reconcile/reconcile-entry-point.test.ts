import { OWNER, ReconcileHarness } from './reconcile-harness';
import { defaultReconcileDependencies, handler } from '../../../../lib/private/aws-auth/reconcile/aws-auth-reconcile.lambda';
import { HANDLER_ROLE } from '../handler/aws-auth-fixtures';

const EKS_ENDPOINT = 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com';

/** The environment the construct gives the deployed function (no STACK_ID: a scheduled event has no stack). */
function deployedEnvironment(endpoint: string): { [name: string]: string } {
  return {
    AWS_REGION: 'eu-west-1',
    CLUSTER_NAME: 'prod',
    OWNER_ID: OWNER,
    ROLE_ARN: HANDLER_ROLE,
    AUTHENTICATION_MODE: 'API_AND_CONFIG_MAP',
    ENDPOINT: endpoint,
    CERTIFICATE_AUTHORITY_DATA: 'LS0tLS1CRUdJTg==',
  };
}

describe('aws-auth reconcile entry point', () => {
  test('the deployed function sends cluster tokens only to https:// EKS API servers of its region', () => {
    const { checkEndpoint } = defaultReconcileDependencies(deployedEnvironment(EKS_ENDPOINT));

    expect(() => checkEndpoint!(EKS_ENDPOINT)).not.toThrow();
    for (const endpoint of ['http://127.0.0.1:8080', EKS_ENDPOINT.replace('https:', 'http:'), EKS_ENDPOINT.replace('eu-west-1', 'us-east-1'),
      'https://attacker.example.com', `${EKS_ENDPOINT}:8443`]) {
      expect(() => checkEndpoint!(endpoint)).toThrow(/is not an EKS API server of eu-west-1 over https:\/\//);
    }
  });

  test('with the deployed guard, a run whose endpoint is not an EKS API server sends nothing and counts as failed', async () => {
    const harness = await ReconcileHarness.start();
    try {
      harness.checkEndpoint = defaultReconcileDependencies(deployedEnvironment(EKS_ENDPOINT)).checkEndpoint;

      const report = await harness.run();

      expect(report).toBeUndefined();
      expect(harness.api.requests).toHaveLength(0);
      expect(harness.deploys.roleAssumer.calls).toHaveLength(0);
      expect(harness.logs.join('\n')).toMatch(/FAILED: Kubernetes endpoint "http:\/\/127\.0\.0\.1:\d+" is not an EKS API server/);
      expect(harness.runs[0]).toMatchObject({ RunsFailed: 1, Heartbeat: 1 });
    } finally {
      await harness.close();
    }
  });

  test('the Lambda entry point runs a scheduled event without a stack id, and refuses a plain http:// endpoint', async () => {
    const saved = { ...process.env };
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => {
      lines.push(line);
    });
    try {
      delete process.env.STACK_ID;
      Object.assign(process.env, deployedEnvironment('http://127.0.0.1:1'));

      const report = await handler({ clusterName: 'prod', ownerId: OWNER }, { awsRequestId: 'r', getRemainingTimeInMillis: () => 120_000 });

      expect(report).toBeUndefined();
      expect(lines.join('\n')).toMatch(/FAILED: Kubernetes endpoint "http:\/\/127\.0\.0\.1:1" is not an EKS API server of eu-west-1/);
      expect(lines.map((line) => (line.startsWith('{') ? JSON.parse(line).RunsFailed : undefined))).toContain(1);
    } finally {
      spy.mockRestore();
      process.env = saved;
    }
  });
});
