import { AwsAuthWriter } from './aws-auth-writer';
import { AwsAuthTargetProperties } from './request-properties';
import { ClusterSessionOpener } from '../../handler/cluster-session';
import { KubernetesRequester } from '../../handler/kubernetes-client';
import { BackoffOptions, Deadline, RetryTiming } from '../../handler/retry-timing';
import { LAST_GOOD_NAME } from '../reconcile/last-good-store';

/** An aws-auth ConfigMap the handler can write, and a way to ask whether its cluster still exists. */
export interface AwsAuthTarget {
  readonly writer: AwsAuthWriter;
  /** Writes the last-good ConfigMap beside aws-auth (desired state and tombstones of owners). */
  readonly lastGoodWriter: AwsAuthWriter;
  /** The Kubernetes API as the SafeAwsAuth role, for the reconcile run. */
  readonly kubernetes: KubernetesRequester;
  /** `true` only when EKS says the cluster does not exist; `false` when it exists or the answer is unclear. */
  confirmClusterGone(): Promise<boolean>;
}

/** What opening a target needs. */
export interface AwsAuthTargetsOptions {
  /** Opens the cluster as the SafeAwsAuth role. */
  readonly sessions: ClusterSessionOpener;
  readonly timing: RetryTiming;
  readonly deadline: Deadline;
  /** @default - the `JitteredBackoff` defaults */
  readonly backoff?: BackoffOptions;
  readonly log: (message: string) => void;
}

/** Opens the aws-auth of a cluster as the SafeAwsAuth role (see `ClusterSessions`). */
export class AwsAuthTargets {
  constructor(private readonly options: AwsAuthTargetsOptions) {}

  /** The target, or `'cluster-gone'` when an imported cluster does not exist according to `DescribeCluster`. */
  public async open(properties: AwsAuthTargetProperties): Promise<AwsAuthTarget | 'cluster-gone'> {
    const { timing, deadline, backoff, log } = this.options;
    const session = await this.options.sessions.open(properties);
    if (session === 'cluster-gone') {
      return 'cluster-gone';
    }
    const writerOptions = {
      kubernetes: session.kubernetes,
      timing,
      deadline,
      identity: { clusterName: properties.clusterName, roleArn: properties.roleArn },
      backoff,
      log,
    };
    return {
      writer: new AwsAuthWriter(writerOptions),
      lastGoodWriter: new AwsAuthWriter({ ...writerOptions, configMapName: LAST_GOOD_NAME }),
      kubernetes: session.kubernetes,
      confirmClusterGone: () => session.confirmClusterGone(),
    };
  }
}
