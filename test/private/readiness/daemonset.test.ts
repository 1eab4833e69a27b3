import { container, workload, deployment, findings } from './readiness-fixtures';

describe('readiness rule daemonset', () => {
  test('a DaemonSet is an error naming the fix', () => {
    // GIVEN
    const daemonSet = workload('DaemonSet', { containers: [container()] }, { namespace: 'kube-system', name: 'fluentd' });
    // WHEN
    const found = findings(daemonSet, 'daemonset');
    // THEN
    expect(found).toEqual([{
      ruleId: 'cdk-eks-fargate:readiness-daemonset',
      level: 'error',
      message: 'DaemonSet kube-system/fluentd: Fargate runs no DaemonSets (no nodes to schedule on). '
        + 'Use a sidecar container, or Fargate\'s built-in log router (`fargateLogging`) for logs.',
    }]);
  });

  test('a Deployment is not reported', () => {
    expect(findings(deployment(), 'daemonset')).toEqual([]);
  });
});
