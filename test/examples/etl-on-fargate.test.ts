import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { EtlOnFargateStack } from '../../examples/etl-on-fargate/etl-on-fargate-stack';
import { EXAMPLE_ENV, newExampleApp } from '../../examples/shared/example-app';

describe('example: ETL on Fargate', () => {
  const outdir = `${process.env.TMPDIR ?? '/tmp'}/cdk-eks-fargate-examples`;
  const app = newExampleApp(outdir);
  const stack = new EtlOnFargateStack(app, 'EtlOnFargate', { env: EXAMPLE_ENV });
  const template = Template.fromStack(stack);

  test('snapshot: etl-on-fargate', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('runs namespace flow with label infrastructure=fargate on a profile chained after the default one', () => {
    template.hasResource('AWS::EKS::FargateProfile', {
      Properties: { Selectors: [{ Namespace: 'flow', Labels: [{ Key: 'infrastructure', Value: 'fargate' }] }] },
      DependsOn: [stack.getLogicalId(stack.cluster.defaultProfile!.profiles[0])],
    });
  });

  test('applies its objects through one handler Lambda of the library: no nested stack, no kubectl provider', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::CloudFormation::Stack', 0);
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
  });

  test('turns Fargate logging on and applies a Job with a TTL, with no readiness finding and no warning at all', () => {
    const manifests = JSON.stringify(Object.values(template.findResources('Custom::CdkEksFargateKubernetesObjects')).map(r => r.Properties.Manifests));
    expect(manifests).toContain('aws-logging');
    expect(manifests).toContain('\\"ttlSecondsAfterFinished\\":3600');
    const annotations = Annotations.fromStack(stack);
    annotations.hasNoError('*', Match.anyValue());
    annotations.hasNoWarning('*', Match.anyValue());
  });

  test('reports the Job\'s billed size (1 vCPU / 3 GB for 1 vCPU and 2 GiB requested) and price in the cloud assembly', () => {
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'EtlOnFargate.fargate-cost.json'), 'utf-8'));
    expect(report.rows).toEqual([expect.objectContaining({
      workload: 'Job flow/nightly-export', replicas: 1, requestedVcpu: 1, requestedMemoryMib: 2048, billedVcpu: 1, billedMemoryGb: 3,
    })]);
    expect(fs.readFileSync(path.join(outdir, 'EtlOnFargate.fargate-cost.md'), 'utf-8'))
      .toContain('| Job flow/nightly-export | 1 | 1 vCPU, 2048 MiB | 1 vCPU, 3 GB | $0.0538 | $0.0538 | $39.28 |');
  });
});
