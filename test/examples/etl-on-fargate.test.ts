import { Template } from 'aws-cdk-lib/assertions';
import { EtlOnFargateStack } from '../../examples/etl-on-fargate/etl-on-fargate-stack';
import { EXAMPLE_ENV, newExampleApp } from '../../examples/shared/example-app';

describe('example: ETL on Fargate', () => {
  const app = newExampleApp(`${process.env.TMPDIR ?? '/tmp'}/cdk-eks-fargate-examples`);
  const stack = new EtlOnFargateStack(app, 'EtlOnFargate', { env: EXAMPLE_ENV });
  const template = Template.fromStack(stack);

  test('snapshot: etl-on-fargate', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('runs namespace flow with label infrastructure=fargate on a profile chained after the default one, with no Lambda', () => {
    template.hasResource('AWS::EKS::FargateProfile', {
      Properties: { Selectors: [{ Namespace: 'flow', Labels: [{ Key: 'infrastructure', Value: 'fargate' }] }] },
      DependsOn: [stack.getLogicalId(stack.cluster.defaultProfile!.profiles[0])],
    });
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });
});
