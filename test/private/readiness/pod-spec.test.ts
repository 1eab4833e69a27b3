import { container, workload, deployment } from './readiness-fixtures';
import { podWorkloadOf } from '../../../lib/private/readiness/pod-spec';

describe('pod spec extraction', () => {
  test('reads namespace, template labels and pod spec of every workload kind', () => {
    for (const kind of ['Pod', 'Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'CronJob']) {
      const found = podWorkloadOf(workload(kind, { containers: [container()] }, { namespace: 'dev', labels: { env: 'dev' } }));
      expect(found).toMatchObject({ kind, namespace: 'dev', labels: { env: 'dev' }, reference: `${kind} dev/web` });
      expect(found?.spec.containers).toHaveLength(1);
    }
  });

  test('defaults the namespace to default and ignores custom resources that share a kind name', () => {
    expect(podWorkloadOf(deployment())?.namespace).toBe('default');
    expect(podWorkloadOf({ ...deployment(), apiVersion: 'example.com/v1' })).toBeUndefined();
    expect(podWorkloadOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toBeUndefined();
  });
});
