import {
  collectAutoscaledTargets, collectDynamicEfsClasses, declaresMetricsApi, evaluateManifest, KubernetesManifest, READINESS_RULE_PREFIX,
  ReadinessContext,
} from '../../../lib/private/readiness';

const FARGATE_ONLY: ReadinessContext = { fargateOnly: true, profileSelectors: [{ namespace: 'default' }] };

function deployment(podSpec: Record<string, any>): KubernetesManifest {
  const template = { metadata: { labels: { app: 'web' } }, spec: podSpec };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template } };
}

function sized(cpu: string, memory: string, extra: Record<string, any> = {}): Record<string, any> {
  return { containers: [{ name: 'app', image: 'app', resources: { requests: { cpu, memory }, limits: { cpu, memory } } }], ...extra };
}

function findings(manifest: KubernetesManifest, rule: string, context: ReadinessContext = FARGATE_ONLY) {
  return evaluateManifest(manifest, context).filter((finding) => finding.ruleId === `${READINESS_RULE_PREFIX}${rule}`);
}

describe('readiness rule arm64', () => {
  test('is an error for a nodeSelector on kubernetes.io/arch arm64', () => {
    const [finding, ...more] = findings(deployment(sized('1', '2Gi', { nodeSelector: { 'kubernetes.io/arch': 'arm64' } })), 'arm64');
    expect(more).toEqual([]);
    expect(finding.level).toBe('error');
    expect(finding.message).toMatch(/^Deployment default\/web: nodeSelector `kubernetes.io\/arch: arm64` selects a CPU architecture .* x86_64 pods only/);
  });

  test('is an error when every required affinity term allows only arm64', () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] },
          ],
        },
      },
    };
    expect(findings(deployment(sized('1', '2Gi', { affinity })), 'arm64')[0].message)
      .toMatch(/required node affinity `kubernetes.io\/arch In \[arm64\]`/);
  });

  test('accepts amd64, a multi-arch affinity and no architecture at all', () => {
    const multiArch = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64', 'amd64'] }] },
          ],
        },
      },
    };
    expect(findings(deployment(sized('1', '2Gi', { nodeSelector: { 'kubernetes.io/arch': 'amd64' } })), 'arm64')).toEqual([]);
    expect(findings(deployment(sized('1', '2Gi', { affinity: multiArch })), 'arm64')).toEqual([]);
    expect(findings(deployment(sized('1', '2Gi')), 'arm64')).toEqual([]);
  });
});

describe('readiness rule rounding-waste', () => {
  test('warns when more than half of the billed memory is unrequested, giving the requests at the same price', () => {
    // 1 vCPU needs at least 2 GB: 300 MiB + 256 MiB leaves 73% of it unrequested.
    const [finding] = findings(deployment(sized('1', '300Mi')), 'rounding-waste');
    expect(finding.level).toBe('warning');
    expect(finding.message).toMatch(/^Deployment default\/web: requests 1 vCPU and 300 MiB a pod, which Fargate bills as 1 vCPU \/ 2 GB; 73% of the memory/);
    expect(finding.message).toMatch(/Requests of up to 1 vCPU and 1792 MiB in total cost the same/);
  });

  test('warns when more than half of the billed vCPU is unrequested', () => {
    // 3 GB of memory needs 0.5 vCPU at least; 0.2 vCPU leaves 60% of it unrequested.
    expect(findings(deployment(sized('200m', '2560Mi')), 'rounding-waste')[0].message).toMatch(/60% of the vCPU/);
  });

  test('does not warn at exactly half, for a snug pod, or at the smallest combination', () => {
    // 0.501 vCPU billed as 1 vCPU leaves just under half unrequested; 1 vCPU / 2 GiB is billed 1 vCPU / 3 GB (25% unrequested).
    expect(findings(deployment(sized('500m', '1792Mi', {
      containers: [
        { name: 'a', resources: { requests: { cpu: '500m', memory: '1792Mi' } } },
        { name: 'b', resources: { requests: { cpu: '1m', memory: '0' } } },
      ],
    })), 'rounding-waste')).toEqual([]);
    expect(findings(deployment(sized('1', '2Gi')), 'rounding-waste')).toEqual([]);
    expect(findings(deployment(sized('10m', '16Mi')), 'rounding-waste')).toEqual([]);
  });
});

