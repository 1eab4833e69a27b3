import * as os from 'os';
import * as path from 'path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EXAMPLE_ENV, newExampleApp } from '../../examples/shared/example-app';
import { WEB_NAMESPACE, WebOnFargateStack } from '../../examples/web-on-fargate/web-on-fargate-stack';
import { stateOf } from '../../lib/private/cluster/cluster-state';
import { evaluateManifest, ReadinessContext, ReadinessFinding } from '../../lib/private/readiness';

const OUTDIR = path.join(process.env.TMPDIR ?? os.tmpdir(), 'cdk-eks-fargate-examples', 'web-on-fargate');

/** The readiness findings of every manifest added to the example's cluster, computed by the rules themselves. */
function readinessFindings(stack: WebOnFargateStack): ReadinessFinding[] {
  const context: ReadinessContext = {
    fargateOnly: stack.cluster.fargateOnly,
    profileSelectors: stateOf(stack.cluster).profiles.profiles.flatMap(profile => profile.selectors),
  };
  return stateOf(stack.cluster).manifests.flatMap(entry => entry.manifests).flatMap(manifest => evaluateManifest(manifest, context));
}

describe('example: web on Fargate', () => {
  const app = newExampleApp(OUTDIR);
  const stack = new WebOnFargateStack(app, 'WebOnFargate', { env: EXAMPLE_ENV });
  const template = Template.fromStack(stack);
  const chartId = stack.getLogicalId(stack.loadBalancerController.chart.node.defaultChild as any);

  test('snapshot: web-on-fargate', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('installs the controller with its IRSA role, and applies the web service after it', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'aws-load-balancer-controller', Namespace: 'kube-system' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: 'AWSLoadBalancerControllerIAMPolicy',
      Roles: [{ Ref: stack.getLogicalId(stack.loadBalancerController.serviceAccount.role.node.defaultChild as iam.CfnRole) }],
    });
    // Objects without pods and the Deployment are two custom resources of one KubernetesObjects: the Ingress's follows the
    // chart by itself (no hand-written dependency in the example), and the Deployment's follows that one.
    const [objects, workloads] = stack.webService.resources
      .map(resource => template.toJSON().Resources[stack.getLogicalId(resource.node.defaultChild as any)]);
    expect(objects.DependsOn).toContain(chartId);
    expect(workloads.DependsOn).toContain(stack.getLogicalId(stack.webService.resources[0].node.defaultChild as any));
    expect([objects, workloads].map(resource => JSON.parse(resource.Properties.Manifests).map((object: { kind: string }) => object.kind)))
      .toEqual([['Service', 'Ingress'], ['Deployment']]);
  });

  test('runs the web pods on a Fargate profile of their own namespace', () => {
    template.hasResourceProperties('AWS::EKS::FargateProfile', { Selectors: [{ Namespace: WEB_NAMESPACE }] });
  });

  test('puts the ALB in front of the pod IPs, internet-facing', () => {
    expect(stack.ingress.spec.ingressClassName).toBe('alb');
    expect(stack.ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
    });
  });

  test('has no readiness findings, and no error or cdk-eks-fargate warning at synth', () => {
    expect(readinessFindings(stack)).toEqual([]);
    const annotations = Annotations.fromStack(stack);
    annotations.hasNoError('*', Match.anyValue());
    annotations.hasNoWarning('*', Match.stringLikeRegexp('cdk-eks-fargate:'));
  });
});

describe('example: web on Fargate with instance targets', () => {
  const app = newExampleApp(`${OUTDIR}-instance`);
  const stack = new WebOnFargateStack(app, 'WebOnFargate', { env: EXAMPLE_ENV, albTargetType: 'instance' });

  test('the load-balancers readiness rule reports the Ingress as an error naming the fix', () => {
    expect(readinessFindings(stack)).toEqual([{
      ruleId: 'cdk-eks-fargate:readiness-load-balancers',
      level: 'error',
      message: expect.stringMatching(/^Ingress web\/web: an ALB Ingress with `alb.ingress.kubernetes.io\/target-type: instance` registers instance targets.*Annotate the Ingress with `alb.ingress.kubernetes.io\/target-type: ip`/),
    }]);
  });

  test('synth reports the error on the web service manifest', () => {
    Annotations.fromStack(stack).hasError(`/WebOnFargate/${stack.webService.node.path.split('/').slice(1).join('/')}`,
      Match.stringLikeRegexp('\\[cdk-eks-fargate:readiness-load-balancers\\] Ingress web/web: an ALB Ingress with `alb.ingress.kubernetes.io/target-type: instance`'));
  });
});
