import { AwsAuthTarget } from './aws-auth-targets';
import { AwsAuthChange, WriteOptions, WriteOutcome } from './aws-auth-writer';
import { applyOwnerChange, removeOwnerChange, replaceOwnerChange } from './owner-changes';
import { AwsAuthTargetProperties, parseRequestProperties, parseTargetProperties } from './request-properties';
import { LifecycleResult } from '../../handler/resource-lifecycle';
import { recordDesiredChange, tombstoneChange } from '../reconcile/desired-state-changes';

/** Opens the aws-auth of the cluster named by some properties. */
export interface AwsAuthTargetOpener {
  open(properties: AwsAuthTargetProperties): Promise<AwsAuthTarget | 'cluster-gone'>;
}

/**
 * A Create that certainly wrote nothing (invalid properties, no access, unreachable cluster, merge refused). The
 * handler then reports a physical id that tells the rollback Delete there is nothing to undo, so a misconfigured
 * first deployment rolls back cleanly instead of failing the Delete for the same reason.
 */
export class NothingCreatedError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'NothingCreatedError';
  }
}

/** Prefix of the physical id of a Create that wrote nothing; Deletes of such ids do nothing. */
export const NOTHING_CREATED_PREFIX = 'cdk-eks-fargate:nothing-created:';

export type { LifecycleResult } from '../../handler/resource-lifecycle';

/**
 * The custom resource's lifecycle in aws-auth terms:
 * - Create: the owner applies its mappings.
 * - Update: the previous owner (the physical id) is replaced by the new one in one write; when the cluster name
 *   changed, the new cluster is written first and the previous owner then leaves the old cluster. An Update that
 *   turns the reconcile off tombstones the owner's desired state, as a Delete does.
 * - Delete: the owner (the physical id) leaves. A cluster that no longer exists, or an absent ConfigMap, has
 *   nothing to remove. After an Update that renamed the owner, CloudFormation's cleanup Delete names the previous
 *   owner, who already left: a no-op.
 */
export class AwsAuthLifecycle {
  constructor(private readonly targets: AwsAuthTargetOpener, private readonly log: (message: string) => void) {}

  public async create(rawProperties: unknown): Promise<LifecycleResult> {
    const opened: AwsAuthTarget[] = [];
    try {
      const properties = parseRequestProperties(rawProperties);
      const desired = properties.reconcile ? recordDesiredChange(properties.ownerId, properties.mappings) : undefined;
      const outcome = await this.writeTo(properties, applyOwnerChange(properties.ownerId, properties.mappings), 'fail', opened, desired);
      return this.result(properties.ownerId, outcome);
    } catch (error) {
      throw opened.some((target) => target.writer.mayHaveWritten || target.lastGoodWriter.mayHaveWritten) ? error : new NothingCreatedError(error);
    }
  }

  public async update(rawProperties: unknown, rawOldProperties: unknown, previousOwnerId: string): Promise<LifecycleResult> {
    const properties = parseRequestProperties(rawProperties);
    const previousTarget = this.previousTarget(rawOldProperties);
    const sameCluster = previousTarget?.clusterName === properties.clusterName;
    // Reconcile turned off: the owner's record becomes a tombstone, so neither a run still scheduled (the schedule goes
    // only in the cleanup phase) nor a later re-enable acts on desired state this deploy no longer keeps up to date.
    const desired = properties.reconcile
      ? recordDesiredChange(properties.ownerId, properties.mappings, [previousOwnerId])
      : previousTarget && sameCluster ? this.tombstoneIfGuarded(previousTarget, previousOwnerId) : undefined;
    const outcome = await this.writeTo(properties, replaceOwnerChange(previousOwnerId, properties.ownerId, properties.mappings), 'fail', [], desired);
    if (previousTarget && !sameCluster) {
      this.log(`cluster changed from "${previousTarget.clusterName}" to "${properties.clusterName}": removing owner "${previousOwnerId}" from the old one`);
      await this.writeTo(previousTarget, removeOwnerChange(previousOwnerId), 'succeed', [], this.tombstoneIfGuarded(previousTarget, previousOwnerId));
    }
    return this.result(properties.ownerId, outcome);
  }

  public async delete(rawProperties: unknown, ownerId: string): Promise<LifecycleResult> {
    if (ownerId.startsWith(NOTHING_CREATED_PREFIX)) {
      this.log(`nothing to delete, the Create failed before writing (${ownerId})`);
      return { physicalResourceId: ownerId, data: { Result: 'unchanged' } };
    }
    let target: AwsAuthTargetProperties;
    try {
      target = parseTargetProperties(rawProperties);
    } catch (error) {
      // Properties this handler refuses were never written anywhere (Create and Update validate them first).
      this.log(`nothing to delete, the properties were never valid: ${(error as Error).message}`);
      return { physicalResourceId: ownerId, data: { Result: 'unchanged' } };
    }
    const outcome = await this.writeTo(target, removeOwnerChange(ownerId), 'succeed', [], this.tombstoneIfGuarded(target, ownerId));
    return this.result(ownerId, outcome);
  }

  private tombstoneIfGuarded(target: AwsAuthTargetProperties, ownerId: string): AwsAuthChange | undefined {
    return target.reconcile ? tombstoneChange(ownerId, this.log) : undefined;
  }

  /**
   * Writes a change. `whenClusterGone` says what a missing cluster means: a failure when mappings must land
   * (create, update), nothing left to do when they must go (delete, leaving an old cluster). `lastGoodChange` (desired
   * state or tombstone for the reconcile) is written first, so no reconcile can act on an older desired state than
   * the aws-auth it reads.
   */
  private async writeTo(
    properties: AwsAuthTargetProperties, change: AwsAuthChange, whenClusterGone: 'fail' | 'succeed', opened: AwsAuthTarget[] = [],
    lastGoodChange?: AwsAuthChange,
  ): Promise<WriteOutcome> {
    const target = await this.targets.open(properties);
    if (target === 'cluster-gone') {
      if (whenClusterGone === 'fail') {
        throw new Error(`EKS cluster "${properties.clusterName}" does not exist (DescribeCluster: ResourceNotFoundException)`);
      }
      this.log(`cluster "${properties.clusterName}" does not exist: nothing to remove`);
      return { result: 'cluster-gone', attempts: 0, conflictsRetried: 0 };
    }
    opened.push(target);
    const writeOptions: WriteOptions = whenClusterGone === 'succeed' ? { confirmClusterGone: () => target.confirmClusterGone() } : {};
    if (lastGoodChange) {
      const recorded = await target.lastGoodWriter.write(lastGoodChange, writeOptions);
      if (recorded.result === 'cluster-gone') {
        return recorded;
      }
    }
    const outcome = await target.writer.write(change, writeOptions);
    this.log(`aws-auth of "${properties.clusterName}": ${outcome.result} after ${outcome.attempts} attempt(s), ${outcome.conflictsRetried} conflict(s) retried`);
    return outcome;
  }

  /** Where the previous properties pointed; `undefined` if they were never valid (then they never wrote anything). */
  private previousTarget(rawOldProperties: unknown): AwsAuthTargetProperties | undefined {
    try {
      return parseTargetProperties(rawOldProperties);
    } catch {
      return undefined;
    }
  }

  private result(ownerId: string, outcome: WriteOutcome): LifecycleResult {
    return { physicalResourceId: ownerId, data: { Result: outcome.result } };
  }
}
