import {
  AWS_AUTH_NAME, awsAuthStateOf, ConfigMapObject, configMapWithState, KUBE_SYSTEM_CONFIG_MAPS_PATH, parseConfigMap,
  sameAwsAuthState,
} from './aws-auth-config-map';
import {
  AwsAuthWriteError, giveUpMessage, networkProblem, problemOf, RetryableProblem, WriterIdentity,
} from './write-problems';
import { AwsAuthState } from '../../../aws-auth-merge';
import { KubernetesMethod, KubernetesRequester, KubernetesResponse, WorkAbortedError } from '../../handler/kubernetes-client';
import { BackoffOptions, Deadline, JitteredBackoff, RetryTiming } from '../../handler/retry-timing';

/** A pure change to aws-auth (a merge-engine call); it may throw, and then nothing is written. */
export type AwsAuthChange = (current: AwsAuthState) => AwsAuthState;

/** How a write ended. */
export type WriteResult =
  /** The merged ConfigMap replaced the one read. */
  | 'replaced'
  /** There was no aws-auth; it was created. */
  | 'created'
  /** The change made no difference (already applied, or nothing to remove), so nothing was sent. */
  | 'unchanged'
  /** The cluster no longer exists (confirmed by the caller), so there is nothing to change. */
  | 'cluster-gone';

/** What happened, for the log and the benchmark. */
export interface WriteOutcome {
  readonly result: WriteResult;
  /** Read-merge-write rounds, including the successful one. */
  readonly attempts: number;
  /** Rounds lost to another writer (409 on PUT or POST, or 404 on PUT). */
  readonly conflictsRetried: number;
}

/** Per-write options. */
export interface WriteOptions {
  /**
   * Asked after a request got no HTTP answer; resolving `true` (a clear "cluster does not exist" signal, such as
   * `DescribeCluster` answering ResourceNotFoundException) ends the write as `cluster-gone`. Only deletes pass it.
   * @default - unreachable clusters are retried until the deadline
   */
  readonly confirmClusterGone?: () => Promise<boolean>;
}

/** Collaborators of an `AwsAuthWriter`. */
export interface AwsAuthWriterOptions {
  readonly kubernetes: KubernetesRequester;
  readonly timing: RetryTiming;
  /** No attempt starts after this; set below the Lambda timeout so the CloudFormation response still goes out. */
  readonly deadline: Deadline;
  /** Named in failure messages. */
  readonly identity: WriterIdentity;
  /** @default - the `JitteredBackoff` defaults */
  readonly backoff?: BackoffOptions;
  /** @default - no logging */
  readonly log?: (message: string) => void;
  /**
   * The ConfigMap in `kube-system` to write.
   * @default 'aws-auth'
   */
  readonly configMapName?: string;
}

type Retry = { readonly retry: RetryableProblem };
type Attempt = { readonly done: WriteResult } | Retry;

/**
 * Read-merge-write of `kube-system/aws-auth` with optimistic concurrency. Each round reads the ConfigMap, applies
 * the change to what it read, and writes the whole result with the read `resourceVersion` (POST when absent). The
 * API refuses a stale write with 409, so a concurrent writer's entries are never overwritten: the round is redone
 * on fresh data. Conflicts, 401/403 (access entries take a while to propagate), 5xx and network failures are
 * retried with jittered exponential backoff until the deadline.
 */
export class AwsAuthWriter {
  private readonly backoff: JitteredBackoff;
  private readonly log: (message: string) => void;
  private writesThatMayHaveLanded = 0;
  private readonly name: string;
  private readonly path: string;

  constructor(private readonly options: AwsAuthWriterOptions) {
    this.backoff = new JitteredBackoff(options.timing.random, options.backoff);
    this.log = options.log ?? (() => undefined);
    this.name = options.configMapName ?? AWS_AUTH_NAME;
    this.path = `${KUBE_SYSTEM_CONFIG_MAPS_PATH}/${this.name}`;
  }

  /**
   * Whether a PUT or POST may have changed aws-auth: one succeeded, or one got no answer (it may have landed before
   * the connection broke). `false` means this writer certainly changed nothing.
   */
  public get mayHaveWritten(): boolean {
    return this.writesThatMayHaveLanded > 0;
  }

