import { container, deployment, findings } from './readiness-fixtures';

describe('readiness rule gpu', () => {
  test('a GPU or Neuron resource is an error', () => {
    const manifest = deployment({
      containers: [container({ resources: { limits: { 'nvidia.com/gpu': 1 } } })],
      initContainers: [container({ name: 'warmup', resources: { requests: { 'aws.amazon.com/neuron': 1 } } })],
    });
    const found = findings(manifest, 'gpu');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/asks for `nvidia.com\/gpu` in container `app`, `aws.amazon.com\/neuron` in container `warmup`/);
  });

  test('CPU and memory only are not reported', () => {
    expect(findings(deployment(), 'gpu')).toEqual([]);
  });
});
