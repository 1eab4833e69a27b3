import * as fc from 'fast-check';
import { FARGATE_ONLY, MIXED, container, workload, deployment } from './readiness-fixtures';
import { ALL_RULES, evaluateManifest } from '../../../lib/private/readiness';

describe('ALL_RULES', () => {
  test('has seventeen rules with unique prefixed ids', () => {
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(ids).toHaveLength(17);
    expect(new Set(ids).size).toBe(17);
    expect(ids.every((id) => id.startsWith('cdk-eks-fargate:readiness-'))).toBe(true);
  });
});

describe('evaluateManifest on mixed clusters', () => {
  test('errors become warnings for pods that a profile selects', () => {
    // GIVEN a privileged Deployment in the namespace that runs on Fargate
    const manifest = deployment({ containers: [container({ securityContext: { privileged: true } })] }, { namespace: 'serverless' });
    // WHEN
    const onMixed = evaluateManifest(manifest, MIXED);
    const onFargateOnly = evaluateManifest(manifest, { ...MIXED, fargateOnly: true });
    // THEN
    expect(onFargateOnly.map((finding) => finding.level)).toEqual(['error']);
    expect(onMixed).toEqual([{ ...onFargateOnly[0], level: 'warning' }]);
  });

  test('pods no profile selects run on EC2 and are not judged', () => {
    const manifest = deployment({ hostNetwork: true, containers: [container({ resources: undefined, securityContext: { privileged: true } })] }, { namespace: 'apps' });
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer' } };
    const daemonSet = workload('DaemonSet', { containers: [container()] }, { namespace: 'kube-system' });
    expect(evaluateManifest(manifest, MIXED)).toEqual([]);
    expect(evaluateManifest(service, MIXED)).toEqual([]);
    expect(evaluateManifest(daemonSet, MIXED)).toEqual([]);
  });
});

describe('evaluateManifest', () => {
  test('checks each item of a List', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [workload('DaemonSet', { containers: [container()] }), deployment()] };
    expect(evaluateManifest(list, FARGATE_ONLY).map((finding) => finding.ruleId)).toEqual(['cdk-eks-fargate:readiness-daemonset']);
  });

  test('a well-formed Fargate workload has no findings', () => {
    expect(evaluateManifest(deployment(), FARGATE_ONLY)).toEqual([]);
  });

  test('property: malformed manifests never throw', () => {
    const kinds = fc.constantFrom('Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service', 'Ingress',
      'PersistentVolumeClaim', 'TargetGroupBinding', 'List', 'StorageClass', 'constructor', '__proto__', 'toString');
    const anything = fc.anything({ maxDepth: 3 });
    const shaped = fc.record({
      kind: kinds,
      metadata: fc.oneof(anything, fc.record({ name: anything, namespace: anything, annotations: anything })),
      spec: fc.oneof(anything, fc.record({
        type: fc.oneof(anything, fc.constant('LoadBalancer')),
        template: fc.oneof(anything, fc.record({ metadata: anything, spec: fc.dictionary(fc.constantFrom('containers', 'initContainers', 'volumes', 'nodeSelector', 'affinity', 'hostNetwork'), anything) })),
        jobTemplate: anything,
        volumeClaimTemplates: anything,
        containers: fc.oneof(anything, fc.array(fc.oneof(anything, fc.record({ resources: anything, ports: anything, securityContext: anything })))),
      })),
      items: anything,
    });
    fc.assert(fc.property(shaped, (manifest) => {
      expect(() => evaluateManifest(manifest, FARGATE_ONLY)).not.toThrow();
      expect(() => evaluateManifest(manifest, MIXED)).not.toThrow();
    }), { numRuns: 300 });
    expect(evaluateManifest(null as any, FARGATE_ONLY)).toEqual([]);
  });
});
