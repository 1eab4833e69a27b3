import { Deadline, JitteredBackoff, RetryTiming } from '../../handler/retry-timing';
import { groupOf, ObjectIdentity, labelOf } from '../kubernetes-object-identity';
import { discoveryPath, parseResourceList, ResourceMapping } from './rest-mapping';
import { RetryingRequests } from './retrying-requests';

/** Discovery does not list the kind: a wrong `apiVersion`/`kind`, or a custom resource whose CRD is not (or no longer) there. */
export class KindNotServedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KindNotServedError';
  }
}

/**
 * Kind → resource mapping from the API's own discovery documents, cached per `apiVersion`. A kind the API does not
 * serve yet (a CRD applied moments ago, its group not yet in discovery) is looked up again until the deadline.
 */
export class RestMapper {
  private readonly cache = new Map<string, Map<string, ResourceMapping>>();
  private readonly backoff: JitteredBackoff;

  constructor(private readonly requests: RetryingRequests, private readonly timing: RetryTiming, private readonly deadline: Deadline) {
    this.backoff = new JitteredBackoff(timing.random);
  }

  /** The mapping of `identity`'s kind; throws naming the object when the API never serves it within the deadline. */
  public async mappingOf(identity: ObjectIdentity): Promise<ResourceMapping> {
    for (let attempt = 0; ; attempt++) {
      const kinds = await this.kindsOf(identity.apiVersion);
      const mapping = kinds?.get(identity.kind);
      if (mapping) {
        return mapping;
      }
      this.cache.delete(identity.apiVersion);
      const delayMs = this.backoff.delayMs(attempt + 3);
      if (!this.deadline.allows(delayMs)) {
        throw new KindNotServedError(`${labelOf(identity)}: the API server does not serve kind ${identity.kind} in ${identity.apiVersion} `
          + `(discovery ${discoveryPath(identity.apiVersion)}${kinds ? ` lists ${[...kinds.keys()].join(', ') || 'no kinds'}` : ' not found'}). `
          + 'Check `apiVersion` and `kind`; a custom resource needs its CustomResourceDefinition applied first (in this resource or one it depends on).');
      }
      await this.timing.sleep(delayMs);
    }
  }

  /** Forgets what discovery said about `group` (a CRD of it just became Established). */
  public forgetGroup(group: string): void {
    for (const apiVersion of [...this.cache.keys()]) {
      if (groupOf(apiVersion) === group) {
        this.cache.delete(apiVersion);
      }
    }
  }

  private async kindsOf(apiVersion: string): Promise<Map<string, ResourceMapping> | undefined> {
    const cached = this.cache.get(apiVersion);
    if (cached) {
      return cached;
    }
    const response = await this.requests.send('GET', discoveryPath(apiVersion));
    if (response.statusCode === 404) {
      return undefined;
    }
    const kinds = response.statusCode === 200 ? parseResourceList(response.body) : undefined;
    if (!kinds) {
      // JSON that is not a resource list (a cut body is already read again by the requests): asked again on the next attempt.
      return undefined;
    }
    this.cache.set(apiVersion, kinds);
    return kinds;
  }
}
