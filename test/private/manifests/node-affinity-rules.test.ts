import { nodeAffinityProblems } from '../../../lib/private/manifests/node-affinity-rules';

const deployment = (nodeAffinity: unknown) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { template: { spec: { containers: [{ name: 'app', image: 'app' }], affinity: { nodeAffinity } } } },
});
const required = (...matchExpressions: unknown[]) => ({
  requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] },
});
const REQUIREMENT = 'spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]';

describe('nodeAffinityProblems', () => {
  test('well-formed required and preferred node affinity has no problems', () => {
    const affinity = {
      ...required({ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }, { key: 'team', operator: 'Exists' }, { key: 'cores', operator: 'Gt', values: ['3'] }),
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] } }],
    };
    expect(nodeAffinityProblems(deployment(affinity))).toEqual([]);
  });

  test('names the path of a value that is not a string', () => {
    expect(nodeAffinityProblems(deployment(required({ key: 'zone', operator: 'In', values: ['a', 7] })))).toEqual([
      { path: `${REQUIREMENT}.values[1]`, problem: expect.stringMatching(/^is 7; node selector requirement values are label value strings/) },
    ]);
  });

  test('checks the number of values each operator takes', () => {
    const problems = nodeAffinityProblems(deployment(required(
      { key: 'a', operator: 'In', values: [] },
      { key: 'b', operator: 'Exists', values: ['x'] },
      { key: 'c', operator: 'Lt', values: ['1', '2'] },
      { key: 'd', operator: 'Gt', values: ['three'] },
    )));
    expect(problems.map((problem) => problem.problem)).toEqual([
      expect.stringMatching(/^has no values; operator In needs at least one/),
      expect.stringMatching(/^has 1 value\(s\); operator Exists takes none/),
      expect.stringMatching(/^has 2 values; operator Lt takes exactly one integer/),
      expect.stringMatching(/^is "three"; operator Gt compares with an integer/),
    ]);
  });

  test('a list where an object belongs, and a weight out of range, are problems', () => {
    const problems = nodeAffinityProblems(deployment({
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: 'zone-a' },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }, 'x'],
    }));
    expect(problems.map((problem) => problem.path)).toEqual([
      'spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms',
      'spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight',
      'spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[1]',
    ]);
  });

  test('deploy-time tokens and null (absent in the API) are not judged', () => {
    const token = { 'Fn::GetAtt': ['X', 'Y'] };
    const isToken = (value: unknown) => value === token;
    expect(nodeAffinityProblems(deployment(required({ key: token, operator: 'In', values: [token, null] })), isToken)).toEqual([]);
    expect(nodeAffinityProblems(deployment({ requiredDuringSchedulingIgnoredDuringExecution: null }))).toEqual([]);
  });

  test('objects without a pod template, including kinds named like Object.prototype members, have none', () => {
    expect(nodeAffinityProblems({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toEqual([]);
    expect(nodeAffinityProblems({ apiVersion: 'v1', kind: 'constructor', metadata: { name: 'x' } })).toEqual([]);
  });
});
