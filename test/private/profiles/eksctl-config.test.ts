import * as fs from 'fs';
import * as path from 'path';
import { parseEksctlFargateProfiles } from '../../../lib/private/profiles/eksctl-config';

const FIXTURE = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'eksctl', 'fargate-cluster.yaml'), 'utf8');

/** A ClusterConfig header followed by `body`. */
function config(body: string): string {
  return `apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: c\n${body}`;
}

describe('parseEksctlFargateProfiles', () => {
  test('reads the profiles of the eksctl Fargate example', () => {
    // GIVEN the fixture modelled on eksctl's documentation
    // WHEN
    const result = parseEksctlFargateProfiles(FIXTURE);
    // THEN
    expect(result.profiles).toEqual([
      { name: 'fp-default', selectors: [{ namespace: 'default' }, { namespace: 'kube-system' }] },
      {
        name: 'fp-dev',
        selectors: [{ namespace: 'dev', labels: { env: 'dev', checks: 'passed' } }],
        subnets: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
        podExecutionRoleArn: 'arn:aws:iam::123456789012:role/dev-fargate-pods',
        tags: { team: 'platform' },
      },
    ]);
  });

  test('reports other ClusterConfig sections in one note', () => {
    const result = parseEksctlFargateProfiles(config('vpc: {}\niam: {}\nfargateProfiles:\n  - name: a\n    selectors: [{ namespace: x }]\n'));
    expect(result.notes).toEqual(['ClusterConfig sections `vpc`, `iam` are ignored: only `fargateProfiles` is read.']);
    expect(parseEksctlFargateProfiles(FIXTURE).notes).toEqual(['ClusterConfig sections `nodeGroups` are ignored: only `fargateProfiles` is read.']);
  });

  test('reports status and unknown fields of a profile and a selector with the profile name', () => {
    // GIVEN
    const text = config([
      'fargateProfiles:',
      '  - name: fp-a',
      '    status: ACTIVE',
      '    platform: linux',
      '    selectors:',
      '      - namespace: a',
      '        matchLabels: { x: y }',
    ].join('\n'));
    // WHEN
    const result = parseEksctlFargateProfiles(text);
    // THEN
    expect(result.notes).toEqual([
      '`fargateProfiles[0].status` (profile fp-a) is status that eksctl reports, not configuration; ignored.',
      '`fargateProfiles[0].platform` (profile fp-a) is not a field this library supports; ignored.',
      '`fargateProfiles[0].selectors[0].matchLabels` (profile fp-a) is not a field this library supports; ignored.',
    ]);
    expect(result.profiles).toEqual([{ name: 'fp-a', selectors: [{ namespace: 'a' }] }]);
  });

  test('keeps label keys with dots and slashes, and reads dates as strings', () => {
    const result = parseEksctlFargateProfiles(config([
      'fargateProfiles:',
      '  - name: fp-a',
      '    tags: { created: 2024-01-01 }',
      '    selectors:',
      '      - namespace: "team-*"',
      '        labels: { app.kubernetes.io/name: web }',
    ].join('\n')));
    expect(result.profiles[0]).toEqual({
      name: 'fp-a',
      selectors: [{ namespace: 'team-*', labels: { 'app.kubernetes.io/name': 'web' } }],
      tags: { created: '2024-01-01' },
    });
  });

  test('rejects text that is not YAML', () => {
    expect(() => parseEksctlFargateProfiles('fargateProfiles: [\n')).toThrow(/eksctl config is not valid YAML/);
  });

  test('rejects a document that is not a mapping', () => {
    expect(() => parseEksctlFargateProfiles('')).toThrow(/eksctl config must be a mapping \(an eksctl ClusterConfig\), got nothing/);
    expect(() => parseEksctlFargateProfiles('- a\n- b\n')).toThrow(/must be a mapping .* got a list/);
  });

  test('rejects another apiVersion or kind', () => {
    expect(() => parseEksctlFargateProfiles('apiVersion: v1\nkind: ConfigMap\n'))
      .toThrow(/eksctl config: `apiVersion` is string "v1"; expected "eksctl.io\/v1alpha5"/);
    expect(() => parseEksctlFargateProfiles('apiVersion: eksctl.io/v1alpha5\nkind: NodeGroup\n'))
      .toThrow(/`kind` is string "NodeGroup"; expected "ClusterConfig"/);
  });

  test('rejects a config without Fargate profiles', () => {
    expect(() => parseEksctlFargateProfiles(config('nodeGroups: []\n'))).toThrow(/`fargateProfiles` must be a non-empty list of Fargate profiles, got nothing/);
    expect(() => parseEksctlFargateProfiles(config('fargateProfiles: []\n'))).toThrow(/`fargateProfiles` must be a non-empty list/);
  });

  test('rejects a profile without a name or selectors', () => {
    expect(() => parseEksctlFargateProfiles(config('fargateProfiles:\n  - selectors: [{ namespace: a }]\n')))
      .toThrow(/`fargateProfiles\[0\].name` must be a non-empty string, got nothing/);
    expect(() => parseEksctlFargateProfiles(config('fargateProfiles:\n  - name: a\n  - name: b\n    selectors: []\n')))
      .toThrow(/`fargateProfiles\[0\].selectors` must be a non-empty list \(a Fargate profile needs at least one selector\)/);
    expect(() => parseEksctlFargateProfiles(config('fargateProfiles:\n  - name: { first: a }\n')))
      .toThrow(/`fargateProfiles\[0\].name` must be a non-empty string, got a mapping/);
    expect(() => parseEksctlFargateProfiles(config('fargateProfiles:\n  - name: a\n    selectors: [default]\n')))
      .toThrow(/`fargateProfiles\[0\].selectors\[0\]` must be a mapping with `namespace` \(and optional `labels`\), got string "default"/);
    expect(() => parseEksctlFargateProfiles(config('fargateProfiles:\n  - fp-a\n')))
      .toThrow(/`fargateProfiles\[0\]` must be a mapping with `name` and `selectors`, got string "fp-a"/);
  });

  test('rejects a selector namespace of the wrong shape, naming its path', () => {
    const text = config([
      'fargateProfiles:',
      '  - name: a',
      '    selectors: [{ namespace: a }]',
      '  - name: b',
      '    selectors:',
      '      - namespace: 42',
    ].join('\n'));
    expect(() => parseEksctlFargateProfiles(text)).toThrow(/`fargateProfiles\[1\].selectors\[0\].namespace` must be a non-empty string, got number 42/);
  });

  test('rejects a label value that YAML reads as a boolean, with a hint to quote it', () => {
    const text = config('fargateProfiles:\n  - name: a\n    selectors:\n      - namespace: a\n        labels: { enabled: true }\n');
    expect(() => parseEksctlFargateProfiles(text))
      .toThrow(/`fargateProfiles\[0\].selectors\[0\].labels.enabled` must be a string, got boolean true \(quote it: "true"\)/);
  });

  test('rejects subnets that are not subnet ids and a role that is not an ARN', () => {
    const profile = (extra: string) => config(`fargateProfiles:\n  - name: a\n    selectors: [{ namespace: a }]\n${extra}`);
    expect(() => parseEksctlFargateProfiles(profile('    subnets: private-a\n')))
      .toThrow(/`fargateProfiles\[0\].subnets` must be a list of subnet ids, got string "private-a"/);
    expect(() => parseEksctlFargateProfiles(profile('    subnets: [private-a]\n')))
      .toThrow(/`fargateProfiles\[0\].subnets\[0\]` must be a subnet id \(subnet-...\), got "private-a"/);
    expect(() => parseEksctlFargateProfiles(profile('    podExecutionRoleARN: my-role\n')))
      .toThrow(/`fargateProfiles\[0\].podExecutionRoleARN` must be an IAM role ARN \(arn:<partition>:iam::<12-digit account>:role\/<name>\), got "my-role"/);
    expect(() => parseEksctlFargateProfiles(profile('    tags: [a]\n')))
      .toThrow(/`fargateProfiles\[0\].tags` must be a mapping of strings, got a list/);
  });

  test('rejects two profiles with the same name', () => {
    const text = config('fargateProfiles:\n  - name: a\n    selectors: [{ namespace: a }]\n  - name: a\n    selectors: [{ namespace: b }]\n');
    expect(() => parseEksctlFargateProfiles(text)).toThrow(/`fargateProfiles\[1\].name` repeats the name "a" of fargateProfiles\[0\]/);
  });
});

