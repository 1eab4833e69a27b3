import { plainObjectOf } from '../shared/plain-objects';
import { ALL_RESOLVED, IsUnresolved } from '../shared/tokens';
/**
 * Who a Kubernetes object is (group, kind, namespace, name), as the construct and the handler both see it. Pure:
 * no aws-cdk-lib import, so the handler bundle shares it.
 */

/** A Kubernetes object as users write it: plain JSON-like data. */
export type KubernetesObject = Record<string, any>;

/** The identity of one object; `namespace` is undefined until the REST mapping says the kind is namespaced. */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** The objects with `kind: List` (kubectl's list form) replaced by their items, recursively. */
export function flattenLists(objects: readonly KubernetesObject[]): KubernetesObject[] {
  return objects.flatMap((object) => (object?.kind === 'List' && Array.isArray(object.items) ? flattenLists(object.items) : [object]));
}

/** API group of an `apiVersion` (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The identity of a checked object (see `objectProblems`). */
export function identityOf(object: KubernetesObject): ObjectIdentity {
  const namespace = object.metadata?.namespace;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    namespace: typeof namespace === 'string' && namespace !== '' ? namespace : undefined,
  };
}

/** `kind namespace/name` (or `kind name` for cluster-scoped objects), how every message names an object. */
export function labelOf(identity: ObjectIdentity): string {
  return identity.namespace ? `${identity.kind} ${identity.namespace}/${identity.name}` : `${identity.kind} ${identity.name}`;
}

/**
 * One key per object of a cluster: the group (not the version: `apps/v1` and `apps/v1beta1` are the same object),
 * the kind, and the namespace, `default` standing in for an unset namespace as kubectl does.
 */
export function objectKey(identity: ObjectIdentity, clusterScoped = false): string {
  const namespace = clusterScoped ? '' : identity.namespace ?? 'default';
  return `${groupOf(identity.apiVersion)}/${identity.kind}/${namespace}/${identity.name}`;
}

/** RFC 1123 DNS subdomain, the rule of most object names (Kubernetes `IsDNS1123Subdomain`). */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Objects managed elsewhere in this library; a manifest would replace them whole. */
const RESERVED_OBJECTS: ReadonlyArray<{ readonly namespace: string; readonly name: string; readonly why: string }> = [
  {
    namespace: 'kube-system',
    name: 'aws-auth',
    why: 'applying it replaces the whole mapping strings, dropping every entry it does not list (the outage SafeAwsAuth exists to prevent). '
      + 'Add mappings with `cluster.awsAuth.addRoleMapping(...)` / `new SafeAwsAuth(...)`, which merges them',
  },
  {
    namespace: 'kube-system',
    name: 'cdk-eks-fargate-aws-auth-last-good',
    why: 'it is the last good aws-auth copy SafeAwsAuth\'s guard restores from; only the guard writes it. Use SafeAwsAuth for mappings',
  },
];

/**
 * What is wrong with one object, as sentences (empty when it is fine): it must be an object with a string
 * `apiVersion` and `kind`, an object `metadata` and a DNS-subdomain `metadata.name`, and not be one of the objects
 * this library manages itself. Values `isUnresolved` says are deploy-time tokens are not judged.
 */
export function objectProblems(value: unknown, isUnresolved: IsUnresolved = ALL_RESOLVED): string[] {
  const object = plainObjectOf(value);
  if (!object) {
    return [`is ${describe(value)}, not an object; give Kubernetes objects such as { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }`];
  }
  const problems: string[] = [];
  if (typeof object.apiVersion !== 'string' || !/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(object.apiVersion)) {
    problems.push(`has \`apiVersion\` ${describe(object.apiVersion)}; it must be a version such as 'v1' or 'apps/v1'`);
  }
  if (typeof object.kind !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(object.kind)) {
    problems.push(`has \`kind\` ${describe(object.kind)}; it must be a kind such as 'ConfigMap'`);
  }
  const metadata = plainObjectOf(object.metadata);
  if (!metadata) {
    problems.push(`has \`metadata\` ${describe(object.metadata)}; it must be an object with a \`name\``);
    return problems;
  }
  const name = metadata.name;
  if (!isUnresolved(name) && (typeof name !== 'string' || name.length > 253 || !DNS_SUBDOMAIN.test(name))) {
    problems.push(`has \`metadata.name\` ${describe(name)}; it must be a DNS subdomain (lower-case letters, digits, '-' and '.', `
      + 'starting and ending with a letter or digit, at most 253 characters)');
  }
  const namespace = metadata.namespace;
  if (namespace !== undefined && !isUnresolved(namespace) && (typeof namespace !== 'string' || (namespace !== '' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)))) {
    problems.push(`has \`metadata.namespace\` ${describe(namespace)}; it must be a DNS label (lower-case letters, digits and '-')`);
  }
  const reserved = RESERVED_OBJECTS.find((candidate) => object.kind === 'ConfigMap' && groupOf(String(object.apiVersion)) === ''
    && metadata.name === candidate.name && metadata.namespace === candidate.namespace);
  if (reserved) {
    problems.push(`is ConfigMap ${reserved.namespace}/${reserved.name}, which cannot be a manifest: ${reserved.why}`);
  }
  return problems;
}

/** A value as messages quote it: JSON, cut at 60 characters; `missing` for undefined. */
export function describe(value: unknown): string {
  if (value === undefined) {
    return 'missing';
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
