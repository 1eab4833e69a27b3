import { kubernetesStatusMessage } from '../../aws-auth/handler/write-problems';
import { KubernetesResponse } from '../../handler/kubernetes-client';
import { Deadline, JitteredBackoff, RetryTiming } from '../../handler/retry-timing';
import { groupOf, KubernetesObject, labelOf, ObjectIdentity } from '../kubernetes-object-identity';
import { RestMapper } from './rest-mapper';
import { objectPath, ResourceMapping } from './rest-mapping';
import { RetryingRequests } from './retrying-requests';
import { shortHash } from '../../shared/short-hash';

/** The content type of a server-side apply patch (JSON is valid YAML). */
const APPLY_PATCH = 'application/apply-patch+yaml';

/** What happened to an object that was to be deleted. */
export type RemoveResult = 'deleted' | 'absent' | 'released' | 'not-ours';

/** Collaborators of {@link ServerSideApply}. */
export interface ServerSideApplyOptions {
  readonly requests: RetryingRequests;
  readonly mapper: RestMapper;
  readonly timing: RetryTiming;
  readonly deadline: Deadline;
  /** Field manager of this custom resource: unique to it and stable across its updates. */
  readonly fieldManager: string;
  /** Take fields other managers own instead of failing with a conflict. */
  readonly force: boolean;
  readonly log: (message: string) => void;
}

/**
 * The annotation each resource's field manager sets on the objects it applies (key unique to the manager, so two
 * resources applying one object never conflict on it). The API server drops a manager that owns no field from
 * `managedFields`, so without it an object of identity fields only (a bare Namespace) would look like nobody's
 * and never be pruned or deleted.
 */
export function ownershipAnnotation(fieldManager: string): string {
  return `cdk-eks-fargate.io/objects.${shortHash(fieldManager, 16)}`;
}

/** An object with its REST mapping resolved and its namespace defaulted. */
export interface MappedObject {
  readonly identity: ObjectIdentity;
  readonly mapping: ResourceMapping;
  readonly body: KubernetesObject;
}

/**
 * Server-side apply of single objects under one field manager, and deletes that only touch objects that manager
 * applied. Failure messages name the object (`kind namespace/name`), the API's message and the fix.
 */
export class ServerSideApply {
  private readonly backoff: JitteredBackoff;

  constructor(private readonly options: ServerSideApplyOptions) {
    this.backoff = new JitteredBackoff(options.timing.random);
  }

  /**
   * Resolves the kind and defaults the namespace (kubectl's `default`); cluster-scoped objects lose theirs. The body
   * carries the manager's ownership annotation.
   */
  public async map(object: KubernetesObject, identity: ObjectIdentity): Promise<MappedObject> {
    const mapping = await this.options.mapper.mappingOf(identity);
    const namespace = mapping.namespaced ? identity.namespace ?? 'default' : undefined;
    const metadata = {
      ...object.metadata,
      annotations: { ...object.metadata?.annotations, [ownershipAnnotation(this.options.fieldManager)]: this.options.fieldManager },
    };
    if (namespace) {
      metadata.namespace = namespace;
    } else {
      delete metadata.namespace;
    }
    return { identity: { ...identity, namespace }, mapping, body: { ...object, metadata } };
  }

  /** Applies one object; a field-manager conflict fails at once (a retry would meet the same owners). */
  public async apply(object: MappedObject): Promise<void> {
    const { identity, mapping } = object;
    const query = `?fieldManager=${encodeURIComponent(this.options.fieldManager)}${this.options.force ? '&force=true' : ''}`;
    const path = objectPath(identity.apiVersion, mapping, identity.namespace, identity.name) + query;
    const response = await this.options.requests.send('PATCH', path, object.body, APPLY_PATCH);
    if (response.statusCode === 200 || response.statusCode === 201) {
      this.options.log(`applied ${labelOf(identity)}`);
      if (identity.kind === 'CustomResourceDefinition' && groupOf(identity.apiVersion) === 'apiextensions.k8s.io') {
        await this.waitEstablished(object);
      }
      return;
    }
    throw new Error(`${labelOf(identity)} was not applied: ${applyFailure(response)}`);
  }

