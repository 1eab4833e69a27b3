/** A kind the fake serves. */
export interface FakeKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

/** An object as the fake stores it. */
export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion: string; uid: string; [field: string]: any };
  [field: string]: any;
}

/** Fields one manager owns: leaf path (JSON of its keys) → value (arrays are atomic, as `+listType=atomic`). */
type OwnedFields = Map<string, unknown>;

interface Entry {
  readonly kind: FakeKind;
  readonly name: string;
  readonly namespace?: string;
  managers: Map<string, { operation: 'Apply' | 'Update'; fields: OwnedFields }>;
  finalizers: string[];
  /** GETs left before a deleted object with finalizers is gone. */
  terminatingReads?: number;
  /** GETs left before a CRD reports Established. */
  establishAfterReads?: number;
  resourceVersion: string;
  uid: string;
}

const BUILT_IN: FakeKind[] = [
  ['', 'v1', 'Namespace', 'namespaces', false], ['', 'v1', 'ConfigMap', 'configmaps', true], ['', 'v1', 'Secret', 'secrets', true],
  ['', 'v1', 'ServiceAccount', 'serviceaccounts', true], ['', 'v1', 'Service', 'services', true], ['', 'v1', 'Pod', 'pods', true],
  ['', 'v1', 'PersistentVolume', 'persistentvolumes', false], ['', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true],
  ['apps', 'v1', 'Deployment', 'deployments', true], ['apps', 'v1', 'StatefulSet', 'statefulsets', true],
  ['batch', 'v1', 'Job', 'jobs', true], ['batch', 'v1', 'CronJob', 'cronjobs', true],
  ['rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true], ['rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false],
  ['networking.k8s.io', 'v1', 'Ingress', 'ingresses', true], ['storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false],
  ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false],
].map(([group, version, kind, resource, namespaced]) => ({ group, version, kind, resource, namespaced } as FakeKind));

/** Keys that identify an object rather than being fields a manager owns. */
const SKIPPED_PATHS = new Set(['apiVersion', 'kind', 'status', 'metadata.name', 'metadata.namespace', 'metadata.uid',
  'metadata.resourceVersion', 'metadata.managedFields', 'metadata.finalizers', 'metadata.deletionTimestamp']);

/**
 * Kubernetes object semantics for the fake API: discovery documents per group version, server-side apply with
 * field managers (ownership per leaf field, conflicts on fields another manager owns with another value unless
 * forced, fields a manager stops applying removed), cluster-scoped and namespaced paths, CRDs that become
 * Established after some reads and add their kind to discovery, and deletes that wait for finalizers.
 */
export class FakeObjectStore {
  public readonly kinds: FakeKind[] = [...BUILT_IN];
  /** Finalizer the "controller" adds to Ingresses and LoadBalancer Services; removed after `terminatingReads` GETs. */
  public terminatingReads = 2;
  /** GETs of a new CRD before it is Established. */
  public crdEstablishReads = 2;
  private readonly entries = new Map<string, Entry>();
  private resourceVersion = 5000;

