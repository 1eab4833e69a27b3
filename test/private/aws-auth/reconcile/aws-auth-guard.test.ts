import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsAuthBackend, FargateCluster, SafeAwsAuth } from '../../../../lib';
import * as auditEvents from '../../../fixtures/audit/aws-auth-audit-events.json';
import { matchesFilterPattern } from '../../../helpers/cloudwatch-filter-pattern';
import { newTestCluster, newTestStack } from '../../../helpers/test-stack';

const CUSTOM_RESOURCE = 'Custom::CdkEksFargateAwsAuth';

/**
 * Where the field layout of each audit fixture comes from (its `shapeFrom` keys). The fixtures are built from these
 * published events and rules, with this test's account and role names; none is a capture of our own.
 */
const AUDIT_EVENT_SOURCES: { [key: string]: string } = {
  'ClusterLoGo': 'a captured EKS audit event in the ClusterLoGo audit-log parser: an access-entry user (username '
    + '`arn:aws:sts::<account>:assumed-role/<role>/<session>`, uid `aws-iam-authenticator:<account>:<principal id>`, extra accessKeyId/arn/'
    + 'canonicalArn/principalId/sessionName), field order, the "EKS Access Policy: allowed by ..." reason',
  'panther-analysis': 'Panther Analysis, EKS audit rule tests (Amazon.EKS.Audit): kubernetes-admin with system:masters, eks:addon-manager '
    + 'acting through an AWS-owned role, ResponseStarted/ResponseComplete stages, responseStatus.code, RBAC reason annotations',
  'audit.k8s.io/v1': 'Kubernetes documentation, kube-apiserver Audit Configuration (v1): Event fields, MicroTime timestamps, Status',
  'apiserver-audit': 'Kubernetes apiserver, audit LogRequestObject: objectRef name, namespace, uid and resourceVersion completed from the '
    + 'object at Metadata level (a create names aws-auth although its URI is the collection)',
  'eks-audit-policy': 'EKS Best Practices Guide, Auditing and logging: EKS logs update/patch/delete of kube-system/aws-auth at '
    + 'RequestResponse without the RequestReceived stage',
  'eks-access-entries': 'Amazon EKS User Guide, Create access entries: the default username of a role is '
    + '`arn:aws:sts::<account>:assumed-role/<role name>/{{SessionName}}`, of a user its ARN',
  'eks-node-manager': 'Amazon EKS User Guide, Observability: `eks:node-manager` is the EKS-internal identity (role *-NodeManagerRole-*) '
    + 'that works on managed node groups and Fargate',
  'eks-rbac': 'RBAC listings of EKS clusters: kube-system Roles and RoleBindings eks:node-manager and eks:fargate-manager',
  'eks-vpcLambda': 'an EKS-written aws-auth whose managedFields name the manager `vpcLambda` (the user agent of EKS\'s writer)',
};

function guardedStack(props: Partial<ConstructorParameters<typeof SafeAwsAuth>[2]> = {}) {
  const stack = newTestStack();
  const cluster = newTestCluster(stack);
  const handlerRole = new iam.Role(stack, 'HandlerRole', { roleName: 'GuardedHandlerRole', assumedBy: new iam.AccountRootPrincipal() });
  const auth = new SafeAwsAuth(stack, 'Auth', { cluster, backend: AwsAuthBackend.CONFIG_MAP, handlerRole, ownerId: 'app/Auth', ...props });
  auth.addRoleMapping(iam.Role.fromRoleArn(stack, 'Deployer', 'arn:aws:iam::111122223333:role/deployer'), { groups: ['system:masters'] });
  return { stack, cluster, auth, handlerRole, template: Template.fromStack(stack) };
}

function reconcileFunction(template: Template): [string, any] {
  return Object.entries(template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp('restores the aws-auth entries') },
  }))[0];
}

/** Resolves the `Fn::Join` CloudFormation makes of a string with tokens, given what each `Ref` stands for. */
function resolveJoin(value: any, refs: { [name: string]: string }): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value.Ref !== undefined) {
    if (refs[value.Ref] === undefined) {
      throw new Error(`no value for Ref ${value.Ref}`);
    }
    return refs[value.Ref];
  }
  const [separator, parts] = value['Fn::Join'];
  return parts.map((part: any) => resolveJoin(part, refs)).join(separator);
}

