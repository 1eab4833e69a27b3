import { container, deployment, findings } from './readiness-fixtures';

describe('readiness rule ephemeral-storage', () => {
  test('more than 175 GiB over all containers is an error', () => {
    const disk = (size: string) => container({ resources: { requests: { 'ephemeral-storage': size } } });
    const found = findings(deployment({ containers: [disk('100Gi'), disk('100Gi')] }), 'ephemeral-storage');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/ask for 200 GiB of `ephemeral-storage`.*at most 175 GiB/);
  });

  test('exactly 175 GiB is not reported', () => {
    const manifest = deployment({ containers: [container({ resources: { limits: { 'ephemeral-storage': '175Gi' } } })] });
    expect(findings(manifest, 'ephemeral-storage')).toEqual([]);
  });
});
