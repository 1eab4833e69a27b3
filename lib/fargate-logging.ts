import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FargateCluster } from './fargate-cluster';
import { stateOf } from './private/cluster/cluster-state';
import { renderCloudWatchOutput, renderFargateLoggingData } from './private/logging/aws-logging-config';
import { atSynth } from './private/shared/at-synth';
import { enumProblems } from './private/shared/enum-rules';
import { acknowledgeWildcardResourceUnder } from './private/shared/nag-acknowledgements';
import { throwIfProblems } from './private/shared/validation-report';

/** How Fargate's built-in log router (Fluent Bit) ships container logs. */
export interface FargateLoggingOptions {
  /**
   * Log group for the container logs (CloudWatch Logs output).
   * @default - a new log group with `retention`
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * Retention of the log group the construct creates.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly retention?: logs.RetentionDays;

  /**
   * Prefix of the log stream names (CloudWatch Logs output).
   * @default 'fargate-'
   */
  readonly logStreamPrefix?: string;

  /**
   * Your own `output.conf` (`[OUTPUT]` sections for cloudwatch_logs, firehose, kinesis_firehose, kinesis or es)
   * instead of the CloudWatch Logs output. Give the permissions it needs in `outputPolicyStatements`.
   * @default - CloudWatch Logs into `logGroup`
   */
  readonly outputConf?: string;

  /**
   * Permissions the pod execution roles need for a custom `outputConf`.
   * @default - none (the CloudWatch Logs output gets its own)
   */
  readonly outputPolicyStatements?: iam.PolicyStatement[];

  /**
   * `filters.conf`: `[FILTER]` sections (grep, kubernetes, modify, nest, parser, record_modifier, rewrite_tag, throttle).
   * @default - none
   */
  readonly filtersConf?: string;

  /**
   * `parsers.conf`: `[PARSER]` sections.
   * @default - none
   */
  readonly parsersConf?: string;

  /**
   * Ship Fluent Bit's own process logs to CloudWatch Logs too (`flb_log_cw`).
   * @default false
   */
  readonly fluentBitProcessLogs?: boolean;
}

/** Properties of {@link FargateLogging}. */
export interface FargateLoggingProps extends FargateLoggingOptions {
  /** The cluster whose Fargate pods log. */
  readonly cluster: FargateCluster;
}

/**
 * Fargate logging: the `aws-observability` namespace and its `aws-logging` ConfigMap (checked at synth against
 * Fargate's rules and its 5,300-character limit), a log group, and the permissions on every pod execution role of
 * the cluster. Without the ConfigMap every Fargate pod logs that logging is not configured.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-logging.html
 */
export class FargateLogging extends Construct {
  /** The log group container logs go to, when the CloudWatch Logs output is used. */
  public readonly logGroup?: logs.ILogGroup;

  /** The policy attached to every pod execution role of the cluster. */
  public readonly podExecutionPolicy: iam.Policy;

  constructor(scope: Construct, id: string, props: FargateLoggingProps) {
    super(scope, id);
    throwIfProblems(this, enumProblems('retention', props.retention, logs.RetentionDays));
    const custom = props.outputConf !== undefined;
    if (custom && (props.logGroup || props.logStreamPrefix)) {
      throwIfProblems(this, ['`logGroup` and `logStreamPrefix` configure the CloudWatch Logs output, which a custom `outputConf` replaces. '
        + 'Put the log group into your `outputConf`, or leave `outputConf` out.']);
    }
    const statements: iam.PolicyStatement[] = [...(props.outputPolicyStatements ?? [])];
    let logStreams: string | undefined;
    if (!custom) {
      this.logGroup = props.logGroup ?? new logs.LogGroup(this, 'LogGroup', { retention: props.retention ?? logs.RetentionDays.ONE_MONTH });
      logStreams = `${this.logGroup.logGroupArn}:log-stream:*`;
      statements.push(new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, logStreams],
      }));
    }
    const data = this.renderData(props);

    this.podExecutionPolicy = new iam.Policy(this, 'PodExecutionPolicy', { statements });
    // Only the library's own log-stream wildcard: wildcards in `outputPolicyStatements` are the user's to justify.
    if (logStreams) {
      acknowledgeWildcardResourceUnder(this.podExecutionPolicy, logStreams,
        'Fluent Bit creates one log stream a pod, named at run time, in the one log group of this cluster; the wildcard covers only those streams.');
    }
    props.cluster.addManifest('AwsObservability',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'aws-observability', labels: { 'aws-observability': 'enabled' } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-logging', namespace: 'aws-observability' }, data },
    );
    // Profile sets can be added after logging is set up, so the policy finds its roles when the app synthesizes.
    atSynth(this, () => {
      for (const role of new Set(stateOf(props.cluster).profiles.profiles.map(profile => profile.podExecutionRole))) {
        this.podExecutionPolicy.attachToRole(role);
      }
    });
  }

  private renderData(props: FargateLoggingProps): { [key: string]: string } {
    try {
      return renderFargateLoggingData({
        outputConf: props.outputConf ?? renderCloudWatchOutput({
          region: Stack.of(this).region,
          logGroupName: this.logGroup!.logGroupName,
          logStreamPrefix: props.logStreamPrefix ?? 'fargate-',
        }),
        filtersConf: props.filtersConf,
        parsersConf: props.parsersConf,
        flbLogCw: props.fluentBitProcessLogs,
      });
    } catch (error) {
      throwIfProblems(this, [(error as Error).message]);
      throw error;
    }
  }
}