describe('SafeAwsAuth reconcile (aws-auth guard)', () => {
  test('runs on a schedule every 5 minutes whose event names only the cluster and the owner', () => {
    const { stack, cluster, template } = guardedStack();
    const [functionId] = reconcileFunction(template);

    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [{
        Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 },
      }],
    });
    const rule = Object.values(template.findResources('AWS::Events::Rule'))[0] as any;
    const input = resolveJoin(rule.Properties.Targets[0].Input, { [stack.getLogicalId(cluster.resource)]: 'prod' });
    expect(JSON.parse(input)).toEqual({ clusterName: 'prod', ownerId: 'app/Auth' });
  });

  test('never retries a run, neither in EventBridge nor in Lambda', () => {
    const { template } = guardedStack({ reconcileInterval: Duration.minutes(10) });
    const [functionId] = reconcileFunction(template);

    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(10 minutes)',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 600 } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId }, MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 600,
    });
  });

  test('creates the schedule after the custom resource, so it is deleted first', () => {
    const { template } = guardedStack();
    const [resourceId] = Object.keys(template.findResources(CUSTOM_RESOURCE));
    const rule = Object.values(template.findResources('AWS::Events::Rule'))[0] as any;

    expect(rule.DependsOn).toContain(resourceId);
  });

  test('gives the reconcile a role of its own that may only assume the SafeAwsAuth role', () => {
    const { stack, handlerRole, template } = guardedStack();
    const [, fn] = reconcileFunction(template);
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy: any) => policy.Properties.Roles.some((r: any) => r.Ref === roleId));

    expect(policies).toHaveLength(1);
    expect((policies[0] as any).Properties.PolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Resource: stack.resolve(handlerRole.roleArn) },
    ]);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'GuardedHandlerRole',
      AssumeRolePolicyDocument: { Statement: Match.arrayWith([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': [roleId, 'Arn'] } } }]) },
    });
    const role = template.findResources('AWS::IAM::Role')[roleId];
    expect(role.Properties.Path).toBe('/cdk-eks-fargate/aws-auth-handler/');
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('service-role/AWSLambdaBasicExecutionRole');
    expect(fn.Properties.Environment.Variables).toMatchObject({ OWNER_ID: 'app/Auth', ROLE_ARN: stack.resolve(handlerRole.roleArn), AUTHENTICATION_MODE: 'API_AND_CONFIG_MAP' });
  });

  test('exposes the three alarms, the failing one breaching on missing heartbeats', () => {
    const { stack, cluster, auth, template } = guardedStack();

    expect(auth.nodeMappingsLostAlarm).toBeDefined();
    expect(auth.foreignEntriesLostAlarm).toBeDefined();
    expect(auth.reconcileFailingAlarm).toBeDefined();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'NodeRoleArnsLost',
      Namespace: 'CdkEksFargate/AwsAuth',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'ClusterName', Value: stack.resolve(cluster.clusterName) }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ForeignEntriesLost', TreatMissingData: 'notBreaching' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      TreatMissingData: 'breaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(failed, 0) + FILL(errors, 0) + IF(FILL(heartbeat, 0) < 1, 1, 0)' }),
        Match.objectLike({ Id: 'failed', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'RunsFailed' }) }) }),
        Match.objectLike({ Id: 'errors', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'Errors', Namespace: 'AWS/Lambda' }) }) }),
        Match.objectLike({ Id: 'heartbeat', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'Heartbeat' }), Period: 600 }) }),
      ]),
    });
  });

  test('sends every alarm to the alarm topic', () => {
    const stack = newTestStack();
    const topic = new sns.Topic(stack, 'Topic');
    const cluster = newTestCluster(stack);
    const auth = new SafeAwsAuth(stack, 'Auth', { cluster, backend: AwsAuthBackend.CONFIG_MAP, alarmTopic: topic });
    auth.addAccount('444455556666');

    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))
      .filter((alarm: any) => alarm.Properties.AlarmActions);
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms as any[]) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }]);
    }
  });

  test('adds nothing scheduled when reconcile is off', () => {
    const { auth, template } = guardedStack({ reconcile: false });

    template.resourceCountIs('AWS::Events::Rule', 0);
    expect(auth.nodeMappingsLostAlarm).toBeUndefined();
    expect(reconcileFunction(template)).toBeUndefined();
    expect(JSON.stringify(template.findResources(CUSTOM_RESOURCE))).not.toContain('Reconcile');
  });

  test('refuses an interval EventBridge or Lambda cannot keep', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    expect(() => new SafeAwsAuth(stack, 'Auth', { cluster, backend: AwsAuthBackend.CONFIG_MAP, reconcileInterval: Duration.seconds(90) }))
      .toThrow(/`reconcileInterval` is 1 minute 30 seconds; it must be whole minutes from 1 minute to 6 hours/);
  });

  test('refuses reconcile settings on the access-entry backend', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    expect(() => new SafeAwsAuth(stack, 'Auth', { cluster, alarmTopic: new sns.Topic(stack, 'Topic') }))
      .toThrow(/`alarmTopic` only applies to the reconcile of the CONFIG_MAP backend.*access entries cannot be overwritten/);
  });

  test('adds nothing but the outside-write alarm on the access-entry backend', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    cluster.awsAuth.addMastersRole(iam.Role.fromRoleArn(stack, 'Admin', 'arn:aws:iam::111122223333:role/admin'));

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.resourceCountIs('AWS::Logs::MetricFilter', 1);
    expect(cluster.awsAuthOutsideWriteAlarm).toBeDefined();
    expect(cluster.awsAuth.nodeMappingsLostAlarm).toBeUndefined();
  });

  test('protectNodeRole declares the node mapping as EKS documents it, so an existing one is adopted', () => {
    const stack = newTestStack();
    const cluster = FargateCluster.fromClusterAttributes(stack, 'Legacy', {
      clusterName: 'legacy', awsAuthHandlerRole: iam.Role.fromRoleArn(stack, 'Handler', 'arn:aws:iam::111122223333:role/aws-auth-editor'),
    });
    cluster.awsAuth.protectNodeRole(iam.Role.fromRoleArn(stack, 'Nodes', 'arn:aws:iam::111122223333:role/eks-node-group-role'));

    const resource = Object.values(Template.fromStack(stack).findResources(CUSTOM_RESOURCE))[0] as any;
    expect(JSON.parse(resource.Properties.Mappings).mapRoles).toEqual([{
      rolearn: 'arn:aws:iam::111122223333:role/eks-node-group-role', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'],
    }]);
    expect(resource.Properties.Reconcile).toBe('true');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ AUTHENTICATION_MODE: 'CONFIG_MAP', ROLE_ARN: 'arn:aws:iam::111122223333:role/aws-auth-editor' }) },
    });
  });
});