  constructor() {
    for (const name of ['default', 'kube-system']) {
      this.createAsUpdate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, 'kube-apiserver');
    }
  }

  /** [status, body] for the request, or undefined when the path is not an object path. */
  public handle(method: string, url: string, text: string): [number, unknown] | undefined {
    const located = this.locate(url);
    if (!located) {
      return undefined;
    }
    if ('discovery' in located) {
      return method === 'GET' ? this.discover(located.group, located.version) : [405, status(405, `${method} is not supported here`)];
    }
    if (!located.kind) {
      return [404, status(404, `the server could not find the requested resource (${method} ${url})`)];
    }
    switch (method) {
      case 'GET': return this.get(located.key);
      case 'PATCH': return this.apply(located.key, located.kind, located.name, located.namespace, text, located.params);
      case 'DELETE': return this.delete(located.key);
      default: return [405, status(405, `${method} is not supported here`)];
    }
  }

  private locate(url: string):
  | { discovery: true; group: string; version: string }
  | { key: string; kind?: FakeKind; name: string; namespace?: string; params: URLSearchParams }
  | undefined {
    const [path, query = ''] = url.split('?');
    const discovery = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (discovery) {
      return { discovery: true, group: discovery[2] ?? '', version: discovery[1] ?? discovery[3] };
    }
    const match = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)\/([^/]+)$/.exec(path);
    if (!match) {
      return undefined;
    }
    const [, coreVersion, group = '', groupVersion, namespace, resource, encodedName] = match;
    const version = coreVersion ?? groupVersion;
    const name = decodeURIComponent(encodedName);
    const kind = this.kinds.find((candidate) => candidate.group === group && candidate.version === version && candidate.resource === resource
      && candidate.namespaced === (namespace !== undefined));
    return { key: `${group}/${resource}/${namespace ?? ''}/${name}`, kind, name, namespace, params: new URLSearchParams(query) };
  }

  /** Whether `url` names an object the store holds. */
  public has(url: string): boolean {
    const located = this.locate(url);
    return located !== undefined && 'key' in located && this.entries.has(located.key);
  }

  /** Stores an object as `kubectl create` / client-side apply would: an `Update` manager owning every field. */
  public createAsUpdate(object: Record<string, any>, manager = 'kubectl-client-side-apply'): void {
    const kind = this.kindOf(object.apiVersion, object.kind);
    const namespace = kind.namespaced ? object.metadata.namespace ?? 'default' : undefined;
    const key = `${kind.group}/${kind.resource}/${namespace ?? ''}/${object.metadata.name}`;
    this.entries.set(key, {
      kind,
      name: object.metadata.name,
      namespace,
      finalizers: [],
      resourceVersion: String(++this.resourceVersion),
      uid: `uid-${this.resourceVersion}`,
      managers: new Map(leaves(object).size === 0 ? [] : [[manager, { operation: 'Update', fields: leaves(object) }]]),
    });
  }

  /** The object as stored, or undefined. */
  public object(apiVersion: string, kind: string, name: string, namespace?: string): StoredObject | undefined {
    const definition = this.kindOf(apiVersion, kind);
    const entry = this.entries.get(`${definition.group}/${definition.resource}/${definition.namespaced ? namespace ?? 'default' : ''}/${name}`);
    return entry && this.render(entry);
  }

  /** Every stored object as `kind namespace/name`, sorted. */
  public labels(): string[] {
    return [...this.entries.values()].map((entry) => `${entry.kind.kind} ${entry.namespace ? `${entry.namespace}/` : ''}${entry.name}`).sort();
  }

  private kindOf(apiVersion: string, kindName: string): FakeKind {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const kind = this.kinds.find((candidate) => candidate.group === group && candidate.version === version && candidate.kind === kindName);
    if (!kind) {
      throw new Error(`the fake does not serve ${kindName} in ${apiVersion}`);
    }
    return kind;
  }

  private discover(group: string, version: string): [number, unknown] {
    const kinds = this.kinds.filter((kind) => kind.group === group && kind.version === version);
    if (kinds.length === 0) {
      return [404, status(404, 'the server could not find the requested resource')];
    }
    return [200, {
      kind: 'APIResourceList',
      groupVersion: group ? `${group}/${version}` : version,
      resources: kinds.flatMap((kind) => [
        { name: kind.resource, singularName: kind.kind.toLowerCase(), namespaced: kind.namespaced, kind: kind.kind, verbs: ['get', 'patch', 'delete'] },
        { name: `${kind.resource}/status`, singularName: '', namespaced: kind.namespaced, kind: kind.kind, verbs: ['get'] },
      ]),
    }];
  }

  private get(key: string): [number, unknown] {
    const entry = this.entries.get(key);
    if (!entry) {
      return [404, status(404, `${key.split('/')[1]} "${key.split('/').pop()}" not found`)];
    }
    if (entry.terminatingReads !== undefined && entry.terminatingReads-- <= 0) {
      this.entries.delete(key);
      return [404, status(404, `${entry.kind.resource} "${entry.name}" not found`)];
    }
    if (entry.establishAfterReads !== undefined && entry.establishAfterReads > 0) {
      entry.establishAfterReads--;
    }
    return [200, this.render(entry)];
  }

  private apply(key: string, kind: FakeKind, name: string, namespace: string | undefined, text: string, params: URLSearchParams): [number, unknown] {
    const manager = params.get('fieldManager');
    if (!manager) {
      return [400, status(400, 'PATCH with application/apply-patch+yaml requires fieldManager')];
    }
    let body: Record<string, any>;
    try {
      body = JSON.parse(text);
    } catch {
      return [400, status(400, 'the apply patch is not valid YAML or JSON')];
    }
    if (body.metadata?.name !== name || (kind.namespaced && body.metadata?.namespace !== namespace) || body.kind !== kind.kind) {
      return [400, status(400, 'the name, namespace or kind of the object does not match the request')];
    }
    if (namespace && !this.entries.has(`/namespaces//${namespace}`)) {
      return [404, status(404, `namespaces "${namespace}" not found`)];
    }
    const fields = leaves(body);
    const existing = this.entries.get(key);
    if (existing) {
      const current = leaves(this.render(existing));
      const conflicts = [...fields.entries()].flatMap(([path, value]) => [...existing.managers.entries()]
        .filter(([other, owned]) => other !== manager && owned.fields.has(path) && JSON.stringify(current.get(path)) !== JSON.stringify(value))
        .map(([other]) => ({ reason: 'FieldManagerConflict', message: `conflict with "${other}"`, field: `.${JSON.parse(path).join('.')}`, path })));
      if (conflicts.length > 0 && params.get('force') !== 'true') {
        const causes = conflicts.map(({ reason, message, field }) => ({ reason, message, field }));
        return [409, { ...status(409, `Apply failed with ${conflicts.length} conflict(s)`), details: { name, kind: kind.resource, causes } }];
      }
      for (const [other, owned] of existing.managers) {
        if (other !== manager) {
          conflicts.filter((conflict) => conflict.message.includes(`"${other}"`)).forEach((conflict) => owned.fields.delete(conflict.path));
        }
      }
      // Like the API server, a manager that owns nothing leaves managedFields (kubernetes/kubernetes#73681).
      if (fields.size === 0) {
        existing.managers.delete(manager);
      } else {
        existing.managers.set(manager, { operation: 'Apply', fields });
      }
      existing.resourceVersion = String(++this.resourceVersion);
      return [200, this.render(existing)];
    }
    const entry: Entry = {
      kind,
      name,
      namespace,
      // An apply of identity fields only owns nothing, so the manager is not recorded even on create.
      managers: new Map(fields.size === 0 ? [] : [[manager, { operation: 'Apply', fields }]]),
      finalizers: [],
      resourceVersion: String(++this.resourceVersion),
      uid: `uid-${this.resourceVersion}`,
    };
    if (kind.kind === 'Ingress' || (kind.kind === 'Service' && body.spec?.type === 'LoadBalancer')) {
      entry.finalizers.push('elbv2.k8s.aws/resources');
    }
    if (kind.kind === 'CustomResourceDefinition') {
      entry.establishAfterReads = this.crdEstablishReads;
      const served = body.spec?.versions?.find((candidate: any) => candidate.served) ?? {};
      this.kinds.push({ group: body.spec.group, version: served.name, kind: body.spec.names.kind, resource: body.spec.names.plural, namespaced: body.spec.scope === 'Namespaced' });
    }
    this.entries.set(key, entry);
    return [201, this.render(entry)];
  }

  private delete(key: string): [number, unknown] {
    const entry = this.entries.get(key);
    if (!entry) {
      return [404, status(404, `"${key.split('/').pop()}" not found`)];
    }
    if (entry.finalizers.length > 0) {
      entry.terminatingReads = entry.terminatingReads ?? this.terminatingReads;
      return [200, this.render(entry)];
    }
    this.entries.delete(key);
    if (entry.kind.kind === 'CustomResourceDefinition') {
      const crd = this.render(entry);
      this.kinds.splice(this.kinds.findIndex((kind) => kind.group === crd.spec?.group && kind.kind === crd.spec?.names?.kind), 1);
    }
    return [200, status(200, 'deleted')];
  }

  private render(entry: Entry): StoredObject {
    const object: Record<string, any> = {};
    for (const { fields } of entry.managers.values()) {
      for (const [path, value] of fields) {
        setPath(object, path, value);
      }
    }
    const apiVersion = entry.kind.group ? `${entry.kind.group}/${entry.kind.version}` : entry.kind.version;
    const rendered: StoredObject = {
      ...object,
      apiVersion,
      kind: entry.kind.kind,
      metadata: {
        ...object.metadata,
        name: entry.name,
        ...(entry.namespace ? { namespace: entry.namespace } : {}),
        uid: entry.uid,
        resourceVersion: entry.resourceVersion,
        ...(entry.finalizers.length > 0 ? { finalizers: [...entry.finalizers] } : {}),
        ...(entry.terminatingReads !== undefined ? { deletionTimestamp: '2025-01-15T12:00:00Z' } : {}),
        managedFields: [...entry.managers.entries()].map(([manager, owned]) => ({
          manager,
          operation: owned.operation,
          apiVersion,
          fieldsType: 'FieldsV1',
          fieldsV1: Object.fromEntries([...owned.fields.keys()].map((path) => [`f:${JSON.parse(path).join('.')}`, {}])),
        })),
      },
    };
    if (entry.kind.kind === 'CustomResourceDefinition') {
      rendered.status = { conditions: [{ type: 'Established', status: entry.establishAfterReads ? 'False' : 'True' }] };
    }
    return rendered;
  }
}

