import { AwsAuthWriter } from './aws-auth-writer';
import { AwsAuthTargetProperties } from './request-properties';
import { AwsCredentials, RoleAssumer } from '../../handler/assumed-credentials';
import { ClusterDescriber, resolveClusterConnection } from '../../handler/cluster-connection';
import { createEksToken } from '../../handler/eks-token';
import { KubernetesClient, KubernetesRequester } from '../../handler/kubernetes-client';
import { BackoffOptions, Deadline, retryUntilDeadline, RetryTiming } from '../../handler/retry-timing';
import { LAST_GOOD_NAME } from '../reconcile/last-good-store';

/** Said when STS or EKS could not be reached (the handler runs in the VPC for private endpoints). */
const NETWORK_HINT = 'A handler in a VPC reaches STS and EKS through a NAT gateway or their interface endpoints';

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
  /** @default - the `JitteredBackoff` defaults */
  readonly backoff?: BackoffOptions;
  readonly log: (message: string) => void;
  /** Throws for an endpoint the handler must not send a token to. @default - any endpoint */
  readonly checkEndpoint?: (endpoint: string) => void;
}

/**
 * Opens the aws-auth of a cluster as the SafeAwsAuth role: AssumeRole, endpoint and CA (properties or
 * DescribeCluster), and a Kubernetes client whose bearer token is signed with the assumed credentials.
 */
export class AwsAuthTargets {
  constructor(private readonly options: AwsAuthTargetsOptions) {}

  /** The target, or `'cluster-gone'` when an imported cluster does not exist according to `DescribeCluster`. */
  public async open(properties: AwsAuthTargetProperties): Promise<AwsAuthTarget | 'cluster-gone'> {
    const { timing, deadline, backoff, log } = this.options;
    if (properties.endpoint) {
      this.options.checkEndpoint?.(properties.endpoint);
    }
    const credentials = await retryUntilDeadline(
      () => this.options.roleAssumer.assumeRole(properties.roleArn, this.options.sessionName),
      isAccessDenied, timing, deadline, backoff,
    ).catch((error: unknown) => {
      throw new Error(`Could not assume role ${properties.roleArn}: ${messageOf(error)}. ${isAccessDenied(error)
        ? 'The handler\'s execution role needs sts:AssumeRole on it, and its trust policy must allow the execution role'
        : NETWORK_HINT}`);
    });
    const describer = this.options.clusterDescriberFor(credentials);
    const describeOrExplain = (clusterName: string) => retryUntilDeadline(
      () => describer.describe(clusterName), isAccessDenied, timing, deadline, backoff,
    ).catch((error: unknown) => {
      throw new Error(`Could not describe EKS cluster "${clusterName}" as ${properties.roleArn}: ${messageOf(error)}. ${isAccessDenied(error)
        ? 'For imported clusters that role needs eks:DescribeCluster on the cluster'
        : NETWORK_HINT}`);
    });

    const connection = await resolveClusterConnection(properties, { describe: describeOrExplain });
    if (!connection) {
      return 'cluster-gone';
    }
    this.options.checkEndpoint?.(connection.endpoint);

    const kubernetes = new KubernetesClient({
      endpoint: connection.endpoint,
      certificateAuthorityPem: connection.certificateAuthorityPem,
      bearerToken: () => createEksToken({
        clusterName: properties.clusterName,
        region: this.options.region,
        credentials,
        nowMs: timing.now(),
      }),
      requestTimeoutMs: this.options.requestTimeoutMs,
    });
    const writerOptions = {
      kubernetes,
      timing,
      deadline,
      identity: { clusterName: properties.clusterName, roleArn: properties.roleArn },
      backoff,
      log,
    };
    return {
      writer: new AwsAuthWriter(writerOptions),
      lastGoodWriter: new AwsAuthWriter({ ...writerOptions, configMapName: LAST_GOOD_NAME }),
      kubernetes,
      confirmClusterGone: async () => {
        try {
          return (await describer.describe(properties.clusterName)) === undefined;
        } catch (error) {
          // Without eks:DescribeCluster (owned clusters do not need it) the answer is unclear: keep retrying.
          log(`could not confirm whether cluster "${properties.clusterName}" still exists: ${messageOf(error)}`);
          return false;
        }
      },
    };
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
