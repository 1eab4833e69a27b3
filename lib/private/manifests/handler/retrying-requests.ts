import { ClusterGoneError, RetriedProblem, RetriesExhaustedError } from './request-failures';
import { kubernetesStatusMessage } from '../../aws-auth/handler/write-problems';
import { KubernetesMethod, KubernetesRequester, KubernetesResponse, retryAfterMs, WorkAbortedError } from '../../handler/kubernetes-client';
import { BackoffOptions, Deadline, JitteredBackoff, RetryTiming } from '../../handler/retry-timing';

/** Messages of admission webhooks that are not serving yet (the Load Balancer Controller's, right after install). */
const WEBHOOK_NOT_READY = /failed calling webhook|no endpoints available for service|connection refused|context deadline exceeded/i;

/** Collaborators of {@link RetryingRequests}. */
export interface RetryingRequestsOptions {
  readonly kubernetes: KubernetesRequester;
  readonly timing: RetryTiming;
  /** No attempt starts after this. */
  readonly deadline: Deadline;
  /** @default - the `JitteredBackoff` defaults */
  readonly backoff?: BackoffOptions;
  readonly log: (message: string) => void;
  /**
   * Asked when a request gets no answer; `true` (EKS says the cluster is gone) ends the request with
   * `ClusterGoneError`. For deletes, where a deleted cluster means nothing is left.
   * @default - never asked: no answer is retried until the deadline
   */
  readonly confirmClusterGone?: () => Promise<boolean>;
  /** Named in `ClusterGoneError`. */
  readonly clusterName: string;
}

/**
 * Kubernetes requests retried within the deadline on answers that time fixes: 401/403 (an access entry made in the
 * same deployment takes a minute to propagate), 429 and 5xx (waiting at least `Retry-After`), an admission webhook
 * that is not serving yet, a GET answer whose body is cut short or is not JSON, and no answer at all (server-side
 * apply and deletes are idempotent, so repeating a request whose answer was lost changes nothing). Every other answer
 * is returned for the caller to judge.
 */
export class RetryingRequests {
  private readonly backoff: JitteredBackoff;

  constructor(private readonly options: RetryingRequestsOptions) {
    this.backoff = new JitteredBackoff(options.timing.random, options.backoff);
  }

  public async send(method: KubernetesMethod, path: string, body?: unknown, contentType?: string): Promise<KubernetesResponse> {
    const { timing, deadline } = this.options;
    for (let attempt = 0; ; attempt++) {
      let problem: string;
      let kind: RetriedProblem;
      let waitMs = this.backoff.delayMs(attempt);
      let status: number | undefined;
      try {
        const response = await this.options.kubernetes.request(method, path, body, { contentType });
        const retried = problemOf(method, response);
        if (!retried) {
          return response;
        }
        kind = retried;
        status = response.statusCode;
        problem = isUnreadable(method, response)
          ? `HTTP 200 with a body that is cut short or not JSON (${response.body.length} characters)`
          : `HTTP ${response.statusCode} (${kubernetesStatusMessage(response)})`;
        waitMs = Math.max(waitMs, retryAfterMs(response) ?? 0);
      } catch (error) {
        if (error instanceof WorkAbortedError) {
          throw error;
        }
        kind = 'network';
        problem = `no answer (${(error as { code?: string }).code ?? ''} ${(error as Error).message})`;
        if (this.options.confirmClusterGone && await this.options.confirmClusterGone()) {
          throw new ClusterGoneError(this.options.clusterName);
        }
      }
      this.options.log(`${method} ${path}: ${problem}; attempt ${attempt + 1}`);
      if (!deadline.allows(waitMs)) {
        throw new RetriesExhaustedError(`${method} ${path} still got ${problem} after ${attempt + 1} attempt(s)`, kind, status);
      }
      await timing.sleep(waitMs);
    }
  }
}

/** What a retry might fix in this answer, or `undefined` when the answer is for the caller to judge. */
function problemOf(method: KubernetesMethod, response: KubernetesResponse): RetriedProblem | undefined {
  const status = response.statusCode;
  if (status === 401 || status === 403) {
    return 'access-denied';
  }
  if (status === 429 || status >= 500 || isUnreadable(method, response)) {
    return 'server';
  }
  return status >= 400 && WEBHOOK_NOT_READY.test(kubernetesStatusMessage(response)) ? 'server' : undefined;
}

/** A read whose body did not arrive whole: every GET the handler makes answers a JSON document. */
function isUnreadable(method: KubernetesMethod, response: KubernetesResponse): boolean {
  if (method !== 'GET' || response.statusCode !== 200) {
    return false;
  }
  try {
    JSON.parse(response.body);
    return false;
  } catch {
    return true;
  }
}
