import { evaluateManifest, KubernetesManifest, READINESS_RULE_PREFIX, ReadinessContext } from '../../../lib/private/readiness';

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
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
      { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] },
    ] } } };
    expect(findings(deployment(sized('1', '2Gi', { affinity })), 'arm64')[0].message)
      .toMatch(/required node affinity `kubernetes.io\/arch In \[arm64\]`/);
  });

  test('accepts amd64, a multi-arch affinity and no architecture at all', () => {
    const multiArch = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
      { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64', 'amd64'] }] },
    ] } } };
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
    expect(findings(deployment(sized('500m', '1792Mi', { containers: [
      { name: 'a', resources: { requests: { cpu: '500m', memory: '1792Mi' } } },
      { name: 'b', resources: { requests: { cpu: '1m', memory: '0' } } },
    ] })), 'rounding-waste')).toEqual([]);
    expect(findings(deployment(sized('1', '2Gi')), 'rounding-waste')).toEqual([]);
    expect(findings(deployment(sized('10m', '16Mi')), 'rounding-waste')).toEqual([]);
  });
});
