/**
 * Time and chance, injected: the handler never reads the wall clock, sleeps or draws random numbers directly, so
 * tests run retry storms in milliseconds and reproduce them exactly.
 */
export interface RetryTiming {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1). */
  random(): number;
}

/** The real clock, timers and `Math.random`. */
export const SYSTEM_TIMING: RetryTiming = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** Shape of the jittered exponential backoff between attempts. */
export interface BackoffOptions {
  /**
   * Upper bound of the first delay.
   * @default 100
   */
  readonly baseDelayMs?: number;
  /**
   * Upper bound of any delay.
   * @default 5000
   */
  readonly maxDelayMs?: number;
}

/**
 * "Full jitter" exponential backoff (a uniform draw below `base * 2^attempt`, capped). Writers racing on one
 * ConfigMap spread out instead of retrying in lockstep, which is what keeps a 409 storm short.
 */
export class JitteredBackoff {
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly random: () => number, options: BackoffOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
  }

  /** Delay before retry number `attempt` (0 for the first retry). */
  public delayMs(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(attempt, 30));
    return Math.floor(this.random() * ceiling);
  }
}

/**
 * Calls `operation` until it succeeds, `isRetryable` says no, or the next backoff would cross the deadline; then
 * rethrows the last error. For AWS calls that fail while IAM changes made in the same deployment propagate.
 */
export async function retryUntilDeadline<T>(
  operation: () => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  timing: RetryTiming,
  deadline: Deadline,
  backoff: BackoffOptions = {},
): Promise<T> {
  const delays = new JitteredBackoff(timing.random, backoff);
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const delayMs = delays.delayMs(attempt);
      if (!isRetryable(error) || !deadline.allows(delayMs)) {
        throw error;
      }
      await timing.sleep(delayMs);
    }
  }
}

/** A point in time after which no new attempt may start. */
export class Deadline {
  constructor(private readonly timing: RetryTiming, public readonly atMs: number) {}

  /** Milliseconds left, never negative. */
  public remainingMs(): number {
    return Math.max(0, this.atMs - this.timing.now());
  }

  /** Whether waiting `ms` more would still leave time to try again. */
  public allows(ms: number): boolean {
    return this.timing.now() + ms < this.atMs;
  }
}
