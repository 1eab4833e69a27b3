import { Annotations, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { MAX_EXCLUDED_WRITERS, outsideWritePattern } from './outside-write-pattern';
import { AWS_AUTH_METRICS_NAMESPACE } from './reconcile-metrics';

/** Construct id of the watch under its cluster, where the aws-auth backends find it. */
const WATCH_ID = 'AwsAuthOutsideWrites';

/** Options of {@link AwsAuthOutsideWriteWatch}. */
export interface AwsAuthOutsideWriteWatchProps {
  readonly clusterName: string;
  /** The control-plane log group (`/aws/eks/<cluster>/cluster`) with the audit log in it. */
  readonly logGroup: logs.ILogGroup;
}

/**
 * A metric filter on the cluster's audit log for writes of aws-auth by anyone but this library's own roles, and an
 * alarm on it. It lives under the cluster; every aws-auth backend of the cluster excludes its role.
 */
export class AwsAuthOutsideWriteWatch extends Construct {
  public readonly alarm: cloudwatch.IAlarm;
  private readonly writers: iam.IRole[] = [];

  constructor(cluster: IConstruct, props: AwsAuthOutsideWriteWatchProps) {
    super(cluster, WATCH_ID);
    const metricName = `OutsideWrites-${props.clusterName}`;
    new logs.MetricFilter(this, 'Filter', {
      logGroup: props.logGroup,
      metricNamespace: AWS_AUTH_METRICS_NAMESPACE,
      metricName,
      metricValue: '1',
      filterPattern: { logPatternString: Lazy.string({ produce: () => this.pattern() }) },
    });
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription: `Someone other than cdk-eks-fargate wrote kube-system/aws-auth of EKS cluster ${props.clusterName} (audit log of `
        + `${props.logGroup.logGroupName}). Check who in the audit log, and compare with kube-system/cdk-eks-fargate-aws-auth-last-good.`,
      metric: new cloudwatch.Metric({ namespace: AWS_AUTH_METRICS_NAMESPACE, metricName, statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** Keeps `role`'s writes out of the alarm: a SafeAwsAuth role of this cluster. */
  public excludeWriter(role: iam.IRole): void {
    if (!this.writers.includes(role)) {
      this.writers.push(role);
    }
    if (this.writers.length === MAX_EXCLUDED_WRITERS + 1) {
      Annotations.of(this).addWarningV2('cdk-eks-fargate:outside-write-filter-length', `${this.writers.length} SafeAwsAuth roles write aws-auth `
        + `of this cluster; the audit-log filter pattern that excludes them may pass CloudWatch Logs' 1,024-character limit (${MAX_EXCLUDED_WRITERS} `
        + 'always fit). Share one `handlerRole` between them.');
    }
  }

  private pattern(): string {
    const stack = Stack.of(this);
    return outsideWritePattern(this.writers.map((role) => ({
      partition: stack.partition,
      account: role instanceof iam.Role ? Stack.of(role).account : role.env.account,
      roleName: role.roleName,
    })));
  }
}

/** The watch of a cluster, when the app knows its control-plane log group. */
export function outsideWriteWatchOf(cluster: IConstruct): AwsAuthOutsideWriteWatch | undefined {
  return cluster.node.tryFindChild(WATCH_ID) as AwsAuthOutsideWriteWatch | undefined;
}
