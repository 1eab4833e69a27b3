import { container } from './readiness-fixtures';
import { FargatePodSize } from '../../../lib/fargate-pod-size';
import { fargatePodTotal } from '../../../lib/private/readiness/pod-resources';

describe('Fargate sizing', () => {
  test('1 vCPU and 8 GB plus 256 MB becomes 2 vCPU and 9 GB, as AWS documents', () => {
    expect(FargatePodSize.ofRequests(1, 8 * 1024)).toMatchObject({ billedVcpu: 2, billedMemoryGb: 9 });
    expect(FargatePodSize.ofRequests(0, 0)).toMatchObject({ billedVcpu: 0.25, billedMemoryGb: 0.5 });
    expect(FargatePodSize.ofRequests(16.5, 1024).fits).toBe(false);
  });

  test('a pod needs the larger of its containers\' sum and its largest init container', () => {
    // GIVEN two 1-CPU app containers and a 3-CPU init container
    const spec = {
      initContainers: [container({ resources: { requests: { cpu: '3' } } })],
      containers: [container({ resources: { requests: { cpu: '1' } } }), container({ resources: { limits: { cpu: '1' } } })],
    };
    // WHEN / THEN (limits stand in for missing requests, as Kubernetes defaults them)
    expect(fargatePodTotal(spec, 'cpu')).toBe(3);
    expect(fargatePodTotal({ containers: spec.containers }, 'cpu')).toBe(2);
  });

  test('sidecar init containers count with the app and with every init container after them', () => {
    // GIVEN a 1-CPU sidecar declared before a 2-CPU init container, and a 1-CPU app
    const sidecar = container({ restartPolicy: 'Always', resources: { requests: { cpu: '1' } } });
    const spec = {
      initContainers: [sidecar, container({ resources: { requests: { cpu: '2' } } })],
      containers: [container({ resources: { requests: { cpu: '1' } } })],
    };
    // WHEN / THEN: max(app 1 + sidecar 1, init 2 + sidecar 1)
    expect(fargatePodTotal(spec, 'cpu')).toBe(3);
  });
});
