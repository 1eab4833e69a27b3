import { container, deployment, findings } from './readiness-fixtures';

describe('readiness rule privileged', () => {
  test('a privileged container is an error naming it', () => {
    const manifest = deployment({ containers: [container({ name: 'agent', securityContext: { privileged: true } })] });
    const found = findings(manifest, 'privileged');
    expect(found).toHaveLength(1);
    expect(found[0].level).toBe('error');
    expect(found[0].message).toMatch(/^Deployment default\/web: container `agent` sets `securityContext.privileged: true`/);
  });

  test('an unprivileged container is not reported', () => {
    const manifest = deployment({ containers: [container({ securityContext: { privileged: false, allowPrivilegeEscalation: false } })] });
    expect(findings(manifest, 'privileged')).toEqual([]);
  });
});