describe('FargateCluster awsAuthOutsideWriteAlarm', () => {
  test('filters the audit log for completed aws-auth writes by anyone but the library roles (sample EKS audit events)', () => {
    const { stack, handlerRole, template } = guardedStack();
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')) as any[];
    expect(filters).toHaveLength(1);
    const pattern = resolveJoin(filters[0].Properties.FilterPattern, {
      'AWS::Partition': 'aws',
      [stack.getLogicalId(handlerRole.node.defaultChild as iam.CfnRole)]: 'GuardedHandlerRole',
    });
    expect(pattern.length).toBeLessThanOrEqual(1024);

    // No CloudWatch Logs filter-pattern matcher is kept on npm (CloudWatch's own TestMetricFilter API needs an account), so
    // the pattern is evaluated by this repository's evaluator of the documented JSON pattern syntax.
    type Sample = { name: string; outsideWrite: boolean; shapeFrom: string[]; event: unknown };
    const samples = ((auditEvents as any).default ?? auditEvents) as Sample[];
    expect(samples.filter((sample) => sample.outsideWrite && /^eks:/.test((sample.event as any).user.username))).toHaveLength(2);
    for (const sample of samples) {
      expect(sample.shapeFrom.filter((key) => AUDIT_EVENT_SOURCES[key] === undefined)).toEqual([]);
      const verdict = { name: sample.name, matches: matchesFilterPattern(pattern, sample.event) };
      expect(verdict).toEqual({ name: sample.name, matches: sample.outsideWrite });
    }
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: Match.stringLikeRegexp('ClusterLogGroup') },
      MetricTransformations: [{ MetricNamespace: 'CdkEksFargate/AwsAuth', MetricName: Match.anyValue(), MetricValue: '1' }],
    });
  });

  test('is an alarm on any outside write within 5 minutes', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);

    expect(cluster.awsAuthOutsideWriteAlarm).toBeDefined();
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CdkEksFargate/AwsAuth',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test('is absent when the audit log is off', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { clusterLogging: [eks.ClusterLoggingTypes.API] });

    expect(cluster.awsAuthOutsideWriteAlarm).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::Logs::MetricFilter', 0);
  });

  test('watches an imported cluster given its control-plane log group', () => {
    const stack = newTestStack();
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Logs', '/aws/eks/legacy/cluster');
    const withLogs = FargateCluster.fromClusterAttributes(stack, 'Legacy', { clusterName: 'legacy', controlPlaneLogGroup: logGroup });
    const withoutLogs = FargateCluster.fromClusterAttributes(stack, 'Other', { clusterName: 'other' });

    expect(withLogs.awsAuthOutsideWriteAlarm).toBeDefined();
    expect(withoutLogs.awsAuthOutsideWriteAlarm).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::MetricFilter', { LogGroupName: '/aws/eks/legacy/cluster' });
  });
});
