import { CustomResource, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AwsAuthReconcileFunction } from './aws-auth-reconcile-function';
import { LAST_GOOD_NAME } from './last-good-store';
import { AWS_AUTH_METRICS_NAMESPACE, RECONCILE_METRICS } from './reconcile-metrics';
import type { IFargateCluster } from '../../../fargate-cluster-interface';
import { needsVpcPlacement } from '../../cluster/endpoint-placement';
import { dependOnPrivateEgress, lambdaExecutionRole } from '../../cluster/vpc-subnets';
import { KUBERNETES_HANDLER_ROLE_PATH, vpcPlacement } from '../../handler/kubernetes-handler-provider';
import { acknowledgeManagedPoliciesUnder } from '../../shared/nag-acknowledgements';
import { trustIfOwned } from '../../shared/role-trust';

/** Options of {@link AwsAuthGuard}. */
export interface AwsAuthGuardProps {
  readonly cluster: IFargateCluster;
  readonly ownerId: string;
  /** The SafeAwsAuth role: the only role the reconcile may assume. */
  readonly role: iam.IRole;
  /** The custom resource of the owner; the schedule depends on it. */
  readonly resource: CustomResource;
  readonly interval: Duration;
  readonly alarmTopic?: sns.ITopic;
}

/**
 * The scheduled reconcile of one SafeAwsAuth owner: a function with its own role (it may assume only the SafeAwsAuth
 * role), an EventBridge schedule whose event names only the cluster and the owner, and the alarms on its metrics.
 */
export class AwsAuthGuard extends Construct {
  public readonly nodeMappingsLostAlarm: cloudwatch.IAlarm;
  public readonly foreignEntriesLostAlarm: cloudwatch.IAlarm;
  public readonly reconcileFailingAlarm: cloudwatch.IAlarm;

  constructor(scope: Construct, id: string, props: AwsAuthGuardProps) {
    super(scope, id);
    const { cluster, interval } = props;
    const inVpc = needsVpcPlacement(cluster.endpointAccess);
    const role = lambdaExecutionRole(this, 'Role', {
      description: 'Execution role of the cdk-eks-fargate aws-auth reconcile: assumes the SafeAwsAuth role, writes its log',
      // The handlers' path, so a role mapped outside the app that trusts every handler also trusts the reconcile.
      path: KUBERNETES_HANDLER_ROLE_PATH,
      inVpc,
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [props.role.roleArn] }));
    trustIfOwned(props.role, role);
    acknowledgeManagedPoliciesUnder(role, 'The AWS managed Lambda execution policies: log writing (and ENI management in a VPC), nothing else.');

