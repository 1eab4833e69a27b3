import * as fs from 'fs';
import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { App, Aws, Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { newTestCluster } from './helpers/test-stack';

/**
 * Manifests come from users as plain JSON (often parsed YAML): whatever they hold, `addManifest` and the synth that
 * checks them (FargateReadiness, the cost report, profile ordering) either pass or throw the library's own error,
 * which names the construct path. A TypeError or RangeError here is a crash a user cannot act on.
 */

/** Any JSON value, as a YAML or JSON parser would hand it over. */
const json = fc.jsonValue({ maxDepth: 2 });
/** Strings that reach the interesting branches, plus keys that live on Object.prototype. */
const word = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'kubernetes.io/arch', 'karpenter.sh/pool', 'amd64', 'arm64',
    'nvidia.com/gpu', 'gp3', 'efs.csi.aws.com', 'LoadBalancer', 'alb', 'ip', 'Always', 'constructor', '__proto__', 'toString'),
);
const maybe = <T>(shaped: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: json });
const record = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) => maybe(fc.record(fields, { requiredKeys: [] }));
const list = <T>(item: fc.Arbitrary<T>) => maybe(fc.array(maybe(item), { maxLength: 3 }));
const map = maybe(fc.dictionary(word, maybe(word), { maxKeys: 3 }));

const requirement = record({ key: maybe(word), operator: maybe(word), values: list(word) });
const term = record({ matchExpressions: list(requirement), matchFields: list(requirement) });
const affinity = record({
  nodeAffinity: record({
    requiredDuringSchedulingIgnoredDuringExecution: record({ nodeSelectorTerms: list(term) }),
    preferredDuringSchedulingIgnoredDuringExecution: list(record({ weight: json, preference: term })),
  }),
});
const quantities = maybe(fc.dictionary(word, maybe(fc.oneof(word, fc.constantFrom('250m', '2', '512Mi', '200Gi'))), { maxKeys: 3 }));
const container = record({
  name: maybe(word),
  image: maybe(word),
  restartPolicy: maybe(word),
  resources: record({ requests: quantities, limits: quantities }),
  securityContext: record({ privileged: json }),
  ports: list(record({ containerPort: json, hostPort: json })),
});
const podSpec = record({
  containers: list(container),
  initContainers: list(container),
  nodeSelector: map,
  affinity,
  volumes: list(record({
    name: maybe(word),
    hostPath: json,
    persistentVolumeClaim: record({ claimName: maybe(word) }),
    csi: record({ driver: maybe(word) }),
  })),
  hostNetwork: json,
});
const metadata = record({ name: fc.constantFrom('app', 'web'), namespace: maybe(fc.constantFrom('default', 'flow', 'kube-system')), labels: map, annotations: map });
const template = record({ metadata, spec: podSpec });
const manifest = fc.record({
  apiVersion: maybe(fc.constantFrom('v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'storage.k8s.io/v1', 'autoscaling/v2')),
  kind: maybe(fc.constantFrom('Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service', 'Ingress', 'PersistentVolumeClaim',
    'StorageClass', 'HorizontalPodAutoscaler', 'List', 'constructor', 'toString', 'hasOwnProperty')),
  metadata,
  spec: maybe(fc.oneof(podSpec, record({
    template,
    jobTemplate: record({ spec: record({ template }) }),
    volumeClaimTemplates: list(record({ metadata, spec: record({ storageClassName: maybe(word) }) })),
    type: maybe(word),
    storageClassName: maybe(word),
    ttlSecondsAfterFinished: json,
  }))),
  provisioner: maybe(word),
  items: json,
}, { requiredKeys: ['apiVersion', 'kind', 'metadata'] });

/** True when `error` is one of the library's synth errors: a plain Error whose message starts with the construct path. */
function isCleanError(error: unknown): boolean {
  return error instanceof Error && error.constructor === Error && error.message.startsWith('Test/');
}

describe('addManifest', () => {
  test('property: random JSON in a manifest gives a clean synth error or none, never a crash', () => {
    fc.assert(fc.property(manifest, (object) => {
      const app = new App({ builtinCloudFormationValidation: false });
      const stack = new Stack(app, 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
      const cluster = newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
      try {
        cluster.addManifest('Workload', object as Record<string, any>);
        app.synth();
      } catch (error) {
        if (!isCleanError(error)) {
          throw error;
        }
      } finally {
        // Each synth stages the kubectl layer's zip: without this, runs fill the disk.
        fs.rmSync(app.outdir, { recursive: true, force: true });
      }
    }), { numRuns: 60, seed: 42 });
  });

  test('a number in the range aws-cdk-lib encodes number tokens in, with no token behind it, is a clean error (found by the property)', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    const cluster = newTestCluster(stack);
    expect(() => cluster.addManifest('Workload', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app' }, spec: [{ '': -1.0000000000000003e+289 }] }))
      .toThrow(/Test\/Cluster\/Workload: `manifests` object 0 has a number at `.spec\[0\].` in the range aws-cdk-lib uses to encode number tokens/);
  });

  test('a number carrying aws-cdk-lib\'s number-token bits for a token never registered is the same clean error (found by a property)', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    const cluster = newTestCluster(stack);
    expect(() => cluster.addManifest('Workload', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { n: -1.8883915830446735e+289 } }))
      .toThrow(/Test\/Cluster\/Workload: `manifests` object 0 has a number at `.data.n` in the range aws-cdk-lib uses to encode number tokens/);
  });

  test('a key named __proto__ (found by the property) reaches the template; beside a deploy-time value it is a clean error', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    const cluster = newTestCluster(stack);
    const config = JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default"},"data":{"__proto__":"kept"}}');
    const kept = cluster.addManifest('Config', config);
    expect(stack.resolve((kept.resources[0].node.defaultChild as any).cfnProperties.Manifests)).toContain('"data":{"__proto__":"kept"}');
    const other = { ...config, metadata: { name: 'd', namespace: 'default' } };
    expect(() => cluster.addManifest('Regional', other, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r', namespace: 'default' }, data: { partition: Aws.PARTITION } }))
      .toThrow(/Test\/Cluster\/Regional: `manifests` object ConfigMap default\/d has a key `.data.__proto__`, and objects that hold deploy-time values go through aws-cdk-lib's token resolution, which drops keys named __proto__/);
  });
});

