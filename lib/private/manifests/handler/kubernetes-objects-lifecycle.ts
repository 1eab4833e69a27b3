import { CloudFormationCustomResourceEvent } from '../../handler/cloudformation-response';
import { ClusterSessionOpener } from '../../handler/cluster-session';
import { LifecycleResult, ResourceLifecycle } from '../../handler/resource-lifecycle';
import { BackoffOptions, Deadline, RetryTiming } from '../../handler/retry-timing';
import { inDeleteOrder, inInstallOrder } from '../apply-order';
import { identityOf, KubernetesObject, labelOf, ObjectIdentity, objectKey } from '../kubernetes-object-identity';
import { ObjectsProperties, parseObjectsProperties } from './objects-properties';
import { ClusterGoneError, RetriesExhaustedError } from './request-failures';
import { KindNotServedError, RestMapper } from './rest-mapper';
import { RetryingRequests } from './retrying-requests';
import { MappedObject, ServerSideApply } from './server-side-apply';
import { shortHash } from '../../shared/short-hash';

/** Collaborators of {@link KubernetesObjectsLifecycle}. */
export interface KubernetesObjectsLifecycleOptions {
  readonly sessions: ClusterSessionOpener;
  readonly timing: RetryTiming;
  readonly deadline: Deadline;
  /** @default - the `JitteredBackoff` defaults */
  readonly backoff?: BackoffOptions;
  readonly log: (message: string) => void;
}

/** Prefix of the physical id, which is also the field manager of the resource's objects. */
export const OBJECTS_PHYSICAL_ID_PREFIX = 'cdk-eks-fargate-objects-';

/** The physical id of a new resource: stable across its updates, unique to its stack and logical id. */
export function objectsPhysicalId(stackId: string, logicalResourceId: string): string {
  return OBJECTS_PHYSICAL_ID_PREFIX + shortHash(`${stackId}/${logicalResourceId}`, 24);
}

/**
 * The custom resource's lifecycle in Kubernetes terms, all under one field manager (the physical id):
 * - Create: server-side apply of every object, Namespaces and CRDs first.
 * - Update: apply the new objects; with `Prune`, delete the objects of the old properties that are gone from the
 *   new ones; when the cluster changed, the old cluster's objects go (unless retained).
 * - Delete: delete the objects in reverse order, waiting for load balancer finalizers; nothing with `Retain`.
 * Deletes only touch objects this field manager applied; objects another resource also applies are released. A
 * cluster that stops answering during a delete and that EKS says is gone has nothing left to delete.
 */
export class KubernetesObjectsLifecycle implements ResourceLifecycle {
  constructor(private readonly options: KubernetesObjectsLifecycleOptions) {}

  public handle(event: CloudFormationCustomResourceEvent): Promise<LifecycleResult> {
    switch (event.RequestType) {
      case 'Create':
        return this.create(event);
      case 'Update':
        return this.update(event);
      case 'Delete':
        return this.delete(event);
      default:
        return Promise.reject(new Error(`Unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}`));
    }
  }

  /**
   * The id a failed request reports: the current one, or for a Create the id it would have had, so the rollback
   * Delete removes whatever landed (deletes only touch objects this field manager applied).
   */
  public failedPhysicalId(event: CloudFormationCustomResourceEvent): string {
    return event.PhysicalResourceId ?? objectsPhysicalId(event.StackId, event.LogicalResourceId);
  }

  public async create(event: CloudFormationCustomResourceEvent): Promise<LifecycleResult> {
    const physicalResourceId = objectsPhysicalId(event.StackId, event.LogicalResourceId);
    const properties = parseObjectsProperties(event.ResourceProperties);
    const applied = await this.applyAll(properties, physicalResourceId);
    return { physicalResourceId, data: { Applied: String(applied.length) } };
  }

  public async update(event: CloudFormationCustomResourceEvent): Promise<LifecycleResult> {
    const physicalResourceId = requiredPhysicalId(event);
    const properties = parseObjectsProperties(event.ResourceProperties);
    const previous = tryParse(event.OldResourceProperties);
    const applied = await this.applyAll(properties, physicalResourceId);
    let removed = 0;
    if (previous && previous.clusterName !== properties.clusterName) {
      if (!previous.retain) {
        this.options.log(`cluster changed from "${previous.clusterName}" to "${properties.clusterName}": removing the objects from the old one`);
        removed = await this.removeAll(previous, physicalResourceId, () => true);
      }
    } else if (previous && properties.prune) {
      const kept = new Set(applied.map((object) => keyOf(object)));
      removed = await this.removeAll(previous, physicalResourceId, (object) => !kept.has(keyOf(object)));
    }
    return { physicalResourceId, data: { Applied: String(applied.length), Removed: String(removed) } };
  }