describe('readiness rule dynamic-efs-claims', () => {
  const dynamicEfs = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'efs-sc' },
    provisioner: 'efs.csi.aws.com',
    parameters: { provisioningMode: 'efs-ap', fileSystemId: 'fs-12345678', directoryPerms: '700' },
  };
  const staticEfs = { ...dynamicEfs, metadata: { name: 'efs-static' }, parameters: {} };
  const context: ReadinessContext = { ...FARGATE_ONLY, dynamicEfsStorageClasses: collectDynamicEfsClasses([dynamicEfs, staticEfs]) };

  function claim(storageClassName: string): KubernetesManifest {
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'default' },
      spec: { storageClassName, accessModes: ['ReadWriteMany'], resources: { requests: { storage: '5Gi' } } },
    };
  }

  test('collects only EFS classes with a provisioningMode', () => {
    expect(context.dynamicEfsStorageClasses).toEqual(['efs-sc']);
  });

  test('is an error for a claim on a dynamically provisioning EFS class, naming addEfsVolume as the fix', () => {
    const [finding, ...more] = findings(claim('efs-sc'), 'dynamic-efs-claims', context);
    expect(more).toEqual([]);
    expect(finding.level).toBe('error');
    expect(finding.message).toMatch(/^PersistentVolumeClaim default\/data: claims storage class `efs-sc`, which provisions EFS access points dynamically/);
    expect(finding.message).toMatch(/cluster\.addEfsVolume\(id, \{ namespace \}\)/);
  });

  test('is an error for StatefulSet claim templates and ephemeral volumes on such a class', () => {
    const scratch = { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { storageClassName: 'efs-sc' } } } };
    const base = deployment({ ...sized('1', '2Gi'), volumes: [scratch] });
    const statefulSet: KubernetesManifest = {
      ...base,
      kind: 'StatefulSet',
      spec: { ...base.spec, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storageClassName: 'efs-sc' } }] },
    };
    expect(findings(statefulSet, 'dynamic-efs-claims', context)[0].message)
      .toMatch(/uses volumeClaimTemplate `data` on storage class `efs-sc`, ephemeral volume `scratch` on storage class `efs-sc`/);
  });

  test('accepts static EFS claims (storageClassName ""), static classes, and judges standalone claims only on Fargate-only clusters', () => {
    expect(findings(claim(''), 'dynamic-efs-claims', context)).toEqual([]);
    expect(findings(claim('efs-static'), 'dynamic-efs-claims', context)).toEqual([]);
    expect(findings(claim('efs-sc'), 'dynamic-efs-claims', { ...context, fargateOnly: false })).toEqual([]);
  });

  test('leaves EBS claims to the EBS rule, which stays an error', () => {
    expect(findings(claim('gp3'), 'dynamic-efs-claims', context)).toEqual([]);
    expect(findings(claim('gp3'), 'ebs-volume-claims', context)[0].level).toBe('error');
  });
});

