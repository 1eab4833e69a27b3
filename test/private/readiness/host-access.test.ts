import { container, deployment, findings } from './readiness-fixtures';

describe('readiness rule host-access', () => {
  test('host networking, host ports and hostPath volumes are one error listing each', () => {
    const manifest = deployment({
      hostNetwork: true,
      hostPID: true,
      containers: [container({ ports: [{ containerPort: 80, hostPort: 8080 }] })],
      volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }],
    });
    const found = findings(manifest, 'host-access');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/rejects `hostNetwork: true`, `hostPID: true`, `hostPort: 8080` in container `app`, `hostPath` volume `logs`/);
  });

  test('container ports and emptyDir volumes are not reported', () => {
    const manifest = deployment({ containers: [container({ ports: [{ containerPort: 80 }] })], volumes: [{ name: 'tmp', emptyDir: {} }] });
    expect(findings(manifest, 'host-access')).toEqual([]);
  });
});