describe('parseEksctlFargateProfiles (issue 11)', () => {
  test('resolves YAML merge keys in fargateProfiles as eksctl does', () => {
    const result = parseEksctlFargateProfiles(config([
      'fargateProfiles:',
      '  - &base',
      '    name: fp-a',
      '    selectors: [{ namespace: a }]',
      '    subnets: [subnet-0a1b2c3d4e5f60718]',
      '  - <<: *base',
      '    name: fp-b',
      '    selectors: [{ namespace: b }]',
      '',
    ].join('\n')));
    expect(result.profiles).toEqual([
      { name: 'fp-a', selectors: [{ namespace: 'a' }], subnets: ['subnet-0a1b2c3d4e5f60718'] },
      { name: 'fp-b', selectors: [{ namespace: 'b' }], subnets: ['subnet-0a1b2c3d4e5f60718'] },
    ]);
  });

  test('refuses a podExecutionRoleARN that is not an IAM role ARN', () => {
    expect(() => parseEksctlFargateProfiles(config(
      'fargateProfiles:\n  - name: fp\n    selectors: [{ namespace: a }]\n    podExecutionRoleARN: arn:aws:iam::123456789012:user/bob\n',
    ))).toThrow(/fargateProfiles\[0\]\.podExecutionRoleARN.*must be an IAM role ARN \(arn:<partition>:iam::<12-digit account>:role\/<name>\), got "arn:aws:iam::123456789012:user\/bob"/);
  });
});
