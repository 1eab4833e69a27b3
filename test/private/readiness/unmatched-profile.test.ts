import { deployment, findings } from './readiness-fixtures';

describe('readiness rule unmatched-profile', () => {
  test('a workload no profile selects is a warning that says Pending and names the fix', () => {
    const found = findings(deployment(undefined, { namespace: 'payments', labels: { app: 'api' } }), 'unmatched-profile');
    expect(found).toEqual([{
      ruleId: 'cdk-eks-fargate:readiness-unmatched-profile',
      level: 'warning',
      message: 'Deployment payments/web: no Fargate profile selects namespace `payments` with pod labels {app=api}; '
        + 'on a Fargate-only cluster its pods stay Pending forever. '
        + 'Add a selector to a FargateProfileSet, e.g. `{ namespace: \'payments\' }`.',
    }]);
    expect(findings(deployment(undefined, { namespace: 'dev', labels: { env: 'prod' } }), 'unmatched-profile')).toHaveLength(1);
  });

  test('a workload a profile selects is not reported', () => {
    expect(findings(deployment(undefined, { namespace: 'dev', labels: { env: 'dev', app: 'x' } }), 'unmatched-profile')).toEqual([]);
    expect(findings(deployment(), 'unmatched-profile')).toEqual([]);
  });
});
