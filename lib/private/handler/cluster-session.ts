import { AwsCredentials, RoleAssumer } from './assumed-credentials';
import { ClusterDescriber, resolveClusterConnection } from './cluster-connection';
import { ClusterTarget } from './cluster-target';
import { createEksToken } from './eks-token';
import { KubernetesClient, KubernetesRequester } from './kubernetes-client';
import { BackoffOptions, Deadline, retryUntilDeadline, RetryTiming } from './retry-timing';
import { throwIfAborted, withTimeLimit } from './work-abort';

/** Said when STS or EKS could not be reached (the handler runs in the VPC for private endpoints). */
const NETWORK_HINT = 'A handler in a VPC reaches STS and EKS through a NAT gateway or their interface endpoints';

/** A Kubernetes client acting as the target's role, and a way to ask whether its cluster still exists. */
export interface ClusterSession {
  readonly kubernetes: KubernetesRequester;
  /** `true` only when EKS says the cluster does not exist; `false` when it exists or the answer is unclear. */
  confirmClusterGone(): Promise<boolean>;
}

/** Opens sessions; lifecycles take it so tests can inject one. */
export interface ClusterSessionOpener {
  /** The session, or `'cluster-gone'` when an imported cluster does not exist according to `DescribeCluster`. */
  open(target: ClusterTarget): Promise<ClusterSession | 'cluster-gone'>;
}

/** What opening a session needs. */
export interface ClusterSessionsOptions {
  readonly roleAssumer: RoleAssumer;
  /** `DescribeCluster` signed with the given (assumed) credentials. */
  readonly clusterDescriberFor: (credentials: AwsCredentials) => ClusterDescriber;
  /** Region of the cluster and of STS. */
  readonly region: string;
  /** Role session name (traceable to the CloudFormation request). */
  readonly sessionName: string;
  readonly timing: RetryTiming;
  readonly deadline: Deadline;
  /** Limit on one Kubernetes API request. */
  readonly requestTimeoutMs: number;
  /** Limit on one STS or EKS call (real time). */
  readonly awsCallTimeoutMs: number;
  /** Aborted once the handler has answered CloudFormation: nothing may start after that. */
  readonly signal: AbortSignal;
  /** @default - the `JitteredBackoff` defaults */
  readonly backoff?: BackoffOptions;
  readonly log: (message: string) => void;
  /** Throws for an endpoint the handler must not send a token to. @default - any endpoint */
  readonly checkEndpoint?: (endpoint: string) => void;
}

/**
 * Opens a cluster as a role: AssumeRole, endpoint and CA (properties or DescribeCluster), and a Kubernetes client
 * whose bearer token is signed with the assumed credentials. Each AWS call has its own time limit inside the
 * budget, and an answer that arrives after the handler answered CloudFormation leads to nothing.
 */
export class ClusterSessions implements ClusterSessionOpener {
  constructor(private readonly options: ClusterSessionsOptions) {}

  public async open(target: ClusterTarget): Promise<ClusterSession | 'cluster-gone'> {
    const { timing, deadline, backoff, log, signal } = this.options;
    if (target.endpoint) {
      this.options.checkEndpoint?.(target.endpoint);
    }
    const credentials = await retryUntilDeadline(
      () => this.awsCall(`STS AssumeRole of ${target.roleArn}`, () => this.options.roleAssumer.assumeRole(target.roleArn, this.options.sessionName)),
      isAccessDenied, timing, deadline, backoff,
    ).catch((error: unknown) => {
      throwIfAborted(signal, 'AssumeRole answered');
      throw new Error(`Could not assume role ${target.roleArn}: ${messageOf(error)}. ${isAccessDenied(error)
        ? 'The handler\'s execution role needs sts:AssumeRole on it, and its trust policy must allow the execution role'
        : NETWORK_HINT}`);
    });
    const describer = this.options.clusterDescriberFor(credentials);
    const describeOrExplain = (clusterName: string) => retryUntilDeadline(
      () => this.awsCall(`EKS DescribeCluster of "${clusterName}"`, () => describer.describe(clusterName)),
      isAccessDenied, timing, deadline, backoff,
    ).catch((error: unknown) => {
      throwIfAborted(signal, 'DescribeCluster answered');
      throw new Error(`Could not describe EKS cluster "${clusterName}" as ${target.roleArn}: ${messageOf(error)}. ${isAccessDenied(error)
        ? 'For imported clusters that role needs eks:DescribeCluster on the cluster'
        : NETWORK_HINT}`);
    });

    const connection = await resolveClusterConnection(target, { describe: describeOrExplain });
    throwIfAborted(signal, 'the cluster connection was resolved');
    if (!connection) {
      return 'cluster-gone';
    }
    this.options.checkEndpoint?.(connection.endpoint);

    const kubernetes = new KubernetesClient({
      endpoint: connection.endpoint,
      certificateAuthorityPem: connection.certificateAuthorityPem,
      bearerToken: () => createEksToken({
        clusterName: target.clusterName,
        region: this.options.region,
        credentials,
        nowMs: timing.now(),
      }),
      requestTimeoutMs: this.options.requestTimeoutMs,
      signal,
    });
    return {
      kubernetes,
      confirmClusterGone: async () => {
        try {
          return (await this.awsCall(`EKS DescribeCluster of "${target.clusterName}"`, () => describer.describe(target.clusterName))) === undefined;
        } catch (error) {
          throwIfAborted(signal, 'DescribeCluster answered');
          // Without eks:DescribeCluster (owned clusters do not need it) the answer is unclear: keep retrying.
          log(`could not confirm whether cluster "${target.clusterName}" still exists: ${messageOf(error)}`);
          return false;
        }
      },
    };
  }

  /**
   * One AWS call within its own time limit (well inside the handler's budget, so a hung call is retried or
   * reported); nothing continues once the handler has answered.
   */
  private async awsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
    const { signal } = this.options;
    throwIfAborted(signal, `${what} was about to start`);
    const limitMs = this.options.awsCallTimeoutMs;
    const result = await withTimeLimit(call(), limitMs, `${what} got no answer within ${limitMs} ms`);
    throwIfAborted(signal, `${what} answered`);
    return result;
  }
}

/** IAM changes made in the same deployment (trust policies, role policies) take seconds to propagate. */
function isAccessDenied(error: unknown): boolean {
  const name = (error as { name?: unknown }).name;
  return name === 'AccessDenied' || name === 'AccessDeniedException';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