  /** Applies `change` to aws-auth; throws `AwsAuthWriteError` (or the change's own error) when it cannot. */
  public async write(change: AwsAuthChange, writeOptions: WriteOptions = {}): Promise<WriteOutcome> {
    const { timing, deadline, identity } = this.options;
    const startedMs = timing.now();
    let conflictsRetried = 0;
    for (let attempts = 1; ; attempts++) {
      const attempt = await this.attemptOnce(change);
      if ('done' in attempt) {
        return { result: attempt.done, attempts, conflictsRetried };
      }
      const problem = attempt.retry;
      this.log(`attempt ${attempts} failed, will retry: ${problem.detail}`);
      if (problem.kind === 'conflict') {
        conflictsRetried++;
      }
      if (problem.kind === 'network' && writeOptions.confirmClusterGone && await writeOptions.confirmClusterGone()) {
        return { result: 'cluster-gone', attempts, conflictsRetried };
      }
      // Retry-After is honoured, but only while the wait still ends before the deadline.
      const delayMs = Math.max(this.backoff.delayMs(attempts - 1), problem.kind === 'server' ? problem.retryAfterMs ?? 0 : 0);
      if (!deadline.allows(delayMs)) {
        throw new AwsAuthWriteError(giveUpMessage(problem, identity, attempts, timing.now() - startedMs));
      }
      await timing.sleep(delayMs);
    }
  }

  private async attemptOnce(change: AwsAuthChange): Promise<Attempt> {
    const read = await this.send('GET', this.path);
    if ('retry' in read) {
      return read;
    }
    let configMap: ConfigMapObject | undefined;
    if (read.response.statusCode === 200) {
      try {
        configMap = parseConfigMap(read.response.body);
      } catch (error) {
        // A body cut short by a proxy or a broken connection that still ended cleanly: read again.
        return { retry: { kind: 'server', statusCode: 200, detail: (error as Error).message } };
      }
    } else if (read.response.statusCode !== 404) {
      return { retry: problemOf('GET', this.path, read.response, []) };
    }

    const current = awsAuthStateOf(configMap);
    const next = this.applyChange(change, current);
    if (sameAwsAuthState(current, next)) {
      return { done: 'unchanged' };
    }

    if (configMap) {
      const written = await this.send('PUT', this.path, configMapWithState(configMap, next, this.name));
      if ('retry' in written) {
        return written;
      }
      return written.response.statusCode === 200 || written.response.statusCode === 201
        ? { done: 'replaced' }
        // 404: deleted since our read; the next round creates it.
        : { retry: problemOf('PUT', this.path, written.response, [404, 409]) };
    }

    const created = await this.send('POST', KUBE_SYSTEM_CONFIG_MAPS_PATH, configMapWithState(undefined, next, this.name));
    if ('retry' in created) {
      return created;
    }
    return created.response.statusCode === 201 || created.response.statusCode === 200
      ? { done: 'created' }
      // 409 AlreadyExists: another writer created it first; the next round merges into theirs.
      : { retry: problemOf('POST', KUBE_SYSTEM_CONFIG_MAPS_PATH, created.response, [409]) };
  }

  /** Runs the merge; its refusals (malformed data, a conflicting mapping, the `system:nodes` guard) end the write. */
  private applyChange(change: AwsAuthChange, current: AwsAuthState): AwsAuthState {
    try {
      return change(current);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new AwsAuthWriteError(`aws-auth of EKS cluster "${this.options.identity.clusterName}" was left unchanged: ${message}`);
    }
  }

  /** One request; a missing answer becomes a retryable network problem. */
  private async send(method: KubernetesMethod, path: string, body?: unknown): Promise<{ response: KubernetesResponse } | Retry> {
    const writes = method !== 'GET';
    if (writes) {
      // Counted as possibly written until an answer says otherwise.
      this.writesThatMayHaveLanded++;
    }
    try {
      const response = await this.options.kubernetes.request(method, path, body);
      if (writes && (response.statusCode < 200 || response.statusCode >= 300)) {
        this.writesThatMayHaveLanded--;
      }
      return { response };
    } catch (error) {
      if (error instanceof WorkAbortedError) {
        throw error;
      }
      return { retry: networkProblem(method, path, error) };
    }
  }
}