  /**
   * Deletes an object this field manager applied. An object another apply manager also holds (moved to another
   * resource in the same deployment) is released instead: this manager's fields go, the object stays.
   */
  public async remove(object: MappedObject): Promise<RemoveResult> {
    const { identity, mapping } = object;
    const path = objectPath(identity.apiVersion, mapping, identity.namespace, identity.name);
    const read = await this.options.requests.send('GET', path);
    if (read.statusCode === 404) {
      return 'absent';
    }
    const current = read.statusCode === 200 ? parseObject(read.body) : undefined;
    if (!current) {
      throw new Error(`${labelOf(identity)} could not be read before deleting it: HTTP ${read.statusCode} (${kubernetesStatusMessage(read)})`);
    }
    const managers = applyManagersOf(current);
    if (!managers.includes(this.options.fieldManager)) {
      this.options.log(`left ${labelOf(identity)} alone: field manager ${this.options.fieldManager} does not hold it`);
      return 'not-ours';
    }
    if (managers.some((manager) => manager !== this.options.fieldManager)) {
      const metadata = { name: identity.name, namespace: identity.namespace };
      await this.apply({ ...object, body: { apiVersion: identity.apiVersion, kind: identity.kind, metadata } });
      this.options.log(`released ${labelOf(identity)}: other resources also apply it`);
      return 'released';
    }
    const deleted = await this.options.requests.send('DELETE', path, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
    if (deleted.statusCode === 404) {
      return 'absent';
    }
    if (deleted.statusCode !== 200 && deleted.statusCode !== 202) {
      throw new Error(`${labelOf(identity)} was not deleted: HTTP ${deleted.statusCode} (${kubernetesStatusMessage(deleted)})`);
    }
    if (waitsForFinalizers(current)) {
      await this.waitGone(object, path);
    }
    this.options.log(`deleted ${labelOf(identity)}`);
    return 'deleted';
  }

  /** Ingresses and LoadBalancer Services keep a finalizer until their load balancer is gone; later deletes need it gone. */
  private async waitGone(object: MappedObject, path: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const read = await this.options.requests.send('GET', path);
      if (read.statusCode === 404) {
        return;
      }
      const delayMs = this.backoff.delayMs(attempt + 4);
      if (!this.options.deadline.allows(delayMs)) {
        const finalizers = parseObject(read.body)?.metadata?.finalizers;
        throw new Error(`${labelOf(object.identity)} is still being deleted (finalizers ${JSON.stringify(finalizers ?? [])}): its load balancer `
          + 'is removed by the AWS Load Balancer Controller, which must still be running; check its logs, then retry the deployment.');
      }
      await this.options.timing.sleep(delayMs);
    }
  }

  /** A CRD serves its kind only once `Established`; objects of that kind come later in the same apply. */
  private async waitEstablished(crd: MappedObject): Promise<void> {
    const path = objectPath(crd.identity.apiVersion, crd.mapping, undefined, crd.identity.name);
    for (let attempt = 0; ; attempt++) {
      const read = await this.options.requests.send('GET', path);
      const current = read.statusCode === 200 ? parseObject(read.body) : undefined;
      const conditions: Array<{ type?: string; status?: string }> = Array.isArray(current?.status?.conditions) ? current!.status.conditions : [];
      if (conditions.some((condition) => condition.type === 'Established' && condition.status === 'True')) {
        const group = current?.spec?.group;
        if (typeof group === 'string') {
          this.options.mapper.forgetGroup(group);
        }
        return;
      }
      const delayMs = this.backoff.delayMs(attempt + 2);
      if (!this.options.deadline.allows(delayMs)) {
        throw new Error(`${labelOf(crd.identity)} was applied but never became Established: ${JSON.stringify(conditions)}. `
          + 'Check its spec (names, versions, schema) with `kubectl describe crd`.');
      }
      await this.options.timing.sleep(delayMs);
    }
  }
}

/** Managers that hold fields through server-side apply (operation `Apply`). */
export function applyManagersOf(object: KubernetesObject): string[] {
  const managedFields = object.metadata?.managedFields;
  const entries: Array<{ manager?: unknown; operation?: unknown }> = Array.isArray(managedFields) ? managedFields : [];
  return entries.filter((entry) => entry.operation === 'Apply' && typeof entry.manager === 'string').map((entry) => entry.manager as string);
}

function waitsForFinalizers(object: KubernetesObject): boolean {
  const hasFinalizers = Array.isArray(object.metadata?.finalizers) && object.metadata.finalizers.length > 0;
  return hasFinalizers && (object.kind === 'Ingress' || (object.kind === 'Service' && object.spec?.type === 'LoadBalancer'));
}

function parseObject(body: string): KubernetesObject | undefined {
  try {
    const parsed = JSON.parse(body);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Why an apply failed, and what to do: a 409 names the conflicting managers and fields. */
function applyFailure(response: KubernetesResponse): string {
  const message = kubernetesStatusMessage(response);
  if (response.statusCode === 409) {
    const causes: Array<{ message?: string; field?: string }> = parseObject(response.body)?.details?.causes ?? [];
    const conflicts = causes.map((cause) => `${cause.field ?? '?'} (${cause.message ?? 'conflict'})`).join('; ');
    return `another field manager owns fields it sets: ${conflicts || message}. Remove those fields from the manifest, stop the other `
      + 'writer from setting them, or set `force: true` on the KubernetesObjects to take them over.';
  }
  if (response.statusCode === 404) {
    return `HTTP 404 (${message}). The namespace may not exist: create it first (\`cluster.addNamespace\`, or a Namespace in this resource).`;
  }
  if (response.statusCode === 422 || response.statusCode === 400) {
    return `HTTP ${response.statusCode}, the API server refused the object (${message}). Fix the manifest.`;
  }
  return `HTTP ${response.statusCode} (${message})`;
}