  public async delete(event: CloudFormationCustomResourceEvent): Promise<LifecycleResult> {
    const physicalResourceId = requiredPhysicalId(event);
    const properties = tryParse(event.ResourceProperties);
    if (!properties || properties.retain) {
      this.options.log(properties ? 'objects retained (removalPolicy RETAIN)' : 'nothing to delete: the properties were never valid');
      return { physicalResourceId, data: { Removed: '0' } };
    }
    const removed = await this.removeAll(properties, physicalResourceId, () => true);
    return { physicalResourceId, data: { Removed: String(removed) } };
  }

  private async applyAll(properties: ObjectsProperties, fieldManager: string): Promise<MappedObject[]> {
    const client = await this.clientFor(properties, fieldManager);
    if (!client) {
      throw new Error(`EKS cluster "${properties.clusterName}" does not exist (DescribeCluster: ResourceNotFoundException)`);
    }
    const applied: MappedObject[] = [];
    // Mapped one by one, after the objects before them: a custom resource's kind exists once its CRD is applied.
    for (const object of inInstallOrder(properties.objects, (candidate) => candidate.kind)) {
      const identity = identityOf(object);
      try {
        const mapped = await client.map(object, identity);
        await client.apply(mapped);
        applied.push(mapped);
      } catch (error) {
        throw objectFailure(identity, 'was not applied', error, properties.roleArn);
      }
    }
    return applied;
  }

  /** Removes the objects `selected` says, in delete order; the number deleted or released. */
  private async removeAll(
    properties: ObjectsProperties, fieldManager: string, selected: (object: MappedObject) => boolean,
  ): Promise<number> {
    const client = await this.clientFor(properties, fieldManager, 'removing');
    if (!client) {
      this.options.log(`cluster "${properties.clusterName}" does not exist: nothing to delete`);
      return 0;
    }
    let removed = 0;
    for (const object of inDeleteOrder(properties.objects, (candidate) => candidate.kind)) {
      const identity = identityOf(object);
      try {
        removed += await this.removeOne(client, object, identity, selected) ? 1 : 0;
      } catch (error) {
        if (error instanceof ClusterGoneError) {
          this.options.log(`cluster "${properties.clusterName}" does not exist: nothing to delete`);
          return removed;
        }
        throw objectFailure(identity, 'was not deleted', error, properties.roleArn);
      }
    }
    return removed;
  }

  /** Whether the object was deleted or released. */
  private async removeOne(
    client: ServerSideApply, object: KubernetesObject, identity: ObjectIdentity, selected: (object: MappedObject) => boolean,
  ): Promise<boolean> {
    let mapped: MappedObject;
    try {
      mapped = await client.map(object, identity);
    } catch (error) {
      if (!(error instanceof KindNotServedError)) {
        throw error;
      }
      // Kind no longer served (its CRD went first): no object of it can be left.
      this.options.log(`skipped ${labelOf(identity)}: ${error.message}`);
      return false;
    }
    if (!selected(mapped)) {
      return false;
    }
    const result = await client.remove(mapped);
    return result === 'deleted' || result === 'released';
  }

  /** A client for the cluster, `undefined` when it does not exist; when `removing`, a cluster found gone midway ends the work. */
  private async clientFor(properties: ObjectsProperties, fieldManager: string, purpose: 'applying' | 'removing' = 'applying'): Promise<ServerSideApply | undefined> {
    const { timing, deadline, backoff, log } = this.options;
    const session = await this.options.sessions.open(properties);
    if (session === 'cluster-gone') {
      return undefined;
    }
    const requests = new RetryingRequests({
      kubernetes: session.kubernetes,
      timing,
      deadline,
      backoff,
      log,
      clusterName: properties.clusterName,
      confirmClusterGone: purpose === 'removing' ? () => session.confirmClusterGone() : undefined,
    });
    const mapper = new RestMapper(requests, timing, deadline);
    return new ServerSideApply({ requests, mapper, timing, deadline, fieldManager, force: properties.force, log });
  }
}

function keyOf(object: MappedObject): string {
  return objectKey(object.identity, !object.mapping.namespaced);
}

/** `error`, or for retries that ran out, the same with the object and the fix named. */
function objectFailure(identity: ObjectIdentity, outcome: string, error: unknown, roleArn: string): unknown {
  return error instanceof RetriesExhaustedError ? new Error(`${labelOf(identity)} ${outcome}: ${error.explain(roleArn)}.`) : error;
}

function requiredPhysicalId(event: CloudFormationCustomResourceEvent): string {
  if (!event.PhysicalResourceId) {
    throw new Error(`${event.RequestType} request without a PhysicalResourceId`);
  }
  return event.PhysicalResourceId;
}

function tryParse(raw: unknown): ObjectsProperties | undefined {
  try {
    return parseObjectsProperties(raw);
  } catch {
    return undefined;
  }
}
