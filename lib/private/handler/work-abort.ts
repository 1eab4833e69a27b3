/**
 * The handler's promise: once it has answered CloudFormation, no work continues. The entry point aborts a signal
 * right before it sends the answer; every Kubernetes request and every AWS answer checks it first.
 */

/** Thrown where work would continue after the answer was sent; it ends that work without touching anything. */
export class WorkAbortedError extends Error {
  constructor(where: string) {
    super(`stopped because the handler already answered CloudFormation (${where})`);
    this.name = 'WorkAbortedError';
  }
}

/** Throws `WorkAbortedError` once `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted) {
    throw new WorkAbortedError(where);
  }
}

/**
 * Rejects with `message` once `ms` pass, so a call that hangs (an SDK request, a DNS lookup) cannot hold the
 * handler. A real timer on purpose: the injected clock drives retries, this guards real time.
 */
export function withTimeLimit<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(message), { name: 'TimeoutError' })), Math.max(0, ms));
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