describe('readiness rule hpa-without-metrics-server', () => {
  function hpa(apiVersion: string, spec: Record<string, any>): KubernetesManifest {
    return {
      apiVersion,
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10, ...spec },
    };
  }
  const withoutMetricsServer: ReadinessContext = { ...FARGATE_ONLY, metricsServer: false };
  const cpu = { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] };

  test('warns for Resource and ContainerResource metrics, with addMetricsServer as the fix', () => {
    const [finding] = findings(hpa('autoscaling/v2', cpu), 'hpa-without-metrics-server', withoutMetricsServer);
    expect(finding.level).toBe('warning');
    expect(finding.message).toMatch(/^HorizontalPodAutoscaler shop\/web: scales on resource metrics \(cpu\).*cluster\.addMetricsServer\(\)/);
    const container = { metrics: [{ type: 'ContainerResource', containerResource: { name: 'memory', container: 'app', target: { type: 'Utilization' } } }] };
    expect(findings(hpa('autoscaling/v2', container), 'hpa-without-metrics-server', withoutMetricsServer)[0].message).toMatch(/\(memory\)/);
  });

  test('warns for autoscaling/v1 and for v2 without metrics, which Kubernetes defaults to CPU', () => {
    expect(findings(hpa('autoscaling/v1', { targetCPUUtilizationPercentage: 50 }), 'hpa-without-metrics-server', withoutMetricsServer)).toHaveLength(1);
    expect(findings(hpa('autoscaling/v2', {}), 'hpa-without-metrics-server', withoutMetricsServer)).toHaveLength(1);
  });

  test('does not warn with metrics-server, for external or custom metrics only, or when unknown', () => {
    const external = { metrics: [{ type: 'External', external: { metric: { name: 'queue_depth' }, target: { type: 'Value', value: '30' } } }] };
    expect(findings(hpa('autoscaling/v2', cpu), 'hpa-without-metrics-server', { ...FARGATE_ONLY, metricsServer: true })).toEqual([]);
    expect(findings(hpa('autoscaling/v2', external), 'hpa-without-metrics-server', withoutMetricsServer)).toEqual([]);
    expect(findings(hpa('autoscaling/v2', cpu), 'hpa-without-metrics-server', FARGATE_ONLY)).toEqual([]);
  });

  test('counts an APIService v1beta1.metrics.k8s.io among the manifests as an installed metrics-server', () => {
    expect(declaresMetricsApi([{ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io' } }])).toBe(true);
    expect(declaresMetricsApi([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'v1beta1.metrics.k8s.io' } }])).toBe(false);
  });
});

describe('readiness rule hpa-target-replicas', () => {
  const autoscaler: KubernetesManifest = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web-autoscaler' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10 },
  };
  const withReplicas = (replicas: unknown, namespace?: string): KubernetesManifest => {
    const manifest = deployment(sized('1', '2Gi'));
    return { ...manifest, metadata: { ...manifest.metadata, ...(namespace ? { namespace } : {}) }, spec: { ...manifest.spec, replicas } };
  };
  const autoscaled: ReadinessContext = { ...FARGATE_ONLY, autoscaledWorkloads: collectAutoscaledTargets([autoscaler]) };

  test('collects the targets of autoscalers as Kind namespace/name, in the autoscaler\'s namespace', () => {
    expect(collectAutoscaledTargets([autoscaler, { ...autoscaler, metadata: { name: 'other', namespace: 'shop' } }]))
      .toEqual(['Deployment default/web', 'Deployment shop/web']);
    expect(collectAutoscaledTargets([{ kind: 'HorizontalPodAutoscaler', spec: { scaleTargetRef: { kind: 5 } } }, null as any])).toEqual([]);
  });

  test('warns when an autoscaled Deployment sets spec.replicas, naming the conflict and the fix', () => {
    const [finding, ...more] = findings(withReplicas(3), 'hpa-target-replicas', autoscaled);
    expect(more).toEqual([]);
    expect(finding.level).toBe('warning');
    expect(finding.message).toMatch(/^Deployment default\/web: sets `spec.replicas: 3` while a HorizontalPodAutoscaler .*conflict on `.spec.replicas`.*Remove `spec.replicas`/);
  });

  test('does not warn without spec.replicas, for another namespace, or without an autoscaler', () => {
    const manifest = deployment(sized('1', '2Gi'));
    expect(findings(manifest, 'hpa-target-replicas', autoscaled)).toEqual([]);
    expect(findings(withReplicas(3, 'shop'), 'hpa-target-replicas', autoscaled)).toEqual([]);
    expect(findings(withReplicas(3), 'hpa-target-replicas', FARGATE_ONLY)).toEqual([]);
  });
});
