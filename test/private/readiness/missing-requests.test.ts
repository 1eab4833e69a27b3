import { container, deployment, findings } from './readiness-fixtures';

describe('readiness rule missing-requests', () => {
  test('containers without requests are a warning naming what is missing', () => {
    const manifest = deployment({
      containers: [container({ name: 'web', resources: undefined }), container({ name: 'proxy', resources: { requests: { cpu: '100m' } } })],
    });
    expect(findings(manifest, 'missing-requests')[0].message)
      .toMatch(/^Deployment default\/web: container `web` \(cpu, memory\), `proxy` \(memory\) requests no resources/);
  });

  test('requests, or limits alone, are not reported', () => {
    const manifest = deployment({ containers: [container(), container({ resources: { limits: { cpu: '1', memory: '1Gi' } } })] });
    expect(findings(manifest, 'missing-requests')).toEqual([]);
  });
});