/** Leaf paths of an object (identity and server-set fields left out), arrays kept whole. */
function leaves(value: Record<string, any>, prefix: string[] = []): OwnedFields {
  const fields: OwnedFields = new Map();
  for (const [key, child] of Object.entries(value)) {
    const keys = [...prefix, key];
    if (SKIPPED_PATHS.has(keys.join('.'))) {
      continue;
    }
    if (child && typeof child === 'object' && !Array.isArray(child) && Object.keys(child).length > 0) {
      leaves(child, keys).forEach((leaf, leafPath) => fields.set(leafPath, leaf));
    } else {
      fields.set(JSON.stringify(keys), child);
    }
  }
  return fields;
}

/** Sets a field as the API server's Go maps do: any key, `__proto__` included, is a field of its own. */
function setPath(target: Record<string, any>, path: string, value: unknown): void {
  const keys: string[] = JSON.parse(path);
  let current = target;
  for (const key of keys.slice(0, -1)) {
    const child = Object.prototype.hasOwnProperty.call(current, key) ? current[key] : undefined;
    current = defineField(current, key, child && typeof child === 'object' ? child : {});
  }
  defineField(current, keys[keys.length - 1], value);
}

function defineField<T>(target: Record<string, any>, key: string, value: T): T {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

function status(code: number, message: string): Record<string, unknown> {
  const reasons: { [code: number]: string } = { 200: 'Success', 400: 'BadRequest', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict' };
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: code < 300 ? 'Success' : 'Failure', message, reason: reasons[code] ?? 'Unknown', code };
}
