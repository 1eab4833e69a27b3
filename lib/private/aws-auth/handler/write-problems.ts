import { KubernetesMethod, KubernetesResponse, retryAfterMs } from '../../handler/kubernetes-client';

/** Who was writing where; every failure message names both so the fix is obvious from the stack event. */
export interface WriterIdentity {
  readonly clusterName: string;
  readonly roleArn: string;
}

/**
 * A failed attempt that a later attempt may fix:
 * - `conflict`: someone wrote aws-auth between our read and our write (409, or 404 on PUT after a delete);
 * - `access-denied`: 401/403, normal for a minute or two after an access entry is created;
 * - `server`: 5xx or 429 from the API server (with the wait its `Retry-After` asks for), or a GET answer whose body
 *   is cut or not a ConfigMap;
 * - `network`: no HTTP answer (reset, refused, DNS, TLS, timeout).
 */
export type RetryableProblem =
  | { readonly kind: 'conflict'; readonly detail: string }
  | { readonly kind: 'access-denied'; readonly statusCode: number; readonly detail: string }
  | { readonly kind: 'server'; readonly statusCode: number; readonly detail: string; readonly retryAfterMs?: number }
  | { readonly kind: 'network'; readonly detail: string };

/** A failure that ends the request; aws-auth holds whatever it held before this request's last successful write. */
export class AwsAuthWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AwsAuthWriteError';
  }
}

/** The `message` of a Kubernetes `Status` body, or the start of whatever the body was. */
export function kubernetesStatusMessage(response: KubernetesResponse): string {
  try {
    const status = JSON.parse(response.body) as { message?: unknown; reason?: unknown };
    if (typeof status.message === 'string') {
      return typeof status.reason === 'string' ? `${status.reason}: ${status.message}` : status.message;
    }
  } catch {
    // Not JSON (a proxy or load balancer page): show the raw text below.
  }
  return response.body.slice(0, 200) || '(empty body)';
}

/**
 * Sorts a non-success answer into a retryable problem, or throws for answers no retry can change (400, 422, …).
 * `conflictStatuses` differ per verb: 409 everywhere, and 404 on PUT (the ConfigMap vanished after our read).
 */
export function problemOf(
  method: KubernetesMethod, path: string, response: KubernetesResponse, conflictStatuses: readonly number[],
): RetryableProblem {
  const detail = `${method} ${path} answered HTTP ${response.statusCode} (${kubernetesStatusMessage(response)})`;
  if (conflictStatuses.includes(response.statusCode)) {
    return { kind: 'conflict', detail };
  }
  if (response.statusCode === 401 || response.statusCode === 403) {
    return { kind: 'access-denied', statusCode: response.statusCode, detail };
  }
  if (response.statusCode >= 500 || response.statusCode === 429) {
    return { kind: 'server', statusCode: response.statusCode, detail, retryAfterMs: retryAfterMs(response) };
  }
  throw new AwsAuthWriteError(`${detail}; this is not something a retry can fix, so aws-auth was not written`);
}

/** A request that got no HTTP answer at all. */
export function networkProblem(method: KubernetesMethod, path: string, error: unknown): RetryableProblem {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'network', detail: `${method} ${path} failed: ${typeof code === 'string' ? `${code} ` : ''}${message}` };
}

/** The message when the time budget runs out, with the fix for the last problem seen. */
export function giveUpMessage(problem: RetryableProblem, identity: WriterIdentity, attempts: number, elapsedMs: number): string {
  const where = `aws-auth of EKS cluster "${identity.clusterName}"`;
  const tried = `after ${attempts} attempt(s) in ${Math.round(elapsedMs / 1000)} s`;
  const unchanged = 'Every write is the whole merged ConfigMap at the resourceVersion just read, so no partial change was made.';
  switch (problem.kind) {
    case 'access-denied':
      return `Could not update ${where} ${tried}: the Kubernetes API refused role ${identity.roleArn} (${problem.detail}). `
        + (problem.statusCode === 401
          ? 'HTTP 401 means the cluster does not know the role: give it an EKS access entry (SafeAwsAuth creates one with '
          + 'AmazonEKSEditPolicy scoped to kube-system on API and API_AND_CONFIG_MAP clusters) or, on a CONFIG_MAP cluster, '
          + 'an aws-auth mapping (SafeAwsAuth `handlerRole`) to a group that may get, update and create ConfigMaps in kube-system. '
          : 'HTTP 403 means the role is known but not allowed: its access entry needs AmazonEKSEditPolicy scoped to kube-system, '
          + 'or its aws-auth groups need RBAC get, update and create on ConfigMaps in kube-system. ')
        + unchanged;
    case 'conflict':
      return `Could not update ${where} ${tried}: other writers changed it between every read and write (${problem.detail}). `
        + `${unchanged} Retry the deployment once the other writers are done.`;
    case 'server':
      return `Could not update ${where} ${tried}: the API server kept failing (${problem.detail}). ${unchanged}`;
    case 'network':
      return `Could not update ${where} ${tried}: the API server could not be reached (${problem.detail}). If the cluster `
        + 'endpoint is private or CIDR-restricted, the handler must run in the cluster VPC with routes to it and to STS. '
        + unchanged;
  }
}
