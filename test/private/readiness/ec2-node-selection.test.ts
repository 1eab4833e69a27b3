import { container, requiredAffinity, deployment, findings } from './readiness-fixtures';

describe('readiness rule ec2-node-selection', () => {
  test('EC2-only node selectors and affinities are warnings', () => {
    const byInstanceType = deployment({ containers: [container()], nodeSelector: { 'node.kubernetes.io/instance-type': 'm5.large' } });
    const byArch = deployment({ containers: [container()], nodeSelector: { 'kubernetes.io/arch': 'arm64' } });
    const byKarpenter = deployment({
      containers: [container()],
      affinity: requiredAffinity([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }]),
    });
    expect(findings(byInstanceType, 'ec2-node-selection')[0].message).toMatch(/nodeSelector `node.kubernetes.io\/instance-type: m5.large` cannot be met/);
    // The architecture is the arm64 rule's error, not repeated as a warning here.
    expect(findings(byArch, 'ec2-node-selection')).toEqual([]);
    expect(findings(byArch, 'arm64')).toHaveLength(1);
    expect(findings(byKarpenter, 'ec2-node-selection')[0].message).toMatch(/required node affinity `karpenter.sh\/capacity-type In \[spot\]`/);
  });

  test('Fargate labels and an affinity with a Fargate alternative are not reported', () => {
    const fargateSelector = deployment({ containers: [container()], nodeSelector: { 'eks.amazonaws.com/compute-type': 'fargate', 'kubernetes.io/arch': 'amd64' } });
    const alternative = deployment({
      containers: [container()],
      affinity: requiredAffinity(
        [{ key: 'eks.amazonaws.com/nodegroup', operator: 'In', values: ['ng-1'] }],
        [{ key: 'eks.amazonaws.com/compute-type', operator: 'In', values: ['fargate'] }],
      ),
    });
    expect(findings(fargateSelector, 'ec2-node-selection')).toEqual([]);
    expect(findings(deployment({ containers: [container()], nodeSelector: { constructor: 'x' } }), 'ec2-node-selection')).toEqual([]);
    expect(findings(alternative, 'ec2-node-selection')).toEqual([]);
  });
});