    const reconcile = new AwsAuthReconcileFunction(this, 'Function', {
      role,
      description: `cdk-eks-fargate: restores the aws-auth entries of one SafeAwsAuth owner, keeps kube-system/${LAST_GOOD_NAME}`,
      timeout: Duration.minutes(2),
      memorySize: 256,
      logGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS }),
      environment: {
        CLUSTER_NAME: cluster.clusterName,
        OWNER_ID: props.ownerId,
        ROLE_ARN: props.role.roleArn,
        AUTHENTICATION_MODE: cluster.authenticationMode ?? eks.AuthenticationMode.CONFIG_MAP,
        ...(cluster.clusterEndpoint ? { ENDPOINT: cluster.clusterEndpoint } : {}),
        ...(cluster.clusterCertificateAuthorityData ? { CERTIFICATE_AUTHORITY_DATA: cluster.clusterCertificateAuthorityData } : {}),
      },
      ...(inVpc ? vpcPlacement(scope, this, cluster, 'Function') : {}),
    });
    if (inVpc) {
      dependOnPrivateEgress(reconcile, cluster.vpc!);
    }
    // A run that is late is worthless (the next one is due) and a retried one could act on what it read long ago.
    reconcile.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: interval });
    const schedule = new events.Rule(this, 'Schedule', {
      description: `cdk-eks-fargate aws-auth reconcile of ${props.ownerId}`,
      schedule: events.Schedule.rate(interval),
      targets: [new targets.LambdaFunction(reconcile, {
        event: events.RuleTargetInput.fromObject({ clusterName: cluster.clusterName, ownerId: props.ownerId }),
        retryAttempts: 0,
        maxEventAge: interval,
      })],
    });
    // Created after the custom resource and deleted before it, so no run outlives the owner's Delete.
    schedule.node.addDependency(props.resource);

    const perOwner = { ClusterName: cluster.clusterName, OwnerId: props.ownerId };
    const perCluster = { ClusterName: cluster.clusterName };
    const metric = (metricName: string, dimensionsMap: { [name: string]: string }, period = interval) =>
      new cloudwatch.Metric({ namespace: AWS_AUTH_METRICS_NAMESPACE, metricName, dimensionsMap, statistic: 'Sum', period });
    this.nodeMappingsLostAlarm = countAlarm(this, 'NodeMappingsLost', metric(RECONCILE_METRICS.nodeRoleArnsLost, perCluster),
      `A role or user mapped to system:nodes in aws-auth of ${cluster.clusterName} is gone: nodes using it cannot join. The copy from before is in `
      + `kube-system/${LAST_GOOD_NAME} (key aws-auth.before-last-loss.json); the reconcile log names the ARN.`);
    this.foreignEntriesLostAlarm = countAlarm(this, 'ForeignEntriesLost', metric(RECONCILE_METRICS.foreignEntriesLost, perCluster),
      `aws-auth entries of ${cluster.clusterName} that cdk-eks-fargate does not own are gone and were not restored; the copy from before is in `
      + `kube-system/${LAST_GOOD_NAME} (key aws-auth.before-last-loss.json).`);
    const failingPeriod = interval.plus(interval);
    this.reconcileFailingAlarm = new cloudwatch.Alarm(this, 'ReconcileFailing', {
      alarmDescription: `The aws-auth reconcile of ${props.ownerId} on ${cluster.clusterName} failed or did not run (a failure, a crash, or no `
        + 'heartbeat); its log says why. "the reconcile role is no longer mapped in aws-auth" means an overwrite locked it out.',
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(failed, 0) + FILL(errors, 0) + IF(FILL(heartbeat, 0) < 1, 1, 0)',
        usingMetrics: {
          failed: metric(RECONCILE_METRICS.runsFailed, perOwner, failingPeriod),
          errors: reconcile.metricErrors({ period: failingPeriod, statistic: 'Sum' }),
          heartbeat: metric(RECONCILE_METRICS.heartbeat, perOwner, failingPeriod),
        },
        period: failingPeriod,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    if (props.alarmTopic) {
      const action = new cloudwatchActions.SnsAction(props.alarmTopic);
      for (const alarm of [this.nodeMappingsLostAlarm, this.foreignEntriesLostAlarm, this.reconcileFailingAlarm] as cloudwatch.Alarm[]) {
        alarm.addAlarmAction(action);
      }
    }
  }
}

function countAlarm(scope: Construct, id: string, metric: cloudwatch.Metric, description: string): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** Problems with a reconcile interval: EventBridge rates are whole minutes, and a Lambda `maxEventAge` is at most 6 hours. */
export function reconcileIntervalProblems(interval: Duration): string[] {
  const seconds = interval.toSeconds();
  if (Token.isUnresolved(seconds) || (seconds >= 60 && seconds <= 6 * 3600 && seconds % 60 === 0)) {
    return [];
  }
  return [`\`reconcileInterval\` is ${interval.toHumanString()}; it must be whole minutes from 1 minute to 6 hours (an EventBridge rate, `
    + 'and the age after which an undelivered run is dropped). Use e.g. `Duration.minutes(5)` (the default).'];
}
