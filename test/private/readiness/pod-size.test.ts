import { container, workload, deployment, findings } from './readiness-fixtures';

describe('readiness rule pod-size', () => {
  test('16 vCPU and 120 GiB exceed Fargate once the 256 MiB for system components is added', () => {
    const manifest = deployment({ containers: [container({ resources: { requests: { cpu: '16', memory: '120Gi' } } })] });
    const found = findings(manifest, 'pod-size');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/needs 16 vCPU and 120.25 GiB as Fargate sizes it/);
  });

  test('an oversized init container of a CronJob is reported', () => {
    const manifest = workload('CronJob', {
      initContainers: [container({ name: 'migrate', resources: { requests: { cpu: '17', memory: '1Gi' } } })],
      containers: [container()],
    });
    expect(findings(manifest, 'pod-size')[0].message).toMatch(/^CronJob default\/web: needs 17 vCPU/);
  });

  test('the largest combination that fits is not reported', () => {
    const manifest = deployment({ containers: [container({ resources: { requests: { cpu: '16', memory: '119Gi' } } })] });
    expect(findings(manifest, 'pod-size')).toEqual([]);
  });
});
