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
}

/** A request whose answers kept being ones a retry might fix until the deadline. */
export class RetriesExhaustedError extends Error {
  constructor(message: string, public readonly lastStatus: number | undefined) {
    super(message);
    this.name = 'RetriesExhaustedError';
  }
}

/**
 * Kubernetes requests retried within the deadline on answers that time fixes: 401/403 (an access entry made in the
 * same deployment takes a minute to propagate), 429 and 5xx (waiting at least `Retry-After`), an admission webhook
 * that is not serving yet, and no answer at all. Every other answer is returned for the caller to judge.
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
      let waitMs = this.backoff.delayMs(attempt);
      let status: number | undefined;
      try {
        const response = await this.options.kubernetes.request(method, path, body, { contentType });
        if (!isRetryable(response)) {
          return response;
        }
        status = response.statusCode;
        problem = `HTTP ${response.statusCode} (${kubernetesStatusMessage(response)})`;
        waitMs = Math.max(waitMs, retryAfterMs(response) ?? 0);
      } catch (error) {
        if (error instanceof WorkAbortedError) {
          throw error;
        }
        problem = `no answer (${(error as { code?: string }).code ?? ''} ${(error as Error).message})`;
      }
      this.options.log(`${method} ${path}: ${problem}; attempt ${attempt + 1}`);
      if (!deadline.allows(waitMs)) {
        throw new RetriesExhaustedError(`${method} ${path} still got ${problem} after ${attempt + 1} attempt(s)`, status);
      }
      await timing.sleep(waitMs);
    }
  }
}

function isRetryable(response: KubernetesResponse): boolean {
  const status = response.statusCode;
  if (status === 401 || status === 403 || status === 429 || status >= 500) {
    return true;
  }
  return status >= 400 && WEBHOOK_NOT_READY.test(kubernetesStatusMessage(response));
}
