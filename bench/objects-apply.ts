/**
 * Wall time of one KubernetesObjects Create of 50 objects (Namespaces, ConfigMaps, ServiceAccounts, RBAC,
 * Deployments) through the real handler against the fake Kubernetes API server from the tests on 127.0.0.1:
 * discovery, REST mapping and one server-side apply per object, over HTTP.
 * Run: `npx ts-node --transpile-only --project bench/tsconfig.json bench/objects-apply.ts`
 */
import { median } from './markdown-table';
import { createHandler } from '../lib/private/handler/kubernetes-handler.lambda';
import { KUBERNETES_OBJECTS_RESOURCE_TYPE } from '../lib/private/manifests/resource-properties';
import { HANDLER_ROLE } from '../test/private/aws-auth/handler/aws-auth-fixtures';
import { FakeKubernetesApi } from '../test/private/handler/fake-kubernetes-api';
import {
  cloudFormationEvent, FakeClusterDescriber, FakeRoleAssumer, FakeTiming, lambdaContext, RecordingResponder,
} from '../test/private/handler/handler-fakes';

/** The numbers the benchmark prints. */
export interface ObjectsApplyNumbers {
  readonly objects: number;
  readonly rounds: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Requests the handler sent in one Create (discovery included). */
  readonly requestsPerCreate: number;
}

/** Ten objects of five kinds per namespace; `namespaces` × 10 objects in all. */
export function benchObjects(namespaces: number): Record<string, any>[] {
  return Array.from({ length: namespaces }, (_, index) => {
    const namespace = `team-${index}`;
    const labels = { app: `web-${index}` };
    return [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      ...[0, 1, 2].map((item) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${item}`, namespace }, data: { item: String(item) } })),
      ...[0, 1].map((item) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `account-${item}`, namespace } })),
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'reader', namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'account-0', namespace }],
      },
      ...[0, 1].map((item) => ({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `web-${item}`, namespace },
        spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
      })),
    ];
  }).flat();
}

/** Runs `rounds` Creates of 50 objects, each against a new fake API server, after one untimed warm-up. */
export async function measureObjectsApply(rounds = 9): Promise<ObjectsApplyNumbers> {
  const objects = benchObjects(5);
  const times: number[] = [];
  let requestsPerCreate = 0;
  for (let round = 0; round <= rounds; round++) {
    const api = await FakeKubernetesApi.start();
    try {
      const responder = new RecordingResponder();
      const handler = createHandler({
        roleAssumer: new FakeRoleAssumer(),
        clusterDescriberFor: () => new FakeClusterDescriber(),
        responder,
        timing: new FakeTiming(),
        region: 'eu-west-1',
        requestTimeoutMs: 5_000,
        log: () => undefined,
      });
      const event = cloudFormationEvent('Create', {
        ClusterName: 'prod', RoleArn: HANDLER_ROLE, Endpoint: api.endpoint, Manifests: JSON.stringify(objects), Prune: 'true', Force: 'false', Retain: 'false',
      }, { ResourceType: KUBERNETES_OBJECTS_RESOURCE_TYPE, LogicalResourceId: 'Objects' });
      const start = process.hrtime.bigint();
      await handler(event, lambdaContext());
      const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
      const response = responder.last();
      if (response.Status !== 'SUCCESS' || response.Data?.Applied !== String(objects.length)) {
        throw new Error(`the Create did not apply ${objects.length} objects: ${JSON.stringify(response)}`);
      }
      if (round > 0) {
        times.push(elapsedMs);
      }
      requestsPerCreate = api.requests.length;
    } finally {
      await api.close();
    }
  }
  return { objects: objects.length, rounds, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), requestsPerCreate };
}

if (require.main === module) {
  void measureObjectsApply().then((numbers) => console.log(JSON.stringify(numbers)));
}
