import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FargateCluster } from '../lib';
import { everyFeature, EVERY_FEATURE_ENV } from './helpers/every-feature';
import { EXAMPLE_STACKS } from './helpers/example-stacks';

const ENV = EVERY_FEATURE_ENV;

/** Service principals whose trust AWS documents without condition keys, and why that is acceptable. */
const UNCONDITIONED_SERVICES: { [service: string]: string } = {
  'lambda.amazonaws.com': 'Lambda execution roles: only functions the account creates can use them (iam:PassRole).',
  'eks.amazonaws.com': 'The EKS cluster role: AWS documents this trust without condition keys; only clusters of the account can pass it.',
};

type Statement = { Principal?: any; Condition?: any; Action?: string | string[] };

function trustProblems(logicalId: string, document: any): string[] {
  if (typeof document !== 'object' || !('Statement' in document)) {
    // IRSA roles carry their trust as a joined JSON string (the condition keys embed the issuer token).
    const text = JSON.stringify(document);
    return text.includes(':sub\\":') && text.includes(':aud\\":\\"sts.amazonaws.com') ? [] : [`${logicalId}: web-identity trust without sub and aud`];
  }
  return (document.Statement as Statement[]).flatMap(statement => {
    const principal = statement.Principal ?? {};
    const condition = JSON.stringify(statement.Condition ?? {});
    if (principal.Service === 'eks-fargate-pods.amazonaws.com') {
      return condition.includes('aws:SourceArn') ? [] : [`${logicalId}: Fargate pod trust without aws:SourceArn`];
    }
    if (principal.Service === 'vpc-flow-logs.amazonaws.com') {
      return condition.includes('aws:SourceAccount') && condition.includes('aws:SourceArn') ? [] : [`${logicalId}: flow-log trust without source keys`];
    }
    if (typeof principal.Service === 'string') {
      return UNCONDITIONED_SERVICES[principal.Service] ? [] : [`${logicalId}: ${principal.Service} trust without the recommended condition`];
    }
    if (principal.AWS) {
      // A role of this library trusts one other role of this library, named by its ARN, never an account root.
      return JSON.stringify(principal.AWS).includes('Fn::GetAtt') ? [] : [`${logicalId}: trusts ${JSON.stringify(principal.AWS)}`];
    }
    return [`${logicalId}: unexpected principal ${JSON.stringify(principal)}`];
  });
}

/** Statements of a policy document, through every branch of `Fn::If` (per-partition documents). */
function statementsOf(document: any): Statement[] {
  if (document['Fn::If']) {
    const [, whenTrue, whenFalse] = document['Fn::If'];
    return [...statementsOf(whenTrue), ...statementsOf(whenFalse)];
  }
  return document.Statement ?? [];
}

function wildcardActions(template: any): string[] {
  return Object.entries<any>(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')
    .flatMap(([logicalId, resource]) => statementsOf(resource.Properties.PolicyDocument)
      .flatMap(statement => ([] as string[]).concat(statement.Action ?? []))
      .filter(action => action === '*' || action.endsWith(':*'))
      .map(action => `${logicalId}: ${action}`));
}

describe('security', () => {
  test('every example passes cdk-nag AwsSolutions with zero unacknowledged findings', () => {
    for (const build of Object.values(EXAMPLE_STACKS)) {
      const app = new App();
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      build(app);
      expect(() => app.synth()).not.toThrow();
    }
  });

  test('the library hides no finding the user caused: an open public endpoint, wildcards in outputPolicyStatements', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'UserChoices', { env: ENV });
    new FargateCluster(stack, 'Cluster', {
      version: eks.KubernetesVersion.V1_34,
      kubectlLayer: new KubectlV34Layer(stack, 'Kubectl'),
      mastersRole: new iam.Role(stack, 'Admins', { assumedBy: new iam.AccountRootPrincipal() }),
      fargateLogging: {
        outputConf: '[OUTPUT]\n    Name firehose\n    Match *\n    region eu-west-1\n    delivery_stream logs\n',
        outputPolicyStatements: [new iam.PolicyStatement({ actions: ['firehose:PutRecordBatch'], resources: ['*'] })],
      },
    });

    expect(() => app.synth()).toThrow(/AwsSolutions-EKS1[\s\S]*AwsSolutions-IAM5|AwsSolutions-IAM5[\s\S]*AwsSolutions-EKS1/);
  });

  test('every feature passes cdk-nag AwsSolutions, public and private', () => {
    const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    everyFeature(app, eks.EndpointAccess.PUBLIC_AND_PRIVATE);
    everyFeature(app, eks.EndpointAccess.PRIVATE);

    expect(() => app.synth()).not.toThrow();
  });

  test('every IAM role the library creates carries the trust condition AWS recommends', () => {
    const app = new App();
    const stack = everyFeature(app, eks.EndpointAccess.PRIVATE);
    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
    // The example admin role trusts the account on purpose; it is the test's, not the library's.
    delete roles[stack.getLogicalId(stack.node.findChild('Admins').node.defaultChild as iam.CfnRole)];

    const problems = Object.entries(roles).flatMap(([logicalId, role]) => trustProblems(logicalId, role.Properties.AssumeRolePolicyDocument));

    expect(Object.keys(roles).length).toBeGreaterThanOrEqual(7);
    expect(problems).toEqual([]);
  });

  test('no policy the library creates grants a wildcard action', () => {
    const app = new App();
    const stack = everyFeature(app, eks.EndpointAccess.PRIVATE);

    expect(wildcardActions(Template.fromStack(stack).toJSON())).toEqual([]);
  });
});
